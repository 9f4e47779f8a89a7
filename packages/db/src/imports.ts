import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportFormat, ImportSummary, RowIssue } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './client.ts';
import type { PreparedJob, RejectRecord } from './job-records.ts';
import { importBatches, importRejects } from './schema/index.ts';

export interface ChunkResult {
  imported: number;
  updated: number;
  duplicates: number;
}

export type ImportBatch = typeof importBatches.$inferSelect;

export async function createImportBatch(
  db: Database,
  batch: { siteId: number; fileName: string; storedPath?: string; sheet?: string | null; createdBy?: number | null },
): Promise<ImportBatch> {
  const [row] = await db
    .insert(importBatches)
    .values({
      siteId: batch.siteId,
      fileName: batch.fileName,
      storedPath: batch.storedPath ?? null,
      sheet: batch.sheet ?? null,
      createdBy: batch.createdBy ?? null,
    })
    .returning();
  if (!row) throw new JobcastError('INTERNAL', 'import batch was not created');
  return row;
}

export async function startImportBatch(
  db: Database,
  batchId: number,
  file: { format: ImportFormat; encoding: string | null; sheet: string | null; sha256: string; bytes: number },
): Promise<void> {
  // A retried batch starts over: its counters and rejects are those of the run that finishes.
  await db.delete(importRejects).where(eq(importRejects.batchId, batchId));
  await db
    .update(importBatches)
    .set({
      status: 'running',
      format: file.format,
      encoding: file.encoding,
      sheet: file.sheet,
      fileSha256: file.sha256,
      fileBytes: file.bytes,
      startedAt: new Date(),
      columns: null,
      rows: 0,
      imported: 0,
      updated: 0,
      duplicates: 0,
      rejected: 0,
      warnings: 0,
    })
    .where(eq(importBatches.id, batchId));
}

/** The batch that imported the same bytes before this one, if any. */
export async function findEarlierImportOfFile(
  db: Database,
  siteId: number,
  sha256: string,
  beforeBatchId: number,
): Promise<ImportBatch | undefined> {
  const [row] = await db
    .select()
    .from(importBatches)
    .where(
      and(
        eq(importBatches.siteId, siteId),
        eq(importBatches.fileSha256, sha256),
        eq(importBatches.status, 'done'),
        sql`${importBatches.id} < ${beforeBatchId}`,
      ),
    )
    .orderBy(desc(importBatches.id))
    .limit(1);
  return row;
}

export interface BatchTotals {
  rows: number;
  imported: number;
  updated: number;
  duplicates: number;
  rejected: number;
  warnings: number;
  warningSamples: RowIssue[];
  message: string;
  sheet?: string | null;
}

export async function finishImportBatch(db: Database, batchId: number, totals: BatchTotals): Promise<void> {
  await db
    .update(importBatches)
    .set({ ...totals, status: 'done', finishedAt: new Date(), errorCode: null, errorMessage: null })
    .where(eq(importBatches.id, batchId));
}

/** Marks a batch failed; its counters stay those of the chunks that were committed. */
export async function failImportBatch(
  db: Database,
  batchId: number,
  error: { code: string; message: string },
): Promise<void> {
  await db
    .update(importBatches)
    .set({ status: 'failed', finishedAt: new Date(), errorCode: error.code, errorMessage: error.message })
    .where(eq(importBatches.id, batchId));
}

/**
 * How many jobs a batch created and how many it changed, counted from the jobs themselves: exact even
 * when the batch ran more than once (a retry after a crash finds its first attempt's jobs already in
 * the pool, and its own running counters would call them duplicates).
 */
export async function countBatchJobs(
  db: Database,
  siteId: number,
  batchId: number,
): Promise<{ imported: number; updated: number }> {
  const result = await db.$client.query<{ imported: number; updated: number }>(
    `select count(*) filter (where first_batch_id = $2)::int as imported,
            count(*) filter (where first_batch_id <> $2)::int as updated
     from jobs where site_id = $1 and last_batch_id = $2`,
    [siteId, batchId],
  );
  return result.rows[0] ?? { imported: 0, updated: 0 };
}

export async function getImportBatch(db: Database, batchId: number, siteId?: number): Promise<ImportBatch> {
  const where =
    siteId === undefined
      ? eq(importBatches.id, batchId)
      : and(eq(importBatches.id, batchId), eq(importBatches.siteId, siteId));
  const [row] = await db.select().from(importBatches).where(where);
  if (!row) throw new JobcastError('NOT_FOUND', `导入批次 ${batchId} 不存在`);
  return row;
}

