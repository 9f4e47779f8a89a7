import type { RenderKind } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { type AiComponent, flyerIssues, renders } from './schema/index.ts';

export type { AiComponent };
export type Render = typeof renders.$inferSelect;
export type FlyerIssue = typeof flyerIssues.$inferSelect;

export interface NewRender {
  siteId: number;
  kind: RenderKind;
  template: string;
  jobIds: number[];
  request?: Record<string, unknown>;
  flyerIssueId?: number | null;
  createdBy?: number | null;
}

/** What a finished render produced, as the checks read it from the files. */
export interface RenderOutput {
  outputKey: string;
  coverKey?: string | null;
  previewKeys?: string[] | null;
  mimeType: string;
  width?: number | null;
  height?: number | null;
  durationS?: number | null;
  pages?: number | null;
  bytes: number;
  /** The AI components that made part of a video: a video is an AI video exactly when there is one. */
  aiComponents?: AiComponent[];
  /** The narration as spoken. */
  script?: string | null;
  captionsKey?: string | null;
  /** Why the AI script writer's draft was not spoken (null: it was, or none was asked for). */
  scriptNote?: string | null;
}

/** The row comes first: only then is the render queued, under a job id derived from its id. */
export async function createRender(db: Database, input: NewRender): Promise<Render> {
  const [row] = await db
    .insert(renders)
    .values({
      siteId: input.siteId,
      kind: input.kind,
      template: input.template,
      jobIds: input.jobIds,
      request: input.request ?? {},
      flyerIssueId: input.flyerIssueId ?? null,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  if (!row) throw new JobcastError('INTERNAL', 'render was not created');
  return row;
}

export async function getRender(db: Database, renderId: number, siteId?: number): Promise<Render> {
  const where =
    siteId === undefined ? eq(renders.id, renderId) : and(eq(renders.id, renderId), eq(renders.siteId, siteId));
  const [row] = await db.select().from(renders).where(where);
  if (!row) throw new JobcastError('NOT_FOUND', `制作任务 ${renderId} 不存在 (no render ${renderId})`);
  return row;
}

export async function listRenders(db: Database, siteId: number, limit = 50): Promise<Render[]> {
  return db.select().from(renders).where(eq(renders.siteId, siteId)).orderBy(desc(renders.id)).limit(limit);
}

/**
 * A worker takes a render: it becomes running and its attempt is counted. Returns null when the render
 * is already done or failed for good (a duplicate queue job, or one the reconciler queued again while
 * the first finished): the worker then has nothing to do.
 */
export async function claimRender(db: Database, renderId: number): Promise<Render | null> {
  const [row] = await db
    .update(renders)
    .set({
      status: 'running',
      attempts: sql`${renders.attempts} + 1`,
      progress: 0,
      startedAt: sql`now()`,
      heartbeatAt: sql`now()`,
      errorCode: null,
      errorMessage: null,
    })
    .where(and(eq(renders.id, renderId), inArray(renders.status, ['queued', 'running'])))
    .returning();
  return row ?? null;
}

/** Progress only moves forward, and each report shows the render is alive. */
export async function reportRenderProgress(db: Database, renderId: number, progress: number): Promise<void> {
  const percent = Math.max(0, Math.min(100, Math.round(progress)));
  await db.$client.query(
    `update renders set progress = greatest(progress, $2), heartbeat_at = now() where id = $1 and status = 'running'`,
    [renderId, percent],
  );
}

/**
 * Marks a running render done with what it produced. Returns false when it was not running (another
 * run finished it first); the outputs, named after the render, are the same files either way.
 */
export async function completeRender(db: Database, renderId: number, output: RenderOutput): Promise<boolean> {
  const result = await db.$client.query(
    `update renders set status = 'done', progress = 100, finished_at = now(), heartbeat_at = now(),
            output_key = $2, cover_key = $3, preview_keys = $4, mime_type = $5, width = $6, height = $7,
            duration_s = $8, pages = $9, bytes = $10, error_code = null, error_message = null,
            ai_components = $11::jsonb, ai_video = jsonb_array_length($11::jsonb) > 0, script = $12, captions_key = $13,
            script_note = $14
      where id = $1 and status = 'running'`,
    [
      renderId,
      output.outputKey,
      output.coverKey ?? null,
      output.previewKeys ?? null,
      output.mimeType,
      output.width ?? null,
      output.height ?? null,
      output.durationS ?? null,
      output.pages ?? null,
      output.bytes,
      JSON.stringify(output.aiComponents ?? []),
      output.script ?? null,
      output.captionsKey ?? null,
      output.scriptNote ?? null,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Records a failed run. A final failure (input that can never render, or the last attempt) marks the
 * render failed; otherwise it waits, queued, for its retry, with the error shown meanwhile.
 */
export async function failRender(
  db: Database,
  renderId: number,
  error: { code: string; message: string },
  final: boolean,
): Promise<void> {
  await db.$client.query(
    `update renders set status = $2::render_status, error_code = $3, error_message = $4, heartbeat_at = now(),
            finished_at = case when $2::render_status = 'failed' then now() else finished_at end
      where id = $1 and status in ('queued', 'running')`,
    [renderId, final ? 'failed' : 'queued', error.code, error.message],
  );
}

/**
 * A failed render asked for again: queued as at first (its jobs and request unchanged), its last
 * error cleared, its attempts still counted. Returns null when the render is not failed (still
 * pending, done, or retried already by someone else).
 */
export async function requeueFailedRender(db: Database, renderId: number, siteId: number): Promise<Render | null> {
  const [row] = await db
    .update(renders)
    .set({
      status: 'queued',
      progress: 0,
      errorCode: null,
      errorMessage: null,
      startedAt: null,
      finishedAt: null,
      // The reconciler's grace period counts from here, not from when the render was first asked for.
      heartbeatAt: sql`now()`,
    })
    .where(and(eq(renders.id, renderId), eq(renders.siteId, siteId), eq(renders.status, 'failed')))
    .returning();
  return row ?? null;
}

/**
 * Renders the reconciler looks at: queued for longer than `queuedForS` (Redis may never have had
 * them), or running with no sign of life for `stalledForS` (the worker died).
 */
export async function listRendersToReconcile(
  db: Database,
  options: { queuedForS: number; stalledForS: number },
): Promise<Render[]> {
  return db
    .select()
    .from(renders)
    .where(
      or(
        and(
          eq(renders.status, 'queued'),
          sql`coalesce(${renders.heartbeatAt}, ${renders.createdAt}) < now() - make_interval(secs => ${options.queuedForS})`,
        ),
        and(
          eq(renders.status, 'running'),
          sql`${renders.heartbeatAt} < now() - make_interval(secs => ${options.stalledForS})`,
        ),
      ),
    )
    .orderBy(renders.id);
}

/**
 * The flyer issue of a site's month: created with the next issue number the first time, a new
 * revision of the same issue every time after. `month` is YYYY-MM.
 */
export async function requestFlyerIssue(
  db: Database,
  input: { siteId: number; month: string; copiesPlanned?: number },
): Promise<FlyerIssue> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) {
    throw new JobcastError('BAD_INPUT', `月份应写作 YYYY-MM，例如 2026-11：${input.month} (month must be YYYY-MM)`);
  }
  const copies = input.copiesPlanned ?? 1000;
  // Two first requests for different months at once can pick the same next number: the unique index
  // on (site, issue number) refuses the second, which then takes the number after.
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await db.$client.query<{ id: number }>(
        `insert into flyer_issues (site_id, month, issue_number, copies_planned)
         select $1, $2::date, coalesce(max(issue_number), 0) + 1, $3 from flyer_issues where site_id = $1
         on conflict (site_id, month) do update
           set revision = flyer_issues.revision + 1, copies_planned = excluded.copies_planned, updated_at = now()
           where flyer_issues.copies_printed is null
         returning id`,
        [input.siteId, `${input.month}-01`, copies],
      );
      if (result.rows.length === 0) await refusePrinted(db, input.siteId, input.month);
      const [issue] = await db
        .select()
        .from(flyerIssues)
        .where(eq(flyerIssues.id, result.rows[0]?.id as number));
      return issue as FlyerIssue;
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code !== '23505' || e.constraint !== 'flyer_issues_site_number_idx' || attempt >= 5) throw error;
    }
  }
}

