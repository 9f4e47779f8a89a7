import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeWorker, consume, pingRedis } from '../src/index.ts';

/** A port nothing listens on: Redis "gone". */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const prefix = `test-faults-${randomBytes(4).toString('hex')}`;

describe('queues when Redis is not there', () => {
  it('a worker closes within seconds, having logged its connection error once, not once per retry', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const worker = consume({ redisUrl: `redis://127.0.0.1:${await deadPort()}`, prefix, log }, 'render', async () => {
      throw new Error('never runs');
    });
    const closed = new Promise<void>((resolve) => worker.once('closed', resolve));
    // ioredis retries quickly at first: a few seconds are several failed reconnects.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const started = Date.now();
    await closeWorker(worker, 30_000);
    // Not the 30 s a worker holding a job may get: with Redis gone nothing can be waited for.
    expect(Date.now() - started).toBeLessThan(8000);
    await closed;
    expect(lines.filter((line) => line.includes('ECONNREFUSED'))).toEqual([
      expect.stringMatching(/^render worker: .*ECONNREFUSED/),
    ]);
  });

  it('the start-up check answers within its timeout, with the reason', async () => {
    await expect(pingRedis('redis://127.0.0.1:6379')).resolves.toBeUndefined();
    const started = Date.now();
    await expect(pingRedis(`redis://127.0.0.1:${await deadPort()}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // A server that accepts the connection and never answers (not Redis, or a hung one).
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      await expect(pingRedis(`redis://127.0.0.1:${port}`, 1000)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
