/**
 * Tencent Cloud text-to-speech (腾讯云语音合成): `TextToVoice` of TencentCloud API 3.0, version 2019-08-23,
 * signed with TC3-HMAC-SHA256. Written from Tencent's documentation: the request and its 150-character limit
 * (cloud.tencent.com/document/product/1073/37995, tencentcloud.com/document/api/1154/48916), the signature
 * (tencentcloud.com/document/product/1154/48911, whose worked example is this module's signing test), the
 * `Subtitle` type (BeginTime/EndTime in ms, tencentcloud.com/document/api/1154/49573), the error codes
 * (cloud.tencent.com/document/api/1073/37996) and the voice list (cloud.tencent.com/document/product/1073/92668).
 * The only file that speaks to Tencent.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
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
} from './provider.ts';
import { pcmFromRaw } from './wav.ts';

export const TENCENT_LABEL = '腾讯云语音合成';
const NAME = { id: 'tencent', label: TENCENT_LABEL };

const ACTION = 'TextToVoice';
const VERSION = '2019-08-23';
const SERVICE = 'tts';
const CONTENT_TYPE = 'application/json; charset=utf-8';
const SAMPLE_RATE = 16000;
/** The documented limit: 150 Chinese characters per call, a full-width mark counting as one. */
const MAX_CHARS = 150;

const ENV = {
  secretId: 'JOBCAST_TENCENT_SECRET_ID',
  secretKey: 'JOBCAST_TENCENT_SECRET_KEY',
  region: 'JOBCAST_TENCENT_REGION',
  endpoint: 'JOBCAST_TENCENT_TTS_ENDPOINT',
} as const;

/** 精品 voices, and 大模型 voices from the current list (those support 8k/16k/24k). */
export const TENCENT_VOICES: readonly VoiceInfo[] = [
  { id: '101001', label: '智瑜（情感女声）' },
  { id: '101002', label: '智聆（通用女声）' },
  { id: '101004', label: '智云（通用男声）' },
  { id: '501001', label: '智兰（资讯女声，大模型）' },
  { id: '501000', label: '智斌（阅读男声，大模型）' },
];

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** The product, as in its host name: `tts`, `cvm`. */
  service: string;
  /** The Host header sent (with its port when not the default). */
  host: string;
  /** Unix seconds, sent as X-TC-Timestamp; the credential date is its UTC date. */
  timestamp: number;
  /** The exact body sent. */
  payload: string;
  contentType?: string;
}

export interface Tc3Signature {
  credentialScope: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  /** The Authorization header. */
  authorization: string;
}

