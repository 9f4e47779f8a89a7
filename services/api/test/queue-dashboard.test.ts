/**
 * The queue dashboard (bull-board at /admin/queues): every site's queues, so only deployment admins
 * (系统管理员) open it; its changes need the session's CSRF token; nothing comes from another host.
 * The last test drives its own UI in Debian's Chromium: a pause clicked there carries the token.
 */
import { addUser, createWebSession, csrfTokenFor } from '@jobcast/auth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../src/index.ts';
import { launchChromium } from '../src/testing.ts';
import { type ApiFixture, openFixture, password, randomLabel } from './fixture.ts';

let fx: ApiFixture;
/** An admin of the fixture's site who is also a deployment admin. */
let deploymentAdmin: { id: number; cookie: string; csrf: string };

beforeAll(async () => {
  fx = await openFixture();
  const user = await addUser(fx.db, { siteId: fx.site.id, username: `ops-${randomLabel()}`, password, role: 'admin' });
  await fx.db.$client.query('update users set deployment_admin = true where id = $1', [user.id]);
  const { secret } = await createWebSession(fx.db, user.id);
  deploymentAdmin = { id: user.id, cookie: `jc_session=${secret}`, csrf: csrfTokenFor(secret) };
});
afterAll(async () => {
  await fx.close();
});

function renderQueue() {
  const queue = fx.producer.allQueues().find((q) => q.name === 'render');
  if (!queue) throw new Error('no render queue');
  return queue;
}

