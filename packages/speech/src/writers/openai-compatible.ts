/**
 * A script writer behind the OpenAI-compatible chat API that most Chinese model services offer (通义千问 on
 * DashScope's compatible-mode, DeepSeek, 豆包 on 火山方舟, 文心 on 千帆, Kimi, 智谱): `POST {base}/chat/completions`
 * with `Authorization: Bearer <key>` and `{model, messages, temperature}`, the answer in
 * `choices[0].message.content`, errors as `{error: {message}}`. The only file that speaks to a language model.
 */
import { z } from 'zod';
import { endpointFrom, type ProviderFault, postJson, redact, requireEnv } from '../voices/cloud-http.ts';
import type { VoiceFaultKind } from '../voices/provider.ts';
import { parseScriptAnswer, scriptPrompt } from './prompt.ts';
import { ScriptWriterError, type ScriptWriterProvider, type ScriptWriterRequest } from './provider.ts';

export const OPENAI_COMPATIBLE_ID = 'openai-compatible';

const ENV = {
  baseUrl: 'JOBCAST_LLM_BASE_URL',
  apiKey: 'JOBCAST_LLM_API_KEY',
  model: 'JOBCAST_LLM_MODEL',
  label: 'JOBCAST_LLM_LABEL',
  timeoutMs: 'JOBCAST_LLM_TIMEOUT_MS',
} as const;

/** A model writes a few hundred characters in seconds; a slow one under load takes tens of seconds. */
export const LLM_TIMEOUT_MS = 30_000;
/** Waits before the 2nd and 3rd try of a transient failure (a 429, a 5xx, a timeout, a refused connection). */
const RETRY_DELAYS_MS = [1000, 3000] as const;
const TEMPERATURE = 0.7;

const NAME = { id: OPENAI_COMPATIBLE_ID, label: 'AI 写稿' };
const fault: ProviderFault = (provider, kind, message) => new ScriptWriterError(provider, kind, message);

export interface ScriptWriterOptions {
  /** Per call; default JOBCAST_LLM_TIMEOUT_MS, else 30 s. */
  timeoutMs?: number;
  /** Waits before each retry of a transient failure; default 1 s, then 3 s. */
  retryDelaysMs?: readonly number[];
}

/** The services whose compatible endpoint JobCast knows by its address, and their Chinese names. */
const KNOWN_HOSTS: readonly [RegExp, string][] = [
  [/(?:^|\.)dashscope(?:-intl)?\.aliyuncs\.com$/, '通义千问'],
  [/(?:^|\.)deepseek\.com$/, 'DeepSeek'],
  [/(?:^|\.)volces\.com$/, '豆包大模型（火山方舟）'],
  [/(?:^|\.)baidubce\.com$/, '文心大模型（千帆）'],
  [/(?:^|\.)moonshot\.cn$/, 'Kimi（月之暗面）'],
  [/(?:^|\.)bigmodel\.cn$/, '智谱 GLM'],
  [/(?:^|\.)hunyuan\.cloud\.tencent\.com$/, '腾讯混元'],
];
/** …and by the model's name, for a service reached through a gateway or run in-house. */
const KNOWN_MODELS: readonly [RegExp, string][] = [
  [/^qwen|^qwq/i, '通义千问'],
  [/^deepseek/i, 'DeepSeek'],
  [/^doubao/i, '豆包大模型'],
  [/^ernie/i, '文心大模型'],
  [/^(?:moonshot|kimi)/i, 'Kimi（月之暗面）'],
  [/^glm/i, '智谱 GLM'],
  [/^hunyuan/i, '腾讯混元'],
];

/** The Chinese name shown for the writer: JOBCAST_LLM_LABEL, else the service known by address or model. */
export function scriptWriterLabel(baseUrl: URL, model: string, label?: string): string {
  if (label?.trim()) return label.trim();
  const known =
    KNOWN_HOSTS.find(([host]) => host.test(baseUrl.hostname))?.[1] ??
    KNOWN_MODELS.find(([name]) => name.test(model))?.[1];
  return known ? `${known}（兼容 OpenAI 接口）` : `大模型（兼容 OpenAI 接口，${baseUrl.host}）`;
}

/**
 * The writer configured by JOBCAST_LLM_BASE_URL, JOBCAST_LLM_API_KEY and JOBCAST_LLM_MODEL (optional:
 * JOBCAST_LLM_LABEL, JOBCAST_LLM_TIMEOUT_MS); a ScriptWriterError naming what to set when it is not.
 */
