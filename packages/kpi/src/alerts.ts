import { KPI_RULES, type KpiLineId } from './rules.ts';
import type { KpiReport } from './score.ts';
import { daysLeft, endedMonthsOf, flyerMonthsLeft, isFlyerMonth, parseDay, type ServiceYear } from './service-year.ts';

/** What was done in one calendar month. */
export interface MonthCount {
  /** YYYY-MM. */
  month: string;
  count: number;
}

/** Per line, what was done each month (months with nothing may be left out). */
export type MonthlyFacts = Record<KpiLineId, readonly MonthCount[]>;

/** One thing to tell the office, in plain Chinese. */
export interface Alert {
  level: 'warn' | 'info';
  /** The line it is about; null for what concerns the whole year (over, not begun, all on pace). */
  line: KpiLineId | null;
  text: string;
}

const DAYS_PER_WEEK = 7;

/** 招工小报 behind its monthly pace: what is missing, the months left, and whether they still suffice. */
function flyersBehind(label: string, unit: string, shortfall: number, monthsLeft: number): string {
  const text = `${label}落后进度：还差 ${shortfall} ${unit}，本服务期还剩 ${monthsLeft} 个月（含本月）`;
  return monthsLeft < shortfall ? `${text}，已无法全部补齐` : text;
}

/** "2026年3月" for 2026-03. */
function monthName(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/**
 * 线下招聘会's monthly minimum: the months of the year already over without enough qualified on-site
 * fairs (one alert naming them all), and, while the year runs, the current month without one yet.
 */
function onsiteMonthAlerts(sy: ServiceYear, today: string, over: boolean, monthly: readonly MonthCount[]): Alert[] {
  const { label, perMonth } = KPI_RULES.onsiteFairs;
  const held = (month: string) =>
    monthly.filter((m) => m.month === month).reduce((sum, m) => sum + m.count, 0) >= perMonth;
  const found: Alert[] = [];
  const missing = endedMonthsOf(sy, today).filter((month) => !held(month));
  if (missing.length > 0) {
    found.push({
      level: 'warn',
      line: 'onsiteFairs',
      text: `${missing.length} 个月没有达标的${label}（每月至少 ${perMonth} 场）：${missing.map(monthName).join('、')}`,
    });
  }
  const thisMonth = today.slice(0, 7);
  if (!over && isFlyerMonth(sy, thisMonth) && !held(thisMonth)) {
    found.push({ level: 'warn', line: 'onsiteFairs', text: `本月尚无达标的${label}` });
  }
  return found;
}

/**
 * What the office should hear about the report: the current month's missing flyer, every line and
 * sub-target behind pace with what it still needs, or a single note when the year has not begun, is
 * over, or everything is on pace. While the year runs a line behind pace is told its shortfall per
 * week, except 招工小报 (one issue a month): its shortfall against the flyer months left, the current
 * one included, and whether those months can still make it up. 线下招聘会 must be held every month:
 * the months already over without one are named, and the current month without one yet is said.
 */
export function alerts(report: KpiReport, monthly: MonthlyFacts): Alert[] {
  const sy = report.serviceYear;
  const today = parseDay(report.today, 'today');
  if (today < parseDay(sy.start, 'start')) {
    return [{ level: 'info', line: null, text: `服务期尚未开始（${sy.start} 起）` }];
  }
  const over = today > parseDay(sy.lastDay, 'lastDay');
  const weeksLeft = Math.max(1, Math.ceil(daysLeft(sy, report.today) / DAYS_PER_WEEK));
  const thisMonth = report.today.slice(0, 7);

  const found: Alert[] = [];
  for (const line of report.lines) {
    if (line.line === 'flyers' && !over && isFlyerMonth(sy, thisMonth)) {
      const issued = monthly.flyers.filter((m) => m.month === thisMonth).reduce((sum, m) => sum + m.count, 0);
      if (issued === 0) found.push({ level: 'warn', line: 'flyers', text: '本月尚无招工小报' });
    }
    if (line.line === 'onsiteFairs') found.push(...onsiteMonthAlerts(sy, report.today, over, monthly.onsiteFairs));
    if (line.done < line.expectedByToday && line.shortfall > 0) {
      const short = `${line.shortfall} ${line.unit}${line.label}`;
      const text = over
        ? `服务期内${line.label}差 ${line.shortfall} ${line.unit}未完成（目标 ${line.target} ${line.unit}）`
        : line.line === 'flyers'
          ? flyersBehind(line.label, line.unit, line.shortfall, flyerMonthsLeft(sy, report.today))
          : `距服务期结束还差 ${short}，需每周 ${Math.ceil(line.shortfall / weeksLeft)} ${line.unit}`;
      found.push({ level: 'warn', line: line.line, text });
    }
    for (const sub of line.subTargets) {
      if (sub.done < sub.expectedByToday && sub.done < sub.target) {
        const missing = sub.target - sub.done;
        const text = over
          ? `${sub.label}差 ${missing} ${line.unit}未完成（至少 ${sub.target} ${line.unit}）`
          : `${sub.label}还差 ${missing} ${line.unit}（至少 ${sub.target} ${line.unit}）`;
        found.push({ level: 'warn', line: line.line, text });
      }
    }
  }

  if (over) {
    const { points, maxPoints } = report.total;
    found.push({
      level: 'info',
      line: null,
      text: `服务期已结束（${sy.start} 至 ${sy.lastDay}），共得 ${points} 分（满分 ${maxPoints} 分）`,
    });
  } else if (found.length === 0) {
    found.push({ level: 'info', line: null, text: '各项指标均按进度完成' });
  }
  return found;
}
