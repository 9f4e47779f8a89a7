import type { ServiceYear } from '@jobcast/kpi';
import { siteDayAndTime } from '@jobcast/ledger';

/** A moment as the office reads it (2026-03-02 14:05), on the site's clock. */
export function formatTime(timezone: string, value: Date | string): string {
  const { day, time } = siteDayAndTime(timezone, value);
  return `${day} ${time}`;
}

/** A service year in words: "2026 年" for calendar years, its first and last days otherwise. */
export function yearLabel(sy: ServiceYear): string {
  return sy.start.endsWith('-01-01') ? `${sy.year} 年` : `${sy.start} 至 ${sy.lastDay}`;
}
