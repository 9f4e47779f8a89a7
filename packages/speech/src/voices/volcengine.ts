/**
 * Volcano Engine 豆包语音 text-to-speech, the HTTP one-shot (non-streaming) interface V1:
 * `POST https://openspeech.bytedance.com/api/v1/tts`, header `Authorization: Bearer;<access token>`, a JSON body of
 * app / user / audio / request, a JSON reply with the audio in base64 and code 3000 on success. Written from
 * Volcano's documentation: the interface (volcengine.com/docs/6561/79820 and 6561/1257584), the parameters and
 * their limits (6561/79823: text at most 1024 bytes of UTF-8, speed_ratio 0.2–3, rate 24000 by default or
 * 8000/16000, `with_timestamp: 1` for timings) and the voice list (6561/97465). V1 answers a clause with its
 * whole clip in one JSON reply, which is all a clause needs; Volcano now marks it "not recommended" for its
 * large-model voices and points them to V3 (other headers: X-Api-App-Id, X-Api-Access-Key).
 * The only file that speaks to Volcano.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  CLOUD_TIMEOUT_MS,
  type CloudReply,
  type CloudVoiceOptions,
  endpointFrom,
  postJson,
  redact,
  requireEnv,
} from './cloud-http.ts';
import {
  type Synthesis,
  type SynthesisRequest,
  type VoiceFaultKind,
  type VoiceInfo,
  type VoiceProvider,
  VoiceProviderError,
  type WordTiming,
} from './provider.ts';
import { pcmFromRaw } from './wav.ts';

export const VOLCENGINE_LABEL = '火山引擎豆包语音';
const NAME = { id: 'volcengine', label: VOLCENGINE_LABEL };

const SAMPLE_RATE = 24000;
const MAX_TEXT_BYTES = 1024;
/**
 * The limit is 1024 bytes of UTF-8, 341 Chinese characters; a clause grows when it is read out (4500 becomes
 * 四千五百), so clauses are cut well below it and the bytes are checked again before each call.
 */
const MAX_CHARS = 250;
/** Documented as "retry": over the concurrency quota, busy, timed out, backend error, audio wait, link error. */
const TRANSIENT_CODES = new Set([3003, 3005, 3030, 3031, 3032, 3040]);
/** Documented as "check the parameters": invalid request, reqid reused, text too long, invalid text, no such voice. */
const REQUEST_CODES = new Set([3001, 3006, 3010, 3011, 3050]);

const ENV = {
  appId: 'JOBCAST_VOLCENGINE_APP_ID',
  accessToken: 'JOBCAST_VOLCENGINE_ACCESS_TOKEN',
  cluster: 'JOBCAST_VOLCENGINE_CLUSTER',
  endpoint: 'JOBCAST_VOLCENGINE_TTS_ENDPOINT',
} as const;

export const VOLCENGINE_VOICES: readonly VoiceInfo[] = [
  { id: 'BV001_streaming', label: '通用女声' },
  { id: 'BV002_streaming', label: '通用男声' },
  { id: 'BV700_streaming', label: '灿灿（女声）' },
  { id: 'BV406_streaming', label: '梓梓（超自然女声）' },
  { id: 'BV701_streaming', label: '擎苍（有声阅读男声）' },
  { id: 'zh_female_cancan_mars_bigtts', label: '灿灿（大模型女声）' },
];

/**
 * What a failed reply means for the narration. Volcano reports a refused token or app id in the message
 * ("requested grant not found"), an unbought voice as "access denied" and a spent trial as "quota exceeded":
 * all `auth`, fixed in its console. An exceeded concurrency quota is only busy.
 */
export function volcengineFaultKind(reply: { status: number; code?: number; message?: string }): VoiceFaultKind {
  const message = reply.message ?? '';
  if (/quota exceeded for types: concurrency/i.test(message)) return 'transient';
  if (/grant not found|authenticate|access denied|quota exceeded/i.test(message)) return 'auth';
  if (reply.code !== undefined && TRANSIENT_CODES.has(reply.code)) return 'transient';
  if (reply.code !== undefined && REQUEST_CODES.has(reply.code)) return 'request';
  if (reply.status === 401 || reply.status === 403) return 'auth';
  if (reply.status === 429 || reply.status >= 500) return 'transient';
  return 'request';
}

const wordsSchema = z.object({
  words: z.array(z.object({ word: z.string(), start_time: z.coerce.number(), end_time: z.coerce.number() })).optional(),
});

const replySchema = z.object({
  code: z.coerce.number(),
  message: z.string().nullish(),
  data: z.string().nullish(),
  // `frontend` is the timings as a JSON string.
  addition: z.object({ frontend: z.unknown().optional() }).nullish(),
});

/**
 * The provider, its credentials read now: an auth fault naming the variables to set when they are missing.
 * `JOBCAST_VOLCENGINE_CLUSTER` defaults to `volcano_tts` (the cluster of the bought voices);
 * `JOBCAST_VOLCENGINE_TTS_ENDPOINT` points it elsewhere (a stand-in in tests).
 */
