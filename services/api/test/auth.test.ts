import { type UserRole, userRoles } from '@jobcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { apiRoutes } from '../src/index.ts';
import { type ApiFixture, body, openFixture, password } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

function login(credentials: { username: string; password: string }) {
  return fx.app().request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentials),
  });
}

describe('signing in', () => {
  it('gives a working token, valid for 12 hours, to the right password', async () => {
    const response = await login({ username: fx.usernames.media, password });
    expect(response.status).toBe(200);
    const session = await body<{ token: string; expiresAt: string; user: { role: string; site: string } }>(response);
    expect(session.user).toEqual({ username: fx.usernames.media, role: 'media', site: fx.site.code });
    const hoursLeft = (Date.parse(session.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);

    const jobs = await fx.app().request('/api/jobs', { headers: { Authorization: `Bearer ${session.token}` } });
    expect(jobs.status).toBe(200);
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const wrongPassword = await login({ username: fx.usernames.media, password: 'not-the-password' });
    const unknownUser = await login({ username: 'nobody-here', password });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    const [a, b] = [await body<ErrorEnvelope>(wrongPassword), await body<ErrorEnvelope>(unknownUser)];
    expect(a.code).toBe('UNAUTHENTICATED');
    expect(a.message).toContain('用户名或密码错误');
    expect(b.message).toBe(a.message);
  });

  it('names the missing field when the credentials are incomplete', async () => {
    const response = await login({ username: fx.usernames.media } as { username: string; password: string });
    expect(response.status).toBe(400);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toBe('请求参数有误：密码：不能为空');
  });
});

describe('bearer tokens', () => {
  it('answers 401 with a Chinese message when no token is sent', async () => {
    const response = await fx.app().request('/api/jobs');
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toContain('Bearer');
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('需要登录：请在 Authorization 请求头里带上有效的访问令牌');
    expect(error.requestId).toBe(response.headers.get('X-Request-Id'));
  });

  it('answers 401 to a made-up token and to a malformed header', async () => {
    for (const header of [
      'Bearer jc_madeUpTokenThatWasNeverIssued',
      'Bearer ',
      `Basic ${btoa('a:b')}`,
      fx.tokens.admin,
    ]) {
      const response = await fx.app().request('/api/jobs', { headers: { Authorization: header } });
      expect(response.status, header).toBe(401);
      expect((await body<ErrorEnvelope>(response)).code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('the route table is the role table', () => {
  const guarded = apiRoutes.filter((entry) => entry.access !== 'public');
  const samplePath = (path: string) => path.replace(/\{[^}]+\}/g, '1');

  it('guards every /api route except login', () => {
    const open = apiRoutes.filter((entry) => entry.route.path.startsWith('/api/') && entry.access === 'public');
    expect(open.map((entry) => entry.route.path)).toEqual(['/api/auth/login']);
    const roles = Object.fromEntries(
      guarded.map((entry) => [`${entry.route.method} ${entry.route.path}`, entry.access]),
    );
    expect(roles).toEqual({
      'post /api/imports': ['admin', 'media'],
      'get /api/imports': userRoles,
      'get /api/imports/{id}': userRoles,
      'get /api/jobs': userRoles,
      'get /api/jobs/{id}': userRoles,
      'post /api/renders': ['admin', 'media'],
      'get /api/renders': userRoles,
      'get /api/renders/{id}': userRoles,
      'get /api/renders/{id}/output': userRoles,
      'post /api/renders/{id}/retry': ['admin', 'media'],
      'post /api/renders/script': ['admin', 'media'],
      'get /api/voices/preview': ['admin', 'media'],
      'post /api/assets': ['admin', 'media'],
      'get /api/assets': userRoles,
      'get /api/assets/{id}': userRoles,
      'get /api/assets/{id}/file': userRoles,
      'get /api/assets/{id}/thumbnail': userRoles,
      'post /api/live': ['admin', 'anchor'],
      'get /api/live': userRoles,
      'get /api/live/{id}': userRoles,
      'post /api/live/{id}/present': ['admin', 'anchor'],
      'post /api/live/{id}/next': ['admin', 'anchor'],
      'post /api/live/{id}/end': ['admin', 'anchor'],
      'post /api/live/{id}/key': ['admin', 'anchor'],
      'get /api/live/{id}/evidence': userRoles,
      'get /api/kpi': userRoles,
      'get /api/site/voice': userRoles,
      'patch /api/site/voice': ['admin', 'media'],
      'get /api/fairs': userRoles,
      'get /api/fairs/{id}': userRoles,
      'post /api/fairs': ['admin', 'media'],
      'patch /api/fairs/{id}': ['admin', 'media'],
      'put /api/fairs/{id}/employers': ['admin', 'media'],
      'post /api/fairs/{id}/photos': ['admin', 'media'],
      'get /api/fairs/{id}/photos/{photoId}': userRoles,
      'get /api/fairs/{id}/photos/{photoId}/thumbnail': userRoles,
      'delete /api/fairs/{id}/photos/{photoId}': ['admin', 'media'],
      'put /api/fairs/{id}/files/{which}': ['admin', 'media'],
      'get /api/fairs/{id}/files/{which}': userRoles,
      'put /api/fairs/{id}/playlist': ['admin', 'media'],
      'delete /api/fairs/{id}': ['admin'],
      'get /api/screens': userRoles,
      'post /api/screens/pair': ['admin', 'media'],
      'patch /api/screens/{id}': ['admin', 'media'],
      'post /api/screens/{id}/revoke': ['admin', 'media'],
      'get /api/screen-groups': userRoles,
      'post /api/screen-groups': ['admin', 'media'],
      'patch /api/screen-groups/{id}': ['admin', 'media'],
      'put /api/screen-groups/{id}/items': ['admin', 'media'],
      'put /api/screen-groups/{id}/live': ['admin', 'media'],
      'get /api/screen-plays': userRoles,
      'post /api/publications': ['admin', 'media'],
      'get /api/publications': userRoles,
      'post /api/coverage': ['admin', 'media'],
      'get /api/coverage': userRoles,
      'put /api/coverage/{id}/evidence': ['admin', 'media'],
      'get /api/coverage/{id}/evidence': userRoles,
      'get /api/flyers': userRoles,
      'post /api/flyers/{id}/printed': ['admin', 'media'],
      'post /api/flyers/{id}/distributed': ['admin', 'media'],
      'post /api/flyers/{id}/number': ['admin', 'media'],
    });
  });

  it('refuses every guarded route without a token and every role it does not list', async () => {
    const app = fx.app();
    for (const entry of guarded) {
      const path = samplePath(entry.route.path);
      const method = entry.route.method.toUpperCase();
      const anonymous = await app.request(path, { method });
      expect(anonymous.status, `${method} ${path} without a token`).toBe(401);
      for (const role of userRoles.filter((r: UserRole) => !(entry.access as readonly UserRole[]).includes(r))) {
        const response = await app.request(path, { method, headers: fx.bearer(role) });
        expect(response.status, `${method} ${path} as ${role}`).toBe(403);
        const error = await body<ErrorEnvelope>(response);
        expect(error.code).toBe('FORBIDDEN');
        expect(error.message).toMatch(/^您的角色（[^）]+）无权执行此操作，可执行的角色：/);
      }
    }
  });
});
