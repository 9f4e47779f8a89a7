import type { ImportFormat, ImportStatus, ImportSummary, JobCategory, PayUnit, RowIssue } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import type { Database } from './client.ts';
import { importBatches, importRejects } from './schema/index.ts';

/** One usable row, normalised, ready to become (or refresh) a job. */
export interface JobRecord {
  rowNumber: number;
  employerName: string;
  employerKey: string;
  title: string;
  payMin: number | null;
  payMax: number | null;
  payUnit: PayUnit | null;
  payNegotiable: boolean;
  payMonths: number | null;
  payText: string | null;
  headcount: number | null;
  headcountText: string | null;
  location: string | null;
  education: string | null;
  experience: string | null;
  category: JobCategory;
  contactName: string | null;
  contactPhone: string | null;
  validFrom: string | null;
  validUntil: string | null;
  description: string | null;
  extra: Record<string, string>;
  warnings: string[];
  fingerprint: string;
  contentHash: string;
  /** The row as read, header → cell text, kept as the version's source. */
  source: Record<string, string>;
}

export interface RejectRecord {
  rowNumber: number;
  field: string;
  reason: string;
  value: string | null;
}

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

export async function failImportBatch(
  db: Database,
  batchId: number,
  error: { code: string; message: string },
  partial?: Partial<BatchTotals>,
): Promise<void> {
  await db
    .update(importBatches)
    .set({ ...partial, status: 'failed', finishedAt: new Date(), errorCode: error.code, errorMessage: error.message })
    .where(eq(importBatches.id, batchId));
}

export async function setImportBatchStatus(db: Database, batchId: number, status: ImportStatus): Promise<void> {
  await db.update(importBatches).set({ status }).where(eq(importBatches.id, batchId));
}

export async function getImportBatch(db: Database, batchId: number, siteId?: number): Promise<ImportBatch> {
  const where =
    siteId === undefined
      ? eq(importBatches.id, batchId)
      : and(eq(importBatches.id, batchId), eq(importBatches.siteId, siteId));
  const [row] = await db.select().from(importBatches).where(where);
  if (!row) throw new JobcastError('NOT_FOUND', `导入批次 ${batchId} 不存在 (no import batch ${batchId})`);
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
  record: JobRecord;
  replaced: number;
}

/**
 * Writes one chunk of an import in one transaction: employers, jobs (insert, update when the
 * content changed, leave alone when it did not), one source row per new version, and the rejects.
 * Arrays go through unnest() so a chunk is a handful of statements whatever its size.
 */
