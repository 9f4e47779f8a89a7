import { addUser, changePassword, checkNewPassword, createToken } from '@jobcast/auth';
import { JobcastError } from '@jobcast/core';
import { getSiteByCode, listUsers, setDeploymentAdmin, setUserDisabled } from '@jobcast/db';
import { type CommandContext, print } from '../context.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without showing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new JobcastError('BAD_INPUT', '已取消'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The new password: from stdin with --password-stdin, else typed twice at the terminal (never shown).
 * The demo's password is published, so it is refused.
 */
async function newPassword(options: { password?: string; passwordStdin?: boolean }): Promise<string> {
  let password = options.password;
  if (options.passwordStdin) password = await readStdin();
  else if (password === undefined && process.stdin.isTTY) {
    password = await promptHidden('新密码：');
    checkNewPassword(password);
    if ((await promptHidden('再输入一次：')) !== password) {
      throw new JobcastError('BAD_INPUT', '两次输入的密码不一致');
    }
  }
  if (!password) {
    throw new JobcastError('BAD_INPUT', '请用 --password-stdin 提供密码，或在终端里输入');
  }
  checkNewPassword(password);
  if (password === DEMO_PASSWORD) {
    throw new JobcastError('BAD_INPUT', '这是演示账号的公开密码，请换一个');
  }
  return password;
}

export async function usersAddCommand(
  ctx: CommandContext,
  username: string,
  options: {
    role: string;
    password?: string;
    passwordStdin?: boolean;
    name?: string;
    site?: string;
    deploymentAdmin?: boolean;
    json?: boolean;
  },
): Promise<void> {
  if (options.deploymentAdmin && options.role !== 'admin') {
    throw new JobcastError('BAD_INPUT', '--deployment-admin 须与 --role admin 一起用');
  }
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const password = await newPassword(options);
  const user = await addUser(ctx.db, {
    siteId: site.id,
    username,
    password,
    role: options.role,
    displayName: options.name,
    deploymentAdmin: options.deploymentAdmin,
  });
  print(
    Boolean(options.json),
    user,
    () => `已添加用户 ${user.username}（${user.role}${user.deploymentAdmin ? '，系统管理员' : ''}）`,
  );
}

export async function usersListCommand(ctx: CommandContext, options: { site?: string; json?: boolean }): Promise<void> {
  const siteId = options.site === undefined ? undefined : (await getSiteByCode(ctx.db, options.site)).id;
  const listed = await listUsers(ctx.db, { siteId });
  print(Boolean(options.json), listed, () => {
    if (listed.length === 0) return '没有用户';
    const rows = listed.map((user) =>
      [
        user.username,
        user.displayName,
        user.role,
        user.site,
        user.deploymentAdmin ? '系统管理员' : '',
        user.disabledAt ? `已停用 ${user.disabledAt.toISOString().slice(0, 10)}` : '',
        `创建 ${user.createdAt.toISOString().slice(0, 10)}`,
      ]
        .filter(Boolean)
        .join('  '),
    );
    return rows.join('\n');
  });
}

export async function usersPasswdCommand(
  ctx: CommandContext,
  username: string,
  options: { passwordStdin?: boolean; json?: boolean },
): Promise<void> {
  const password = await newPassword({ passwordStdin: options.passwordStdin });
  const ended = await changePassword(ctx.db, username, password);
  print(
    Boolean(options.json),
    { username, ended },
    () => `已修改 ${username} 的密码，已退出其 ${ended.webSessions} 个网页登录、${ended.apiTokens} 个登录令牌`,
  );
}

export async function usersDisableCommand(
  ctx: CommandContext,
  username: string,
  options: { enable?: boolean; json?: boolean },
): Promise<void> {
  const disabled = !options.enable;
  const ended = await setUserDisabled(ctx.db, username, disabled);
  print(Boolean(options.json), { username, disabled, ended }, () =>
    disabled
      ? `已停用 ${username}：已退出其 ${ended.webSessions} 个网页登录，作废 ${ended.apiTokens} 个 API 令牌`
      : `已启用 ${username}，可以重新登录；原有令牌仍作废`,
  );
}

export async function usersEnableCommand(
  ctx: CommandContext,
  username: string,
  options: { json?: boolean },
): Promise<void> {
  await usersDisableCommand(ctx, username, { ...options, enable: true });
}

export async function usersSetCommand(
  ctx: CommandContext,
  username: string,
  options: { deploymentAdmin?: boolean },
): Promise<void> {
  if (options.deploymentAdmin === undefined) {
    throw new JobcastError('BAD_INPUT', '请给出 --deployment-admin 或 --no-deployment-admin');
  }
  await setDeploymentAdmin(ctx.db, username, options.deploymentAdmin);
  process.stdout.write(
    `${options.deploymentAdmin ? `${username} 现在是系统管理员` : `${username} 不再是系统管理员`}\n`,
  );
}

export async function tokensCreateCommand(
  ctx: CommandContext,
  username: string,
  options: { name?: string; days?: string; json?: boolean },
): Promise<void> {
  const days = options.days === undefined ? undefined : Number(options.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    throw new JobcastError('BAD_INPUT', '--days 须为正整数');
  }
  const created = await createToken(ctx.db, { username, name: options.name ?? 'cli', expiresInDays: days });
  print(Boolean(options.json), created, () => ['令牌（只显示这一次，请妥善保存）：', created.token].join('\n'));
}
