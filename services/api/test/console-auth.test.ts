import { type UserRole, userRoles } from '@jobcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoutes } from '../src/index.ts';
import { type ApiFixture, type BrowserSession, openFixture, password } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

const FORM = 'application/x-www-form-urlencoded';

function loginForm(fields: Record<string, string>, origin = 'http://localhost') {
  return {
    method: 'POST',
    headers: { 'content-type': FORM, origin },
    body: new URLSearchParams(fields).toString(),
  };
}

function sessionCookie(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /jc_session=([^;]*)/.exec(header);
  return match?.[1] ? `jc_session=${match[1]}` : '';
}

describe('signing in to the console', () => {
  it('sets an HTTP-only, SameSite session cookie and returns to the page asked for', async () => {
    const response = await fx
      .app()
      .request('/login', loginForm({ username: fx.usernames.manager, password, next: '/jobs?q=普工' }));
    expect(response.status).toBe(303);
    expect(decodeURI(response.headers.get('location') ?? '')).toBe('/jobs?q=普工');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/jc_session=[A-Za-z0-9_-]{43}/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');

    const page = await fx.app().request('/', { headers: { cookie: sessionCookie(response) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('工作台');
    expect(html).toContain('负责人');
  });

  it('marks the cookie Secure when the console is served over HTTPS', async () => {
    const response = await fx
      .app({ env: { JOBCAST_PUBLIC_URL: 'https://jobcast.example.cn' } })
      .request('/login', loginForm({ username: fx.usernames.media, password }, 'https://jobcast.example.cn'));
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toContain('Secure');
  });

  it('keeps the page and the name typed after a wrong password, and never sends elsewhere', async () => {
    const wrong = await fx.app().request('/login', loginForm({ username: fx.usernames.media, password: 'nope-nope' }));
    expect(wrong.status).toBe(401);
    const html = await wrong.text();
    expect(html).toContain('用户名或密码错误');
    expect(html).toContain(`value="${fx.usernames.media}"`);
    expect(wrong.headers.get('set-cookie') ?? '').not.toContain('jc_session=');

    // Browsers read a backslash as a slash and drop tabs: each of these would leave the console.
    for (const next of ['//evil.example/x', '/\\evil.example/x', '/\t/evil.example/x', '/..//evil.example/x']) {
      const offsite = await fx.app().request('/login', loginForm({ username: fx.usernames.media, password, next }));
      expect(offsite.headers.get('location'), next).toBe('/');
    }
    const shown = await fx.app().request(`/login?next=${encodeURIComponent('/\\evil.example/x')}`);
    expect(await shown.text()).toContain('<input type="hidden" name="next" value="/"/>');
  });

  it('refuses a sign-in form far larger than a name and a password before reading it', async () => {
    const response = await fx.app().request('/login', loginForm({ username: 'x'.repeat(100_000), password: 'y' }));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('超过 16 KB 上限');
  });

  it('sends a visitor without a session to the login page, and back afterwards', async () => {
    const response = await fx.app().request('/?year=2026');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/?year=2026')}`);
  });

  it('pauses sign-in for a username after 5 failures, even with the right password', async () => {
    const app = fx.app();
    const username = fx.usernames.anchor;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await app.request('/login', loginForm({ username, password: `wrong-${attempt}` }));
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const right = await app.request('/login', loginForm({ username, password }));
    expect(right.status).toBe(429);
    expect(await right.text()).toContain('登录失败次数过多');
    // The API's token login shares the count.
    const api = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(api.status).toBe(429);
    expect(((await api.json()) as { code: string }).code).toBe('RATE_LIMITED');
    // Another user is not held up by it.
    const other = await app.request('/login', loginForm({ username: fx.usernames.admin, password }));
    expect(other.status).toBe(303);
  });

  it('ends the session on sign-out: the copied cookie stops working', async () => {
    const session = await fx.signIn('media');
    const out = await fx.app().request('/logout', session.form({}));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    const after = await fx.app().request('/', { headers: { cookie: session.cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('/login');
  });
});

describe('forged requests', () => {
  let media: BrowserSession;
  beforeAll(async () => {
    media = await fx.signIn('media');
  });

  it('refuses a console form without the session token, and one posted from another site', async () => {
    const leaving = await fx.signIn('media');
    const withoutToken = await fx.app().request('/logout', {
      method: 'POST',
      headers: { cookie: leaving.cookie, 'content-type': FORM, origin: 'http://localhost' },
      body: '',
    });
    // Sign-out is harmless, so it needs no token; a form that changes data does (any guarded POST page).
    expect(withoutToken.status).toBe(303);
    const guardedPost = pageRoutes.find((route) => route.method === 'post' && route.access !== 'public');
    if (guardedPost) {
      const path = guardedPost.path.replace(/:[a-zA-Z]+/g, '1');
      const response = await fx.app().request(path, {
        method: 'POST',
        headers: { cookie: (await fx.signIn('admin')).cookie, 'content-type': FORM, origin: 'http://localhost' },
        body: '_csrf=forged',
      });
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain('表单已失效');
    }
    const crossSite = await fx.app().request('/logout', {
      ...media.form({}),
      headers: { cookie: media.cookie, 'content-type': FORM, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('lets the console call the API with its cookie, but changes need the CSRF header', async () => {
    const read = await fx.app().request('/api/jobs?limit=1', { headers: { cookie: media.cookie } });
    expect(read.status).toBe(200);
    const renderBody = JSON.stringify({ kind: 'poster', template: 'job-poster', jobIds: [1] });
    const forged = await fx.app().request('/api/renders', {
      method: 'POST',
      headers: { cookie: media.cookie, 'content-type': 'application/json' },
      body: renderBody,
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { message: string }).message).toBe('页面已失效（缺少安全令牌），请刷新页面后重试');
  });

  it('does not let a bad bearer token fall back to the cookie', async () => {
    const response = await fx.app().request('/api/jobs', {
      headers: { cookie: media.cookie, Authorization: 'Bearer jc_notAToken' },
    });
    expect(response.status).toBe(401);
  });
});

describe('every page checks its role', () => {
  const guarded = pageRoutes.filter((route) => route.access !== 'public');
  const samplePath = (path: string) => path.replace(/:[a-zA-Z]+(\{[^/]*\})?/g, '1');

  it('sends visitors without a session to sign in, and shows other roles a 403 page', async () => {
    expect(guarded.length).toBeGreaterThan(0);
    const app = fx.app();
    const sessions = Object.fromEntries(
      await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
    ) as Record<UserRole, BrowserSession>;
    for (const route of guarded) {
      const path = samplePath(route.path);
      const method = route.method.toUpperCase();
      const anonymous = await app.request(path, {
        method,
        headers: method === 'POST' ? { 'content-type': FORM, origin: 'http://localhost' } : {},
        body: method === 'POST' ? '' : undefined,
      });
      if (method === 'GET') {
        expect(anonymous.status, `${method} ${path} without a session`).toBe(303);
        expect(anonymous.headers.get('location'), path).toMatch(/^\/login\?next=/);
      } else {
        expect(anonymous.status, `${method} ${path} without a session`).toBe(401);
      }
      for (const role of userRoles.filter((r) => !(route.access as readonly UserRole[]).includes(r))) {
        const session = sessions[role];
        const response = await app.request(
          path,
          method === 'POST' ? session.form({}) : { headers: { cookie: session.cookie } },
        );
        expect(response.status, `${method} ${path} as ${role}`).toBe(403);
        expect(await response.text()).toContain('无权访问');
      }
    }
  });

  it('keeps the queue dashboard from every role of a site: it is for deployment admins (queue-dashboard.test.ts)', async () => {
    const app = fx.app();
    for (const role of userRoles) {
      const response = await app.request('/admin/queues', { headers: { cookie: (await fx.signIn(role)).cookie } });
      expect(response.status, role).toBe(403);
    }
    // Its scripts and API sit behind the same guard.
    expect((await app.request('/admin/queues/static/js/main.js')).status).toBe(303);
    const api = await app.request('/admin/queues/api/queues', {
      headers: { cookie: (await fx.signIn('admin')).cookie },
    });
    expect(api.status).toBe(403);
  });
});