/** TC3-HMAC-SHA256 for a POST to `/` signing content-type and host, step by step as Tencent documents it. */
export function tc3Sign(request: Tc3Request): Tc3Signature {
  const contentType = (request.contentType ?? CONTENT_TYPE).toLowerCase();
  // The UTC date: a local (UTC+8) date would fail every call made between 00:00 and 08:00.
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${request.host.toLowerCase()}\n`,
    signedHeaders,
    sha256(request.payload),
  ].join('\n');
  const credentialScope = `${date}/${request.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(request.timestamp), credentialScope, sha256(canonicalRequest)].join(
    '\n',
  );
  const secretDate = hmac(`TC3${request.secretKey}`, date);
  const secretService = hmac(secretDate, request.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    credentialScope,
    canonicalRequest,
    stringToSign,
    signature,
    authorization: `TC3-HMAC-SHA256 Credential=${request.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/**
 * `Speed` for a rate: Tencent documents the points -2 = 0.6×, -1 = 0.8×, 0 = 1×, 1 = 1.2×, 2 = 1.5×, 6 = 2.5×
 * and takes two decimals; between them the pace is taken as linear. Below 0.6× is as slow as it goes.
 */
export function tencentSpeed(rate: number): number {
  const r = Math.min(2.5, Math.max(0.6, rate));
  for (let i = 1; i < SPEED_POINTS.length; i++) {
    const [r0, s0] = SPEED_POINTS[i - 1] as [number, number];
    const [r1, s1] = SPEED_POINTS[i] as [number, number];
    if (r <= r1) return Math.round((s0 + ((r - r0) / (r1 - r0)) * (s1 - s0)) * 100) / 100;
  }
  return 6;
}

const SPEED_POINTS: readonly [rate: number, speed: number][] = [
  [0.6, -2],
  [0.8, -1],
  [1, 0],
  [1.2, 1],
  [1.5, 2],
  [2.5, 6],
];

/**
 * What an error code means for the narration. Refused keys and an account that cannot use the service (not
 * opened, in arrears, free quota spent) are `auth`; load, rate limits and internal errors are `transient`;
 * anything about the request itself (text, voice, parameters) is `request`.
 */
export function tencentFaultKind(code: string): VoiceFaultKind {
  if (/^(AuthFailure|UnauthorizedOperation|IpInBlacklist|IpNotInWhitelist)\b/.test(code)) return 'auth';
  if (/^UnsupportedOperation\.(AccountArrears|NoBanlance|NoFreeAccount|ServerNotOpen)$/.test(code)) return 'auth';
  if (
    /^(InternalError|LimitExceeded|RequestLimitExceeded|ServiceUnavailable|ResourceInsufficient|ResourceUnavailable|FailedOperation)\b/.test(
      code,
    )
  ) {
    return 'transient';
  }
  return 'request';
}

const replySchema = z.object({
  Response: z.object({
    Audio: z.string().optional(),
    Subtitles: z.array(z.object({ Text: z.string(), BeginTime: z.number(), EndTime: z.number() })).nullish(),
    Error: z.object({ Code: z.string(), Message: z.string().nullish() }).optional(),
    RequestId: z.string().optional(),
  }),
});

/**
 * The provider, its credentials read now: an auth fault naming the variables to set when they are missing.
 * `JOBCAST_TENCENT_TTS_ENDPOINT` points it elsewhere (a stand-in in tests); the signature covers that host.
 */
export function tencentProvider(env: NodeJS.ProcessEnv = process.env, options: CloudVoiceOptions = {}): VoiceProvider {
  const keys = requireEnv(env, [ENV.secretId, ENV.secretKey], NAME, '在腾讯云控制台「访问管理 › API 密钥管理」创建');
  const call: TencentCall = {
    secretId: keys[ENV.secretId],
    secretKey: keys[ENV.secretKey],
    region: env[ENV.region]?.trim() || 'ap-guangzhou',
    endpoint: endpointFrom(env, ENV.endpoint, 'https://tts.tencentcloudapi.com', NAME),
    timeoutMs: options.timeoutMs ?? CLOUD_TIMEOUT_MS,
    now: options.now ?? Date.now,
  };
  return {
    id: NAME.id,
    label: NAME.label,
    maxChars: MAX_CHARS,
    model: `Tencent Cloud TTS ${ACTION} ${VERSION}`,
    voices: TENCENT_VOICES,
    defaultVoice: '101001',
    // The engine reads polyphones from context; its SSML pronunciation markup is not used here.
    markPinyin: () => null,
    synthesize: (request) => synthesize(call, request),
  };
}

interface TencentCall {
  secretId: string;
  secretKey: string;
  region: string;
  endpoint: URL;
  timeoutMs: number;
  now: () => number;
}

async function synthesize(call: TencentCall, request: SynthesisRequest): Promise<Synthesis> {
  if (!/^\d+$/.test(request.voice)) {
    throw new VoiceProviderError(NAME.id, 'request', `${NAME.label}的音色编号应为数字，收到「${request.voice}」`);
  }
  const chars = Array.from(request.text).length;
  if (chars > MAX_CHARS) {
    throw new VoiceProviderError(
      NAME.id,
      'request',
      `${NAME.label}每次最多读 ${MAX_CHARS} 字，这句朗读稿有 ${chars} 字：「${request.text}」`,
    );
  }
  const payload = JSON.stringify({
    Text: request.text,
    SessionId: randomUUID(),
    VoiceType: Number(request.voice),
    Codec: 'pcm',
    SampleRate: SAMPLE_RATE,
    Speed: tencentSpeed(request.rate),
    EnableSubtitle: true,
  });
  const timestamp = Math.floor(call.now() / 1000);
  const signed = tc3Sign({
    secretId: call.secretId,
    secretKey: call.secretKey,
    service: SERVICE,
    host: call.endpoint.host,
    timestamp,
    payload,
  });
  const reply = await postJson(NAME, {
    url: call.endpoint,
    headers: {
      Authorization: signed.authorization,
      'Content-Type': CONTENT_TYPE,
      'X-TC-Action': ACTION,
      'X-TC-Version': VERSION,
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Region': call.region,
    },
    body: payload,
    timeoutMs: call.timeoutMs,
    signal: request.signal,
  });
  return readReply(reply, request.text, call.secretKey);
}

function readReply(reply: CloudReply, text: string, secretKey: string): Synthesis {
  const parsed = replySchema.safeParse(reply.json);
  if (parsed.success) {
    const { Audio, Subtitles, Error: error, RequestId } = parsed.data.Response;
    if (error) throw fault(error.Code, error.Message ?? '', RequestId, text, secretKey);
    if (reply.status === 200 && Audio !== undefined) {
      const audio = Buffer.from(Audio, 'base64');
      if (audio.length < 2) {
        throw new VoiceProviderError(NAME.id, 'transient', `${NAME.label}返回了空的音频：「${text}」`);
      }
      const words = (Subtitles ?? [])
        .filter((s) => s.Text.trim() !== '')
        .map((s) => ({ text: s.Text, startMs: s.BeginTime, endMs: s.EndTime }));
      const pcm = pcmFromRaw(audio, SAMPLE_RATE);
      return words.length > 0 ? { pcm, words } : { pcm };
    }
  }
  if (reply.status === 401 || reply.status === 403) {
    throw new VoiceProviderError(
      NAME.id,
      'auth',
      `${NAME.label}拒绝了请求（HTTP ${reply.status}）：请检查 ${ENV.secretId} 和 ${ENV.secretKey}`,
    );
  }
  if (reply.status === 429 || reply.status >= 500) {
    throw new VoiceProviderError(NAME.id, 'transient', `${NAME.label}暂时不可用（HTTP ${reply.status}）`);
  }
  if (reply.status !== 200) {
    throw new VoiceProviderError(
      NAME.id,
      'request',
      `${NAME.label}不接受这个请求（HTTP ${reply.status}）：请检查 ${ENV.endpoint}`,
    );
  }
  throw new VoiceProviderError(NAME.id, 'transient', `${NAME.label}返回了无法读取的应答`);
}

function fault(
  code: string,
  message: string,
  requestId: string | undefined,
  text: string,
  secretKey: string,
): VoiceProviderError {
  const kind = tencentFaultKind(code);
  const said = redact(message ? `${code}：${message}` : code, [secretKey]);
  const ref = requestId ? `，请求编号 ${requestId}` : '';
  if (kind === 'auth') {
    const fix = code.startsWith('AuthFailure')
      ? `请检查 ${ENV.secretId} 和 ${ENV.secretKey}${
          code === 'AuthFailure.SignatureExpire' ? '，并校准本机时间（与标准时间相差不得超过 5 分钟）' : ''
        }`
      : '请在腾讯云控制台确认已开通语音合成、账户有余额，且这对密钥有调用权限';
    return new VoiceProviderError(NAME.id, 'auth', `${NAME.label}拒绝了请求（${said}）：${fix}`);
  }
  if (kind === 'transient') {
    return new VoiceProviderError(NAME.id, 'transient', `${NAME.label}暂时不可用（${said}${ref}）`);
  }
  return new VoiceProviderError(NAME.id, 'request', `${NAME.label}无法合成「${text}」（${said}${ref}）`);
}
