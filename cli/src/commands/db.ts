import { ensureDatabase, ensureSite, runMigrations } from '@jobcast/db';
import type { CommandContext } from '../context.ts';

/** Creates the database if the server lacks it, applies migrations and makes sure the default site exists. */
export async function migrateCommand(ctx: CommandContext): Promise<void> {
  const created = await ensureDatabase(ctx.config.databaseUrl);
  const result = await runMigrations(ctx.db);
  const site = await ensureSite(ctx.db, {
    code: ctx.config.siteCode,
    name: ctx.config.siteName,
    timezone: ctx.config.timezone,
  });
  const db = new URL(ctx.config.databaseUrl).pathname.slice(1);
  process.stdout.write(
    `${created ? `已创建数据库 ${db}；` : ''}迁移完成：本次应用 ${result.applied} 个，共 ${result.total} 个 (migrations applied: ${result.applied}/${result.total}); 站点 ${site.code}\n`,
  );
}
