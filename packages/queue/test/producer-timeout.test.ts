import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Producer, QueueUnavailableError } from '../src/index.ts';

// Nothing listens on port 1: BullMQ waits for a connection that never comes up.
const nowhere = new Producer(
  { redisUrl: 'redis://127.0.0.1:1', prefix: `test-queue-${randomBytes(4).toString('hex')}` },
  { timeoutMs: 500 },
);

afterAll(async () => {
  await nowhere.close();
});

describe('a producer whose Redis is down', () => {
  it('fails enqueue and has within its bound instead of waiting for Redis forever', async () => {
    for (const command of [
      () => nowhere.enqueue('render', { renderId: 1, kind: 'poster' }),
      () => nowhere.has('render', 'render-1'),
      () => nowhere.ping(),
    ]) {
      const started = Date.now();
      await expect(command()).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });
});
