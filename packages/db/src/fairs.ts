/**
 * Job fairs (issue 14): the record of an AI数智招聘会 or a 线下招聘会, its employers from the job pool
 * and the jobs they brought, its photos, plan and summary, its own playlist, and its verdict, worked
 * out when read from the employers and (for an AI fair) the plays of its screen group during it.
 */
import { JobcastError } from '@jobcast/core';
import { FAIR_RULES, type FairFacts, type FairVerdict, judgeFair, monthsOf, type ServiceYear } from '@jobcast/kpi';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import {
  type Fair,
  type FairKindName,
  type FairPhoto,
  fairEmployers as fairEmployerRows,
  fairKinds,
  fairPhotos,
  fairPlaylistItems,
  fairs,
  screenGroups,
} from './schema/index.ts';
import { fairPlayCounts } from './screens.ts';

export type { Fair, FairKindName, FairPhoto };

/** What a fair may last: one that runs longer is taken for a typo in its dates. */
export const FAIR_MAX_HOURS = 72;
export const FAIR_MAX_EMPLOYERS = 200;
export const FAIR_MAX_PHOTOS = 200;
export const FAIR_MAX_PLAYLIST = 200;
const MAX_TITLE_CHARS = 100;
const MAX_VENUE_CHARS = 100;
const MAX_TEXT_CHARS = 20_000;
const MAX_COUNT = 1_000_000;

export const FAIR_KIND_LABELS: Record<FairKindName, string> = { ai: 'AI数智招聘会', onsite: '线下招聘会' };

function bad(field: string, message: string): never {
  throw new JobcastError('BAD_INPUT', message, { field });
}

function notFound(fairId: number): never {
  throw new JobcastError('NOT_FOUND', `招聘会 ${fairId} 不存在`);
}

/** A transaction of `db.transaction`: what writes that must happen together take. */
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Locks the fair's row for the rest of the transaction, so two saves of its employers or playlist
 * (a delete and an insert each) run one after the other instead of merging. A lock that does not
 * block foreign-key checks: photos may still be added meanwhile.
 */
async function lockFair(tx: Transaction, siteId: number, fairId: number): Promise<void> {
  const [row] = await tx
    .select({ id: fairs.id })
    .from(fairs)
    .where(and(eq(fairs.siteId, siteId), eq(fairs.id, fairId)))
    .for('no key update');
  if (!row) notFound(fairId);
}

// ---------------------------------------------------------------------------------------------
// Names

// Invisible characters a copied name may carry (zero-width, BOM, controls), as the importer drops them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing stray control characters is the point.
const INVISIBLE_RE = /[\u200B-\u200D\u2060\uFEFF\x00-\x08\x0E-\x1F\x7F]/g;
const FULL_WIDTH_G_RE = /[\uFF01-\uFF5E\u3000]/g;
// Decorative symbols (★, ~, |) go with punctuation; math and currency symbols stay so 'C++' and 'C' differ.
const FOLD_DROP_RE = /[\s\p{P}\p{So}\p{Sk}~|]+/gu;

/**
 * An employer's name folded as the importer keys it (employers.name_key; services/ingest's `foldKey`):
 * full-width letters and digits to ASCII, lower case, spaces and punctuation (brackets too) dropped, so
 * 「南昌洪城物流（有限公司）」 typed with other brackets or spaces finds the same employer.
 */
export function employerNameKey(name: string): string {
  return name
    .replace(INVISIBLE_RE, '')
    .replace(FULL_WIDTH_G_RE, (ch) => {
      const c = ch.charCodeAt(0);
      return c === 0x3000 ? ' ' : String.fromCharCode(c - 0xfee0);
    })
    .toLowerCase()
    .replace(FOLD_DROP_RE, '');
}

function cleanLine(raw: string | null | undefined, field: string, what: string, max: number): string {
  const text = (raw ?? '').replace(INVISIBLE_RE, '').replace(/\s+/g, ' ').trim();
  if (!text) bad(field, `${what}不能为空`);
  if ([...text].length > max) bad(field, `${what}最多 ${max} 个字`);
  return text;
}

function cleanText(raw: string | null | undefined, field: string, what: string): string | null {
  const text = (raw ?? '').replace(/\r\n?/g, '\n').trim();
  if (!text) return null;
  if (text.length > MAX_TEXT_CHARS) {
    bad(field, `${what}最多 ${MAX_TEXT_CHARS} 个字`);
  }
  return text;
}

