import { z } from 'zod';
import { renderJobPayload } from './render-requests.ts';

/**
 * Every queue and its job payload, declared once. Producers and workers import these; job ids
 * are derived from the PostgreSQL row the job stands for, so re-queueing the same row is a no-op.
 */
export const queues = {
  import: {
    name: 'import',
    payload: z.object({ batchId: z.number().int().positive() }),
    jobId: (payload: { batchId: number }) => `import-${payload.batchId}`,
    attempts: 3,
  },
  render: {
    name: 'render',
    payload: renderJobPayload,
    jobId: (payload: { renderId: number }) => `render-${payload.renderId}`,
    attempts: 3,
    /**
     * A storage fault (a full disk, a media folder gone) passes only once someone acts: tried this
     * many times in all, 1, 2, 4, 8 and 16 minutes apart, not three times in 30 seconds.
     */
    slowRetry: { attempts: 6, firstDelayMs: 60_000 },
  },
} as const;

export type QueueName = keyof typeof queues;
export type JobPayload<Q extends QueueName> = z.infer<(typeof queues)[Q]['payload']>;

/** Before the second try of an ordinary failure; doubled for each try after (5 s, 10 s). */
const FIRST_RETRY_MS = 5000;

/** The backoff type of every job: its delays are `retryDelayMs`, a worker's own strategy. */
export const RETRY_BACKOFF = 'jobcast';

function slowRetryOf(name: QueueName): { attempts: number; firstDelayMs: number } | undefined {
  const contract = queues[name];
  return 'slowRetry' in contract ? contract.slowRetry : undefined;
}

/** Tries a job gets in all, failing with an ordinary fault or (`slow`) one that passes slowly. */
export function attemptsFor(name: QueueName, slow: boolean): number {
  const slowRetry = slowRetryOf(name);
  return slow && slowRetry ? Math.max(slowRetry.attempts, queues[name].attempts) : queues[name].attempts;
}

/** Milliseconds before the next try once `failed` tries have failed; -1 when there is none. */
export function retryDelayMs(name: QueueName, failed: number, slow: boolean): number {
  if (failed >= attemptsFor(name, slow)) return -1;
  const slowRetry = slowRetryOf(name);
  const first = slow && slowRetry ? slowRetry.firstDelayMs : FIRST_RETRY_MS;
  return first * 2 ** Math.max(0, failed - 1);
}
