import type { Config } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context.ts';

/** 52428800 → "50 MB", 1024 → "1 KB", 2147483648 → "2 GB": the limit as the person who set it wrote it. */
export function formatBytes(bytes: number): string {
  const trim = (value: number) => String(Math.round(value * 10) / 10);
  if (bytes >= 1024 * 1024 * 1024) return `${trim(bytes / (1024 * 1024 * 1024))} GB`;
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Refuses a body above the limit with 413 PAYLOAD_TOO_LARGE, from Content-Length when the client
 * sends one, else while reading, so an oversized upload is never held whole.
 */
export function limitBody(
  maxBytes: (config: Config) => number,
  what: { zh: string; en: string },
): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const limit = maxBytes(c.var.services.config);
    const size = formatBytes(limit);
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new JobcastError(
          'PAYLOAD_TOO_LARGE',
          `${what.zh}超过 ${size} 上限 (${what.en} exceeds the ${size} limit)`,
        );
      },
    })(c, next);
  };
}
