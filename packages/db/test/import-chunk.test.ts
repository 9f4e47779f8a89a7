import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import {
  createImportBatch,
  EMPLOYER_CACHE_LIMIT,
  type EmployerCache,
  getImportBatch,
  writeImportChunk,
} from '../src/imports.ts';
import { type JobRecord, prepareJob, type RejectRecord } from '../src/job-records.ts';
import { listJobs, sourceRecordOf } from '../src/jobs.ts';
import { ensureSite } from '../src/sites.ts';
import { testJobRecord } from '../src/testing.ts';

let db: Database;
let siteId: number;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 2);
  siteId = (await ensureSite(db, { code: `chunk-${randomBytes(3).toString('hex')}`, name: '测试站点' })).id;
});
afterAll(async () => closeDatabase(db));

function record(overrides: Partial<JobRecord>): JobRecord {
  return testJobRecord({
    employerName: '南昌洪城电子科技有限公司',
    title: '普工',
    headcount: 5,
    headcountText: '5人',
    education: '不限',
    validFrom: '2026-03-02',
    fingerprint: 'fp-1',
    contentHash: 'v1',
    ...overrides,
  });
}

/** writeImportChunk with the records prepared as the parser prepares them. */
function writeChunk(
  chunk: { siteId: number; batchId: number; rowsRead: number; jobs: JobRecord[]; rejects: RejectRecord[] },
  cache?: EmployerCache,
) {
  return writeImportChunk(db, { ...chunk, jobs: chunk.jobs.map(prepareJob) }, cache);
}

async function versionsOf(jobId: number) {
  const rows = await db.$client.query(
    "select batch_id, row_number, content_hash, snapshot->>'headcount' as headcount from job_versions where job_id = $1 order by id",
    [jobId],
  );
  return rows.rows;
}

async function sourceOf(jobId: number) {
  const rows = await db.$client.query('select last_batch_id, source_row, source_record from jobs where id = $1', [
    jobId,
  ]);
  return rows.rows[0];
}