export async function listImportBatches(db: Database, siteId: number, limit = 50): Promise<ImportBatch[]> {
  return db
    .select()
    .from(importBatches)
    .where(eq(importBatches.siteId, siteId))
    .orderBy(desc(importBatches.id))
    .limit(limit);
}

/** Batches queued longer than `olderThanSeconds`: the reconciler re-queues them if Redis lost them. */
export async function listStaleQueuedBatches(db: Database, olderThanSeconds: number): Promise<ImportBatch[]> {
  return db
    .select()
    .from(importBatches)
    .where(
      and(
        eq(importBatches.status, 'queued'),
        sql`${importBatches.createdAt} < now() - make_interval(secs => ${olderThanSeconds})`,
      ),
    );
}

export async function getImportSummary(db: Database, batchId: number, rejectLimit = 100): Promise<ImportSummary> {
  const batch = await getImportBatch(db, batchId);
  const rejects = await db
    .select({ row: importRejects.rowNumber, field: importRejects.field, reason: importRejects.reason })
    .from(importRejects)
    .where(eq(importRejects.batchId, batchId))
    .orderBy(asc(importRejects.rowNumber), asc(importRejects.id))
    .limit(rejectLimit);
  const [total] = await db.select({ n: count() }).from(importRejects).where(eq(importRejects.batchId, batchId));
  return {
    batchId: batch.id,
    file: batch.fileName,
    format: batch.format ?? 'csv',
    encoding: batch.encoding,
    sheet: batch.sheet,
    rows: batch.rows,
    imported: batch.imported,
    updated: batch.updated,
    duplicates: batch.duplicates,
    rejected: batch.rejected,
    warnings: batch.warnings,
    rejects,
    rejectsTotal: total?.n ?? 0,
    warningSamples: batch.warningSamples ?? [],
    message: batch.message ?? batch.errorMessage ?? '',
  };
}

interface VersionCount {
  record: PreparedJob;
  replaced: number;
}

/** Employer ids already known to this import, by folded name: most rows repeat an employer. */
export type EmployerCache = Map<string, number>;
// Bounded: a city-wide file can name hundreds of thousands of employers, and each entry costs memory
// (about 80 bytes). A miss costs a look-up in PostgreSQL: measured at 30-60 µs an employer on the
// benchmark's million rows (166,667 employers, each one's postings spread through the file), which
// made the look-ups cost more than writing the jobs while the cache held only 20,000.
export const EMPLOYER_CACHE_LIMIT = 250_000;

/**
 * Writes one chunk of an import in one transaction: employers, jobs (insert, update when the
 * content changed, leave alone when it did not), one source row per new version, the rejects, and
 * the batch's counters. Rows reach PostgreSQL through COPY into a temporary table: measured here,
 * parsing them from query parameters (arrays or one JSON document) cost more than the inserts.
 */
