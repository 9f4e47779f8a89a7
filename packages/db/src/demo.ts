import type { Database } from './client.ts';

/** The demo's own narrated video of one job (made by no user) that no publication has taken yet. */
export async function findDemoVideo(
  db: Database,
  siteId: number,
  jobId: number,
): Promise<{ id: number; status: string } | null> {
  const { rows } = await db.$client.query<{ id: number; status: string }>(
    `select id, status from renders r
      where site_id = $1 and kind = 'video' and template = 'job-spotlight' and job_ids = $2::int[]
        and created_by is null and not exists (select 1 from publications p where p.render_id = r.id)
      order by id limit 1`,
    [siteId, [jobId]],
  );
  return rows[0] ?? null;
}

/** Up to `limit` employers of the site that have jobs, by name, oldest first (the demo's fairs invite them). */
export async function employersWithJobs(db: Database, siteId: number, limit: number): Promise<string[]> {
  const { rows } = await db.$client.query<{ name: string }>(
    `select e.name from employers e where e.site_id = $1
      and exists (select 1 from jobs j where j.employer_id = e.id) order by e.id limit $2`,
    [siteId, limit],
  );
  return rows.map((row) => row.name);
}

/** The site's job videos (any state), newest first, for the demo's screen plays. */
export async function jobVideosOfSite(
  db: Database,
  siteId: number,
  limit: number,
): Promise<{ renderId: number; jobIds: number[]; durationS: number }[]> {
  const { rows } = await db.$client.query<{ renderId: number; jobIds: number[]; durationS: number | null }>(
    `select id as "renderId", job_ids as "jobIds", duration_s as "durationS" from renders
      where site_id = $1 and kind = 'video' and cardinality(job_ids) > 0 order by id desc limit $2`,
    [siteId, limit],
  );
  return rows.map((row) => ({ ...row, durationS: row.durationS ?? 30 }));
}
