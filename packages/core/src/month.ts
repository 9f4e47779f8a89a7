/**
 * Calendar months written YYYY-MM (2026-11), as forms, filters, flyers and the calendar name them.
 * The year is bounded as ledger years are: 0000-01 or 9999-12 is a typo, and a date built from it
 * fails far from where it was typed (in PostgreSQL, or in the service-year rules).
 */
import { JobcastError } from './errors.ts';

/** YYYY-MM, month 01 to 12, year 2000 to 2100: a pattern, so that schemas can show it. */
export const MONTH_PATTERN = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/;

/** How to write a month, for the message that refuses one. */
export const MONTH_HINT = '请写成 2026-01 这样的年-月，年份在 2000 到 2100 之间';

export function isMonth(text: string): boolean {
  return MONTH_PATTERN.test(text);
}

/** `text` as a month, or BAD_INPUT naming `field`. */
export function parseMonth(text: string, field = 'month'): string {
  if (!isMonth(text)) {
    throw new JobcastError('BAD_INPUT', `月份“${text.slice(0, 20)}”有误：${MONTH_HINT}`, { field });
  }
  return text;
}

/** `month` moved by whole months, back when `by` is negative. */
export function shiftMonth(month: string, by: number): string {
  const date = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + by, 1));
  return date.toISOString().slice(0, 7);
}

/** The month's first day, YYYY-MM-DD. */
export function monthStart(month: string): string {
  return `${month}-01`;
}
