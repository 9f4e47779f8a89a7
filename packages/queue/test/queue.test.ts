import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { closeWorker, consume, PermanentJobError, Producer } from '../src/index.ts';

const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-queue-${randomBytes(4).toString('hex')}` };
const producer = new Producer(connection);
const workers: Worker[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await producer.close();
  const redis = new Redis(connection.redisUrl);
  const keys = await redis.keys(`${connection.prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('queue contracts', () => {
  it('derives the job id from the row it stands for, so queueing a row twice runs it once', async () => {
    const first = await producer.enqueue('import', { batchId: 41 });
    const second = await producer.enqueue('import', { batchId: 41 });
    expect(first).toBe('import-41');
    expect(second).toBe(first);
    expect(await producer.has('import', 'import-41')).toBe(true);
    expect(await producer.has('import', 'import-42')).toBe(false);

    const seen: number[] = [];
    const done = new Promise<void>((resolve) => {
      const worker = consume(connection, 'import', async ({ batchId }) => {
        seen.push(batchId);
        resolve();
      });
      workers.push(worker);
    });
    await done;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([41]);
  });

  it('reports a job the queue gave up on as absent, so a reconciler can queue its row again', async () => {
    let runs = 0;
    let ranTwice: () => void = () => undefined;
    const twice = new Promise<void>((resolve) => {
      ranTwice = resolve;
    });
    let failedOnce: () => void = () => undefined;
    const once = new Promise<void>((resolve) => {
      failedOnce = resolve;
    });
    const worker = consume(connection, 'render', async () => {
      runs++;
      throw new PermanentJobError('never works');
    });
    worker.on('failed', () => (runs === 1 ? failedOnce() : ranTwice()));
    workers.push(worker);
    await producer.enqueue('render', { renderId: 77, kind: 'video' });
    await once;
    expect(await producer.has('render', 'render-77')).toBe(false);
    // Removed from Redis: queueing the row again runs it again (with the failed job kept, adding
    // the same id would do nothing).
    await producer.enqueue('render', { renderId: 77, kind: 'video' });
    await twice;
    expect(runs).toBe(2);
  });

  it('refuses a payload that breaks the contract before it reaches Redis', async () => {
    await expect(producer.enqueue('import', { batchId: -1 })).rejects.toThrow();
    await expect(producer.enqueue('import', { batchId: 'x' } as unknown as { batchId: number })).rejects.toThrow();
  });

  it('a producer pointed at a Redis that is not there fails its command instead of hanging', async () => {
    const nowhere = new Producer({ redisUrl: 'redis://127.0.0.1:1', prefix: connection.prefix });
    try {
      await expect(nowhere.ping()).rejects.toThrow();
    } finally {
      await nowhere.close();
    }
  });

  it('a worker stopped right after it started closes cleanly (no connection error left unhandled)', async () => {
    for (let i = 0; i < 5; i++) {
      const worker = consume(connection, 'import', async () => undefined);
      await closeWorker(worker, 5000);
      expect(worker.isRunning()).toBe(false);
    }
    // Errors from the closed connections would surface as unhandled rejections after the test.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});
