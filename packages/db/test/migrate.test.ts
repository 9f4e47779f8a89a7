import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import { checkJournal, migrationsFolder, runMigrations } from '../src/migrate.ts';
import { createTestDatabase } from '../src/testing.ts';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'jobcast-migrations-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function copyMigrations(name: string): Promise<string> {
  const folder = path.join(scratch, name) + path.sep;
  await cp(migrationsFolder, folder, { recursive: true });
  return folder;
}

describe('migrations', () => {
  it('the checked-in journal lists every SQL file, in order', async () => {
    const entries = await checkJournal();
    expect(entries.length).toBeGreaterThan(0);
  });

  it('a migrated database has every table the importer, the renderers, the stream service, the API and the console need', async () => {
    const db = createDatabase(inject('databaseUrl'), 1);
    try {
      const tables = await db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public'`,
      );
      expect(tables.rows.map((t) => t.table_name).sort()).toEqual(
        [
          'api_tokens',
          'coverage_reports',
          'employers',
          'fair_employers',
          'fair_photos',
          'fair_playlist_items',
          'fairs',
          'flyer_issues',
          'import_batches',
          'idempotency_keys',
          'import_rejects',
          'job_versions',
          'jobs',
          'live_presentations',
          'live_publish_attempts',
          'live_relays',
          'live_rundown',
          'live_segments',
          'live_sessions',
          'media_assets',
          'publications',
          'renders',
          'screen_group_items',
          'screen_groups',
          'screen_pairings',
          'screen_plays',
          'screens',
          'sites',
          'users',
          'web_sessions',
        ].sort(),
      );
      const again = await runMigrations(db);
      expect(again.applied).toBe(0);
    } finally {
      await closeDatabase(db);
    }
  });

  it('refuses a SQL file that the journal does not list, instead of silently skipping it', async () => {
    const folder = await copyMigrations('unlisted');
    await writeFile(path.join(folder, '0099_forgotten.sql'), 'create table forgotten (id int);');
    await expect(checkJournal(folder)).rejects.toThrow('迁移文件未登记在 meta/_journal.json 中：0099_forgotten.sql');
  });

  it('refuses a journal entry whose SQL file is missing', async () => {
    const folder = await copyMigrations('missing');
    const journalPath = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8'));
    journal.entries.push({ idx: 99, version: '7', when: Date.now() + 1000, tag: '0099_gone', breakpoints: true });
    await writeFile(journalPath, JSON.stringify(journal));
    await expect(checkJournal(folder)).rejects.toThrow('meta/_journal.json 登记的迁移缺少 SQL 文件：0099_gone');
  });

  it('refuses an entry older than the one before it (drizzle would skip it and report success)', async () => {
    const folder = await copyMigrations('order');
    const journalPath = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8'));
    journal.entries.push({ idx: 1, version: '7', when: 1, tag: '0001_old', breakpoints: true });
    await writeFile(journalPath, JSON.stringify(journal));
    await writeFile(path.join(folder, '0001_old.sql'), 'select 1;');
    await expect(checkJournal(folder)).rejects.toThrow(/^迁移顺序错误：0001_old 的时间不晚于 \S+，会被跳过$/);
  });

  it('a failing migration fails loudly with the database error', async () => {
    const folder = await copyMigrations('broken');
    const journalPath = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8'));
    journal.entries.push({ idx: 1, version: '7', when: Date.now() + 1000, tag: '0001_broken', breakpoints: true });
    await writeFile(journalPath, JSON.stringify(journal));
    await writeFile(path.join(folder, '0001_broken.sql'), 'alter table no_such_table add column x int;');
    const fresh = await createTestDatabase('broken');
    let db: Database | undefined;
    try {
      db = createDatabase(fresh.url, 1);
      await expect(runMigrations(db, folder)).rejects.toThrow(/^数据库迁移失败：.*no_such_table/);
    } finally {
      if (db) await closeDatabase(db);
      await fresh.drop();
    }
  });
});
