import { Readable } from 'node:stream';
import { JobcastError } from '@jobcast/core';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';

/** bytes=a-b, bytes=a- or bytes=-n of a file of `size` bytes; undefined for a header we do not serve as a range. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

/**
 * A file of the media store as the answer, whole or by the byte range asked for (video players
 * seek with ranges). `missing` is the message when the key names no file.
 */
export async function serveStoredFile(
  c: Context<AppEnv>,
  file: { key: string; type: string; missing: string; headers?: Record<string, string> },
): Promise<Response> {
  const { store } = c.var.services;
  const stored = await store.stat(file.key);
  if (!stored) throw new JobcastError('NOT_FOUND', file.missing);
  const headers = {
    'Content-Type': file.type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=3600',
    ...file.headers,
  };
  const range = parseRange(c.req.header('range'), stored.bytes);
  if (range === 'unsatisfiable') {
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${stored.bytes}` });
  }
  const stream = Readable.toWeb(store.read(file.key, range)) as ReadableStream;
  if (range) {
    return c.body(stream, 206, {
      ...headers,
      'Content-Length': String(range.end - range.start + 1),
      'Content-Range': `bytes ${range.start}-${range.end}/${stored.bytes}`,
    });
  }
  return c.body(stream, 200, { ...headers, 'Content-Length': String(stored.bytes) });
}

/**
 * Records a file just put in the media store in place of the one before (`record` answers the key
 * it replaced): a file that could not be recorded is removed, and the one it replaced once it is.
 */
export async function recordReplacing<T extends { replacedKey: string | null }>(
  c: Context<AppEnv>,
  key: string,
  record: () => Promise<T>,
): Promise<T> {
  const { store } = c.var.services;
  const recorded = await record().catch(async (error: unknown) => {
    await store.remove(key).catch(() => undefined);
    throw error;
  });
  if (recorded.replacedKey) await store.remove(recorded.replacedKey).catch(() => undefined);
  return recorded;
}
