import { createDatabase, type Database } from '@jobcast/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import type { LoginLimits } from '../src/web/login-limit.ts';
import { type ApiFixture, openFixture, password } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

/** A minute's first wait: far longer than any test here runs, so nothing depends on timing. */
const LIMITS: LoginLimits = {
  perUser: 5,
  perAddress: 20,
  windowMs: 3_600_000,
  firstDelayMs: 60_000,
  maxDelayMs: 600_000,
};

function app(options: { env?: Record<string, string>; limits?: Partial<LoginLimits>; db?: Database } = {}) {
  return createApp({
    db: options.db ?? fx.db,
    producer: fx.producer,
    config: fx.config(options.env),
    log: (line) => fx.logs.push(line),
    loginLimits: { ...LIMITS, ...options.limits },
  });
}

type App = ReturnType<typeof app>;

/** Posts the console's sign-in form as a browser at `peer` would (the socket's address), with its cookies. */
function signIn(
  to: App,
  fields: { username: string; password: string },
  from: { peer: string; cookie?: string; forwardedFor?: string },
) {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    origin: 'http://localhost',
  };
  if (from.cookie) headers.cookie = from.cookie;
  if (from.forwardedFor) headers['x-forwarded-for'] = from.forwardedFor;
  return to.request(
    '/login',
    { method: 'POST', headers, body: new URLSearchParams(fields).toString() },
    { incoming: { socket: { remoteAddress: from.peer } } },
  );
}

function deviceCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('jc_device='));
  return cookie?.split(';')[0] ?? '';
}

describe('a stranger cannot lock the office out', () => {
  it('lets a device that signed in before in with the right password after a stranger’s 20 failures', async () => {
    const site = app();
    const username = fx.usernames.manager;
    const office = { peer: '192.0.2.10' };
    const first = await signIn(site, { username, password }, office);
    expect(first.status).toBe(303);
    const device = deviceCookie(first);
    expect(device).toMatch(/^jc_device=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(first.headers.getSetCookie().find((line) => line.startsWith('jc_device='))).toContain('HttpOnly');

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const guess = await signIn(site, { username, password: `guess-${i}` }, { peer: `198.51.100.${i}` });
      statuses.push(guess.status);
    }
    // Five wrong guesses are checked; after them the stranger is slowed, not the user.
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);

    const known = await signIn(site, { username, password }, { ...office, cookie: device });
    expect(known.status).toBe(303);
    // The API's token login honours the device too.
    const api = await site.request(
      '/api/auth/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: device },
        body: JSON.stringify({ username, password }),
      },
      { incoming: { socket: { remoteAddress: '192.0.2.10' } } },
    );
    expect(api.status).toBe(200);

    // A new browser, even with the right password, waits: it says how long, in seconds and in words.
    const unknown = await signIn(site, { username, password }, { peer: '192.0.2.11' });
    expect(unknown.status).toBe(429);
    const retryAfter = Number(unknown.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await unknown.text()).toMatch(/登录失败次数过多，请 \d+ (秒|分钟)后再试/);
  });

  it('does not take a device cookie made for another user, or altered, as a known device', async () => {
    const site = app();
    const username = fx.usernames.media;
    const own = deviceCookie(await signIn(site, { username: fx.usernames.anchor, password }, { peer: '192.0.2.20' }));
    expect(own).not.toBe('');
    for (let i = 0; i < 5; i++) {
      expect((await signIn(site, { username, password: `guess-${i}` }, { peer: '198.51.100.1' })).status).toBe(401);
    }
    // The anchor's device is not the media user's.
    expect((await signIn(site, { username, password }, { peer: '192.0.2.20', cookie: own })).status).toBe(429);
    // Naming the media user in the cookie without the server's key does not work.
    const [payload = '', signature] = own.slice('jc_device='.length).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.u.push(username.toLowerCase());
    const forged = `jc_device=${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect((await signIn(site, { username, password }, { peer: '192.0.2.20', cookie: forged })).status).toBe(429);
  });
});

describe('a database outage', () => {
  it('does not count sign-ins whose password could not be checked as failures', async () => {
    // Port 1: nothing listens, as when PostgreSQL is stopped or restarting.
    const gone = createDatabase('postgres://postgres@127.0.0.1:1/jobcast', 1);
    try {
      const site = app({ db: gone, limits: { perUser: 2, perAddress: 3 } });
      const office = { peer: '192.0.2.40' };
      for (let i = 0; i < 4; i++) {
        const form = await signIn(site, { username: fx.usernames.media, password }, office);
        expect(form.status, `form ${i}`).toBe(503);
        const api = await site.request(
          '/api/auth/login',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: fx.usernames.media, password }),
          },
          { incoming: { socket: { remoteAddress: office.peer } } },
        );
        expect(api.status, `api ${i}`).toBe(503);
      }
    } finally {
      await gone.$client.end();
    }
  });
});

describe('offices behind a reverse proxy', () => {
  it('counts each office’s X-Forwarded-For address apart behind a trusted proxy, and ignores it from anyone else', async () => {
    const site = app({ env: { JOBCAST_TRUSTED_PROXIES: '10.0.0.2, fd00::/8' }, limits: { perAddress: 3 } });
    const nobody = (i: number) => ({ username: `nobody-${i}`, password: 'wrong-password' });
    const officeA = { peer: '10.0.0.2', forwardedFor: '203.0.113.5' };
    for (let i = 0; i < 3; i++) expect((await signIn(site, nobody(i), officeA)).status).toBe(401);
    expect((await signIn(site, nobody(3), officeA)).status).toBe(429);
    // The other office, through the same proxy (over IPv6 this time), is its own bucket.
    const officeB = { peer: 'fd00::2', forwardedFor: '198.51.100.7' };
    expect((await signIn(site, nobody(4), officeB)).status).toBe(401);
    expect((await signIn(site, { username: fx.usernames.admin, password }, officeB)).status).toBe(303);

    // Not a trusted proxy: a made-up X-Forwarded-For on each try changes nothing.
    for (let i = 0; i < 3; i++) {
      const response = await signIn(site, nobody(10 + i), { peer: '192.0.2.9', forwardedFor: `203.0.113.${100 + i}` });
      expect(response.status).toBe(401);
    }
    expect((await signIn(site, nobody(13), { peer: '192.0.2.9', forwardedFor: '203.0.113.200' })).status).toBe(429);
  });

  it('counts an IPv6 /64 as one line, and another /64 apart', async () => {
    const site = app({ limits: { perAddress: 3 } });
    const nobody = (i: number) => ({ username: `v6-${i}`, password: 'wrong-password' });
    for (let i = 0; i < 3; i++)
      expect((await signIn(site, nobody(i), { peer: `2001:db8:7:1::${i + 1}` })).status).toBe(401);
    expect((await signIn(site, nobody(3), { peer: '2001:db8:7:1:8000::99' })).status).toBe(429);
    expect((await signIn(site, nobody(4), { peer: '2001:db8:7:2::1' })).status).toBe(401);
  });

  it('refuses to start with a trusted proxy setting that is not an address or a range', () => {
    expect(() => app({ env: { JOBCAST_TRUSTED_PROXIES: '10.0.0.2, proxy.internal' } })).toThrow(
      'JOBCAST_TRUSTED_PROXIES 中的 "proxy.internal"',
    );
  });
});
