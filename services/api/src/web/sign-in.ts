import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { authenticatePassword, type Principal } from '@jobcast/auth';
import { isJobcastError } from '@jobcast/core';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context.ts';
import { clientAddress } from './client-address.ts';

/** Marks a browser that has signed in before: which users, signed with the server's key. */
export const DEVICE_COOKIE = 'jc_device';
const DEVICE_DAYS = 180;
/** The users a shared office computer remembers; the most recent ones are kept. */
const MAX_DEVICE_USERS = 20;
const MAX_COOKIE_CHARS = 4096;

/** What a device cookie says: a random id, the (lower-case) usernames signed in on it, an expiry. */
export interface KnownDevice {
  id: string;
  users: string[];
  /** Seconds since the epoch. */
  expires: number;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function signDevice(key: Buffer, device: KnownDevice): string {
  const payload = Buffer.from(JSON.stringify({ d: device.id, u: device.users, e: device.expires })).toString(
    'base64url',
  );
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The device a cookie names, if the server signed it and it has not expired. */
export function readDevice(key: Buffer, cookie: string | undefined, now = Date.now()): KnownDevice | undefined {
  if (!cookie || cookie.length > MAX_COOKIE_CHARS) return undefined;
  const [payload = '', signature = '', extra] = cookie.split('.');
  if (extra !== undefined) return undefined;
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { d, u, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof d !== 'string' || !Array.isArray(u) || typeof e !== 'number' || e * 1000 <= now) return undefined;
    return { id: d, users: u.filter((name): name is string => typeof name === 'string'), expires: e };
  } catch {
    return undefined;
  }
}

/** The key device cookies are signed with, derived from the deployment's secret key; none if it is unreadable. */
async function deviceKey(c: Context<AppEnv>): Promise<Buffer | undefined> {
  const { secrets, log } = c.var.services;
  try {
    return (await secrets()).derive('device cookie');
  } catch (error) {
    // Sign-in must not depend on the key file: without it every device is simply unknown.
    log(`sign-in: known devices unavailable: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Checks a username and password under the login limit. A device that has signed in as this user
 * before is counted on its own, so a stranger's failures do not slow it; on success the device is
 * remembered for the user. Returns null for a wrong username or password; throws RATE_LIMITED, with
 * a Retry-After header set, while the attempt must wait.
 */
export async function signIn(c: Context<AppEnv>, username: string, password: string): Promise<Principal | null> {
  const { db, loginLimiter, config } = c.var.services;
  const key = await deviceKey(c);
  const device = key ? readDevice(key, getCookie(c, DEVICE_COOKIE)) : undefined;
  const known = device?.users.includes(username.toLowerCase()) ? device : undefined;
  let attempt: ReturnType<typeof loginLimiter.begin>;
  try {
    attempt = loginLimiter.begin(username, clientAddress(c), known?.id);
  } catch (error) {
    const seconds = isJobcastError(error) ? error.details?.retryAfterSeconds : undefined;
    if (typeof seconds === 'number') c.header('Retry-After', String(seconds));
    throw error;
  }
  let principal: Principal | null;
  try {
    principal = await authenticatePassword(db, username, password);
  } catch (error) {
    loginLimiter.cancel(attempt);
    throw error;
  }
  if (!principal) return null;
  loginLimiter.succeeded(attempt);
  if (key) {
    const name = principal.username.toLowerCase();
    const users = [...(device?.users ?? []).filter((user) => user !== name), name].slice(-MAX_DEVICE_USERS);
    const expires = Math.floor(Date.now() / 1000) + DEVICE_DAYS * 86_400;
    setCookie(
      c,
      DEVICE_COOKIE,
      signDevice(key, { id: device?.id ?? randomBytes(16).toString('base64url'), users, expires }),
      {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure: config.publicUrl.startsWith('https:'),
        expires: new Date(expires * 1000),
      },
    );
  }
  return principal;
}