function count(value: number | null | undefined, field: string, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_COUNT) {
    bad(field, `${what}须为 0 到 ${MAX_COUNT} 之间的整数`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Times

const LOCAL_TIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2}))?(?:\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A fair's start or end as typed: `2026-05-10 09:00` on the site's clock (its time zone), or an ISO
 * time with its offset (`2026-05-10T09:00+08:00`, `…Z`). A day that does not exist (2026-02-30) or
 * another shape is refused, naming the field.
 */
export async function fairTime(db: Database, siteId: number, text: string, field: string): Promise<Date> {
  const raw = text.trim();
  const match = LOCAL_TIME_RE.exec(raw);
  const local = match ? `${match[1]}T${match[2]}:${match[3] ?? '00'}` : '';
  const wall = Date.parse(`${local}Z`);
  // Date.parse rolls 2026-02-30 over to March: the fields must come back as typed.
  if (!match || Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 19) !== local) {
    bad(field, `时间格式有误：${raw.slice(0, 40)}，请写成 2026-05-10 09:00（站点时间）`);
  }
  const offset = match[4]?.toUpperCase();
  if (offset) {
    const iso = offset === 'Z' ? 'Z' : offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
    const at = new Date(`${local}${iso}`);
    if (Number.isNaN(at.getTime())) bad(field, `时间格式有误：${raw.slice(0, 40)}`);
    return at;
  }
  const { rows } = await db.$client.query<{ at: Date }>(
    'select ($1::timestamp at time zone s.timezone) as at from sites s where s.id = $2',
    [local, siteId],
  );
  const at = rows[0]?.at;
  if (!at) throw new JobcastError('NOT_FOUND', `站点 ${siteId} 不存在`);
  return at;
}

// ---------------------------------------------------------------------------------------------
// Records

export interface FairInput {
  kind: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  venue: string;
  /** The screen group whose plays prove an AI fair; required for one, optional for an on-site fair. */
  groupId?: number | null;
  jobSeekers?: number | null;
  /** 意向 (offers of interest) made. */
  offers?: number | null;
  plan?: string | null;
  summary?: string | null;
}

/** The fields of a fair as they will be stored, checked together (an update is checked whole). */
async function checkedFair(db: Database, siteId: number, input: FairInput) {
  if (!(fairKinds as readonly string[]).includes(input.kind)) {
    bad('kind', '招聘会类型须为 AI数智招聘会或线下招聘会');
  }
  const kind = input.kind as FairKindName;
  const title = cleanLine(input.title, 'title', '招聘会名称', MAX_TITLE_CHARS);
  const venue = cleanLine(input.venue, 'venue', '举办地点', MAX_VENUE_CHARS);
  const { startsAt, endsAt } = input;
  if (!(startsAt instanceof Date) || Number.isNaN(startsAt.getTime())) {
    bad('startsAt', '请填写开始时间');
  }
  if (!(endsAt instanceof Date) || Number.isNaN(endsAt.getTime())) bad('endsAt', '请填写结束时间');
  if (endsAt <= startsAt) bad('endsAt', '结束时间须晚于开始时间');
  if (endsAt.getTime() - startsAt.getTime() > FAIR_MAX_HOURS * 3_600_000) {
    bad('endsAt', `一场招聘会不会超过 ${FAIR_MAX_HOURS / 24} 天，请检查开始和结束日期`);
  }
  const groupId = input.groupId ?? null;
  if (groupId === null && kind === 'ai') {
    bad('groupId', 'AI数智招聘会须选择屏幕分组：职播机在招聘会期间的播放记录是达标的依据');
  }
  if (groupId !== null) {
    const { rows } = await db.$client.query('select 1 from screen_groups where id = $1 and site_id = $2', [
      groupId,
      siteId,
    ]);
    if (rows.length === 0) bad('groupId', `屏幕分组 ${groupId} 不存在`);
  }
  return {
    kind,
    title,
    venue,
    startsAt,
    endsAt,
    groupId,
    jobSeekers: count(input.jobSeekers, 'jobSeekers', '求职者人数'),
    offers: count(input.offers, 'offers', '达成意向人数'),
    plan: cleanText(input.plan, 'plan', '活动方案'),
    summary: cleanText(input.summary, 'summary', '活动总结'),
  };
}

type CheckedFair = Awaited<ReturnType<typeof checkedFair>>;

/**
 * An AI fair's screen group holds no other AI fair at the same time: the group's plays in a window
 * prove one fair, and would otherwise count for each (fairPlayCounts credits every fair on the group).
 * The group's row is locked first, so two fairs saved at once on one group are checked one by one.
 * `exceptId` is the fair being changed. Refused naming the other fair and its time (site clock).
 */
