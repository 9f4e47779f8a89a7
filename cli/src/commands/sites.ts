import { JobcastError } from '@jobcast/core';
import { ensureSite, getSiteByCode, listSites, setServiceYearStart } from '@jobcast/db';
import { serviceYear } from '@jobcast/kpi';
import { currentServiceYear } from '@jobcast/ledger';
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

/** A service year start day (MM-DD) that every year has: the scoring's own rule decides, 02-29 is refused. */
function serviceYearStartOf(value: string): string {
  try {
    serviceYear(2001, value);
  } catch (error) {
    throw new JobcastError(
      'BAD_INPUT',
      `服务年度开始日须写作 月-日，如 01-01 或 03-01，且不能是 02-29：${value} (--service-year-start: ${(error as Error).message})`,
    );
  }
  return value;
}

/** `jobcast sites set CODE --service-year-start 03-01`: from then on every report counts years from that day. */
export async function sitesSetCommand(ctx: CommandContext, code: string, options: { serviceYearStart?: string }) {
  if (options.serviceYearStart === undefined) {
    throw new JobcastError('BAD_INPUT', '请指定要修改的设置，如 --service-year-start 03-01 (nothing to change)');
  }
  const start = serviceYearStartOf(options.serviceYearStart);
  const site = await getSiteByCode(ctx.db, code);
  await setServiceYearStart(ctx.db, site.id, start);
  const current = serviceYear(currentServiceYear({ ...site, serviceYearStart: start }), start);
  process.stdout.write(
    `站点 ${site.code}：服务年度自每年 ${start} 起，本服务年度为 ${current.start} 至 ${current.lastDay}\n`,
  );
}
