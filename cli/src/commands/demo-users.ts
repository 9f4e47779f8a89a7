import { isIP } from 'node:net';
import { addUser, authenticatePassword } from '@jobcast/auth';
import type { Config } from '@jobcast/config';
import { isJobcastError, JobcastError, type UserRole, userRoles } from '@jobcast/core';
import { type Database, renameUserIfStill, setDeploymentAdmin } from '@jobcast/db';

/** The demo users' password: printed by `npm start` and in the README, so anyone knows it. */
export const DEMO_PASSWORD = 'jobcast-demo';

/** The demo's people: the console names whoever signed in, as it would in an office. */
export const DEMO_NAMES: Record<UserRole, string> = {
  admin: '王丽',
  media: '陈晓燕',
  anchor: '刘洋',
  manager: '张建国',
};

/** localhost, 127.0.0.0/8 or ::1: an address only this machine reaches. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || /^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host);
}

type DemoConfig = Pick<Config, 'publicUrl' | 'allowDemoUsers' | 'listenHost'>;

/**
 * Where the demo's console listens when JOBCAST_LISTEN_HOST is not set: this machine only, since its
 * users' password is published. RTMP and the preview keep their own settings (no password there).
 */
export const DEMO_LISTEN_HOST = '127.0.0.1';

/**
 * Refuses to make the demo users (one per role, all with the published password) for a console
 * others reach (a public URL or a listening address that is not this machine's), unless
 * JOBCAST_ALLOW_DEMO_USERS says the operator means it. An unset listening address is the demo's
 * loopback one.
 */
export function checkDemoUsersAllowed(config: DemoConfig): void {
  const listen = config.listenHost ?? DEMO_LISTEN_HOST;
  if (isLoopbackHost(new URL(config.publicUrl).hostname) && isLoopbackHost(listen)) return;
  const where = isLoopbackHost(listen)
    ? `控制台地址 JOBCAST_PUBLIC_URL=${config.publicUrl} 不是本机地址`
    : `控制台监听 JOBCAST_LISTEN_HOST=${listen}，不只是本机`;
  const why =
    `演示账号（admin、media、anchor、manager）的密码 ${DEMO_PASSWORD} 是公开的，` +
    `而${where}：任何能打开控制台的人都能以管理员身份登录。`;
  if (config.allowDemoUsers) {
    process.stderr.write(
      [
        '',
        '!!! 警告 !!!',
        why,
        '已按 JOBCAST_ALLOW_DEMO_USERS 的设置创建演示账号。试用结束后请用 `jobcast users disable <用户名>` 停用它们。',
        '',
      ].join('\n'),
    );
    return;
  }
  throw new JobcastError(
    'BAD_INPUT',
    [
      `不创建演示账号：${why}`,
      '正式使用请不要加 --demo：先 `jobcast db migrate`，再用 `jobcast users add <用户名> --role admin --deployment-admin` 设置自己的管理员密码，然后 `jobcast start`（见 docs/production.md）。',
      '只在内网试用演示数据时，可设 JOBCAST_ALLOW_DEMO_USERS=1 后重试。',
    ].join('\n'),
  );
}

/**
 * One user per role, its username the role's and its name a person's, with the demo password; the
 * admin is a deployment admin (the queue dashboard needs one). Users already there are kept, except
 * that the demo's own admin (still on the demo password) is made a deployment admin, and a name an
 * earlier demo gave (演示manager) becomes the person's.
 */
export async function createDemoUsers(db: Database, config: DemoConfig, siteId: number): Promise<void> {
  checkDemoUsersAllowed(config);
  for (const role of userRoles) {
    try {
      await addUser(db, {
        siteId,
        username: role,
        password: DEMO_PASSWORD,
        role,
        displayName: DEMO_NAMES[role],
        deploymentAdmin: role === 'admin',
      });
    } catch (error) {
      if (!isJobcastError(error) || error.code !== 'CONFLICT') throw error;
      await renameUserIfStill(db, role, `演示${role}`, DEMO_NAMES[role]);
      const demoAdmin = role === 'admin' && (await authenticatePassword(db, role, DEMO_PASSWORD));
      if (demoAdmin && demoAdmin.role === 'admin') await setDeploymentAdmin(db, role, true);
    }
  }
}
