import type { JobCategory, JobView } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, count, desc, eq, gte, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { employers, jobs, type SourceCells, sites } from './schema/index.ts';

export interface JobFilter {
  siteId: number;
  category?: JobCategory | undefined;
  search?: string | undefined;
  /** Only jobs imported or changed in the last N days. */
  days?: number | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const jobColumns = {
  job: jobs,
  employer: employers.name,
  site: sites.code,
};

type JobRow = { job: typeof jobs.$inferSelect; employer: string; site: string };

export function toJobView(row: JobRow): JobView {
  const j = row.job;
  return {
    id: j.id,
    site: row.site,
    employer: row.employer,
    title: j.title,
    pay: {
      min: j.payMin,
      max: j.payMax,
      unit: j.payUnit,
      negotiable: j.payNegotiable,
      months: j.payMonths,
      text: j.payText,
    },
    headcount: j.headcount,
    headcountText: j.headcountText,
    location: j.location,
    education: j.education,
    experience: j.experience,
    category: j.category,
    contact: { name: j.contactName, phone: j.contactPhone },
    validFrom: j.validFrom,
    validUntil: j.validUntil,
    description: j.description,
    extra: j.extra,
    warnings: j.warnings,
    updatedAt: j.updatedAt.toISOString(),
  };
}

/** LIKE pattern for literal text: a user's % or _ is searched for, not a wildcard. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function jobConditions(filter: JobFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(jobs.siteId, filter.siteId)];
  if (filter.category) conditions.push(eq(jobs.category, filter.category));
  if (filter.days !== undefined)
    conditions.push(gte(jobs.updatedAt, sql`now() - make_interval(days => ${filter.days})`));
  // PostgreSQL text holds no NUL: one in the search (a crafted console URL) would fail the query.
  const search = filter.search?.replaceAll('\u0000', '').trim();
  if (search) {
    const pattern = containsPattern(search);
    conditions.push(or(ilike(jobs.title, pattern), ilike(employers.name, pattern), ilike(jobs.location, pattern)));
  }
  return and(...conditions);
}

export async function listJobs(db: Database, filter: JobFilter): Promise<{ items: JobView[]; total: number }> {
  const where = jobConditions(filter);
  const rows = await db
    .select(jobColumns)
    .from(jobs)
    .innerJoin(employers, eq(employers.id, jobs.employerId))
    .innerJoin(sites, eq(sites.id, jobs.siteId))
    .where(where)
    .orderBy(desc(jobs.updatedAt), desc(jobs.id))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const [total] = await db
    .select({ n: count() })
    .from(jobs)
    .innerJoin(employers, eq(employers.id, jobs.employerId))
    .where(where);
  return { items: rows.map(toJobView), total: total?.n ?? 0 };
}

export async function getJob(db: Database, siteId: number, jobId: number): Promise<JobView> {
  const [row] = await db
    .select(jobColumns)
    .from(jobs)
    .innerJoin(employers, eq(employers.id, jobs.employerId))
    .innerJoin(sites, eq(sites.id, jobs.siteId))
    .where(and(eq(jobs.siteId, siteId), eq(jobs.id, jobId)));
  if (!row) throw new JobcastError('NOT_FOUND', `岗位 ${jobId} 不存在 (no job ${jobId})`);
  return toJobView(row);
}

/** Jobs of a site by id, in the order asked for; ids the site does not have are listed as missing. */
export async function getJobsByIds(
  db: Database,
  siteId: number,
  ids: readonly number[],
): Promise<{ jobs: JobView[]; missing: number[] }> {
  if (ids.length === 0) return { jobs: [], missing: [] };
  const rows = await db
    .select(jobColumns)
    .from(jobs)
    .innerJoin(employers, eq(employers.id, jobs.employerId))
    .innerJoin(sites, eq(sites.id, jobs.siteId))
    .where(and(eq(jobs.siteId, siteId), inArray(jobs.id, [...ids])));
  const byId = new Map(rows.map((row) => [row.job.id, toJobView(row)]));
  const found: JobView[] = [];
  const missing: number[] = [];
  for (const id of ids) {
    const job = byId.get(id);
    if (job) found.push(job);
    else missing.push(id);
  }
  return { jobs: found, missing };
}

/** One version of a job as it was read: the batch and row it came from, and the row's cells by column name. */
export interface JobSource {
  batchId: number | null;
  row: number | null;
  record: Record<string, string> | null;
  /** When this version was replaced by a later one; null for the current version. */
  replacedAt: Date | null;
}

/**
 * Where each version of a job came from, oldest first, the current one last. Each source record is
 * named by the columns of its own batch (files change their headers over time).
 */
export async function getJobSources(db: Database, siteId: number, jobId: number): Promise<JobSource[]> {
  const result = await db.$client.query<{
    batch_id: number | null;
    row_number: number | null;
    record: SourceCells | Record<string, string> | null;
    columns: string[] | null;
    replaced_at: Date | null;
  }>(
    `select v.batch_id, v.row_number, v.record, b.columns, v.replaced_at, v.id as ord
       from job_versions v join jobs j on j.id = v.job_id left join import_batches b on b.id = v.batch_id
      where j.site_id = $1 and v.job_id = $2
     union all
     select j.last_batch_id, j.source_row, j.source_record, b.columns, null, null
       from jobs j left join import_batches b on b.id = j.last_batch_id
      where j.site_id = $1 and j.id = $2
     order by ord nulls last`,
    [siteId, jobId],
  );
  return result.rows.map((r) => ({
    batchId: r.batch_id,
    row: r.row_number,
    record: sourceRecordOf(r.columns, r.record),
    replacedAt: r.replaced_at,
  }));
}

/**
 * A stored source record with its cells named by the batch's columns; a cell under a header written
 * twice is named "header #column". Records stored by name (before migration 0002) come back as they are.
 */
export function sourceRecordOf(
  columns: readonly string[] | null,
  stored: SourceCells | Record<string, string> | null,
): Record<string, string> | null {
  if (stored === null || !Array.isArray(stored)) return stored;
  const record: Record<string, string> = {};
  for (let i = 0; i < stored.length; i++) {
    const cell = stored[i];
    if (cell === null || cell === undefined) continue;
    let name = columns?.[i] || `#${i + 1}`;
    if (name in record) name = `${name} #${i + 1}`;
    record[name] = cell;
  }
  return record;
}
