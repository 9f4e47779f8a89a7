import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDatabase, createDatabase, type Database, ensureSite, listJobs } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, inject } from 'vitest';

/** A database handle, a scratch folder and a fresh site per test file, cleaned up afterwards. */
export function useImportFixture() {
  const fixture = {} as { db: Database; dir: string; siteCode: string; siteId: number };
  beforeAll(async () => {
    fixture.db = createDatabase(inject('databaseUrl'), 3);
    fixture.dir = await mkdtemp(path.join(tmpdir(), 'jobcast-ingest-'));
    fixture.siteCode = `t-${randomBytes(4).toString('hex')}`;
    fixture.siteId = (await ensureSite(fixture.db, { code: fixture.siteCode, name: '测试站点' })).id;
  });
  afterAll(async () => {
    await closeDatabase(fixture.db);
    await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** A new site, so a test sees only the jobs it imported itself. */
export async function freshSite(db: Database): Promise<{ code: string; id: number }> {
  const code = `t-${randomBytes(4).toString('hex')}`;
  const site = await ensureSite(db, { code, name: '测试站点' });
  return { code, id: site.id };
}

export async function writeFixture(
  dir: string,
  name: string,
  content: string | Buffer,
  encoding?: 'gbk' | 'gb18030' | 'utf-8-bom',
): Promise<string> {
  const file = path.join(dir, name);
  let bytes: Buffer;
  if (Buffer.isBuffer(content)) bytes = content;
  else if (encoding === 'gbk' || encoding === 'gb18030') bytes = iconv.encode(content, encoding);
  else if (encoding === 'utf-8-bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(content)]);
  else bytes = Buffer.from(content);
  await writeFile(file, bytes);
  return file;
}

export async function jobsOf(db: Database, siteId: number) {
  return (await listJobs(db, { siteId, limit: 10_000 })).items;
}

export async function rejectsOf(db: Database, batchId: number) {
  const result = await db.$client.query<{ row_number: number; field: string; reason: string }>(
    'select row_number, field, reason from import_rejects where batch_id = $1 order by row_number',
    [batchId],
  );
  return result.rows;
}
