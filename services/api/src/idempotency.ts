import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { claimIdempotencyKey, completeIdempotencyKey, IDEMPOTENCY_KEY_HOURS, releaseIdempotencyKey } from '@jobcast/db';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context.ts';
import { ApiError, answerFor, type ErrorEnvelope } from './errors.ts';

/**
 * Idempotency-Key on the create routes: a client that did not get an answer (a timeout, a 503 it
 * retries) sends the request again with the same key and gets the first answer, not a second render,
 * import, booking or record.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Visible ASCII: a UUID, or whatever unique string the client makes. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const KEY_RULE = '1–255 个可见 ASCII 字符，例如 UUID';

/** The header as the create routes document it (hono reads header names in lower case). */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(KEY_PATTERN, KEY_RULE)
    .optional()
    .openapi({
      description: `A retry with the same key (for ${IDEMPOTENCY_KEY_HOURS} h) answers the first request's status and body without making a second one; another request under the same key is refused (422 IDEMPOTENCY_KEY_REUSED), as is one sent while the first is still being answered (409 IDEMPOTENCY_KEY_IN_FLIGHT)`,
      example: '4f0d7c1e-2b9a-4c1e-9d54-1a2b3c4d5e6f',
    }),
});

/** The answer's headers a replay repeats. */
const REPLAYED_HEADERS = ['Location', 'Cache-Control'];

interface StoredAnswer {
  body: unknown;
  headers: Record<string, string>;
}

/** Objects with their keys sorted: the same request written in another order hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
  }
  return value;
}

/** What identifies a request under a key: SHA-256 of the input as the route validated it. */
export function requestHash(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)) ?? 'null')
    .digest('hex');
}

/** An uploaded file as a request's part: its name, size and content's SHA-256. */
export async function fileFingerprint(file: File): Promise<{ name: string; size: number; sha256: string }> {
  const hash = createHash('sha256');
  for await (const chunk of file.stream() as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return { name: file.name, size: file.size, sha256: hash.digest('hex') };
}

/**
 * Runs a create request under its Idempotency-Key, if it has one. The answer is kept and replayed
 * (with `Idempotent-Replayed: true`); a refusal (4xx) or a 503 (retry later) frees the key for the
 * retry; any other failure is kept, as something may have been made.
 * `request` gives the validated input (called only when a key is sent). `seal` keeps the answer
 * encrypted (a booking's answer holds the stream key).
 */
export async function idempotent<T extends Response>(
  c: Context<AppEnv>,
  request: () => unknown,
  run: () => Promise<T>,
  options: { seal?: boolean } = {},
): Promise<T> {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return run();
  if (!KEY_PATTERN.test(key)) {
    throw new JobcastError('BAD_INPUT', `${IDEMPOTENCY_HEADER} 格式有误：须为${KEY_RULE}`);
  }
  const { db, log } = c.var.services;
  const claim = await claimIdempotencyKey(db, {
    userId: c.var.principal.userId,
    route: `${c.req.method} ${c.req.routePath}`,
    key,
    requestHash: requestHash(await request()),
  });
  if (claim.state === 'reused') {
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', `这个 ${IDEMPOTENCY_HEADER} 已用于另一个请求，新请求请换一个新的值`);
  }
  if (claim.state === 'in-flight') {
    throw new ApiError(
      'IDEMPOTENCY_KEY_IN_FLIGHT',
      `使用这个 ${IDEMPOTENCY_HEADER} 的第一个请求仍在处理中，请稍后重试`,
      { retryAfterSeconds: 2 },
    );
  }
  if (claim.state === 'answered') return (await replay(c, claim, options.seal)) as T;

  const keep = async (status: number, answer: StoredAnswer) => {
    const response = options.seal ? { sealed: (await c.var.services.secrets()).seal(JSON.stringify(answer)) } : answer;
    await completeIdempotencyKey(db, claim.id, { status, response });
  };
  let response: T;
  try {
    response = await run();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const { status, code, message } = answerFor(failure);
    // A refusal (4xx) made nothing, and a 503 (the database, the queue or the disk unavailable) says
    // to retry: the key is freed so the retry runs. Any other failure is kept: something may be made.
    if (status < 500 || status === 503) {
      await release(c, claim.id);
    } else {
      const body: ErrorEnvelope = { code, message, requestId: c.var.requestId };
      await keep(status, { body, headers: {} }).catch((stored: Error) =>
        log(`[${c.var.requestId}] idempotency key not updated: ${stored.message}`),
      );
    }
    throw error;
  }
  // The client has its answer even if it cannot be kept: the key then waits out the abandoned time.
  try {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await keep(response.status, { body: await response.clone().json(), headers });
  } catch (error) {
    log(`[${c.var.requestId}] idempotency key not recorded: ${(error as Error).message}`);
  }
  return response;
}

/** Seconds before each new try to free a key while the database does not answer (30 s in all). */
const RELEASE_RETRY_SECONDS = [1, 2, 4, 8, 15];

/**
 * Frees a claim; while the database does not answer (it often is why the request failed) it tries
 * again in the background, so the retry runs instead of waiting out the abandoned time. A key still
 * not freed after that is taken over once IDEMPOTENCY_ABANDONED_SECONDS have passed; until then its
 * retries are answered 409 IDEMPOTENCY_KEY_IN_FLIGHT.
 */
async function release(c: Context<AppEnv>, id: number): Promise<void> {
  const { db, log } = c.var.services;
  const attempt = (turn: number): Promise<void> =>
    releaseIdempotencyKey(db, id).catch((error: Error) => {
      const wait = RELEASE_RETRY_SECONDS[turn];
      if (turn === 0 || wait === undefined) {
        log(
          `[${c.var.requestId}] idempotency key not freed${wait === undefined ? '' : ' (trying again)'}: ${error.message}`,
        );
      }
      if (wait !== undefined) setTimeout(() => void attempt(turn + 1), wait * 1000).unref();
    });
  await attempt(0);
}

async function replay(
  c: Context<AppEnv>,
  claim: { status: number; response: unknown },
  sealed: boolean | undefined,
): Promise<Response> {
  const stored = claim.response as StoredAnswer | { sealed: string };
  const answer: StoredAnswer =
    sealed && 'sealed' in stored
      ? (JSON.parse((await c.var.services.secrets()).open(stored.sealed)) as StoredAnswer)
      : (stored as StoredAnswer);
  return c.json(answer.body, claim.status as ContentfulStatusCode, {
    ...answer.headers,
    'Idempotent-Replayed': 'true',
  });
}
