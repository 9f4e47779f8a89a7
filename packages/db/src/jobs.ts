import type { ImportFormat, JobCategory, JobView } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, count, desc, eq, gte, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import type { Database } from './client.ts';
import { copyRows, resolveEmployers, withConnection } from './imports.ts';
import { type JobRecord, prepareJob } from './job-records.ts';
import { containsPattern, searchText } from './like.ts';
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

function jobConditions(filter: JobFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(jobs.siteId, filter.siteId)];
  if (filter.category) conditions.push(eq(jobs.category, filter.category));
  if (filter.days !== undefined)
    conditions.push(gte(jobs.updatedAt, sql`now() - make_interval(days => ${filter.days})`));
  const search = searchText(filter.search);
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
  if (!row) throw new JobcastError('NOT_FOUND', `岗位 ${jobId} 不存在`);
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

/**
 * A job as stored, with what reading it again needs: the source row of its current version, and the
 * header, format and time of the batch that row came from.
 */
export interface StoredJob extends Omit<JobRecord, 'rowNumber' | 'employerKey' | 'sourceJson'> {
  id: number;
  employerId: number;
  sourceRow: number | null;
  sourceRecord: SourceCells | Record<string, string> | null;
  batchId: number | null;
  batchColumns: string[] | null;
  batchFormat: ImportFormat | null;
  /** When the batch read its file: relative dates in the row (3天前) were read against this. */
  batchReadAt: Date | null;
}

/** An employer of the site: its id, its folded name (the importer's key) and the name shown. */
export interface SiteEmployer {
  id: number;
  key: string;
  name: string;
}

/**
 * Rewrites a site's jobs from their source rows in one transaction: read them page by page, stage
 * new versions, then write them all at once, or nothing. `write: false` only reads (a dry run).
 */
export interface JobRewrite {
  /** The site's jobs in id order, a page at a time, as they were when the rewrite began. */
  pages(): AsyncGenerator<StoredJob[]>;
  employers(): Promise<SiteEmployer[]>;
  /** Stages new versions of jobs; nothing changes until `apply`. */
  stage(versions: readonly { id: number; record: JobRecord }[]): Promise<void>;
  /**
   * Writes the staged versions. Jobs in `keepIdentity` keep the fingerprint they have: their new one
   * belongs to another job. Employers are renamed as given.
   */
  apply(keepIdentity: readonly number[], employerNames: ReadonlyMap<number, string>): Promise<void>;
}

const JOB_REWRITE_PAGE = 2000;

export async function rewriteSiteJobs<T>(
  db: Database,
  siteId: number,
  options: { write: boolean },
  run: (rewrite: JobRewrite) => Promise<T>,
): Promise<T> {
  return withConnection(db, async (client) => {
    // Imports wait while the jobs are rewritten: a posting imported meanwhile could take a fingerprint
    // the rewrite gives away, or be rewritten from a page read before it. Readers are not held up.
    // Employers first, in the order an import takes them: a rewrite holding jobs and waiting for an
    // employer an import has just added, while that import waits for jobs, would deadlock.
    await client.query(
      options.write
        ? 'begin; lock table employers, jobs in share row exclusive mode'
        : 'begin isolation level repeatable read read only',
    );
    const result = await run(jobRewrite(client, siteId, options.write));
    await client.query('commit');
    return result;
  });
}

