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
