import { KPI_RULES } from './rules.ts';

/** One site's service year: the days from `start` up to (not including) `endExclusive`. */
export interface ServiceYear {
  /** The calendar year the service year starts in. */
  year: number;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** The start of the next service year, YYYY-MM-DD (for `>= start and < endExclusive` ranges). */
  endExclusive: string;
  /** Last day, YYYY-MM-DD. */
  lastDay: string;
  /** 365 or 366. */
  days: number;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Days since 1970-01-01 of a real calendar date, or null when y-m-d is no such day. */
function dayNumber(y: number, m: number, d: number): number | null {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return Math.round(date.getTime() / DAY_MS);
}

/** The calendar date `n` days after 1970-01-01, as YYYY-MM-DD. */
function formatDay(n: number): string {
  const date = new Date(n * DAY_MS);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` calendar date. Throws a RangeError naming the value when
 * it is not one (wrong shape, or a day that does not exist such as 2026-02-30).
 */
export function parseDay(value: string, what = 'date'): number {
  const match = DATE.exec(value);
  const n = match ? dayNumber(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (n === null) throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The service year that starts in `year` on `startMonthDay` (MM-DD, default 01-01): e.g. 2026 and
 * 03-01 give 2026-03-01 .. 2027-02-28, 365 days. 02-29 is refused (a year would not start every
 * year), as is anything that is not a day of the calendar.
 */
export function serviceYear(year: number, startMonthDay: string = KPI_RULES.defaultServiceYearStart): ServiceYear {
  if (!Number.isInteger(year) || year < 1000 || year > 9998) {
    throw new RangeError(`service year must be a whole year between 1000 and 9998, got ${JSON.stringify(year)}`);
  }
  const match = MONTH_DAY.exec(startMonthDay);
  if (!match) {
    throw new RangeError(`service year start must be MM-DD (e.g. 01-01), got ${JSON.stringify(startMonthDay)}`);
  }
  const month = Number(match[1]);
  const day = Number(match[2]);
  if (month === 2 && day === 29) {
    throw new RangeError('service year start 02-29 is not allowed: it is not a day of every year; use 02-28 or 03-01');
  }
  // 2001 is not a leap year, so this accepts exactly the days every year has.
  if (dayNumber(2001, month, day) === null) {
    throw new RangeError(
      `service year start must be a day of the calendar (MM-DD), got ${JSON.stringify(startMonthDay)}`,
    );
  }
  const first = dayNumber(year, month, day) as number;
  const next = dayNumber(year + 1, month, day) as number;
  return {
    year,
    start: formatDay(first),
    endExclusive: formatDay(next),
    lastDay: formatDay(next - 1),
    days: next - first,
  };
}

/**
 * How many days of the service year have begun by `today` (YYYY-MM-DD), today included: 1 on the
 * first day, `sy.days` on the last; 0 before the year, `sy.days` after it.
 */
export function elapsedDays(sy: ServiceYear, today: string): number {
  const elapsed = parseDay(today, 'today') - parseDay(sy.start, 'start') + 1;
  return Math.min(sy.days, Math.max(0, elapsed));
}

/**
 * The share of the service year gone by `today` (YYYY-MM-DD), today counted as gone: 1/days on the
 * first day, 1 on the last day and after, 0 before the start.
 */
export function elapsedShare(sy: ServiceYear, today: string): number {
  return elapsedDays(sy, today) / sy.days;
}

/** Days still to come in the service year, today included (the whole year before it starts, 0 after it). */
export function daysLeft(sy: ServiceYear, today: string): number {
  const left = parseDay(sy.endExclusive, 'endExclusive') - parseDay(today, 'today');
  return Math.min(sy.days, Math.max(0, left));
}

/**
 * The calendar months (YYYY-MM) the service year touches, in order: 12 when it starts on the 1st,
 * 13 when it starts mid-month (its first and last months are then partial), so a month-by-month
 * chart drops nothing counted in the year.
 */
export function monthsOf(sy: ServiceYear): string[] {
  const [startYear, startMonth] = sy.start.split('-').map(Number) as [number, number];
  const last = sy.lastDay.slice(0, 7);
  const months: string[] = [];
  for (let i = 0; ; i++) {
    const total = startMonth - 1 + i;
    const month = `${pad(startYear + Math.floor(total / 12), 4)}-${pad((total % 12) + 1)}`;
    months.push(month);
    if (month === last) return months;
  }
}

/**
 * Whether a flyer issue of `month` (YYYY-MM) belongs to the service year: its month's first day lies
 * inside the year (so with a mid-month start the partial first month has no issue of its own).
 */
export function isFlyerMonth(sy: ServiceYear, month: string): boolean {
  const first = `${month}-01`;
  return first >= sy.start && first < sy.endExclusive;
}

/**
 * The service year's flyer months (YYYY-MM), in order: the months `isFlyerMonth` accepts, always 12
 * (with a mid-month start the partial first month is left out and the partial last month kept).
 */
export function flyerMonthsOf(sy: ServiceYear): string[] {
  return monthsOf(sy).filter((month) => isFlyerMonth(sy, month));
}

/** Days since 1970-01-01 of the last day of `month` (YYYY-MM). */
function lastDayOfMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return (dayNumber(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) as number) - 1;
}

/**
 * How many of the service year's flyer months have ended before `today` (YYYY-MM-DD), i.e. whose
 * issue is overdue if it has not come: a month ends on its last day, or on the year's last day when
 * the year ends first (a mid-month start's partial last month). 0 up to the end of the first flyer
 * month, 12 after the year.
 */
export function flyerMonthsEnded(sy: ServiceYear, today: string): number {
  return endedMonthsOf(sy, today).length;
}

/**
 * The service year's months (those of `flyerMonthsOf`, which the monthly minimums of 招工小报 and
 * 线下招聘会 go by) that have ended before `today` (YYYY-MM-DD), in order: a month ends on its last
 * day, or on the year's last day when the year ends first.
 */
export function endedMonthsOf(sy: ServiceYear, today: string): string[] {
  const day = parseDay(today, 'today');
  const yearLast = parseDay(sy.lastDay, 'lastDay');
  return flyerMonthsOf(sy).filter((month) => Math.min(lastDayOfMonth(month), yearLast) < day);
}

/**
 * The service year's flyer months not yet ended on `today` (YYYY-MM-DD), the current month included:
 * how many issues can still come (all 12 before the year starts, 0 after it).
 */
export function flyerMonthsLeft(sy: ServiceYear, today: string): number {
  return flyerMonthsOf(sy).length - flyerMonthsEnded(sy, today);
}
