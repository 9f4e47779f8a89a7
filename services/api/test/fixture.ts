import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { addUser, createToken, createWebSession, csrfTokenFor } from '@jobcast/auth';
import { type Config, loadConfig } from '@jobcast/config';
import { type UserRole, userRoles } from '@jobcast/core';
import { closeDatabase, createDatabase, type Database, ensureSite, type Site } from '@jobcast/db';
import { Producer } from '@jobcast/queue';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { type AppEnv, createApp } from '../src/index.ts';

export const redisUrl = 'redis://127.0.0.1:6379';
/** Nothing listens on port 1: a Redis that refuses at once. */
export const deadRedisUrl = 'redis://127.0.0.1:1';
export const password = 'correct-horse-battery';

export function randomLabel(): string {
  return randomBytes(4).toString('hex');
}

export interface SiteStaff {
  site: Site;
  usernames: Record<UserRole, string>;
  userIds: Record<UserRole, number>;
  tokens: Record<UserRole, string>;
}

/** A site of its own with one user and one API token per role, so test files never share data. */
export async function addSiteWithStaff(db: Database, label = randomLabel()): Promise<SiteStaff> {
  const site = await ensureSite(db, { code: `t-${label}`, name: `测试站点 ${label}` });
  const staff = await Promise.all(
    userRoles.map(async (role) => {
      const username = `${role}-${label}`;
      const user = await addUser(db, { siteId: site.id, username, password, role });
      const { token } = await createToken(db, { username, name: 'test' });
      return { role, username, id: user.id, token };
    }),
  );
  const pick = <T>(value: (entry: (typeof staff)[number]) => T) =>
    Object.fromEntries(staff.map((entry) => [entry.role, value(entry)])) as Record<UserRole, T>;
  return { site, usernames: pick((s) => s.username), userIds: pick((s) => s.id), tokens: pick((s) => s.token) };
}

export interface ApiFixture extends SiteStaff {
  db: Database;
  producer: Producer;
  queuePrefix: string;
  dataDir: string;
  logs: string[];
  /** The configuration a deployment would load from these variables (the test's database, data folder and queue prefix added). */
  config(env?: Record<string, string>): Config;
  app(options?: { env?: Record<string, string>; producer?: Producer; db?: Database }): OpenAPIHono<AppEnv>;
  bearer(role: UserRole): { Authorization: string };
  /**
   * A browser session for the role's user: `cookie` for a Cookie header, `csrf` for forms (`_csrf`)
   * and the console's script calls (`X-CSRF-Token`); `form(fields)` builds a form post's init.
   */
  signIn(role: UserRole): Promise<BrowserSession>;
  close(): Promise<void>;
}

export interface BrowserSession {
  cookie: string;
  csrf: string;
  form(fields: Record<string, string>, init?: RequestInit): RequestInit;
}

export async function openFixture(): Promise<ApiFixture> {
  const databaseUrl = inject('databaseUrl');
  const db = createDatabase(databaseUrl, 4);
  const staff = await addSiteWithStaff(db);
  const queuePrefix = `test-api-${randomLabel()}`;
  const producer = new Producer({ redisUrl, prefix: queuePrefix });
  await untilConnected(producer);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jobcast-api-'));
  const logs: string[] = [];
  const config = (env: Record<string, string> = {}) =>
    loadConfig({
      DATABASE_URL: databaseUrl,
      JOBCAST_DATA_DIR: dataDir,
      JOBCAST_QUEUE_PREFIX: queuePrefix,
      REDIS_URL: redisUrl,
      ...env,
    });
  return {
    ...staff,
    db,
    producer,
    queuePrefix,
    dataDir,
    logs,
    config,
    app: (options = {}) =>
      createApp({
        db: options.db ?? db,
        producer: options.producer ?? producer,
        config: config(options.env),
        log: (line) => logs.push(line),
      }),
    bearer: (role) => ({ Authorization: `Bearer ${staff.tokens[role]}` }),
    async signIn(role) {
      const { secret } = await createWebSession(db, staff.userIds[role]);
      const cookie = `jc_session=${secret}`;
      const csrf = csrfTokenFor(secret);
      return {
        cookie,
        csrf,
        form: (fields, init = {}) => ({
          method: 'POST',
          ...init,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
          body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
        }),
      };
    },
    async close() {
      await producer.close();
      await deleteQueueKeys(queuePrefix);
      await closeDatabase(db);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A new Producer refuses commands until its connection is up (it fails fast rather than queueing
 * them offline), so a test waits for that as a deployment waits for /readyz.
 */
async function untilConnected(producer: Producer): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      if (await producer.ping()) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function body<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