async function checkGroupFree(
  tx: Transaction,
  siteId: number,
  fair: Pick<CheckedFair, 'kind' | 'groupId' | 'startsAt' | 'endsAt'>,
  exceptId: number | null,
): Promise<void> {
  if (fair.kind !== 'ai' || fair.groupId === null) return;
  const [group] = await tx
    .select({ name: screenGroups.name })
    .from(screenGroups)
    .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.id, fair.groupId)))
    .for('no key update');
  if (!group) bad('groupId', `屏幕分组 ${fair.groupId} 不存在`);
  const { rows } = await tx.execute<{
    id: number;
    title: string;
    fromDay: string;
    from: string;
    toDay: string;
    to: string;
  }>(
    sql`select f.id, f.title,
               to_char(f.starts_at at time zone s.timezone, 'YYYY-MM-DD') as "fromDay",
               to_char(f.starts_at at time zone s.timezone, 'HH24:MI') as "from",
               to_char(f.ends_at at time zone s.timezone, 'YYYY-MM-DD') as "toDay",
               to_char(f.ends_at at time zone s.timezone, 'HH24:MI') as "to"
          from fairs f join sites s on s.id = f.site_id
         where f.site_id = ${siteId} and f.group_id = ${fair.groupId} and f.kind = 'ai'
           and f.starts_at < ${fair.endsAt.toISOString()}::timestamptz
           and f.ends_at > ${fair.startsAt.toISOString()}::timestamptz
           and f.id <> ${exceptId ?? 0}
         order by f.starts_at, f.id
         limit 1`,
  );
  const other = rows[0];
  if (!other) return;
  const span = `${other.fromDay} ${other.from}–${other.toDay === other.fromDay ? '' : `${other.toDay} `}${other.to}`;
  throw new JobcastError(
    'CONFLICT',
    `屏幕分组「${group.name}」在这段时间已有 AI数智招聘会「${other.title}」（${span}）：同一分组的播放记录只能证明一场招聘会，请错开时间或换一个屏幕分组`,
    { field: 'startsAt', fairId: other.id },
  );
}

async function insertFair(
  tx: Transaction,
  siteId: number,
  values: CheckedFair,
  createdBy: number | null,
): Promise<Fair> {
  await checkGroupFree(tx, siteId, values, null);
  const [row] = await tx
    .insert(fairs)
    .values({ ...values, siteId, createdBy })
    .returning();
  if (!row) throw new Error('fair insert returned nothing');
  return row;
}

export async function createFair(
  db: Database,
  input: FairInput & { siteId: number; createdBy?: number | null },
): Promise<Fair> {
  const values = await checkedFair(db, input.siteId, input);
  return db.transaction((tx) => insertFair(tx, input.siteId, values, input.createdBy ?? null));
}

/**
 * A fair recorded with its employers (as `setFairEmployers` takes them) in one transaction: an
 * employer refused leaves no fair behind, and no one sees the fair without its employers.
 */
export async function createFairWithEmployers(
  db: Database,
  input: FairInput & { siteId: number; createdBy?: number | null },
  entries: readonly FairEmployerEntry[],
): Promise<{ fair: Fair; employers: FairEmployerView[]; merged: string[] }> {
  const values = await checkedFair(db, input.siteId, input);
  const chosen = await chooseFairEmployers(db, input.siteId, values.startsAt, entries);
  const fair = await db.transaction(async (tx) => {
    const row = await insertFair(tx, input.siteId, values, input.createdBy ?? null);
    if (chosen.rows.length > 0) {
      await tx.insert(fairEmployerRows).values(chosen.rows.map((entry) => ({ ...entry, fairId: row.id })));
    }
    return row;
  });
  return { fair, employers: await fairEmployers(db, fair.id), merged: chosen.merged };
}

/** Changes what is given; the fair is checked whole again (an AI fair keeps needing its group). */
export async function updateFair(
  db: Database,
  siteId: number,
  fairId: number,
  change: Partial<FairInput>,
): Promise<Fair> {
  const current = await fairRow(db, siteId, fairId);
  const merged: FairInput = {
    kind: change.kind ?? current.kind,
    title: change.title ?? current.title,
    venue: change.venue ?? current.venue,
    startsAt: change.startsAt ?? current.startsAt,
    endsAt: change.endsAt ?? current.endsAt,
    groupId: change.groupId !== undefined ? change.groupId : current.groupId,
    jobSeekers: change.jobSeekers !== undefined ? change.jobSeekers : current.jobSeekers,
    offers: change.offers !== undefined ? change.offers : current.offers,
    plan: change.plan !== undefined ? change.plan : current.plan,
    summary: change.summary !== undefined ? change.summary : current.summary,
  };
  const values = await checkedFair(db, siteId, merged);
  return db.transaction(async (tx) => {
    await checkGroupFree(tx, siteId, values, fairId);
    const [row] = await tx
      .update(fairs)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(fairs.siteId, siteId), eq(fairs.id, fairId)))
      .returning();
    if (!row) notFound(fairId);
    return row;
  });
}

