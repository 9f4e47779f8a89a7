import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addUser,
  authenticatePassword,
  authenticateToken,
  authenticateWebSession,
  createToken,
  createWebSession,
} from '@jobcast/auth';
import { loadConfig } from '@jobcast/config';
import { ensureSite, LOGIN_TOKEN_NAME_PREFIX, listJobs, listUsers, renameUserIfStill, type Site } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runDemo } from '../src/commands/demo.ts';
import {
  checkDemoUsersAllowed,
  createDemoUsers,
  DEMO_NAMES,
  DEMO_PASSWORD,
  isLoopbackHost,
} from '../src/commands/demo-users.ts';
import { CommandContext } from '../src/context.ts';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
let ctx: CommandContext;
let site: Site;
let dir: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function jobcast(args: string[], input?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site.code } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

const unique = (prefix: string) => `${prefix}${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-users-'));
  ctx = new CommandContext({ ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_DATA_DIR: dir });
  site = await ensureSite(ctx.db, { code: unique('users-'), name: '用户测试站点' });
});
afterAll(async () => {
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

/** A user with a browser session, a token from the API's sign-in and one made for an integration. */
async function userWithSessions(username: string) {
  const user = await addUser(ctx.db, { siteId: site.id, username, password: 'first-password', role: 'media' });
  const session = await createWebSession(ctx.db, user.id);
  const login = await createToken(ctx.db, { username, name: `${LOGIN_TOKEN_NAME_PREFIX}2026-01-01` });
  const integration = await createToken(ctx.db, { username, name: '招聘网同步' });
  return { session: session.secret, login: login.token, integration: integration.token };
}

describe('jobcast users', () => {
  it('creates the first deployment admin with a password from stdin, and lists users without their hashes', async () => {
    const username = unique('chief');
    const added = await jobcast(
      ['users', 'add', username, '--role', 'admin', '--deployment-admin', '--name', '陈主任', '--password-stdin'],
      'a long office secret\n',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('系统管理员');
    expect(added.stdout).not.toContain('a long office secret');
    expect(await authenticatePassword(ctx.db, username, 'a long office secret')).not.toBeNull();

    const listed = await jobcast(['users', 'list', '--site', site.code, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toMatch(/scrypt|password/i);
    expect(JSON.parse(listed.stdout)).toContainEqual(
      expect.objectContaining({
        username,
        displayName: '陈主任',
        role: 'admin',
        site: site.code,
        deploymentAdmin: true,
        disabledAt: null,
      }),
    );
    const table = await jobcast(['users', 'list', '--site', site.code]);
    expect(table.stdout).toMatch(new RegExp(`${username}\\s+陈主任\\s+admin\\s+${site.code}\\s+系统管理员`));
  });

  it('refuses a short password, the public demo password, and a deployment admin who is not an admin', async () => {
    const short = await jobcast(['users', 'add', unique('u'), '--role', 'admin', '--password-stdin'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('密码至少 8 位');
    const demo = await jobcast(['users', 'add', unique('u'), '--role', 'admin', '--password-stdin'], DEMO_PASSWORD);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('演示账号的公开密码');
    const media = await jobcast(
      ['users', 'add', unique('u'), '--role', 'media', '--deployment-admin', '--password-stdin'],
      'long enough password',
    );
    expect(media.code).toBe(2);
    expect(media.stderr).toContain('--deployment-admin 须与 --role admin 一起用');
    // Without a terminal to type into and without --password-stdin, nothing is created.
    const none = await jobcast(['users', 'add', unique('u'), '--role', 'media']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--password-stdin');
  });

  it('changes a password and ends what the old one opened: browser sessions and sign-in tokens', async () => {
    const username = unique('media');
    const { session, login, integration } = await userWithSessions(username);
    expect(await authenticateWebSession(ctx.db, session)).not.toBeNull();

    const changed = await jobcast(['users', 'passwd', username, '--password-stdin'], 'second-password\n');
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain(`已修改 ${username} 的密码，已退出其 1 个网页登录、1 个登录令牌`);
    expect(await authenticateWebSession(ctx.db, session)).toBeNull();
    expect(await authenticateToken(ctx.db, login)).toBeNull();
    // A token made for an integration is not a sign-in: it keeps working.
    expect(await authenticateToken(ctx.db, integration)).not.toBeNull();
    expect(await authenticatePassword(ctx.db, username, 'first-password')).toBeNull();
    expect(await authenticatePassword(ctx.db, username, 'second-password')).not.toBeNull();

    const unknown = await jobcast(['users', 'passwd', unique('nobody'), '--password-stdin'], 'second-password\n');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('不存在');
  });

  it('disables a user: signed out, every token revoked, no sign-in; enabling lets them sign in again', async () => {
    const username = unique('anchor');
    const { session, login, integration } = await userWithSessions(username);
    const disabled = await jobcast(['users', 'disable', username]);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain(`已停用 ${username}：已退出其 1 个网页登录，作废 2 个 API 令牌`);
    expect(await authenticateWebSession(ctx.db, session)).toBeNull();
    expect(await authenticateToken(ctx.db, login)).toBeNull();
    expect(await authenticateToken(ctx.db, integration)).toBeNull();
    expect(await authenticatePassword(ctx.db, username, 'first-password')).toBeNull();
    const [listed] = (await listUsers(ctx.db, { siteId: site.id })).filter((user) => user.username === username);
    expect(listed?.disabledAt).toBeInstanceOf(Date);
    expect((await jobcast(['users', 'list', '--site', site.code])).stdout).toMatch(new RegExp(`${username} .*已停用`));

    const enabled = await jobcast(['users', 'enable', username]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(await authenticatePassword(ctx.db, username, 'first-password')).not.toBeNull();
    // A token that was out while the user was disabled stays out.
    expect(await authenticateToken(ctx.db, integration)).toBeNull();
  });

  it('makes an existing admin a deployment admin, and no one else', async () => {
    const admin = unique('admin');
    const media = unique('media');
    await addUser(ctx.db, { siteId: site.id, username: admin, password: 'long enough', role: 'admin' });
    await addUser(ctx.db, { siteId: site.id, username: media, password: 'long enough', role: 'media' });
    expect((await jobcast(['users', 'set', admin, '--deployment-admin'])).code).toBe(0);
    const refused = await jobcast(['users', 'set', media, '--deployment-admin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('系统管理员须为 admin 角色');
    const users = await listUsers(ctx.db, { siteId: site.id });
    expect(users.find((user) => user.username === admin)?.deploymentAdmin).toBe(true);
    expect(users.find((user) => user.username === media)?.deploymentAdmin).toBe(false);
  });
});

describe('the demo users', () => {
  it('are not created, and nothing of the demo is loaded, when the console is served at a public address', async () => {
    const demoSite = await ensureSite(ctx.db, { code: unique('pub-'), name: '公网演示' });
    const publicCtx = new CommandContext({
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      JOBCAST_DATA_DIR: dir,
      JOBCAST_SITE: demoSite.code,
      JOBCAST_PUBLIC_URL: 'https://jobs.example.gov.cn',
    });
    try {
      const refused = runDemo(publicCtx, 'https://jobs.example.gov.cn');
      await expect(refused).rejects.toThrow(/不创建演示账号.*JOBCAST_PUBLIC_URL=https:\/\/jobs\.example\.gov\.cn/s);
      await expect(refused).rejects.toThrow(/jobcast users add .* --role admin --deployment-admin/);
      expect((await listJobs(publicCtx.db, { siteId: demoSite.id, limit: 1 })).items).toHaveLength(0);
      expect(await listUsers(publicCtx.db, { siteId: demoSite.id })).toHaveLength(0);
    } finally {
      await publicCtx.close();
    }
  });

  it('are allowed at loopback addresses, and elsewhere only with JOBCAST_ALLOW_DEMO_USERS and a warning', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'app.localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['192.168.1.20', 'jobs.example.gov.cn', '[2001:db8::1]', '128.0.0.1', 'localhost.example.cn']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    const warned = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const env = { JOBCAST_PUBLIC_URL: 'http://192.168.1.20:3000' };
      expect(() => checkDemoUsersAllowed(loadConfig(env))).toThrow('不创建演示账号');
      expect(() => checkDemoUsersAllowed(loadConfig({ ...env, JOBCAST_ALLOW_DEMO_USERS: '1' }))).not.toThrow();
      expect(warned.mock.calls.join('')).toContain('!!! 警告 !!!');
      // A loopback address that listens on every interface is reached from the whole office network.
      const everywhere = { JOBCAST_PUBLIC_URL: 'http://localhost:3000', JOBCAST_LISTEN_HOST: '0.0.0.0' };
      expect(() => checkDemoUsersAllowed(loadConfig(everywhere))).toThrow('JOBCAST_LISTEN_HOST=0.0.0.0');
      // Unset, the demo listens on this machine only.
      expect(() => checkDemoUsersAllowed(loadConfig({ JOBCAST_PUBLIC_URL: 'http://localhost:3000' }))).not.toThrow();
    } finally {
      warned.mockRestore();
    }
  });

  it('make the demo admin a deployment admin, so the queue dashboard opens for it', async () => {
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await createDemoUsers(
        ctx.db,
        { publicUrl: 'http://localhost:3000', allowDemoUsers: false, listenHost: '127.0.0.1' },
        site.id,
      );
    } finally {
      quiet.mockRestore();
    }
    const demoAdmin = (await listUsers(ctx.db)).find((user) => user.username === 'admin');
    expect(demoAdmin).toMatchObject({ role: 'admin', deploymentAdmin: true });
    expect(await authenticatePassword(ctx.db, 'manager', DEMO_PASSWORD)).not.toBeNull();
  });

  it('are named as people, and the names an earlier demo gave (演示manager) become people’s; a chosen name stays', async () => {
    const loopback = { publicUrl: 'http://localhost:3000', allowDemoUsers: false, listenHost: '127.0.0.1' };
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await createDemoUsers(ctx.db, loopback, site.id);
      expect(await renameUserIfStill(ctx.db, 'manager', DEMO_NAMES.manager, '演示manager')).toBe(true);
      expect(await renameUserIfStill(ctx.db, 'media', DEMO_NAMES.media, '宣传组小李')).toBe(true);
      await createDemoUsers(ctx.db, loopback, site.id);
    } finally {
      quiet.mockRestore();
    }
    const names = Object.fromEntries((await listUsers(ctx.db)).map((user) => [user.username, user.displayName]));
    expect(names).toMatchObject({ admin: '王丽', manager: '张建国', anchor: '刘洋', media: '宣传组小李' });
    await renameUserIfStill(ctx.db, 'media', '宣传组小李', DEMO_NAMES.media);
  });
});