export async function writeImportChunk(
  db: Database,
  chunk: {
    siteId: number;
    batchId: number;
    jobs: PreparedJob[];
    rejects: RejectRecord[];
    rowsRead: number;
    /** The header the chunk's source records follow, when it is new (the first chunk; JSON keys as they appear). */
    columns?: string[] | null | undefined;
  },
  employerCache: EmployerCache = new Map(),
): Promise<ChunkResult> {
  const latest = new Map<string, VersionCount>();
  let duplicatesInChunk = 0;
  for (const record of chunk.jobs) {
    const seen = latest.get(record.fingerprint);
    if (!seen) latest.set(record.fingerprint, { record, replaced: 0 });
    else if (seen.record.contentHash === record.contentHash) duplicatesInChunk++;
    else latest.set(record.fingerprint, { record, replaced: seen.replaced + 1 });
  }
  const records = [...latest.values()].map((v) => v.record);
  const replacedInChunk = [...latest.values()].reduce((sum, v) => sum + v.replaced, 0);

  return withConnection(db, async (client) => {
    // While an import fills a table its statistics lag far behind (a million rows can look like none),
    // and the planner would then read every row of the site to find a few: the employer look-up and the
    // upsert's join with jobs are always index probes (a fingerprint look-up planned on stale statistics
    // made the million-row import three times slower than the first hundred thousand rows).
    // The costs those settings inflate also cross the threshold for JIT compilation, which would then
    // compile each chunk's employer statements anew (measured: 200 ms a chunk).
    await client.query('begin; set local enable_seqscan = off; set local enable_bitmapscan = off; set local jit = off');
    if (chunk.columns) {
      // Chunks commit in any order: a header only ever grows (JSON keys), so the longest one stays.
      await client.query(
        `update import_batches set columns = $2::json
          where id = $1 and coalesce(json_array_length(columns), -1) < $3`,
        [chunk.batchId, JSON.stringify(chunk.columns), chunk.columns.length],
      );
    }
    if (chunk.rejects.length > 0) {
      await client.query(
        `insert into import_rejects (batch_id, row_number, field, reason, value)
         select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::text[])`,
        [
          chunk.batchId,
          chunk.rejects.map((r) => r.rowNumber),
          chunk.rejects.map((r) => r.field),
          chunk.rejects.map((r) => r.reason),
          chunk.rejects.map((r) => r.value),
        ],
      );
    }
    let result: ChunkResult = { imported: 0, updated: replacedInChunk, duplicates: duplicatesInChunk };
    let resolved: Map<string, number> | undefined;
    if (records.length > 0) {
      const employerIds = await resolveEmployers(client, chunk.siteId, records, employerCache);
      resolved = employerIds;
      // Most rows of a first import are new: COPY them straight in. A posting already in the pool
      // (a re-import, an update) makes the COPY fail on the unique index, and the chunk takes the upsert.
      // Looking every fingerprint up first cost a random index and heap read per row (measured: 60 µs a
      // row at 800,000 jobs).
      const fresh = [...records].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
      let changed: PreparedJob[] = [];
      let imported = 0;
      await client.query('savepoint fresh');
      try {
        await copyFreshJobs(client, chunk, fresh, employerIds);
        await client.query('release savepoint fresh');
        imported = fresh.length;
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        await client.query('rollback to savepoint fresh');
        changed = fresh;
      }
      let upserted = 0;
      let upsertInserted = 0;
      if (changed.length > 0) {
        await client.query(STAGING_TABLE);
        await copyRows(client, 'copy import_input from stdin', changed.map((r) => copyLine(r, employerIds)).join(''));
        const rows = await client.query<{ inserted: boolean }>(UPSERT_FROM_STAGING, [chunk.siteId, chunk.batchId]);
        for (const row of rows.rows) if (row.inserted) upsertInserted++;
        upserted = rows.rows.length;
      }
      result = {
        imported: imported + upsertInserted,
        updated: upserted - upsertInserted + replacedInChunk,
        duplicates: duplicatesInChunk + (changed.length - upserted),
      };
    }
    await client.query(`${progressStatement(chunk, result)}; commit`);
    // Only now may other chunks reuse these ids: a foreign-key check does not wait for another
    // transaction's uncommitted employer row, it fails at once.
    if (resolved) rememberEmployers(employerCache, resolved);
    return result;
  });
}

