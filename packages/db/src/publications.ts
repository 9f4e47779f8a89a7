import {
  type CoverageLevel,
  coverageLevels,
  JobcastError,
  type PublicationPlatform,
  publicationPlatforms,
} from '@jobcast/core';
import { and, count, desc, eq, gte, ilike, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { flyerMonthName } from './flyers.ts';
import { containsPattern, searchText } from './like.ts';
import type { FlyerIssue } from './renders.ts';
import { coverageReports, flyerIssues, publications, renders } from './schema/index.ts';

export type Publication = typeof publications.$inferSelect;
export type CoverageReport = typeof coverageReports.$inferSelect;

const MAX_TITLE_CHARS = 200;
const MAX_URL_CHARS = 2000;

function bad(field: string, message: string): never {
  throw new JobcastError('BAD_INPUT', message, { field });
}

/**
 * A web address as typed, checked: only http and https (a `javascript:` address shown as a link
 * would run when clicked), at most MAX_URL_CHARS characters. A record keeps it as the parser writes
 * it (`href`): the address a browser opens, whatever stray spaces or characters were typed.
 */
function webAddress(raw: string, field: string): URL {
  const text = raw.trim();
  if (!text) bad(field, '链接不能为空');
  if (text.length > MAX_URL_CHARS) bad(field, `链接过长：最多 ${MAX_URL_CHARS} 个字符`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    bad(field, `链接格式有误：${text.slice(0, 80)}；链接须以 http:// 或 https:// 开头`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    bad(field, '链接须以 http:// 或 https:// 开头');
  }
  // Characters outside ASCII are stored percent-encoded, up to nine times as long as typed.
  if (url.href.length > MAX_URL_CHARS) {
    bad(field, `链接过长：转码后超过 ${MAX_URL_CHARS} 个字符`);
  }
  return url;
}

/**
 * Query parameters a share button adds to the same video's address: where it was shared from, not
 * which video it is. `utm_*` everywhere; `previous_page` is Douyin's share source.
 */
const SHARE_PARAMETERS = /^(utm_.*|previous_page)$/;

/** The key of a checked address: host without `www.`, path without a trailing slash, the query without share parameters. */
function keyOf(url: URL): string {
  const host = url.host.replace(/^www\./, '');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
  const query = new URLSearchParams(url.search);
  for (const name of [...query.keys()]) if (SHARE_PARAMETERS.test(name)) query.delete(name);
  const search = query.toString();
  return `${host}${path}${search ? `?${search}` : ''}`;
}

/**
 * The address as a key: the same video reached as `HTTPS://Www.Douyin.com/video/1/#top`,
 * `http://douyin.com/video/1` and `https://www.douyin.com/video/1?previous_page=app_code_link` is
 * one video. The scheme, `www.`, the fragment, a trailing slash and share parameters are dropped and
 * the host lower-cased; the path and the rest of the query are kept (platforms' ids are
 * case-sensitive, and `?id=1` and `?id=2` are two videos). A short link (`v.douyin.com/…`) stays its
 * own address: resolving it would need the platform.
 */
export function urlKey(raw: string, field = 'url'): string {
  return keyOf(webAddress(raw, field));
}

/** A calendar date as YYYY-MM-DD, checked to exist (no 2026-02-30). */
export function calendarDate(raw: string, field: string): string {
  const text = raw.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(`${text}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    bad(field, `日期有误：${text.slice(0, 20)}，请写作“年-月-日”，如 2026-03-10`);
  }
  return text;
}

function title(raw: string, field = 'title'): string {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (!text) bad(field, '标题不能为空');
  if (text.length > MAX_TITLE_CHARS) bad(field, `标题过长：最多 ${MAX_TITLE_CHARS} 个字`);
  return text;
}

/** A unique index refused the row; drizzle wraps the driver's error, so its causes are looked at too. */
function uniqueViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: string }).code === '23505') return true;
  }
  return false;
}

export interface NewPublication {
  siteId: number;
  /** One of JobCast's videos, or null for a video made elsewhere. */
  renderId?: number | null;
  platform: string;
  url: string;
  publishedOn: string;
  title: string;
  /** Only for a video made elsewhere: one of JobCast's is an AI video exactly when its render's record says so. */
  aiVideo?: boolean;
  /** The AI tool a video made elsewhere was made with: an AI video made elsewhere must name it. */
  aiTool?: string | null;
  createdBy?: number | null;
}

/** Records a published short video; the same address twice is refused with the record that has it. */
export async function recordPublication(db: Database, input: NewPublication): Promise<Publication> {
  if (!(publicationPlatforms as readonly string[]).includes(input.platform)) {
    bad('platform', '平台须为视频号、抖音或其他');
  }
  const address = webAddress(input.url, 'url');
  const key = keyOf(address);
  const publishedOn = calendarDate(input.publishedOn, 'publishedOn');
  const name = title(input.title);
  let aiVideo = input.aiVideo ?? false;
  let aiTool = input.aiTool?.trim() || null;
  if (aiTool && [...aiTool].length > 60) bad('aiTool', 'AI 工具名称最多 60 个字');
  if (input.renderId != null) {
    const [render] = await db
      .select()
      .from(renders)
      .where(and(eq(renders.id, input.renderId), eq(renders.siteId, input.siteId)));
    if (!render) throw new JobcastError('NOT_FOUND', `制作任务 ${input.renderId} 不存在`);
    if (render.kind !== 'video' || render.status !== 'done') {
      bad('renderId', `制作 #${render.id} 不是制作完成的短视频：只有制作完成的短视频可以登记发布`);
    }
    // The render's record of its AI components decides, not a tick box.
    aiVideo = render.aiVideo;
    aiTool = null;
  } else if (aiVideo && !aiTool) {
    bad('aiTool', '登记为 AI 视频须写明所用的 AI 工具（如：剪映 AI 配音、即梦），作为考核佐证');
  } else if (!aiVideo) {
    aiTool = null;
  }
  try {
    const [row] = await db
      .insert(publications)
      .values({
        siteId: input.siteId,
        renderId: input.renderId ?? null,
        platform: input.platform as PublicationPlatform,
        url: address.href,
        urlKey: key,
        publishedOn,
        title: name,
        aiVideo,
        aiTool,
        createdBy: input.createdBy ?? null,
      })
      .returning();
    if (!row) throw new JobcastError('INTERNAL', 'publication was not recorded');
    return row;
  } catch (error) {
    if (!uniqueViolation(error)) throw error;
    const [existing] = await db
      .select()
      .from(publications)
      .where(and(eq(publications.siteId, input.siteId), eq(publications.urlKey, key)));
    throw new JobcastError(
      'CONFLICT',
      `这个链接已登记过（${existing?.publishedOn ?? ''}「${existing?.title ?? ''}」，记录 #${existing?.id ?? '?'}），同一条视频只计一次`,
      { field: 'url', existingId: existing?.id },
    );
  }
}

export interface NewCoverage {
  siteId: number;
  outlet: string;
  level: string;
  url: string;
  publishedOn: string;
  title: string;
  /** The article's screenshot or PDF, already in the media store. */
  evidence?: CoverageEvidence | null;
  createdBy?: number | null;
}

/** A report's screenshot or PDF as stored: its media key, the name it was uploaded under, its size. */
export interface CoverageEvidence {
  key: string;
  name: string;
  bytes: number;
}

/** Records a media report; the same address twice is refused. */
export async function recordCoverage(db: Database, input: NewCoverage): Promise<CoverageReport> {
  const outlet = input.outlet.trim();
  if (!outlet || outlet.length > 100) bad('outlet', '媒体名称须填写，最多 100 字');
  if (!(coverageLevels as readonly string[]).includes(input.level)) {
    bad('level', '级别须为国家级或部级、省级');
  }
  const address = webAddress(input.url, 'url');
  const key = keyOf(address);
  const publishedOn = calendarDate(input.publishedOn, 'publishedOn');
  const name = title(input.title);
  try {
    const [row] = await db
      .insert(coverageReports)
      .values({
        siteId: input.siteId,
        outlet,
        level: input.level as CoverageLevel,
        url: address.href,
        urlKey: key,
        publishedOn,
        title: name,
        evidenceKey: input.evidence?.key ?? null,
        evidenceName: input.evidence?.name ?? null,
        evidenceBytes: input.evidence?.bytes ?? null,
        createdBy: input.createdBy ?? null,
      })
      .returning();
    if (!row) throw new JobcastError('INTERNAL', 'coverage was not recorded');
    return row;
  } catch (error) {
    if (!uniqueViolation(error)) throw error;
    const [existing] = await db
      .select()
      .from(coverageReports)
      .where(and(eq(coverageReports.siteId, input.siteId), eq(coverageReports.urlKey, key)));
    throw new JobcastError(
      'CONFLICT',
      `这个链接已登记过（${existing?.outlet ?? ''} ${existing?.publishedOn ?? ''}「${existing?.title ?? ''}」），同一篇报道只计一次`,
      { field: 'url', existingId: existing?.id },
    );
  }
}

/** Dates from `from` (inclusive) to `to` (exclusive), as YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

export async function listPublications(
  db: Database,
  siteId: number,
  range?: DateRange,
  limit = 5000,
): Promise<Publication[]> {
  const where = range
    ? and(
        eq(publications.siteId, siteId),
        gte(publications.publishedOn, range.from),
        lt(publications.publishedOn, range.to),
      )
    : eq(publications.siteId, siteId);
  return db
    .select()
    .from(publications)
    .where(where)
    .orderBy(desc(publications.publishedOn), desc(publications.id))
    .limit(limit);
}

/** What a page of publications is narrowed to; a field left out matches every publication. */
export interface PublicationFilter {
  siteId: number;
  range?: DateRange | undefined;
  platform?: PublicationPlatform | undefined;
  /** true: AI videos only; false: the others only. */
  aiVideo?: boolean | undefined;
  /** Literal text in the title. */
  search?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

function publicationConditions(filter: PublicationFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(publications.siteId, filter.siteId)];
  if (filter.range) {
    conditions.push(gte(publications.publishedOn, filter.range.from), lt(publications.publishedOn, filter.range.to));
  }
  if (filter.platform) conditions.push(eq(publications.platform, filter.platform));
  if (filter.aiVideo !== undefined) conditions.push(eq(publications.aiVideo, filter.aiVideo));
  const search = searchText(filter.search);
  if (search) conditions.push(ilike(publications.title, containsPattern(search)));
  return and(...conditions);
}

/** One page of publications, newest first, and how many match the filter in all. */
export async function findPublications(
  db: Database,
  filter: PublicationFilter,
): Promise<{ items: Publication[]; total: number }> {
  const where = publicationConditions(filter);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(publications)
      .where(where)
      .orderBy(desc(publications.publishedOn), desc(publications.id))
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0),
    db.select({ n: count() }).from(publications).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** How many videos were published in the range, and how many of them are AI videos. */
export async function countPublications(
  db: Database,
  siteId: number,
  range: DateRange,
): Promise<{ videos: number; ai: number }> {
  const [row] = await db
    .select({ videos: count(), ai: sql<number>`(count(*) filter (where ${publications.aiVideo}))::int` })
    .from(publications)
    .where(publicationConditions({ siteId, range }));
  return { videos: row?.videos ?? 0, ai: row?.ai ?? 0 };
}

export async function listCoverage(db: Database, siteId: number, range?: DateRange, limit = 5000) {
  const where = range
    ? and(
        eq(coverageReports.siteId, siteId),
        gte(coverageReports.publishedOn, range.from),
        lt(coverageReports.publishedOn, range.to),
      )
    : eq(coverageReports.siteId, siteId);
  return db
    .select()
    .from(coverageReports)
    .where(where)
    .orderBy(desc(coverageReports.publishedOn), desc(coverageReports.id))
    .limit(limit);
}

/** Takes back a publication recorded by mistake (the wrong address or video), so the year no longer counts it. */
export async function deletePublication(db: Database, siteId: number, id: number): Promise<Publication> {
  const [row] = await db
    .delete(publications)
    .where(and(eq(publications.id, id), eq(publications.siteId, siteId)))
    .returning();
  if (!row) throw new JobcastError('NOT_FOUND', `没有这条发布记录（${id}）`);
  return row;
}

const noSuchReport = (id: number) => new JobcastError('NOT_FOUND', `没有这条媒体报道记录（编号 ${id}）`);

/** Takes back a media report recorded by mistake. */
export async function deleteCoverage(db: Database, siteId: number, id: number): Promise<CoverageReport> {
  const [row] = await db
    .delete(coverageReports)
    .where(and(eq(coverageReports.id, id), eq(coverageReports.siteId, siteId)))
    .returning();
  if (!row) throw noSuchReport(id);
  return row;
}

export async function getCoverage(db: Database, siteId: number, id: number): Promise<CoverageReport> {
  const [row] = await db
    .select()
    .from(coverageReports)
    .where(and(eq(coverageReports.id, id), eq(coverageReports.siteId, siteId)));
  if (!row) throw noSuchReport(id);
  return row;
}

/**
 * Gives a media report its screenshot or PDF, in place of the one before: the caller removes
 * `replacedKey` from the media store once this has answered.
 */
export async function setCoverageEvidence(
  db: Database,
  siteId: number,
  id: number,
  evidence: CoverageEvidence,
): Promise<{ report: CoverageReport; replacedKey: string | null }> {
  return db.transaction(async (tx) => {
    const where = and(eq(coverageReports.id, id), eq(coverageReports.siteId, siteId));
    const [before] = await tx
      .select({ key: coverageReports.evidenceKey })
      .from(coverageReports)
      .where(where)
      .for('update');
    if (!before) throw noSuchReport(id);
    const [report] = await tx
      .update(coverageReports)
      .set({ evidenceKey: evidence.key, evidenceName: evidence.name.slice(0, 200), evidenceBytes: evidence.bytes })
      .where(where)
      .returning();
    if (!report) throw noSuchReport(id);
    return { report, replacedKey: before.key === evidence.key ? null : before.key };
  });
}

export async function listFlyerIssues(db: Database, siteId: number, range?: DateRange): Promise<FlyerIssue[]> {
  const where = range
    ? and(eq(flyerIssues.siteId, siteId), gte(flyerIssues.month, range.from), lt(flyerIssues.month, range.to))
    : eq(flyerIssues.siteId, siteId);
  return db.select().from(flyerIssues).where(where).orderBy(desc(flyerIssues.month));
}

const MAX_COPIES = 10_000_000;

/** `label` names the count in the message: 印刷份数 or 发放份数. */
function copies(value: number, field: string, label: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_COPIES) {
    bad(field, `${label}须为 0 到 ${MAX_COPIES} 的整数`);
  }
  return value;
}

