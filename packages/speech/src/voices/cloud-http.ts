/**
 * What the cloud voices (and the AI script writer) share: reading their credentials from the environment, and
 * one JSON POST bounded in time. A timeout, a refused connection or a reset becomes a transient fault named for
 * the provider; what a status or body means is each provider's own module's business. Nothing here logs, and
 * every message a provider builds from a server's words passes through `redact` first.
 */
import { type VoiceFaultKind, VoiceProviderError } from './provider.ts';

/** How a fault is raised: a voice's by default; the script writer raises its own error with the same kinds. */
export type ProviderFault = (provider: string, kind: VoiceFaultKind, message: string) => Error;

const voiceFault: ProviderFault = (provider, kind, message) => new VoiceProviderError(provider, kind, message);

/** How long one synthesis call may take before it counts as a transient fault. */
export const CLOUD_TIMEOUT_MS = 15_000;

/** What the caller of a cloud provider may tune: tests shorten the wait and fix the clock. */
export interface CloudVoiceOptions {
  /** Per call; default 15 s. */
  timeoutMs?: number;
  /** Milliseconds since the epoch (request signatures carry the time). */
  now?: () => number;
}

export interface CloudProviderName {
  id: string;
  label: string;
}

/**
 * The named variables' values, trimmed; an auth fault naming every one that is unset or blank, and how to get
 * them, if any is. Values are never quoted back.
 */
export function requireEnv<const K extends string>(
  env: NodeJS.ProcessEnv,
  names: readonly K[],
  provider: CloudProviderName,
  where: string,
  fault: ProviderFault = voiceFault,
): Record<K, string> {
  const values = {} as Record<K, string>;
  const missing: K[] = [];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw fault(provider.id, 'auth', `${provider.label}未配置：请设置环境变量 ${missing.join('、')}（${where}）`);
  }
  return values;
}

/** An optional http(s) address from the environment, or the default; a malformed one is a configuration fault. */
export function endpointFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: string,
  provider: CloudProviderName,
  fault: ProviderFault = voiceFault,
): URL {
  const value = env[name]?.trim() || fallback;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw fault(provider.id, 'auth', `${provider.label}的地址无效：请把 ${name} 设为 https:// 开头的地址`);
  }
  return url;
}

/** The message with every secret blanked: a server may quote a request back, and messages reach people and logs. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

export interface CloudReply {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown;
}

/**
 * Posts `body` and reads the whole reply within `timeoutMs`, cancelled also by the caller's signal (whose own
 * reason is rethrown untouched: the caller stopped, the provider did not fail).
 */
export async function postJson(
  provider: CloudProviderName,
  request: { url: URL; headers: Record<string, string>; body: string; timeoutMs: number; signal?: AbortSignal },
  fault: ProviderFault = voiceFault,
): Promise<CloudReply> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: parseJson(text) };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (timeout.aborted) {
      throw fault(
        provider.id,
        'transient',
        `${provider.label}在 ${request.timeoutMs / 1000} 秒内没有应答（${request.url.host}）`,
      );
    }
    throw fault(provider.id, 'transient', `${provider.label}连接失败（${request.url.host}）：${networkCause(error)}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** undici reports `fetch failed` and keeps what happened (ECONNREFUSED, ENOTFOUND…) in its cause. */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return (error as Error).message;
}