/** Runs `work` on a pooled connection of its own; a transaction it leaves open by throwing is rolled back. */
export async function withConnection<T>(db: Database, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    return await work(client);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The employer id of every record in the chunk, creating employers the site does not have yet. The
 * ids are the chunk's own map; the shared cache holds only committed employers, saves look-ups, and
 * may be cleared at any time (by another chunk written at the same moment).
 */
export async function resolveEmployers(
  client: PoolClient,
  siteId: number,
  records: readonly Pick<PreparedJob, 'employerKey' | 'employerName'>[],
  cache: EmployerCache,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const missing = new Map<string, string>();
  for (const r of records) {
    if (ids.has(r.employerKey) || missing.has(r.employerKey)) continue;
    const cached = cache.get(r.employerKey);
    if (cached === undefined) missing.set(r.employerKey, r.employerName);
    else ids.set(r.employerKey, cached);
  }
  if (missing.size === 0) return ids;
  // Sorted, so that two chunks written at once take their key locks in the same order (no deadlock).
  const keys = [...missing.keys()].sort();
  const inserted = await client.query<{ id: number; name_key: string }>(
    `insert into employers (site_id, name_key, name) select $1, * from unnest($2::text[], $3::text[])
     on conflict (site_id, name_key) do nothing returning id, name_key`,
    [siteId, keys, keys.map((key) => missing.get(key))],
  );
  for (const row of inserted.rows) ids.set(row.name_key, row.id);
  const existing = keys.filter((key) => !ids.has(key));
  if (existing.length > 0) {
    const found = await client.query<{ id: number; name_key: string }>(
      'select id, name_key from employers where site_id = $1 and name_key = any($2::text[])',
      [siteId, existing],
    );
    for (const row of found.rows) ids.set(row.name_key, row.id);
  }
  return ids;
}

function rememberEmployers(cache: EmployerCache, ids: Map<string, number>): void {
  if (cache.size + ids.size > EMPLOYER_CACHE_LIMIT) cache.clear();
  for (const [key, id] of ids) cache.set(key, id);
}

const STAGING_TABLE = `create temp table if not exists import_input (
  employer_id int, title text, pay_min int, pay_max int, pay_unit pay_unit, pay_negotiable bool, pay_months int,
  pay_text text, headcount int, headcount_text text, location text, education text, experience text,
  category job_category, contact_name text, contact_phone text, valid_from date, valid_until date,
  description text, extra jsonb, warnings jsonb, fingerprint text, content_hash text, row_number int, record jsonb
) on commit delete rows`;

/**
 * Changed postings (and new ones that raced with another import). The version being replaced is
 * kept by the jobs_keep_replaced_version trigger (migration 0001), whatever statement replaces it.
 */
const UPSERT_FROM_STAGING = `
  insert into jobs (site_id, first_batch_id, last_batch_id, employer_id, title, pay_min, pay_max, pay_unit,
    pay_negotiable, pay_months, pay_text, headcount, headcount_text, location, education, experience, category,
    contact_name, contact_phone, valid_from, valid_until, description, extra, warnings, fingerprint, content_hash,
    source_row, source_record)
  select $1, $2, $2, employer_id, title, pay_min, pay_max, pay_unit, pay_negotiable, pay_months, pay_text,
    headcount, headcount_text, location, education, experience, category, contact_name, contact_phone,
    valid_from, valid_until, description, extra, warnings, fingerprint, content_hash, row_number, record
  from import_input
  on conflict (site_id, fingerprint) do update set
    employer_id = excluded.employer_id, title = excluded.title, pay_min = excluded.pay_min,
    pay_max = excluded.pay_max, pay_unit = excluded.pay_unit, pay_negotiable = excluded.pay_negotiable,
    pay_months = excluded.pay_months, pay_text = excluded.pay_text, headcount = excluded.headcount,
    headcount_text = excluded.headcount_text, location = excluded.location, education = excluded.education,
    experience = excluded.experience, category = excluded.category, contact_name = excluded.contact_name,
    contact_phone = excluded.contact_phone, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
    description = excluded.description, extra = excluded.extra, warnings = excluded.warnings,
    content_hash = excluded.content_hash, last_batch_id = excluded.last_batch_id, source_row = excluded.source_row,
    source_record = excluded.source_record, updated_at = now()
  where jobs.content_hash is distinct from excluded.content_hash
  returning (xmax = 0) as inserted`;

/**
 * New postings, the bulk of most imports, go straight into jobs with COPY: no staging table and no
 * conflict handling to pay for. A unique violation (another import got there first) falls back to the upsert.
 */
async function copyFreshJobs(
  client: PoolClient,
  chunk: { siteId: number; batchId: number },
  fresh: PreparedJob[],
  employerIds: Map<string, number>,
): Promise<void> {
  await copyRows(
    client,
    `copy jobs (site_id, first_batch_id, last_batch_id, employer_id, title, pay_min, pay_max, pay_unit,
       pay_negotiable, pay_months, pay_text, headcount, headcount_text, location, education, experience, category,
       contact_name, contact_phone, valid_from, valid_until, description, extra, warnings, fingerprint, content_hash,
       source_row, source_record)
     from stdin`,
    fresh.map((r) => `${chunk.siteId}\t${chunk.batchId}\t${chunk.batchId}\t${copyLine(r, employerIds)}`).join(''),
  );
}

/** A prepared record as a line of import_input: its employer id, then its own fields. */
function copyLine(r: PreparedJob, employerIds: Map<string, number>): string {
  const id = employerIds.get(r.employerKey);
  if (id === undefined) throw new Error(`employer ${r.employerKey} was not resolved`);
  return `${id}\t${r.copyFields}`;
}

export async function copyRows(client: PoolClient, statement: string, text: string): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
}

/**
 * The batch's counters move with each committed chunk, so a running import shows its progress. Sent
 * with the commit in one round trip; every value is an integer this module computed.
 */
function progressStatement(
  chunk: { batchId: number; rejects: RejectRecord[]; rowsRead: number },
  result: ChunkResult,
): string {
  const n = (value: number) => String(Math.trunc(value));
  return `update import_batches set rows = rows + ${n(chunk.rowsRead)}, imported = imported + ${n(result.imported)},
    updated = updated + ${n(result.updated)}, duplicates = duplicates + ${n(result.duplicates)},
    rejected = rejected + ${n(chunk.rejects.length)} where id = ${n(chunk.batchId)}`;
}