describe('who opens the queue dashboard', () => {
  it("refuses a site's admin who is not a deployment admin (no 队列 in the menu), and opens for one who is", async () => {
    const app = fx.app();
    const admin = await fx.signIn('admin');
    for (const path of ['/admin/queues', '/admin/queues/queue/render', '/admin/queues/api/queues']) {
      const response = await app.request(path, { headers: { cookie: admin.cookie } });
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toContain('只对系统管理员开放');
    }
    // Not even with the token: pausing every site's renders is not a site admin's to do.
    const pause = await app.request('/admin/queues/api/queues/render/pause', {
      method: 'PUT',
      headers: { cookie: admin.cookie, origin: 'http://localhost', 'X-XSRF-TOKEN': admin.csrf },
    });
    expect(pause.status).toBe(403);
    expect(await pause.text()).toContain('只对系统管理员开放');
    expect(await renderQueue().isPaused()).toBe(false);

    const home = await (await app.request('/', { headers: { cookie: admin.cookie } })).text();
    expect(home).toContain('工作台');
    expect(home).not.toContain('href="/admin/queues"');

    // A deployment admin is let in, and finds it in the menu.
    const opsHome = await (await app.request('/', { headers: { cookie: deploymentAdmin.cookie } })).text();
    expect(opsHome).toContain('<a href="/admin/queues">队列</a>');
    const response = await app.request('/admin/queues', { headers: { cookie: deploymentAdmin.cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('岗播 队列');
    const api = await app.request('/admin/queues/api/queues', { headers: { cookie: deploymentAdmin.cookie } });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('render');
  });
});

describe('what the dashboard serves', () => {
  it('loads nothing from another host, under a CSP that allows only this server', async () => {
    const app = fx.app();
    const response = await app.request('/admin/queues', { headers: { cookie: deploymentAdmin.cookie } });
    const html = await response.text();
    expect(html).not.toContain('fonts.googleapis.com');
    expect(html).not.toMatch(/(?:href|src)\s*=\s*["']?(?:https?:)?\/\//i);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    // Its scripts and API answers carry it too.
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(html)?.[1];
    const asset = await app.request(`/admin/queues/${script}`, { headers: { cookie: deploymentAdmin.cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('Content-Security-Policy')).toBe(csp);
  });

  it("hands the page the session's CSRF token in the cookie bull-board's UI sends back as a header", async () => {
    const app = fx.app();
    const response = await app.request('/admin/queues', { headers: { cookie: deploymentAdmin.cookie } });
    const cookie = response.headers.get('Set-Cookie') ?? '';
    expect(cookie).toContain(`XSRF-TOKEN=${deploymentAdmin.csrf}`);
    expect(cookie).toContain('Path=/admin/queues');
    expect(cookie).toContain('SameSite=Strict');
    // The UI's HTTP client (axios) reads that cookie and sends that header: if an upgrade renames
    // either, the dashboard's buttons stop working, and this says why.
    const scripts = [...(await response.text()).matchAll(/src="(static\/js\/[^"]+\.js)"/g)].map((m) => m[1]);
    const bodies = await Promise.all(
      scripts.map(async (src) =>
        (await app.request(`/admin/queues/${src}`, { headers: { cookie: deploymentAdmin.cookie } })).text(),
      ),
    );
    expect(bodies.some((js) => js.includes('xsrfCookieName:"XSRF-TOKEN",xsrfHeaderName:"X-XSRF-TOKEN"'))).toBe(true);
  });
});

describe("the dashboard's changes", () => {
  it('pauses a queue only with the session token, and adds no job without it', async () => {
    const app = fx.app();
    // Sent from the dashboard's own page, as a browser would.
    const origin = 'http://localhost';
    const pause = (headers: Record<string, string>) =>
      app.request('/admin/queues/api/queues/render/pause', {
        method: 'PUT',
        headers: { cookie: deploymentAdmin.cookie, origin, ...headers },
      });

    // No token, a made-up one, and another session's.
    const wrong: Record<string, string>[] = [
      {},
      { 'X-XSRF-TOKEN': 'forged' },
      { 'X-XSRF-TOKEN': (await fx.signIn('admin')).csrf },
    ];
    for (const headers of wrong) {
      const refused = await pause(headers);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toContain('安全令牌');
    }
    expect(await renderQueue().isPaused()).toBe(false);

    const added = await app.request('/admin/queues/api/queues/render/add', {
      method: 'POST',
      headers: { cookie: deploymentAdmin.cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'render', data: { renderId: 1, kind: 'poster' } }),
    });
    expect(added.status).toBe(403);
    expect(await renderQueue().count()).toBe(0);

    expect((await pause({ 'X-XSRF-TOKEN': deploymentAdmin.csrf })).status).toBeLessThan(300);
    expect(await renderQueue().isPaused()).toBe(true);
    // The console's own header works as well.
    const resume = await app.request('/admin/queues/api/queues/render/resume', {
      method: 'PUT',
      headers: { cookie: deploymentAdmin.cookie, origin, 'X-CSRF-Token': deploymentAdmin.csrf },
    });
    expect(resume.status).toBeLessThan(300);
    expect(await renderQueue().isPaused()).toBe(false);
  });
});

describe('the dashboard in a browser', () => {
  let server: ApiServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startApiServer({ db: fx.db, producer: fx.producer, config: fx.config(), port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("pauses a queue from bull-board's own menu, with no request elsewhere and nothing blocked by the CSP", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([
      { name: 'jc_session', value: deploymentAdmin.cookie.split('=')[1] ?? '', url: server.url },
    ]);
    const page = await context.newPage();
    await page.addInitScript(
      'window.__blocked = []; document.addEventListener("securitypolicyviolation", (e) => window.__blocked.push(e.violatedDirective + " " + e.blockedURI));',
    );
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) elsewhere.push(request.url());
    });

    await page.goto(`${server.url}/admin/queues/queue/render`);
    await page.getByText('No latest jobs in this queue.').waitFor();
    await page.locator('button').last().click();
    await page.getByRole('menuitem', { name: 'Pause' }).click();
    const paused = page.waitForResponse((r) => r.url().endsWith('/api/queues/render/pause'));
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect((await paused).status()).toBeLessThan(300);
    expect(await renderQueue().isPaused()).toBe(true);

    expect(elsewhere).toEqual([]);
    expect(await page.evaluate('window.__blocked')).toEqual([]);
    await renderQueue().resume();
    await context.close();
  }, 60_000);
});