export async function writeImportChunk(
  db: Database,
  chunk: { siteId: number; batchId: number; jobs: JobRecord[]; rejects: RejectRecord[]; rowsRead: number },
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

  return db.$client.connect().then(async (client) => {
    try {
      await client.query('begin');
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
      if (records.length === 0) {
        const result = { imported: 0, updated: replacedInChunk, duplicates: duplicatesInChunk };
        await recordProgress(client, chunk, result);
        await client.query('commit');
        return result;
      }
      const employerNames = new Map<string, string>();
      for (const r of records) if (!employerNames.has(r.employerKey)) employerNames.set(r.employerKey, r.employerName);
      const employerRows = await client.query<{ id: number; name_key: string }>(
        `insert into employers (site_id, name_key, name)
         select $1, * from unnest($2::text[], $3::text[])
         on conflict (site_id, name_key) do update set name_key = excluded.name_key
         returning id, name_key`,
        [chunk.siteId, [...employerNames.keys()], [...employerNames.values()]],
      );
      const employerIds = new Map(employerRows.rows.map((row) => [row.name_key, row.id]));
      const col = <T>(pick: (r: JobRecord) => T) => records.map(pick);
      const upserted = await client.query<{ id: number; fingerprint: string; inserted: boolean }>(
        `insert into jobs (site_id, first_batch_id, last_batch_id, employer_id, title, pay_min, pay_max, pay_unit,
           pay_negotiable, pay_months, pay_text, headcount, headcount_text, location, education, experience, category,
           contact_name, contact_phone, valid_from, valid_until, description, extra, warnings, fingerprint, content_hash)
         select $1, $2, $2, * from unnest($3::int[], $4::text[], $5::int[], $6::int[], $7::pay_unit[], $8::bool[],
           $9::int[], $10::text[], $11::int[], $12::text[], $13::text[], $14::text[], $15::text[], $16::job_category[],
           $17::text[], $18::text[], $19::date[], $20::date[], $21::text[], $22::jsonb[], $23::jsonb[], $24::text[], $25::text[])
         on conflict (site_id, fingerprint) do update set
           employer_id = excluded.employer_id, title = excluded.title, pay_min = excluded.pay_min,
           pay_max = excluded.pay_max, pay_unit = excluded.pay_unit, pay_negotiable = excluded.pay_negotiable,
           pay_months = excluded.pay_months, pay_text = excluded.pay_text, headcount = excluded.headcount,
           headcount_text = excluded.headcount_text, location = excluded.location, education = excluded.education,
           experience = excluded.experience, category = excluded.category, contact_name = excluded.contact_name,
           contact_phone = excluded.contact_phone, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
           description = excluded.description, extra = excluded.extra, warnings = excluded.warnings,
           content_hash = excluded.content_hash, last_batch_id = excluded.last_batch_id, updated_at = now()
         where jobs.content_hash is distinct from excluded.content_hash
         returning id, fingerprint, (xmax = 0) as inserted`,
        [
          chunk.siteId,
          chunk.batchId,
          col((r) => employerIds.get(r.employerKey)),
          col((r) => r.title),
          col((r) => r.payMin),
          col((r) => r.payMax),
          col((r) => r.payUnit),
          col((r) => r.payNegotiable),
          col((r) => r.payMonths),
          col((r) => r.payText),
          col((r) => r.headcount),
          col((r) => r.headcountText),
          col((r) => r.location),
          col((r) => r.education),
          col((r) => r.experience),
          col((r) => r.category),
          col((r) => r.contactName),
          col((r) => r.contactPhone),
          col((r) => r.validFrom),
          col((r) => r.validUntil),
          col((r) => r.description),
          col((r) => JSON.stringify(r.extra)),
          col((r) => JSON.stringify(r.warnings)),
          col((r) => r.fingerprint),
          col((r) => r.contentHash),
        ],
      );
      let imported = 0;
      const changed: { jobId: number; record: JobRecord }[] = [];
      for (const row of upserted.rows) {
        if (row.inserted) imported++;
        changed.push({ jobId: row.id, record: (latest.get(row.fingerprint) as VersionCount).record });
      }
      if (changed.length > 0) {
        await client.query(
          `insert into job_sources (job_id, batch_id, row_number, content_hash, record)
           select u.job_id, $1, u.row_number, u.content_hash, u.record
           from unnest($2::int[], $3::int[], $4::text[], $5::jsonb[]) as u(job_id, row_number, content_hash, record)
           on conflict (job_id, content_hash) do nothing`,
          [
            chunk.batchId,
            changed.map((c) => c.jobId),
            changed.map((c) => c.record.rowNumber),
            changed.map((c) => c.record.contentHash),
            changed.map((c) => JSON.stringify(c.record.source)),
          ],
        );
      }
      const result = {
        imported,
        updated: upserted.rows.length - imported + replacedInChunk,
        duplicates: duplicatesInChunk + (records.length - upserted.rows.length),
      };
      await recordProgress(client, chunk, result);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
}

/** The batch's counters move with each committed chunk, so a running import shows its progress. */
async function recordProgress(
  client: PoolClient,
  chunk: { batchId: number; rejects: RejectRecord[]; rowsRead: number },
  result: ChunkResult,
): Promise<void> {
  await client.query(
    `update import_batches set rows = rows + $2, imported = imported + $3, updated = updated + $4,
       duplicates = duplicates + $5, rejected = rejected + $6 where id = $1`,
    [chunk.batchId, chunk.rowsRead, result.imported, result.updated, result.duplicates, chunk.rejects.length],
  );
}