function noSuchIssue(issueId: number): never {
  throw new JobcastError('NOT_FOUND', `没有这期招工小报（记录 ${issueId}）`);
}

/** One of the site's flyer issues; another site's is as absent as one that never existed. */
export async function getSiteFlyerIssue(db: Database, siteId: number, issueId: number): Promise<FlyerIssue> {
  const [row] = await db
    .select()
    .from(flyerIssues)
    .where(and(eq(flyerIssues.id, issueId), eq(flyerIssues.siteId, siteId)));
  return row ?? noSuchIssue(issueId);
}

/** The issue as updated; undefined when it is not the site's, or `onlyIf` does not hold. */
async function updateIssue(
  db: Database,
  siteId: number,
  issueId: number,
  set: Partial<FlyerIssue>,
  onlyIf?: SQL,
): Promise<FlyerIssue | undefined> {
  const [row] = await db
    .update(flyerIssues)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(flyerIssues.id, issueId), eq(flyerIssues.siteId, siteId), onlyIf))
    .returning();
  return row;
}

/** The issue's latest render is done (or it has none made here): the PDF with its current number exists. */
const latestFlyerMade = sql`(${flyerIssues.renderId} is null or exists (
  select 1 from ${renders} where ${renders.id} = ${flyerIssues.renderId} and ${renders.status} = 'done'))`;

