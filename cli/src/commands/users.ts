import { addUser, createToken } from '@jobcast/auth';
import { JobcastError } from '@jobcast/core';
import { getSiteByCode } from '@jobcast/db';
import { type CommandContext, print } from '../context.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function usersAddCommand(
  ctx: CommandContext,
  username: string,
  options: { role: string; password?: string; passwordStdin?: boolean; name?: string; site?: string; json?: boolean },
): Promise<void> {
  const password = options.passwordStdin ? await readStdin() : options.password;
  if (!password)
    throw new JobcastError('BAD_INPUT', '请用 --password-stdin 或 --password 提供密码 (a password is required)');
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const user = await addUser(ctx.db, {
    siteId: site.id,
    username,
    password,
    role: options.role,
    displayName: options.name,
  });
  print(Boolean(options.json), user, () => `已添加用户 ${user.username}（${user.role}）(user added)`);
}

export async function tokensCreateCommand(
  ctx: CommandContext,
  username: string,
  options: { name?: string; days?: string; json?: boolean },
): Promise<void> {
  const days = options.days === undefined ? undefined : Number(options.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    throw new JobcastError('BAD_INPUT', '--days 须为正整数 (--days must be a positive whole number)');
  }
  const created = await createToken(ctx.db, { username, name: options.name ?? 'cli', expiresInDays: days });
  print(Boolean(options.json), created, () =>
    [`令牌（只显示这一次，请妥善保存）(token, shown once):`, created.token].join('\n'),
  );
}
