import type { Config } from '@jobcast/config';
import { formatBytes, JobcastError } from '@jobcast/core';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context.ts';

/**
 * Refuses a body above the limit with 413 PAYLOAD_TOO_LARGE, from Content-Length when the client
 * sends one, else while reading, so an oversized upload is never held whole.
 */
export function limitBody(maxBytes: (config: Config) => number, what: string): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const limit = maxBytes(c.var.services.config);
    const size = formatBytes(limit);
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new JobcastError('PAYLOAD_TOO_LARGE', `${what}超过 ${size} 上限`);
      },
    })(c, next);
  };
}
