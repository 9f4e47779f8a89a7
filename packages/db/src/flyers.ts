/**
 * The monthly flyer's issues (招工小报): one per site and month, numbered by the month (第 N 期), and
 * the jobs a month's flyer shows. Print and distribution records are in publications.ts.
 */
import { JobcastError, monthStart, parseMonth } from '@jobcast/core';
import { flyerMonthsOf, isFlyerMonth, serviceYear } from '@jobcast/kpi';
import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import type { FlyerIssue } from './renders.ts';
import { flyerIssues, sites } from './schema/index.ts';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The highest number an office can give an issue: a flyer printed monthly for 800 years. */
export const MAX_FLYER_ISSUE_NUMBER = 9999;

/** An issue's place in the series: its month (YYYY-MM) and number. */
export interface NumberedIssue {
  month: string;
  issueNumber: number;
}

/** Months from `from` to `to` (YYYY-MM), negative when `to` comes first. */
export function monthsBetween(from: string, to: string): number {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  return index(to) - index(from);
}

/** "2026年3月" for 2026-03 (or its first day). */
export function flyerMonthName(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** The month's place (1 to 12) among the flyer months of the service year it belongs to. */
function placeInServiceYear(month: string, serviceYearStart: string): number {
  const year = Number(month.slice(0, 4));
  for (const y of [year, year - 1]) {
    const sy = serviceYear(y, serviceYearStart);
    if (isFlyerMonth(sy, month)) return flyerMonthsOf(sy).indexOf(month) + 1;
  }
  // Every month's first day lies in the service year of its own calendar year or the one before.
  throw new Error(`no service year holds ${month} (start ${serviceYearStart})`);
}

/**
 * The number a new issue of `month` (YYYY-MM) takes. Numbers follow the months, one a month, so a
 * month nobody made leaves its number unused and a month made late still gets its own. The number
 * continues from the site's nearest earlier issue (so a number the office changed to match its own
 * series carries on), or counts back from the nearest later one. A site's first issue takes its
 * month's place in the service year: the contract asks for one issue a month, so the year's first
 * month is 第1期 even when the office makes its current month's flyer first and the earlier ones
 * after. Below 1 when the month comes before the series' first issue.
 */
export function flyerIssueNumberFor(
  month: string,
  neighbours: { before: NumberedIssue | null; after: NumberedIssue | null },
  serviceYearStart: string,
): number {
  const { before, after } = neighbours;
  if (before) return before.issueNumber + monthsBetween(before.month, month);
  if (after) return after.issueNumber - monthsBetween(month, after.month);
  return placeInServiceYear(month, serviceYearStart);
}

/** One site's issues are numbered one request at a time: a new number is read from the issues beside it. */
const FLYER_NUMBER_LOCK = 0x666c7972; // "flyr"

async function lockSiteNumbers(tx: Transaction, siteId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${FLYER_NUMBER_LOCK}, ${siteId})`);
}

const asNumbered = (issue: FlyerIssue | undefined): NumberedIssue | null =>
  issue ? { month: issue.month.slice(0, 7), issueNumber: issue.issueNumber } : null;

/** The site's issues nearest to `month` (YYYY-MM) before and after it: its number lies between theirs. */
async function neighboursOf(
  tx: Transaction,
  siteId: number,
  month: string,
): Promise<{ before: FlyerIssue | undefined; after: FlyerIssue | undefined }> {
  const day = monthStart(month);
  const [before] = await tx
    .select()
    .from(flyerIssues)
    .where(and(eq(flyerIssues.siteId, siteId), lt(flyerIssues.month, day)))
    .orderBy(desc(flyerIssues.month))
    .limit(1);
  const [after] = await tx
    .select()
    .from(flyerIssues)
    .where(and(eq(flyerIssues.siteId, siteId), gt(flyerIssues.month, day)))
    .orderBy(asc(flyerIssues.month))
    .limit(1);
  return { before, after };
}

/** The number for a new issue of `month` on the site, or why it has none. */
async function newIssueNumber(tx: Transaction, siteId: number, month: string): Promise<number> {
  const { before, after } = await neighboursOf(tx, siteId, month);
  const [site] = await tx.select({ start: sites.serviceYearStart }).from(sites).where(eq(sites.id, siteId));
  if (!site) throw new JobcastError('NOT_FOUND', `站点 ${siteId} 不存在`);
  const number = flyerIssueNumberFor(month, { before: asNumbered(before), after: asNumbered(after) }, site.start);
  if (number < 1 && after) {
    throw new JobcastError(
      'RULE_VIOLATED',
      `${flyerMonthName(month)}早于第 ${after.issueNumber} 期（${flyerMonthName(after.month)}），按月份排期号会小于 1。` +
        (after.copiesPrinted === null
          ? '可先把那一期的期号改大，再生成这个月的小报。'
          : '那一期已印刷，期号不能再改，这个月不能再出一期。'),
    );
  }
  // Counted on from the issue before, the number may reach a later issue's that the office changed.
  if (after && number >= after.issueNumber) {
    throw new JobcastError(
      'CONFLICT',
      `按月份，${flyerMonthName(month)}应是第 ${number} 期，但${flyerMonthName(after.month)}已是第 ${after.issueNumber} 期：请先改正那一期的期号。`,
    );
  }
  return number;
}

function printedRefusal(issue: FlyerIssue, what: string): JobcastError {
  return new JobcastError(
    'RULE_VIOLATED',
    `${flyerMonthName(issue.month)}的招工小报（第 ${issue.issueNumber} 期）已登记印刷 ${issue.copiesPrinted ?? '?'} 份，${what}：印出来的这一版就是考核佐证。`,
  );
}

/**
 * The flyer issue of a site's month (`month` is YYYY-MM): made the first time with its month's
 * number (`flyerIssueNumberFor`), a new revision of the same issue every time after. An issue marked
 * printed is what was handed out: its PDF is the year's evidence, so it is not made again (a reprint
 * of a corrected flyer is entered as the month's print record, not a new revision).
 */
export async function requestFlyerIssue(
  db: Database,
  input: { siteId: number; month: string; copiesPlanned?: number },
): Promise<FlyerIssue> {
  const month = parseMonth(input.month);
  const copiesPlanned = input.copiesPlanned ?? 1000;
  const day = monthStart(month);
  return db.transaction(async (tx) => {
    await lockSiteNumbers(tx, input.siteId);
    const [existing] = await tx
      .select()
      .from(flyerIssues)
      .where(and(eq(flyerIssues.siteId, input.siteId), eq(flyerIssues.month, day)));
    if (existing) {
      const [revised] = await tx
        .update(flyerIssues)
        .set({ revision: sql`${flyerIssues.revision} + 1`, copiesPlanned, updatedAt: sql`now()` })
        .where(and(eq(flyerIssues.id, existing.id), sql`${flyerIssues.copiesPrinted} is null`))
        .returning();
      if (!revised) throw printedRefusal(existing, '不能重新生成');
      return revised;
    }
    const issueNumber = await newIssueNumber(tx, input.siteId, month);
    const [created] = await tx
      .insert(flyerIssues)
      .values({ siteId: input.siteId, month: day, issueNumber, copiesPlanned })
      .returning();
    return created as FlyerIssue;
  });
}

/**
 * Gives an issue another number (the office's own series, a correction) until it is marked printed:
 * from then on the number is the one on the paper. The numbers keep the months' order: the new one
 * lies between those of the nearest earlier and later issues, so no two issues share one either.
 * With `current`, only while the issue still has that number (a change undone after a failure leaves
 * alone a number someone else has set since).
 */
export async function setFlyerIssueNumber(
  db: Database,
  input: { siteId: number; issueId: number; issueNumber: number; current?: number },
): Promise<FlyerIssue> {
  const { siteId, issueId, issueNumber } = input;
  if (!Number.isInteger(issueNumber) || issueNumber < 1 || issueNumber > MAX_FLYER_ISSUE_NUMBER) {
    throw new JobcastError('BAD_INPUT', `期号须为 1 到 ${MAX_FLYER_ISSUE_NUMBER} 的整数`, { field: 'issueNumber' });
  }
  return db.transaction(async (tx) => {
    await lockSiteNumbers(tx, siteId);
    const [issue] = await tx
      .select()
      .from(flyerIssues)
      .where(and(eq(flyerIssues.id, issueId), eq(flyerIssues.siteId, siteId)));
    if (!issue) throw new JobcastError('NOT_FOUND', `没有这期招工小报（记录 ${issueId}）`);
    if (issue.copiesPrinted !== null) throw printedRefusal(issue, '期号不能再改');
    if (input.current !== undefined && issue.issueNumber !== input.current) {
      throw new JobcastError('CONFLICT', `这一期的期号刚被改为第 ${issue.issueNumber} 期`, { field: 'issueNumber' });
    }
    const { before, after } = await neighboursOf(tx, siteId, issue.month.slice(0, 7));
    if ((before && issueNumber <= before.issueNumber) || (after && issueNumber >= after.issueNumber)) {
      const bounds = [
        before ? `大于${flyerMonthName(before.month)}的第 ${before.issueNumber} 期` : '',
        after ? `小于${flyerMonthName(after.month)}的第 ${after.issueNumber} 期` : '',
      ];
      throw new JobcastError('CONFLICT', `期号要${bounds.filter(Boolean).join('、')}：各期按月份排号`, {
        field: 'issueNumber',
      });
    }
    const [updated] = await tx
      .update(flyerIssues)
      .set({ issueNumber, updatedAt: sql`now()` })
      .where(and(eq(flyerIssues.id, issue.id), sql`${flyerIssues.copiesPrinted} is null`))
      .returning();
    if (!updated) throw printedRefusal(issue, '期号不能再改');
    return updated;
  });
}

/** The render of an issue's latest revision. */
export async function setFlyerIssueRender(db: Database, issueId: number, renderId: number): Promise<void> {
  await db.update(flyerIssues).set({ renderId, updatedAt: new Date() }).where(eq(flyerIssues.id, issueId));
}

export async function getFlyerIssue(db: Database, issueId: number): Promise<FlyerIssue> {
  const [issue] = await db.select().from(flyerIssues).where(eq(flyerIssues.id, issueId));
  if (!issue) throw new JobcastError('NOT_FOUND', `没有这期招工小报（记录 ${issueId}）`);
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