/**
 * The print run as delivered: the year counts an issue once it has at least the contract's copies.
 * What was printed must be the latest render, the one with the issue's current number and jobs, so
 * a print is refused while that render is not done (an issue renumbered or generated again). A demo
 * seeding a past year records its prints before the worker has made the flyers: `allowUnfinishedRender`.
 */
export async function markFlyerPrinted(
  db: Database,
  siteId: number,
  issueId: number,
  input: { copies: number; date: string },
  options: { allowUnfinishedRender?: boolean } = {},
): Promise<FlyerIssue> {
  const printedAt = calendarDate(input.date, 'date');
  await notInTheFuture(db, siteId, printedAt, '印刷日期');
  const set = { copiesPrinted: copies(input.copies, 'copies', '印刷份数'), printedAt };
  const row = await updateIssue(db, siteId, issueId, set, options.allowUnfinishedRender ? undefined : latestFlyerMade);
  if (row) return row;
  const issue = await getSiteFlyerIssue(db, siteId, issueId);
  // Refused only with a render: an issue without one passes the condition.
  const [render] =
    issue.renderId === null
      ? []
      : await db.select({ status: renders.status }).from(renders).where(eq(renders.id, issue.renderId));
  const which = `${flyerMonthName(issue.month)}的招工小报（第 ${issue.issueNumber} 期）最新的一版（制作 #${issue.renderId}）`;
  throw new JobcastError(
    'RULE_VIOLATED',
    render?.status === 'failed'
      ? `${which}制作失败：请重新生成这一期，做好、核对后再登记印刷。`
      : `${which}还没有做好：印的应是印着当前期号的这一版，做好、核对后再登记印刷。`,
  );
}