async function fairRow(db: Database, siteId: number, fairId: number): Promise<Fair> {
  const [row] = await db
    .select()
    .from(fairs)
    .where(and(eq(fairs.siteId, siteId), eq(fairs.id, fairId)));
  if (!row) notFound(fairId);
  return row;
}

/**
 * Removes a fair and what belongs to it (employers, playlist, photo rows). Returns the fair and the
 * media-store keys of its files, for the caller to remove from the store.
 */
export async function deleteFair(
  db: Database,
  siteId: number,
  fairId: number,
): Promise<{ fair: Fair; fileKeys: string[] }> {
  return db.transaction(async (tx) => {
    const photos = await tx
      .select({ key: fairPhotos.storageKey })
      .from(fairPhotos)
      .where(eq(fairPhotos.fairId, fairId));
    const [fair] = await tx
      .delete(fairs)
      .where(and(eq(fairs.siteId, siteId), eq(fairs.id, fairId)))
      .returning();
    if (!fair) notFound(fairId);
    const fileKeys = [
      ...photos.flatMap((p) => [p.key, fairPhotoThumbKey(p.key)]),
      ...[fair.planKey, fair.summaryKey].filter((key): key is string => key !== null),
    ];
    return { fair, fileKeys };
  });
}

/** A fair as lists show it: its record, the day it is held (site time) and what it holds. */
export interface FairListing extends Fair {
  groupName: string | null;
  /** The day it starts on the site's clock (YYYY-MM-DD): the day and month it counts in. */
  day: string;
  employerIds: number[];
  jobCount: number;
  photoCount: number;
}

/**
 * Where a fair stands at the time it is read: `held` once it has ended (only then does it count, as the
 * score counts it), `ongoing` between its start and end, `upcoming` before its start.
 */
export type FairStatus = 'upcoming' | 'ongoing' | 'held';

export const FAIR_STATUS_LABELS: Record<FairStatus, string> = { upcoming: '未举办', ongoing: '进行中', held: '已举办' };

/** What a fair's verdict rests on, and the verdict. */
export interface FairJudgement {
  facts: FairFacts;
  /** Every play of job videos on the fair's screen group during it, completed or not. */
  plays: number;
  status: FairStatus;
  /**
   * A fair held: judgeFair's verdict. One not over yet is not qualified (it does not count yet); its
   * reasons say so and what its registration has or lacks so far.
   */
  verdict: FairVerdict;
}

export type JudgedFair = FairListing & FairJudgement;

const LISTING_SELECT = `
  select f.id, f.site_id as "siteId", f.kind::text as kind, f.title, f.starts_at as "startsAt", f.ends_at as "endsAt",
         f.venue, f.group_id as "groupId", f.job_seekers as "jobSeekers", f.offers, f.plan, f.summary,
         f.plan_key as "planKey", f.plan_name as "planName", f.summary_key as "summaryKey",
         f.summary_name as "summaryName", f.created_by as "createdBy", f.created_at as "createdAt",
         f.updated_at as "updatedAt", g.name as "groupName",
         to_char(f.starts_at at time zone s.timezone, 'YYYY-MM-DD') as day,
         coalesce((select array_agg(e.employer_id order by e.employer_id) from fair_employers e where e.fair_id = f.id),
                  '{}') as "employerIds",
         coalesce((select sum(cardinality(e.job_ids)) from fair_employers e where e.fair_id = f.id), 0)::int
           as "jobCount",
         (select count(*) from fair_photos p where p.fair_id = f.id)::int as "photoCount"
    from fairs f
    join sites s on s.id = f.site_id
    left join screen_groups g on g.id = f.group_id`;

/**
 * The site's fairs that start on the days from `from` up to (not including) `to` (YYYY-MM-DD, site
 * time), in order, each with its verdict.
 */
export async function listFairs(
  db: Database,
  siteId: number,
  from: string,
  to: string,
  now: Date = new Date(),
): Promise<JudgedFair[]> {
  const { rows } = await db.$client.query<FairListing>(
    `${LISTING_SELECT}
      where f.site_id = $1
        and f.starts_at >= ($2::date::timestamp at time zone s.timezone)
        and f.starts_at < ($3::date::timestamp at time zone s.timezone)
      order by f.starts_at, f.id`,
    [siteId, from, to],
  );
  return judged(db, rows, now);
}

