import type { RenderKind, RenderStatus } from '@jobcast/core';
import { JobcastError, monthStart, parseMonth } from '@jobcast/core';
import { and, count, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { containsPattern, searchText } from './like.ts';
import { type AiComponent, type flyerIssues, renders } from './schema/index.ts';

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
  if (!row) throw new JobcastError('NOT_FOUND', `制作任务 ${renderId} 不存在`);
  return row;
}

export async function listRenders(db: Database, siteId: number, limit = 50): Promise<Render[]> {
  return db.select().from(renders).where(eq(renders.siteId, siteId)).orderBy(desc(renders.id)).limit(limit);
}

/** What a list of renders is narrowed to; a field left out matches every render. */
export interface RenderFilter {
  siteId: number;
  kind?: RenderKind | undefined;
  template?: string | undefined;
  status?: RenderStatus | undefined;
  /** YYYY-MM: renders asked for in that month on the site's clock. */
  month?: { month: string; timezone: string } | undefined;
  /**
   * Literal text in the title or employer of a job the render shows, a policy explainer's title, or
   * a flyer's month (2026-11).
   */
  search?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

function renderConditions(filter: RenderFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(renders.siteId, filter.siteId)];
  if (filter.kind) conditions.push(eq(renders.kind, filter.kind));
  if (filter.template) conditions.push(eq(renders.template, filter.template));
  if (filter.status) conditions.push(eq(renders.status, filter.status));
  if (filter.month) {
    const { month, timezone } = filter.month;
    const first = monthStart(parseMonth(month));
    const start = sql`(${first}::timestamp at time zone ${timezone})`;
    const end = sql`((${first}::timestamp + interval '1 month') at time zone ${timezone})`;
    conditions.push(sql`${renders.createdAt} >= ${start}`, sql`${renders.createdAt} < ${end}`);
  }
  const search = searchText(filter.search);
  if (search) {
    const pattern = containsPattern(search);
    conditions.push(
      or(
        sql`exists (select 1 from jobs j join employers e on e.id = j.employer_id
                     where j.site_id = ${renders.siteId} and j.id = any(${renders.jobIds})
                       and (j.title ilike ${pattern} or e.name ilike ${pattern}))`,
        sql`${renders.request}->'explainer'->>'title' ilike ${pattern}`,
        and(eq(renders.kind, 'flyer'), sql`${renders.request}->>'month' ilike ${pattern}`),
      ),
    );
  }
  return and(...conditions);
}

/** One page of a site's renders, newest first, and how many match the filter in all. */
export async function findRenders(db: Database, filter: RenderFilter): Promise<{ items: Render[]; total: number }> {
  const where = renderConditions(filter);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(renders)
      .where(where)
      .orderBy(desc(renders.id))
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0),
    db.select({ n: count() }).from(renders).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
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