function jobRewrite(client: PoolClient, siteId: number, write: boolean): JobRewrite {
  let staged = false;
  const requireWrite = () => {
    if (!write) throw new Error('job rewrite opened read-only');
  };
  return {
    async *pages() {
      for (let after = 0; ; ) {
        const page = await client.query<StoredJob>(STORED_JOBS_PAGE, [siteId, after, JOB_REWRITE_PAGE]);
        if (page.rows.length === 0) return;
        yield page.rows;
        after = (page.rows.at(-1) as StoredJob).id;
      }
    },
    async employers() {
      const result = await client.query<SiteEmployer>(
        'select id, name_key as key, name from employers where site_id = $1 order by id',
        [siteId],
      );
      return result.rows;
    },
    async stage(versions) {
      requireWrite();
      if (versions.length === 0) return;
      if (!staged) {
        await client.query(JOB_REWRITE_TABLE);
        staged = true;
      }
      const prepared = versions.map((v) => ({ id: v.id, job: prepareJob(v.record) }));
      const employerIds = await resolveEmployers(
        client,
        siteId,
        prepared.map((p) => p.job),
        new Map(),
      );
      await copyRows(
        client,
        'copy job_rewrite from stdin',
        prepared.map((p) => `${p.id}\t${employerIds.get(p.job.employerKey)}\t${p.job.copyFields}`).join(''),
      );
    },
    async apply(keepIdentity, employerNames) {
      requireWrite();
      if (employerNames.size > 0) {
        await client.query(
          `update employers e set name = n.name from unnest($2::int[], $3::text[]) as n(id, name)
            where e.site_id = $1 and e.id = n.id`,
          [siteId, [...employerNames.keys()], [...employerNames.values()]],
        );
      }
      if (!staged) return;
      if (keepIdentity.length > 0) {
        await client.query(
          'update job_rewrite r set fingerprint = j.fingerprint from jobs j where j.id = r.id and r.id = any($1::int[])',
          [keepIdentity],
        );
      }
      // Fingerprints are unique per site and checked row by row: jobs trading fingerprints among
      // themselves first step aside to one no import can make.
      await client.query(
        `update jobs j set fingerprint = 'rewrite:' || j.id from job_rewrite r
          where j.id = r.id and j.site_id = $1 and j.fingerprint <> r.fingerprint`,
        [siteId],
      );
      // Its source, batch and time of change stay: the posting is the one imported, read again. The
      // version it replaces is kept by the jobs_keep_replaced_version trigger.
      await client.query(
        `update jobs j set employer_id = r.employer_id, title = r.title, pay_min = r.pay_min, pay_max = r.pay_max,
           pay_unit = r.pay_unit, pay_negotiable = r.pay_negotiable, pay_months = r.pay_months, pay_text = r.pay_text,
           headcount = r.headcount, headcount_text = r.headcount_text, location = r.location,
           education = r.education, experience = r.experience, category = r.category,
           contact_name = r.contact_name, contact_phone = r.contact_phone, valid_from = r.valid_from,
           valid_until = r.valid_until, description = r.description, extra = r.extra, warnings = r.warnings,
           fingerprint = r.fingerprint, content_hash = r.content_hash
          from job_rewrite r where j.id = r.id and j.site_id = $1`,
        [siteId],
      );
    },
  };
}

const STORED_JOBS_PAGE = `
  select j.id, j.employer_id as "employerId", e.name as "employerName", j.title, j.pay_min as "payMin",
    j.pay_max as "payMax", j.pay_unit as "payUnit", j.pay_negotiable as "payNegotiable", j.pay_months as "payMonths",
    j.pay_text as "payText", j.headcount, j.headcount_text as "headcountText", j.location, j.education,
    j.experience, j.category, j.contact_name as "contactName", j.contact_phone as "contactPhone",
    j.valid_from as "validFrom", j.valid_until as "validUntil", j.description, j.extra, j.warnings, j.fingerprint,
    j.content_hash as "contentHash", j.source_row as "sourceRow", j.source_record as "sourceRecord",
    j.last_batch_id as "batchId", b.columns as "batchColumns", b.format as "batchFormat",
    coalesce(b.started_at, b.created_at) as "batchReadAt"
  from jobs j
  join employers e on e.id = j.employer_id
  left join import_batches b on b.id = j.last_batch_id
  where j.site_id = $1 and j.id > $2
  order by j.id
  limit $3`;

/** The staged versions: a job id, then the columns of import_input (imports.ts) in the same order. */
const JOB_REWRITE_TABLE = `create temp table job_rewrite (
  id int, employer_id int, title text, pay_min int, pay_max int, pay_unit pay_unit, pay_negotiable bool,
  pay_months int, pay_text text, headcount int, headcount_text text, location text, education text,
  experience text, category job_category, contact_name text, contact_phone text, valid_from date,
  valid_until date, description text, extra jsonb, warnings jsonb, fingerprint text, content_hash text,
  row_number int, record jsonb
) on commit drop`;