/** A print or distribution is entered after it happened: a date after today (the site's) is a typo. */
async function notInTheFuture(db: Database, siteId: number, day: string, what: string): Promise<void> {
  const { rows } = await db.$client.query<{ today: string }>(
    `select to_char(now() at time zone timezone, 'YYYY-MM-DD') as today from sites where id = $1`,
    [siteId],
  );
  const today = rows[0]?.today;
  if (today && day > today) bad('date', `${what}不能晚于今天（${today}）：${day}`);
}

export async function markFlyerDistributed(
  db: Database,
  siteId: number,
  issueId: number,
  input: { copies: number; place: string; date: string },
): Promise<FlyerIssue> {
  const place = input.place.trim();
  if (!place || place.length > 200) bad('place', '发放地点须填写，最多 200 字');
  const distributedAt = calendarDate(input.date, 'date');
  await notInTheFuture(db, siteId, distributedAt, '发放日期');
  const row = await updateIssue(db, siteId, issueId, {
    copiesDistributed: copies(input.copies, 'copies', '发放份数'),
    distributedPlace: place,
    distributedAt,
  });
  return row ?? noSuchIssue(issueId);
}

/** What the year's targets are counted from, in the shape `@jobcast/kpi` scores. */
export interface YearCounts {
  videos: { done: number; ai: number };
  coverage: { done: number; national: number };
  flyers: { qualifiedIssues: number };
  livestreams: { job: number; other: number };
}