export function openAiCompatibleWriter(
  env: NodeJS.ProcessEnv = process.env,
  options: ScriptWriterOptions = {},
): ScriptWriterProvider {
  const keys = requireEnv(
    env,
    [ENV.baseUrl, ENV.apiKey, ENV.model],
    NAME,
    '兼容 OpenAI 接口的大模型服务，如通义千问、DeepSeek、豆包、文心：接口地址、API Key 和模型名',
    fault,
  );
  const baseUrl = endpointFrom(env, ENV.baseUrl, keys[ENV.baseUrl], NAME, fault);
  const timeoutText = env[ENV.timeoutMs]?.trim();
  const timeoutFromEnv = timeoutText ? Number(timeoutText) : undefined;
  if (timeoutFromEnv !== undefined && !(Number.isInteger(timeoutFromEnv) && timeoutFromEnv > 0)) {
    throw fault(NAME.id, 'auth', `AI 写稿的超时设置无效：请把 ${ENV.timeoutMs} 设为毫秒数，如 30000`);
  }
  const model = keys[ENV.model];
  const call: ChatCall = {
    label: scriptWriterLabel(baseUrl, model, env[ENV.label]),
    url: new URL(`${baseUrl.pathname.replace(/\/+$/, '')}/chat/completions`, baseUrl),
    apiKey: keys[ENV.apiKey],
    model,
    timeoutMs: options.timeoutMs ?? timeoutFromEnv ?? LLM_TIMEOUT_MS,
    retryDelaysMs: options.retryDelaysMs ?? RETRY_DELAYS_MS,
  };
  return {
    id: NAME.id,
    label: call.label,
    model,
    write: (request) => write(call, request),
  };
}

interface ChatCall {
  label: string;
  url: URL;
  apiKey: string;
  model: string;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
}

const replySchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.union([z.string(), z.array(z.object({ text: z.string().optional() }))]).nullish(),
        }),
      }),
    )
    .min(1),
});
const errorSchema = z.object({ error: z.object({ message: z.string().optional() }).or(z.string()) });

async function write(call: ChatCall, request: ScriptWriterRequest): Promise<string[]> {
  const body = JSON.stringify({ model: call.model, messages: scriptPrompt(request), temperature: TEMPERATURE });
  for (let attempt = 0; ; attempt++) {
    try {
      return parseScriptAnswer(await complete(call, body, request.signal));
    } catch (error) {
      const transient = error instanceof ScriptWriterError && error.kind === 'transient';
      if (!transient || attempt >= call.retryDelaysMs.length || request.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, call.retryDelaysMs[attempt]));
    }
  }
}

async function complete(call: ChatCall, body: string, signal?: AbortSignal): Promise<string> {
  const named = { id: NAME.id, label: call.label };
  const reply = await postJson(
    named,
    {
      url: call.url,
      headers: { Authorization: `Bearer ${call.apiKey}`, 'Content-Type': 'application/json' },
      body,
      timeoutMs: call.timeoutMs,
      signal,
    },
    fault,
  );
  if (reply.status === 200) {
    const parsed = replySchema.safeParse(reply.json);
    const content = parsed.success ? parsed.data.choices[0]?.message.content : undefined;
    const text = typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');
    if (text.trim() === '') throw fault(NAME.id, 'transient', `${call.label}的回复里没有稿件`);
    return text;
  }
  const kind = faultKind(reply.status);
  const said = `HTTP ${reply.status}${serverMessage(reply.json, call.apiKey)}`;
  throw fault(NAME.id, kind, describe(call, kind, reply.status, said));
}

/** What a refused call means: credentials (401, 403, 402 out of credit), busy (429, 5xx), else the request. */
export function faultKind(status: number): VoiceFaultKind {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  return 'request';
}

/** The server's own words, without the key or anything shaped like one (a server may quote it, partly masked). */
function serverMessage(json: unknown, apiKey: string): string {
  const parsed = errorSchema.safeParse(json);
  if (!parsed.success) return '';
  const message = typeof parsed.data.error === 'string' ? parsed.data.error : (parsed.data.error.message ?? '');
  const clean = redact(message, [apiKey])
    .replace(/\b(?:sk|ak)-[\w*.-]{3,}/gi, '***')
    .slice(0, 200)
    .trim();
  return clean ? ` ${clean}` : '';
}

function describe(call: ChatCall, kind: VoiceFaultKind, status: number, said: string): string {
  if (status === 402) return `${call.label}的账户余额不足（${said}）：请在服务商控制台充值`;
  if (kind === 'auth') return `${call.label}拒绝了密钥（${said}）：请检查 ${ENV.apiKey}`;
  if (kind === 'transient') return `${call.label}暂时不可用（${said}）`;
  if (status === 404) {
    return `${call.label}找不到接口或模型（${said}）：请检查 ${ENV.baseUrl}（现为 ${call.url.host}）和 ${ENV.model}（现为 ${call.model}）`;
  }
  return `${call.label}拒绝了写稿请求（${said}）`;
}