async function judged(db: Database, rows: FairListing[], now: Date): Promise<JudgedFair[]> {
  const verdicts = await fairVerdicts(db, rows, now);
  return rows.map((row) => ({ ...row, ...(verdicts.get(row.id) as FairJudgement) }));
}

export function fairStatus(fair: { startsAt: Date | string; endsAt: Date | string }, now: Date): FairStatus {
  if (new Date(fair.endsAt).getTime() <= now.getTime()) return 'held';
  return new Date(fair.startsAt).getTime() <= now.getTime() ? 'ongoing' : 'upcoming';
}

/** What a fair not over yet is told: that it does not count yet, and how its registration stands. */
function pendingVerdict(status: Exclude<FairStatus, 'held'>, facts: FairFacts): FairVerdict {
  const employers = new Set(facts.employerIds).size;
  const rule = FAIR_RULES[facts.kind];
  const max = facts.kind === 'ai' ? FAIR_RULES.ai.maxEmployers : Number.POSITIVE_INFINITY;
  const wanted = facts.kind === 'ai' ? ` ${rule.minEmployers}–${max} 家` : `至少 ${rule.minEmployers} 家`;
  const standing = [
    employers < rule.minEmployers
      ? `用人单位 ${employers} 家，少于 ${rule.minEmployers} 家`
      : employers > max
        ? `用人单位 ${employers} 家，多于 ${max} 家`
        : `用人单位 ${employers} 家（要求${wanted}）`,
  ];
  if (facts.kind === 'ai') {
    standing.push(
      status === 'upcoming'
        ? '举办期间职播机须播放带岗视频'
        : facts.completedPlays > 0
          ? `职播机已播放带岗视频 ${facts.completedPlays} 次，共 ${facts.videosPlayed} 条`
          : '职播机还没有完整播放过带岗视频',
    );
  }
  const state = status === 'upcoming' ? '已登记，尚未举办' : '正在举办';
  return { qualified: false, employers, reasons: [`${state}，结束后才计入考核；按当前登记：${standing.join('；')}`] };
}

/**
 * The verdict of each fair (judgeFair of @jobcast/kpi): its employers, and for an AI fair the
 * completed plays of job videos on its screen group between its start and end (fairPlayCounts).
 * A fair not over by `now` is not judged yet (see FairJudgement), as the score leaves it out.
 */
export async function fairVerdicts(
  db: Database,
  list: readonly Pick<FairListing, 'id' | 'kind' | 'employerIds' | 'startsAt' | 'endsAt'>[],
  now: Date = new Date(),
): Promise<Map<number, FairJudgement>> {
  const counts = await fairPlayCounts(
    db,
    list.filter((fair) => fair.kind === 'ai').map((fair) => fair.id),
  );
  const result = new Map<number, FairJudgement>();
  for (const fair of list) {
    const played = fair.kind === 'ai' ? counts.get(fair.id) : undefined;
    const facts: FairFacts = {
      kind: fair.kind,
      employerIds: fair.employerIds,
      completedPlays: played?.completedPlays ?? 0,
      videosPlayed: played?.videosPlayed ?? 0,
    };
    const status = fairStatus(fair, now);
    const verdict = status === 'held' ? judgeFair(facts) : pendingVerdict(status, facts);
    result.set(fair.id, { facts, plays: played?.plays ?? 0, status, verdict });
  }
  return result;
}

/** One month of the service year and its on-site fairs: the "at least one a month" rule. */
export interface FairMonth {
  /** YYYY-MM. */
  month: string;
  /** On-site fairs held (over) that month. */
  fairs: number;
  /** Of those, the ones that qualify: what the score's monthly count holds. */
  qualified: number;
  /** On-site fairs recorded for that month that are not over yet: they count once held. */
  upcoming: number;
  /** The month has at least one qualifying on-site fair held. */
  met: boolean;
}

/**
 * The months of the service year (as `monthsOf` gives them) with how many on-site fairs each held
 * and how many qualified, as the score counts them (a fair counts once over): the monthly minimum's
 * alert is a month without one.
 */
export function onsiteFairMonths(
  sy: ServiceYear,
  list: readonly Pick<JudgedFair, 'kind' | 'day' | 'verdict' | 'status'>[],
): FairMonth[] {
  return monthsOf(sy).map((month) => {
    const recorded = list.filter((fair) => fair.kind === 'onsite' && fair.day.startsWith(month));
    const held = recorded.filter((fair) => fair.status === 'held');
    const qualified = held.filter((fair) => fair.verdict.qualified).length;
    return { month, fairs: held.length, qualified, upcoming: recorded.length - held.length, met: qualified >= 1 };
  });
}

