import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import { ApiError } from './errors.ts';

/** What Retry-After tells a client when Redis is down: a restart of Redis takes seconds. */
export const QUEUE_RETRY_AFTER_S = 30;

/**
 * Refuses a create request while Redis is down, before anything is recorded: 503 with Retry-After
 * within the producer's few seconds, so a client's retry cannot make a second one. (Should Redis
 * fail between this check and the enqueue, the row is recorded and its reconciler queues it.)
 */
export async function requireQueue(c: Context<AppEnv>, what: string): Promise<void> {
  let cause: unknown;
  try {
    if (await c.var.services.producer.ping()) return;
  } catch (error) {
    cause = error;
  }
  throw new ApiError('QUEUE_UNAVAILABLE', `任务队列暂不可用，${what}未登记，请稍后重试`, {
    retryAfterSeconds: QUEUE_RETRY_AFTER_S,
    cause: cause ?? new Error('PING did not answer PONG'),
  });
}