describe('writeImportChunk', () => {
  it('inserts new postings, counts repeats in the chunk as duplicates, and records progress on the batch', async () => {
    const batch = await createImportBatch(db, { siteId, fileName: 'a.csv' });
    const result = await writeChunk({
      siteId,
      batchId: batch.id,
      rowsRead: 4,
      jobs: [
        record({ rowNumber: 2 }),
        record({ rowNumber: 3 }),
        record({ rowNumber: 4, fingerprint: 'fp-2', title: '叉车司机', contentHash: 'w1' }),
      ],
      rejects: [{ rowNumber: 5, field: 'employer', reason: '缺少公司名称', value: null }],
    });
    expect(result).toEqual({ imported: 2, updated: 0, duplicates: 1 });
    const after = await getImportBatch(db, batch.id);
    expect(after).toMatchObject({ rows: 4, imported: 2, duplicates: 1, rejected: 1 });
    const { items, total } = await listJobs(db, { siteId });
    expect(total).toBe(2);
    expect(items.map((j) => j.title).sort()).toEqual(['叉车司机', '普工']);
  });

  it('a re-import of the same content imports nothing; a changed version updates the job and keeps the old one', async () => {
    const first = await createImportBatch(db, { siteId, fileName: 'b.csv' });
    const again = await writeChunk({
      siteId,
      batchId: first.id,
      rowsRead: 1,
      jobs: [record({})],
      rejects: [],
    });
    expect(again).toEqual({ imported: 0, updated: 0, duplicates: 1 });

    const second = await createImportBatch(db, { siteId, fileName: 'c.csv' });
    const changed = await writeChunk({
      siteId,
      batchId: second.id,
      rowsRead: 1,
      jobs: [record({ rowNumber: 9, headcount: 8, headcountText: '8人', contentHash: 'v2' })],
      rejects: [],
    });
    expect(changed).toEqual({ imported: 0, updated: 1, duplicates: 0 });
    const { items } = await listJobs(db, { siteId, search: '普工' });
    expect(items).toHaveLength(1);
    const job = items[0];
    expect(job?.headcount).toBe(8);
    expect(await sourceOf(job?.id as number)).toMatchObject({ last_batch_id: second.id, source_row: 9 });
    const versions = await versionsOf(job?.id as number);
    expect(versions).toEqual([{ batch_id: expect.any(Number), row_number: 2, content_hash: 'v1', headcount: '5' }]);
    expect(versions[0].batch_id).not.toBe(second.id);
  });

  it('stores text that looks like SQL or script literally', async () => {
    const batch = await createImportBatch(db, { siteId, fileName: 'd.csv' });
    const title = "'); drop table jobs; -- <script>alert(1)</script>";
    await writeChunk({
      siteId,
      batchId: batch.id,
      rowsRead: 1,
      jobs: [record({ title, fingerprint: 'fp-evil', contentHash: 'e1' })],
      rejects: [],
    });
    const { items } = await listJobs(db, { siteId, search: 'drop table' });
    expect(items[0]?.title).toBe(title);
    const percent = await listJobs(db, { siteId, search: '%' });
    expect(percent.total).toBe(0);
  });

  it('a full employer cache is cleared without losing the employers of the chunk being written', async () => {
    const batch = await createImportBatch(db, { siteId, fileName: 'e.csv' });
    const cache = new Map<string, number>();
    for (let i = 0; i < EMPLOYER_CACHE_LIMIT - 1; i++) cache.set(`unrelated-${i}`, i + 1);
    const known = record({
      fingerprint: 'fp-cached',
      contentHash: 'c1',
      employerKey: 'cached-employer',
      employerName: '缓存公司',
    });
    await writeChunk({ siteId, batchId: batch.id, rowsRead: 1, jobs: [known], rejects: [] }, cache);
    const fresh = ['甲', '乙', '丙'].map((n, i) =>
      record({ fingerprint: `fp-new-${i}`, contentHash: `n${i}`, employerKey: `new-${n}`, employerName: `新公司${n}` }),
    );
    const again = { ...known, fingerprint: 'fp-cached-2', contentHash: 'c2', title: '焊工' };
    const result = await writeChunk(
      { siteId, batchId: batch.id, rowsRead: 4, jobs: [again, ...fresh], rejects: [] },
      cache,
    );
    expect(result.imported).toBe(4);
    const employers = (await listJobs(db, { siteId, limit: 100 })).items.map((j) => j.employer);
    expect(employers).toEqual(expect.arrayContaining(['缓存公司', '新公司甲', '新公司乙', '新公司丙']));
  });

  it('two chunks written at once that both bring a new employer both succeed', async () => {
    const batch = await createImportBatch(db, { siteId, fileName: 'f.csv' });
    const cache = new Map<string, number>();
    for (let round = 0; round < 8; round++) {
      const employer = { employerKey: `both-${round}`, employerName: `同时出现的公司${round}` };
      const chunk = (side: string) => ({
        siteId,
        batchId: batch.id,
        rowsRead: 3,
        rejects: [],
        jobs: [0, 1, 2].map((i) =>
          record({
            ...employer,
            fingerprint: `fp-both-${round}-${side}-${i}`,
            contentHash: `b${i}`,
            title: `岗位${side}${i}`,
          }),
        ),
      });
      const results = await Promise.all([writeChunk(chunk('a'), cache), writeChunk(chunk('b'), cache)]);
      expect(results.map((r) => r.imported)).toEqual([3, 3]);
    }
    const employers = await db.$client.query(
      "select count(*)::int as n from employers where site_id = $1 and name_key like 'both-%'",
      [siteId],
    );
    expect(employers.rows[0].n).toBe(8);
  });

  it('a chunk that fails leaves no employer id behind for the next chunk to trip over', async () => {
    const batch = await createImportBatch(db, { siteId, fileName: 'g.csv' });
    const cache = new Map<string, number>();
    const employer = { employerKey: 'rolled-back', employerName: '回滚公司' };
    const broken = record({ ...employer, fingerprint: 'fp-broken', payUnit: 'week' as never });
    await expect(
      writeChunk({ siteId, batchId: batch.id, rowsRead: 1, jobs: [broken], rejects: [] }, cache),
    ).rejects.toThrow();
    expect(cache.has('rolled-back')).toBe(false);
    const good = record({ ...employer, fingerprint: 'fp-after-rollback', contentHash: 'r1' });
    const result = await writeChunk({ siteId, batchId: batch.id, rowsRead: 1, jobs: [good], rejects: [] }, cache);
    expect(result.imported).toBe(1);
  });

  it('keeps the replaced version whatever statement changes a job, and none when nothing changed', async () => {
    const batch = await createImportBatch(db, { siteId, fileName: 'h.csv' });
    await writeChunk({
      siteId,
      batchId: batch.id,
      rowsRead: 1,
      jobs: [record({ fingerprint: 'fp-direct', contentHash: 'd1', headcount: 4 })],
      rejects: [],
    });
    const { rows } = await db.$client.query("select id from jobs where site_id = $1 and fingerprint = 'fp-direct'", [
      siteId,
    ]);
    const jobId = rows[0].id as number;
    await db.$client.query('update jobs set updated_at = now() where id = $1', [jobId]);
    expect(await versionsOf(jobId)).toEqual([]);
    await db.$client.query("update jobs set content_hash = 'd2', headcount = 9 where id = $1", [jobId]);
    expect(await versionsOf(jobId)).toEqual([
      { batch_id: batch.id, row_number: 2, content_hash: 'd1', headcount: '4' },
    ]);
  });
});

describe('sourceRecordOf', () => {
  it('names cells by their batch columns, keeps both cells of a header written twice, skips empty cells', () => {
    expect(sourceRecordOf(['单位名称', '备注', '备注', '人数'], ['南昌甲公司', 'a', 'b', null])).toEqual({
      单位名称: '南昌甲公司',
      备注: 'a',
      '备注 #3': 'b',
    });
  });

  it('names cells past the known columns by position, and returns records stored by name as they are', () => {
    expect(sourceRecordOf(['单位名称'], ['南昌甲公司', '普工'])).toEqual({ 单位名称: '南昌甲公司', '#2': '普工' });
    expect(sourceRecordOf(null, { 单位名称: '南昌甲公司' })).toEqual({ 单位名称: '南昌甲公司' });
    expect(sourceRecordOf(['x'], null)).toBeNull();
  });
});
