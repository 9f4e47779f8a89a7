import { createDatabase } from '@jobcast/db';
import { databaseUrlFor } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ErrorEnvelope, logDetail } from '../src/errors.ts';
import { type ApiFixture, body, openFixture, randomLabel } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('the error envelope', () => {
  it('answers an unknown route with a 404 envelope', async () => {
    const response = await fx.app().request('/api/nothing-here');
    expect(response.status).toBe(404);
    const error = await body<ErrorEnvelope>(response);
    expect(error).toEqual({
      code: 'NOT_FOUND',
      message: '没有这个接口：GET /api/nothing-here',
      requestId: expect.any(String),
    });
  });

  it("echoes the caller's X-Request-Id, and makes one up when there is none or it is unusable", async () => {
    const echoed = await fx.app().request('/nope', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(echoed.headers.get('X-Request-Id')).toBe('abc-123');
    expect((await body<ErrorEnvelope>(echoed)).requestId).toBe('abc-123');

    for (const headers of [{}, { 'X-Request-Id': 'not a usable id' }] as Record<string, string>[]) {
      const made = await fx.app().request('/healthz', { headers });
      expect(made.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('hides what went wrong on a 500 and logs it under the request id', async () => {
    const missing = createDatabase(databaseUrlFor(`jobcast_missing_${randomLabel()}`), 1);
    try {
      const response = await fx.app({ db: missing }).request('/api/jobs', { headers: fx.bearer('admin') });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('does not exist');
      expect(text).not.toContain('at ');
      const error = JSON.parse(text) as ErrorEnvelope;
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain('服务器内部错误');
      const logged = fx.logs.find((line) => line.includes(`[${error.requestId}]`));
      expect(logged).toContain('GET /api/jobs');
      expect(logged).toContain('does not exist');
    } finally {
      await missing.$client.end();
    }
  });

  it('answers 503 with Retry-After and logs one line when PostgreSQL cannot be reached', async () => {
    // Port 1: nothing listens, as when PostgreSQL is stopped or restarting.
    const gone = createDatabase('postgres://postgres@127.0.0.1:1/jobcast', 1);
    try {
      const response = await fx.app({ db: gone }).request('/api/jobs', { headers: fx.bearer('admin') });
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toMatch(/^\d+$/);
      const error = await body<ErrorEnvelope>(response);
      expect(error.code).toBe('DATABASE_UNAVAILABLE');
      expect(error.message).toContain('数据库暂时不可用');
      const logged = fx.logs.filter((line) => line.includes(`[${error.requestId}]`));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('ECONNREFUSED');
      expect(logged[0]).not.toContain('\n');

      // A console page says so in Chinese, as a page.
      const { cookie } = await fx.signIn('manager');
      const page = await fx.app({ db: gone }).request('/jobs', { headers: { cookie } });
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('数据库暂时不可用');
    } finally {
      await gone.$client.end();
    }
  });

  it('turns malformed JSON and a wrong content type into envelopes', async () => {
    const malformed = await fx.app().request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"username":',
    });
    expect(malformed.status).toBe(400);
    expect((await body<ErrorEnvelope>(malformed)).code).toBe('BAD_INPUT');

    const wrongType = await fx.app().request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'username=a',
    });
    expect(wrongType.status).toBe(415);
    const error = await body<ErrorEnvelope>(wrongType);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toBe('不支持这种内容类型，请按接口文档（/openapi.json）发送');
  });

  it('bounds the login body too', async () => {
    const response = await fx.app().request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
    expect((await body<ErrorEnvelope>(response)).message).toBe('登录请求超过 16 KB 上限');
  });
});

describe('the log of a failure', () => {
  it("keeps the database's cause but never a failed query's parameters", () => {
    const cause = new Error('duplicate key value violates unique constraint "live_sessions_overlay_idx"');
    const error = new Error(
      'Failed query: insert into "live_sessions" values ($1, $2)\nparams: 7,ovl_secretTokenValue',
      {
        cause,
      },
    );
    const logged = logDetail(error);
    expect(logged).toContain('Failed query: insert into "live_sessions"');
    expect(logged).toContain('caused by: duplicate key value');
    expect(logged).not.toContain('ovl_secretTokenValue');
  });
});
