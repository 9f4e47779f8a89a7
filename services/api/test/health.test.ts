import { Producer } from '@jobcast/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../src/index.ts';
import { type ApiFixture, body, deadRedisUrl, openFixture } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('health probes', () => {
  it('answers /healthz without touching any dependency', async () => {
    const response = await fx.app().request('/healthz');
    expect(response.status).toBe(200);
    expect(await body(response)).toEqual({ status: 'ok' });
  });

  it('reports ready when PostgreSQL and Redis both answer', async () => {
    const response = await fx.app().request('/readyz');
    expect(response.status).toBe(200);
    expect(await body(response)).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers 503 naming Redis when Redis is down, and logs why', async () => {
    const deadProducer = new Producer({ redisUrl: deadRedisUrl, prefix: fx.queuePrefix });
    try {
      const started = Date.now();
      const response = await fx.app({ producer: deadProducer }).request('/readyz');
      expect(response.status).toBe(503);
      expect(await body(response)).toEqual({ status: 'unavailable', checks: { postgres: 'ok', redis: 'failed' } });
      expect(Date.now() - started).toBeLessThan(2500);
      const requestId = response.headers.get('X-Request-Id');
      expect(fx.logs.some((line) => line.includes(`[${requestId}] readyz: redis`))).toBe(true);
    } finally {
      await deadProducer.close();
    }
  });

  it('serves over real HTTP on a free port and closes cleanly', async () => {
    const server = await startApiServer({ db: fx.db, producer: fx.producer, config: fx.config(), port: 0 });
    try {
      const response = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'probe-1' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('X-Request-Id')).toBe('probe-1');
      expect(await body(response)).toEqual({ status: 'ok' });
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
