/**
 * The site's clock: instants as the site's office reads them, in its time zone. One formatter per
 * zone, kept: building one costs far more than using it, and every list and ledger row asks.
 */
const clocks = new Map<string, Intl.DateTimeFormat>();

function clockOf(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 (Monday) to 7 (Sunday). */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall clock of `timeZone` at an instant. */
export function wallClock(timeZone: string, at: Date | string): WallClock {
  const parts = Object.fromEntries(
    clockOf(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the site's office writes it: `2026-05-20 09:30`, or `2026-05-20 09:30:05` with `seconds`. */
export function siteTime(timeZone: string, at: Date | string, options: { seconds?: boolean } = {}): string {
  const w = wallClock(timeZone, at);
  const time = `${pad(w.hour)}:${pad(w.minute)}${options.seconds ? `:${pad(w.second)}` : ''}`;
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${time}`;
}

/** What a person calls the site's clock: 北京时间 for China's zone, else the zone as configured. */
export function clockName(timeZone: string): string {
  return timeZone === 'Asia/Shanghai' ? '北京时间' : `${timeZone} 时间`;
}
