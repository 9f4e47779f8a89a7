import { JobcastError } from '@jobcast/core';
import { ensureSite, listSites } from '@jobcast/db';
import { type CommandContext, print } from '../context.ts';

export async function sitesAddCommand(ctx: CommandContext, code: string, options: { name: string; timezone: string }) {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(code)) {
    throw new JobcastError('BAD_INPUT', '站点代码只能用小写字母、数字和 - (site code: lowercase letters, digits, -)');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: options.timezone });
  } catch {
    throw new JobcastError('BAD_INPUT', `未知时区 ${options.timezone} (unknown time zone)`);
  }
  const site = await ensureSite(ctx.db, { code, name: options.name, timezone: options.timezone });
  process.stdout.write(`站点 ${site.code}：${site.name}（${site.timezone}）\n`);
}

export async function sitesListCommand(ctx: CommandContext, options: { json?: boolean }) {
  const sites = await listSites(ctx.db);
  print(Boolean(options.json), sites, () => sites.map((s) => `${s.code}\t${s.name}\t${s.timezone}`).join('\n'));
}
