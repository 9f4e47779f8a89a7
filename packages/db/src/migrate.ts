import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { JobcastError } from '@jobcast/core';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Database } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../migrations/', import.meta.url));

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/**
 * drizzle's migrator silently skips SQL files missing from the journal and journal entries older
 * than the newest applied one, and still succeeds. Both are checked here so a bad migration set
 * fails loudly instead of leaving a half-migrated database.
 */
export async function checkJournal(folder = migrationsFolder): Promise<JournalEntry[]> {
  const journal = JSON.parse(await readFile(`${folder}meta/_journal.json`, 'utf8')) as { entries: JournalEntry[] };
  const entries = journal.entries;
  const sqlFiles = (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort();
  const tags = new Set(entries.map((entry) => `${entry.tag}.sql`));
  const missingFromJournal = sqlFiles.filter((name) => !tags.has(name));
  if (missingFromJournal.length > 0) {
    throw new JobcastError(
      'MIGRATION_FAILED',
      `迁移文件未登记在 meta/_journal.json 中：${missingFromJournal.join('、')}`,
    );
  }
  const files = new Set(sqlFiles);
  const missingFiles = entries.filter((entry) => !files.has(`${entry.tag}.sql`)).map((entry) => entry.tag);
  if (missingFiles.length > 0) {
    throw new JobcastError(
      'MIGRATION_FAILED',
      `meta/_journal.json 登记的迁移缺少 SQL 文件：${missingFiles.join('、')}`,
    );
  }
  for (let i = 1; i < entries.length; i++) {
    const previous = entries[i - 1] as JournalEntry;
    const current = entries[i] as JournalEntry;
    if (current.when <= previous.when) {
      throw new JobcastError('MIGRATION_FAILED', `迁移顺序错误：${current.tag} 的时间不晚于 ${previous.tag}，会被跳过`);
    }
  }
  return entries;
}

export interface MigrationResult {
  applied: number;
  total: number;
}

export async function runMigrations(db: Database, folder = migrationsFolder): Promise<MigrationResult> {
  const entries = await checkJournal(folder);
  const before = await appliedMigrations(db);
  try {
    await migrate(db, { migrationsFolder: folder });
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new JobcastError('MIGRATION_FAILED', `数据库迁移失败：${cause}`);
  }
  const after = await appliedMigrations(db);
  const notApplied = entries.filter((entry) => !after.has(entry.when)).map((entry) => entry.tag);
  if (notApplied.length > 0) {
    throw new JobcastError('MIGRATION_FAILED', `以下迁移未执行：${notApplied.join('、')}`);
  }
  return { applied: after.size - before.size, total: entries.length };
}

async function appliedMigrations(db: Database): Promise<Set<number>> {
  const exists = await db.execute<{ present: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists.rows[0]?.present) return new Set();
  const rows = await db.execute<{ created_at: string }>(sql`select created_at from drizzle.__drizzle_migrations`);
  return new Set(rows.rows.map((row) => Number(row.created_at)));
}

/** Creates the database named in the URL when the server has none of that name (fresh machine). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return false;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`create database "${name.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}
