import { ensureDatabase, ensureSite, runMigrations } from '@jobcast/db';
import type { CommandContext } from '../context.ts';

/** Creates the database if the server lacks it, applies migrations and makes sure the default site exists. */
async function migrate(ctx: CommandContext): Promise<{ line: string; changed: boolean }> {
  const created = await ensureDatabase(ctx.config.databaseUrl);
  const result = await runMigrations(ctx.db);
  const site = await ensureSite(ctx.db, {
    code: ctx.config.siteCode,
    name: ctx.config.siteName,
    timezone: ctx.config.timezone,
  });
  const db = new URL(ctx.config.databaseUrl).pathname.slice(1);
  return {
    line: `${created ? `已创建数据库 ${db}；` : ''}迁移完成：本次应用 ${result.applied} 个，共 ${result.total} 个；站点 ${site.code}\n`,
    changed: created || result.applied > 0,
  };
}

/** `jobcast db migrate`: says what it did, also when there was nothing to do. */
export async function migrateCommand(ctx: CommandContext): Promise<void> {
  process.stdout.write((await migrate(ctx)).line);
}

/**
 * `start --demo` migrates too, for a start without `npm run setup`; after setup (which `npm start`
 * runs) there is nothing left to apply, and setup has already said so.
 */
export async function migrateBeforeStart(ctx: CommandContext): Promise<void> {
  const { line, changed } = await migrate(ctx);
  if (changed) process.stdout.write(line);
}
