import { siteTime } from '@jobcast/core';
import { countYear, type Database, type FairLedgerRow, getSiteByCode, listFairLedger, type Site } from '@jobcast/db';
import {
  type Alert,
  alerts,
  countFairs,
  KPI_RULES,
  type KpiLine,
  type KpiLineId,
  type KpiReport,
  type MonthCount,
  monthsOf,
  scoreYear,
  serviceYear,
} from '@jobcast/kpi';

/** A moment as the site's office reads it (its time zone): `2026-03-05` and `19:30`. */
export function siteDayAndTime(timezone: string, at: Date | string = new Date()): { day: string; time: string } {
  const [day, time] = siteTime(timezone, at).split(' ') as [string, string];
  return { day, time };
}

/** A day as the site's office sees it (its time zone), as YYYY-MM-DD. */
export function siteToday(timezone: string, now: Date = new Date()): string {
  return siteDayAndTime(timezone, now).day;
}

/**
 * The service year `today` (YYYY-MM-DD) falls in, named by the calendar year it starts in: with a
 * start of 03-01, 2027-02-10 is in service year 2026 and 2027-03-01 begins 2027.
 */
export function serviceYearOf(today: string, startMonthDay: string): number {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= startMonthDay ? year : year - 1;
}

/** The service year a site is in now, by its own calendar and start day. */
export function currentServiceYear(site: Pick<Site, 'timezone' | 'serviceYearStart'>, now: Date = new Date()): number {
  return serviceYearOf(siteToday(site.timezone, now), site.serviceYearStart);
}

export interface YearReport {
  site: Pick<Site, 'id' | 'code' | 'name' | 'timezone' | 'serviceYearStart'>;
  report: KpiReport;
  /** Every month of the service year, in order, with what each line counted in it (0 where nothing). */
  months: ({ month: string } & Record<KpiLineId, number>)[];
  alerts: Alert[];
}

/**
 * The service year's record for one site: what each line has done, where it should be by today,
 * the points it would score, month by month, and the alerts. The one reading behind the dashboard,
 * `GET /api/kpi`, `jobcast kpi` and the ledgers, so they cannot disagree.
 */
export async function loadYearReport(
  db: Database,
  site: Site | string,
  year: number,
  now: Date = new Date(),
): Promise<YearReport> {
  return (await loadYear(db, site, year, now)).summary;
}

/**
 * `loadYearReport`, with the fairs it counted: the fairs of the year held by `now` (over by then),
 * each judged by `judgeFair`; the fair ledgers list exactly these.
 */
export async function loadYear(
  db: Database,
  site: Site | string,
  year: number,
  now: Date = new Date(),
): Promise<{ summary: YearReport; fairs: FairLedgerRow[] }> {
  const row = typeof site === 'string' ? await getSiteByCode(db, site) : site;
  const sy = serviceYear(year, row.serviceYearStart);
  const range = { from: sy.start, to: sy.endExclusive };
  const [{ totals, byMonth }, fairs] = await Promise.all([
    countYear(db, { siteId: row.id, range, timezone: row.timezone, minFlyerCopies: KPI_RULES.flyers.minCopies }),
    listFairLedger(db, row, range, { endedBy: now }),
  ]);
  const fairCounts = countFairs(
    fairs.map((fair) => ({
      kind: fair.kind,
      day: fair.day,
      employerIds: fair.employerIds,
      completedPlays: fair.completedPlays,
      videosPlayed: fair.videosPlayed,
    })),
  );
  const monthly = { ...byMonth, ...fairCounts.byMonth };
  const today = siteToday(row.timezone, now);
  const report = scoreYear({ ...totals, ...fairCounts.totals }, year, row.serviceYearStart, today);
  const count = (series: readonly MonthCount[], month: string) =>
    series.find((entry) => entry.month === month)?.count ?? 0;
  const months = monthsOf(sy).map((month) => ({
    month,
    videos: count(monthly.videos, month),
    coverage: count(monthly.coverage, month),
    flyers: count(monthly.flyers, month),
    livestreams: count(monthly.livestreams, month),
    aiFairs: count(monthly.aiFairs, month),
    onsiteFairs: count(monthly.onsiteFairs, month),
  }));
  const summary: YearReport = {
    site: {
      id: row.id,
      code: row.code,
      name: row.name,
      timezone: row.timezone,
      serviceYearStart: row.serviceYearStart,
    },
    report,
    months,
    alerts: alerts(report, monthly),
  };
  return { summary, fairs };
}

/** One line of the year in a month: what the month-by-month chart draws. */
export type YearMonth = YearReport['months'][number];

/**
 * The year's record as `GET /api/kpi` and `jobcast kpi --json` give it: the report's lines and
 * total with the site, the service year's bounds, the months and the alerts beside them.
 */
export interface KpiView {
  site: { code: string; name: string; timezone: string; serviceYearStart: string };
  year: number;
  serviceYear: { start: string; lastDay: string; days: number };
  today: string;
  elapsedShare: number;
  lines: KpiLine[];
  total: KpiReport['total'];
  months: YearMonth[];
  alerts: Alert[];
}

export function kpiView({ site, report, months, alerts }: YearReport): KpiView {
  const { start, lastDay, days } = report.serviceYear;
  return {
    site: { code: site.code, name: site.name, timezone: site.timezone, serviceYearStart: site.serviceYearStart },
    year: report.year,
    serviceYear: { start, lastDay, days },
    today: report.today,
    elapsedShare: report.elapsedShare,
    lines: report.lines,
    total: report.total,
    months,
    alerts,
  };
}