export function volcengineProvider(
  env: NodeJS.ProcessEnv = process.env,
  options: CloudVoiceOptions = {},
): VoiceProvider {
  const keys = requireEnv(
    env,
    [ENV.appId, ENV.accessToken],
    NAME,
    '在火山引擎控制台「豆包语音 › 应用管理」查看 APP ID 和 Access Token',
  );
  const call: VolcengineCall = {
    appId: keys[ENV.appId],
    accessToken: keys[ENV.accessToken],
    cluster: env[ENV.cluster]?.trim() || 'volcano_tts',
    endpoint: endpointFrom(env, ENV.endpoint, 'https://openspeech.bytedance.com/api/v1/tts', NAME),
    timeoutMs: options.timeoutMs ?? CLOUD_TIMEOUT_MS,
  };
  return {
    id: NAME.id,
    label: NAME.label,
    maxChars: MAX_CHARS,
    model: 'Volcano Engine Doubao TTS HTTP V1 (openspeech /api/v1/tts)',
    voices: VOLCENGINE_VOICES,
    defaultVoice: 'BV001_streaming',
    // The engine reads polyphones from context; its SSML pronunciation markup is not used here.
    markPinyin: () => null,
    synthesize: (request) => synthesize(call, request),
  };
}

interface VolcengineCall {
  appId: string;
  accessToken: string;
  cluster: string;
  endpoint: URL;
  timeoutMs: number;
}

async function synthesize(call: VolcengineCall, request: SynthesisRequest): Promise<Synthesis> {
  const bytes = Buffer.byteLength(request.text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw new VoiceProviderError(
      NAME.id,
      'request',
      `${NAME.label}每次最多读 ${MAX_TEXT_BYTES} 字节，这句朗读稿有 ${bytes} 字节：「${request.text}」`,
    );
  }
  const body = {
    // The documented body carries the token as well as the header.
    app: { appid: call.appId, token: call.accessToken, cluster: call.cluster },
    user: { uid: 'jobcast' },
    audio: {
      voice_type: request.voice,
      encoding: 'pcm',
      rate: SAMPLE_RATE,
      speed_ratio: Math.round(Math.min(3, Math.max(0.2, request.rate)) * 100) / 100,
    },
    request: {
      reqid: randomUUID(),
      text: request.text,
      text_type: 'plain',
      operation: 'query',
      with_timestamp: 1,
    },
  };
  const reply = await postJson(NAME, {
    url: call.endpoint,
    headers: { Authorization: `Bearer;${call.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: call.timeoutMs,
    signal: request.signal,
  });
  return readReply(reply, call, request);
}

function readReply(reply: CloudReply, call: VolcengineCall, request: SynthesisRequest): Synthesis {
  const parsed = replySchema.safeParse(reply.json);
  const code = parsed.success ? parsed.data.code : undefined;
  const message = parsed.success ? redact(parsed.data.message ?? '', [call.accessToken]) : '';
  if (parsed.success && code === 3000 && reply.status === 200) {
    const audio = Buffer.from(parsed.data.data ?? '', 'base64');
    if (audio.length < 2) {
      throw new VoiceProviderError(NAME.id, 'transient', `${NAME.label}返回了空的音频：「${request.text}」`);
    }
    const pcm = pcmFromRaw(audio, SAMPLE_RATE);
    const words = wordTimings(parsed.data.addition?.frontend, (pcm.samples.length / SAMPLE_RATE) * 1000);
    return words.length > 0 ? { pcm, words } : { pcm };
  }
  const kind = volcengineFaultKind({ status: reply.status, code, message });
  const logid = reply.headers.get('x-tt-logid');
  const said = [code === undefined ? `HTTP ${reply.status}` : String(code), message].filter(Boolean).join(' ');
  const ref = logid ? `，logid ${logid}` : '';
  throw new VoiceProviderError(NAME.id, kind, describe(kind, said, ref, message, code, call, request));
}

function describe(
  kind: VoiceFaultKind,
  said: string,
  ref: string,
  message: string,
  code: number | undefined,
  call: VolcengineCall,
  request: SynthesisRequest,
): string {
  if (kind === 'auth') {
    if (/access denied/i.test(message)) {
      return `${NAME.label}的应用没有音色「${request.voice}」的授权（${said}）：请在火山引擎控制台为应用开通这个音色（免费音色也要下单）`;
    }
    if (/quota exceeded/i.test(message)) {
      return `${NAME.label}的用量已用完（${said}）：请在火山引擎控制台开通正式版或购买用量`;
    }
    return `${NAME.label}拒绝了凭证（${said}）：请检查 ${ENV.appId} 和 ${ENV.accessToken}，以及业务集群 ${ENV.cluster}（现为 ${call.cluster}）`;
  }
  if (kind === 'transient') return `${NAME.label}暂时不可用（${said}${ref}）`;
  if (code === 3050 || /Init Engine Instance failed/i.test(message)) {
    return `${NAME.label}没有音色「${request.voice}」（${said}${ref}）：请检查音色和 ${ENV.cluster}（现为 ${call.cluster}）`;
  }
  return `${NAME.label}无法合成「${request.text}」（${said}${ref}）`;
}

/**
 * Timings from `addition.frontend` (a JSON string: words with start_time and end_time in ms from the clause's
 * start), kept within the clip: the last word's end has been seen past the audio's end.
 */
function wordTimings(frontend: unknown, clipMs: number): WordTiming[] {
  let value = frontend;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const parsed = wordsSchema.safeParse(value);
  if (!parsed.success) return [];
  return (parsed.data.words ?? [])
    .filter((w) => w.word.trim() !== '' && Number.isFinite(w.start_time) && Number.isFinite(w.end_time))
    .map((w) => ({
      text: w.word,
      startMs: Math.min(w.start_time, clipMs),
      endMs: Math.min(Math.max(w.end_time, w.start_time), clipMs),
    }));
}