/** An employer at a fair, named, with the jobs it brought. */
export interface FairEmployerView {
  employerId: number;
  name: string;
  jobs: { id: number; title: string; validUntil: string | null }[];
}

export interface FairDetail extends JudgedFair {
  employers: FairEmployerView[];
  photos: FairPhoto[];
  /** The fair's own playlist, in order. */
  playlist: number[];
}

/** One fair with its employers and their jobs, photos, playlist and verdict. */
export async function getFair(
  db: Database,
  siteId: number,
  fairId: number,
  now: Date = new Date(),
): Promise<FairDetail> {
  const { rows } = await db.$client.query<FairListing>(`${LISTING_SELECT} where f.site_id = $1 and f.id = $2`, [
    siteId,
    fairId,
  ]);
  const [listing] = await judged(db, rows, now);
  if (!listing) notFound(fairId);
  const [employers, photos, playlist] = await Promise.all([
    fairEmployers(db, fairId),
    db.select().from(fairPhotos).where(eq(fairPhotos.fairId, fairId)).orderBy(asc(fairPhotos.id)),
    db
      .select({ renderId: fairPlaylistItems.renderId })
      .from(fairPlaylistItems)
      .where(eq(fairPlaylistItems.fairId, fairId))
      .orderBy(asc(fairPlaylistItems.position)),
  ]);
  return { ...listing, employers, photos, playlist: playlist.map((item) => item.renderId) };
}