/**
 * An issue marked printed is what was handed out: its PDF is the year's evidence, so it is not made
 * again (a reprint of a corrected flyer is entered as the month's print record, not a new revision).
 */
async function refusePrinted(db: Database, siteId: number, month: string): Promise<never> {
  const [issue] = await db
    .select()
    .from(flyerIssues)
    .where(and(eq(flyerIssues.siteId, siteId), eq(flyerIssues.month, `${month}-01`)));
  throw new JobcastError(
    'RULE_VIOLATED',
    `${month} 的招工小报（第 ${issue?.issueNumber ?? '?'} 期）已登记印刷 ${issue?.copiesPrinted ?? '?'} 份，不能重新生成：印出来的这一版就是考核佐证 (the issue is already printed)`,
  );
}

/** The render of an issue's latest revision. */
export async function setFlyerIssueRender(db: Database, issueId: number, renderId: number): Promise<void> {
  await db.update(flyerIssues).set({ renderId, updatedAt: new Date() }).where(eq(flyerIssues.id, issueId));
}

export async function getFlyerIssue(db: Database, issueId: number): Promise<FlyerIssue> {
  const [issue] = await db.select().from(flyerIssues).where(eq(flyerIssues.id, issueId));
  if (!issue) throw new JobcastError('NOT_FOUND', `小报期号记录 ${issueId} 不存在 (no flyer issue ${issueId})`);
  return issue;
}

/**
 * The jobs a month's flyer shows when none are named: jobs still open in that month (no end date,
 * or one on or after the month's first day, and not starting after it), newest first and, among a
 * day's jobs, the largest headcount first. Gig jobs (零工) are picked apart, for their own section.
 * A job whose pay the importer could not read (only the posting's words are kept) is left out: a
 * flyer never prints those words raw (core's printablePay), and naming it would fail the render.
 */
export async function pickFlyerJobs(
  db: Database,
  input: { siteId: number; month: string; max: number; gigMax: number },
): Promise<{ jobIds: number[]; gigJobIds: number[] }> {
  const pick = async (gig: boolean, limit: number) => {
    if (limit <= 0) return [];
    const result = await db.$client.query<{ id: number }>(
      `select id from jobs
        where site_id = $1 and (category = 'gig') = $2
          and (valid_until is null or valid_until >= $3::date)
          and (valid_from is null or valid_from < ($3::date + interval '1 month'))
          and not (pay_min is null and pay_max is null and not pay_negotiable
                   and pay_unit is distinct from 'piece' and coalesce(pay_text, '') ~ '\\S')
        order by date_trunc('day', updated_at) desc, headcount desc nulls last, id desc
        limit $4`,
      [input.siteId, gig, `${input.month}-01`, limit],
    );
    return result.rows.map((row) => row.id);
  };
  const gigJobIds = await pick(true, input.gigMax);
  const jobIds = await pick(false, input.max - gigJobIds.length);
  return { jobIds, gigJobIds };
}
