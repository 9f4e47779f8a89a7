import type { JobCategory, JobView } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Database } from './client.ts';
import { employers, jobs, sites } from './schema/index.ts';

export interface JobFilter {
  siteId: number;
  category?: JobCategory | undefined;
  search?: string | undefined;
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
  const search = filter.search?.trim();
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