async function fairEmployers(db: Database, fairId: number): Promise<FairEmployerView[]> {
  const { rows } = await db.$client.query<FairEmployerView>(
    `select fe.employer_id as "employerId", e.name,
            coalesce((select json_agg(json_build_object('id', j.id, 'title', j.title, 'validUntil', j.valid_until)
                                      order by j.id)
                        from jobs j where j.id = any(fe.job_ids) and j.employer_id = fe.employer_id), '[]') as jobs
       from fair_employers fe join employers e on e.id = fe.employer_id
      where fe.fair_id = $1
      order by e.name, fe.employer_id`,
    [fairId],
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Employers

export interface FairEmployerEntry {
  /** The job pool's employer; or give its name. */
  employerId?: number;
  name?: string;
  /** The jobs it brought; by default its jobs open on the fair's day. */
  jobIds?: number[];
}

/**
 * Sets the fair's employers: each found in the site's job pool by id or by name (folded as the
 * importer keys names); a name not there is refused, naming it. The same employer listed twice is
 * one row, its jobs together, and is returned in `merged` so the caller can say so. An employer's
 * jobs default to those open on the fair's day (no end date, or one on or after it, site time);
 * jobs given must be that employer's, else refused naming the job.
 */
export async function setFairEmployers(
  db: Database,
  siteId: number,
  fairId: number,
  entries: readonly FairEmployerEntry[],
): Promise<{ employers: FairEmployerView[]; merged: string[] }> {
  const fair = await fairRow(db, siteId, fairId);
  const chosen = await chooseFairEmployers(db, siteId, fair.startsAt, entries);
  // The fair's row locked first: two saves at once leave one list or the other, never both merged.
  await db.transaction(async (tx) => {
    await lockFair(tx, siteId, fairId);
    await tx.delete(fairEmployerRows).where(eq(fairEmployerRows.fairId, fairId));
    if (chosen.rows.length > 0) {
      await tx.insert(fairEmployerRows).values(chosen.rows.map((entry) => ({ ...entry, fairId })));
    }
    await tx.update(fairs).set({ updatedAt: new Date() }).where(eq(fairs.id, fairId));
  });
  return { employers: await fairEmployers(db, fairId), merged: chosen.merged };
}

/**
 * The rows a fair starting at `startsAt` would hold for these entries (see `setFairEmployers`),
 * checked against the job pool; nothing is written.
 */
async function chooseFairEmployers(
  db: Database,
  siteId: number,
  startsAt: Date,
  entries: readonly FairEmployerEntry[],
): Promise<{ rows: { employerId: number; jobIds: number[] }[]; merged: string[] }> {
  const names = entries.map((entry) => entry.name?.trim() ?? '');
  const keys = names.map(employerNameKey);
  const ids = entries.map((entry) => entry.employerId).filter((id): id is number => id !== undefined);
  const { rows: found } = await db.$client.query<{ id: number; name: string; key: string }>(
    `select id, name, name_key as key from employers
      where site_id = $1 and (name_key = any($2::text[]) or id = any($3::int[]))`,
    [siteId, keys.filter((key) => key !== ''), ids],
  );
  const byKey = new Map(found.map((row) => [row.key, row]));
  const byId = new Map(found.map((row) => [row.id, row]));

  const chosen = new Map<number, { name: string; jobIds: number[] | null; times: number }>();
  entries.forEach((entry, i) => {
    let employer: { id: number; name: string } | undefined;
    if (entry.employerId !== undefined) {
      employer = byId.get(entry.employerId);
      if (!employer) {
        bad(`employers.${i}`, `第 ${i + 1} 家单位：岗位库里没有编号为 ${entry.employerId} 的单位`);
      }
    } else {
      const name = names[i] ?? '';
      if (!name || !keys[i]) bad(`employers.${i}`, `第 ${i + 1} 家单位：请填写单位名称`);
      employer = byKey.get(keys[i] as string);
      if (!employer) {
        bad(`employers.${i}`, `岗位库里没有单位「${name.slice(0, 60)}」：请核对名称，或先导入这家单位的岗位`);
      }
    }
    const jobIds = entry.jobIds === undefined ? null : [...entry.jobIds];
    const seen = chosen.get(employer.id);
    if (!seen) {
      chosen.set(employer.id, { name: employer.name, jobIds, times: 1 });
      return;
    }
    seen.times++;
    // Jobs named under either listing are kept; one listing without jobs adds none of its own.
    if (jobIds !== null) seen.jobIds = [...(seen.jobIds ?? []), ...jobIds];
  });
  if (chosen.size > FAIR_MAX_EMPLOYERS) {
    bad('employers', `一场招聘会最多登记 ${FAIR_MAX_EMPLOYERS} 家单位`);
  }

  // Jobs given must be the employer's own.
  const given = [...new Set([...chosen.values()].flatMap((entry) => entry.jobIds ?? []))];
  for (const id of given) {
    if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) bad('jobIds', `岗位编号有误：${id}`);
  }
  const { rows: jobRows } = await db.$client.query<{ id: number; employerId: number; title: string }>(
    `select id, employer_id as "employerId", title from jobs where site_id = $1 and id = any($2::int[])`,
    [siteId, given],
  );
  const jobOwner = new Map(jobRows.map((job) => [job.id, job]));
  for (const [employerId, entry] of chosen) {
    for (const id of entry.jobIds ?? []) {
      const job = jobOwner.get(id);
      if (!job) bad('jobIds', `岗位 ${id} 不存在`);
      if (job.employerId !== employerId) {
        bad('jobIds', `岗位 ${id}「${job.title}」不是「${entry.name}」的岗位`);
      }
    }
  }

  // The default: each employer's jobs open on the fair's day, on the site's clock.
  const defaults = [...chosen].filter(([, entry]) => entry.jobIds === null).map(([id]) => id);
  const open = new Map<number, number[]>();
  if (defaults.length > 0) {
    const { rows } = await db.$client.query<{ employerId: number; jobIds: number[] }>(
      `select j.employer_id as "employerId", array_agg(j.id order by j.id) as "jobIds"
         from jobs j join sites s on s.id = j.site_id
        where j.site_id = $1 and j.employer_id = any($2::int[])
          and (j.valid_until is null or j.valid_until >= ($3::timestamptz at time zone s.timezone)::date)
          and (j.valid_from is null or j.valid_from <= ($3::timestamptz at time zone s.timezone)::date)
        group by j.employer_id`,
      [siteId, defaults, startsAt],
    );
    for (const row of rows) open.set(row.employerId, row.jobIds);
  }

  return {
    rows: [...chosen].map(([employerId, entry]) => ({
      employerId,
      jobIds: [...new Set(entry.jobIds ?? open.get(employerId) ?? [])].sort((a, b) => a - b),
    })),
    merged: [...chosen.values()].filter((entry) => entry.times > 1).map((entry) => entry.name),
  };
}

// ---------------------------------------------------------------------------------------------
// Photos, files, playlist

/** The thumbnail stored beside a fair photo. */
export function fairPhotoThumbKey(storageKey: string): string {
  return storageKey.replace(/\.jpg$/, '-thumb.jpg');
}

/**
 * Records a photo already checked and stored by the caller (re-encoded, its metadata removed): the
 * fair must be the site's.
 */
export async function addFairPhoto(
  db: Database,
  input: {
    siteId: number;
    fairId: number;
    storageKey: string;
    displayName: string;
    width: number;
    height: number;
    bytes: number;
    uploadedBy?: number | null;
  },
): Promise<FairPhoto> {
  await fairRow(db, input.siteId, input.fairId);
  const { rows } = await db.$client.query<{ n: number }>(
    'select count(*)::int as n from fair_photos where fair_id = $1',
    [input.fairId],
  );
  if ((rows[0]?.n ?? 0) >= FAIR_MAX_PHOTOS) {
    throw new JobcastError('RULE_VIOLATED', `一场招聘会最多 ${FAIR_MAX_PHOTOS} 张照片`);
  }
  const [row] = await db
    .insert(fairPhotos)
    .values({
      fairId: input.fairId,
      storageKey: input.storageKey,
      displayName: input.displayName.slice(0, 200),
      width: input.width,
      height: input.height,
      bytes: input.bytes,
      uploadedBy: input.uploadedBy ?? null,
    })
    .returning();
  if (!row) throw new Error('fair photo insert returned nothing');
  return row;
}

export async function getFairPhoto(db: Database, siteId: number, fairId: number, photoId: number): Promise<FairPhoto> {
  await fairRow(db, siteId, fairId);
  const [row] = await db
    .select()
    .from(fairPhotos)
    .where(and(eq(fairPhotos.fairId, fairId), eq(fairPhotos.id, photoId)));
  if (!row) throw new JobcastError('NOT_FOUND', `招聘会 ${fairId} 没有照片 ${photoId}`);
  return row;
}

/** Removes a photo's row; returns it, for the caller to remove its files. */
export async function deleteFairPhoto(
  db: Database,
  siteId: number,
  fairId: number,
  photoId: number,
): Promise<FairPhoto> {
  const photo = await getFairPhoto(db, siteId, fairId, photoId);
  await db.delete(fairPhotos).where(eq(fairPhotos.id, photo.id));
  return photo;
}

export type FairDocument = 'plan' | 'summary';

/**
 * Keeps the plan or summary given as a file (already stored by the caller), or forgets it (null).
 * Returns the key of the file it replaces, for the caller to remove.
 */
export async function setFairFile(
  db: Database,
  siteId: number,
  fairId: number,
  which: FairDocument,
  file: { key: string; name: string } | null,
): Promise<{ fair: Fair; replacedKey: string | null }> {
  const current = await fairRow(db, siteId, fairId);
  const replacedKey = which === 'plan' ? current.planKey : current.summaryKey;
  const values =
    which === 'plan'
      ? { planKey: file?.key ?? null, planName: file?.name.slice(0, 200) ?? null }
      : { summaryKey: file?.key ?? null, summaryName: file?.name.slice(0, 200) ?? null };
  const [fair] = await db
    .update(fairs)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(fairs.siteId, siteId), eq(fairs.id, fairId)))
    .returning();
  if (!fair) notFound(fairId);
  return { fair, replacedKey: replacedKey === file?.key ? null : replacedKey };
}

