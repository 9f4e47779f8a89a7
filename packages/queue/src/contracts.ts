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
  },
} as const;

export type QueueName = keyof typeof queues;
export type JobPayload<Q extends QueueName> = z.infer<(typeof queues)[Q]['payload']>;