export interface MonthCount {
  month: string;
  count: number;
}

export interface YearCountsByMonth {
  videos: MonthCount[];
  coverage: MonthCount[];
  flyers: MonthCount[];
  livestreams: MonthCount[];
}

/**
 * Counts the service year's work in one statement: published videos and media reports by their
 * publication date, flyer issues of the year's months printed in at least `minFlyerCopies`, and
 * qualified livestreams by the day (in the site's time zone) they went live. Months are returned
 * only where something was counted. One statement, not four: the dashboard asks on every view.
 */
export async function countYear(
  db: Database,
  input: { siteId: number; range: DateRange; timezone: string; minFlyerCopies: number },
): Promise<{ totals: YearCounts; byMonth: YearCountsByMonth }> {
  const { siteId, range, timezone, minFlyerCopies } = input;
  type Line = keyof YearCountsByMonth;
  // `n` is what the line counts; `sub` its sub-target (AI videos, national reports, job livestreams).
  const { rows } = await db.$client.query<{ line: Line; month: string; n: number; sub: number }>(
    `select 'videos' as line, to_char(published_on, 'YYYY-MM') as month, count(*)::int as n,
            count(*) filter (where ai_video)::int as sub
       from publications where site_id = $1 and published_on >= $2 and published_on < $3 group by 2
     union all
     select 'coverage', to_char(published_on, 'YYYY-MM'), count(*)::int,
            count(*) filter (where level = 'national')::int
       from coverage_reports where site_id = $1 and published_on >= $2 and published_on < $3 group by 2
     union all
     select 'flyers', to_char(month, 'YYYY-MM'), count(*)::int, 0
       from flyer_issues where site_id = $1 and month >= $2 and month < $3 and copies_printed >= $5 group by 2
     union all
     select 'livestreams', to_char(day, 'YYYY-MM'), count(*)::int, count(*) filter (where type = 'job')::int
       from (select type, (coalesce(started_at, slot_start) at time zone $4)::date as day
               from live_sessions where site_id = $1 and qualified) s
      where day >= $2 and day < $3 group by 2
     order by 1, 2`,
    [siteId, range.from, range.to, timezone, minFlyerCopies],
  );
  const of = (line: Line) => rows.filter((row) => row.line === line);
  const sum = (line: Line, pick: (row: { n: number; sub: number }) => number) =>
    of(line).reduce((total, row) => total + pick(row), 0);
  const series = (line: Line) => of(line).map((row) => ({ month: row.month, count: row.n }));
  const live = { total: sum('livestreams', (r) => r.n), job: sum('livestreams', (r) => r.sub) };
  return {
    totals: {
      videos: { done: sum('videos', (r) => r.n), ai: sum('videos', (r) => r.sub) },
      coverage: { done: sum('coverage', (r) => r.n), national: sum('coverage', (r) => r.sub) },
      flyers: { qualifiedIssues: sum('flyers', (r) => r.n) },
      livestreams: { job: live.job, other: live.total - live.job },
    },
    byMonth: {
      videos: series('videos'),
      coverage: series('coverage'),
      flyers: series('flyers'),
      livestreams: series('livestreams'),
    },
  };
}