/**
 * The fair's own playlist, played on its group's screens during the fair: the site's finished
 * videos, in this order (an empty list leaves the group's own playlist playing).
 */
export async function setFairPlaylist(
  db: Database,
  siteId: number,
  fairId: number,
  renderIds: readonly number[],
): Promise<number[]> {
  await fairRow(db, siteId, fairId);
  if (renderIds.length > FAIR_MAX_PLAYLIST) {
    bad('renderIds', `招聘会播放列表最多 ${FAIR_MAX_PLAYLIST} 条视频`);
  }
  for (const id of renderIds) {
    if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) bad('renderIds', `视频编号有误：${id}`);
  }
  if (renderIds.length > 0) {
    const { rows } = await db.$client.query<{ id: number }>(
      `select id from renders where site_id = $1 and id = any($2::int[]) and kind = 'video' and status = 'done'`,
      [siteId, [...renderIds]],
    );
    const finished = new Set(rows.map((row) => row.id));
    const missing = renderIds.find((id) => !finished.has(id));
    if (missing !== undefined) {
      bad('renderIds', `制作任务 ${missing} 不是本站已完成的视频，不能放进招聘会播放列表`);
    }
  }
  await db.transaction(async (tx) => {
    await lockFair(tx, siteId, fairId);
    await tx.delete(fairPlaylistItems).where(eq(fairPlaylistItems.fairId, fairId));
    if (renderIds.length > 0) {
      await tx
        .insert(fairPlaylistItems)
        .values(renderIds.map((renderId, position) => ({ fairId, position, renderId })));
    }
    await tx.update(fairs).set({ updatedAt: new Date() }).where(eq(fairs.id, fairId));
  });
  return [...renderIds];
}
