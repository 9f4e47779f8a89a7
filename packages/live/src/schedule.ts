/** When sessions are shown where: to come or over, and on which day of a month's calendar. Pure. */
import { isMonth, type LiveSessionStatus } from '@jobcast/core';
import type { ShownStatus } from './labels.ts';

/** What telling a session's state needs: its status and the end of its slot. */
export interface Slotted {
  status: LiveSessionStatus;
  slotEnd: Date | string;
}

/** A booking whose slot went by without anyone going live is missed: its key no longer works. */
export function shownStatus(session: Slotted, now: Date): ShownStatus {
  return session.status === 'booked' && new Date(session.slotEnd) <= now ? 'missed' : session.status;
}

export function isOver(session: Slotted, now: Date): boolean {
  const status = shownStatus(session, now);
  return status === 'ended' || status === 'missed';
}

/**
 * The list's two parts from sessions in slot order: those to come or under way, soonest first, and
 * those over, the latest first.
 */
export function comingAndOver<T extends Slotted>(sessions: readonly T[], now: Date): { coming: T[]; over: T[] } {
  return {
    coming: sessions.filter((session) => !isOver(session, now)),
    over: sessions.filter((session) => isOver(session, now)).reverse(),
  };
}

/** A month as `2026-12`, when the text is one. */
export function monthParam(text: string | undefined): string | undefined {
  return text !== undefined && isMonth(text) ? text : undefined;
}

/** The calendar pages by month with core's month arithmetic. */
export { shiftMonth } from '@jobcast/core';

/**
 * A month's days (YYYY-MM-DD) with their weekday (0 Monday … 6 Sunday), and how many cells come
 * before the 1st in a week starting on Monday.
 */
export function monthDays(month: string): { leading: number; days: { day: string; weekday: number }[] } {
  const [year, m] = [Number(month.slice(0, 4)), Number(month.slice(5))];
  const count = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const leading = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  const days = Array.from({ length: count }, (_, i) => ({
    day: `${month}-${String(i + 1).padStart(2, '0')}`,
    weekday: (leading + i) % 7,
  }));
  return { leading, days };
}

/** Sessions by the site day their slot starts on, each day's in the order given. */
export function byDay<T extends { slotDay: string }>(sessions: readonly T[]): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const session of sessions) days.set(session.slotDay, [...(days.get(session.slotDay) ?? []), session]);
  return days;
}
