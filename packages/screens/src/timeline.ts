/**
 * When a group's screens play what: the group's playlist inside its play windows (weekdays and
 * opening hours, in the site's time), a fair's playlist for the fair's whole time (a fair on a
 * Saturday plays even if the hall is shut on Saturdays), nothing otherwise. Worked out by the
 * server for the days ahead and sent in the manifest, so a screen cut off from the server keeps
 * to it with no time-zone rules of its own.
 */
import { wallClock } from '@jobcast/core';

export interface PlayWindowRule {
  /** 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** HH:MM, site time; `to` after `from`. */
  from: string;
  to: string;
}

export interface FairSpan {
  id: number;
  startsAt: Date;
  endsAt: Date;
}

export interface TimelineSegment {
  from: Date;
  to: Date;
  source: 'group' | 'fair';
  fairId?: number;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Why a window is wrong, in Chinese, or null when it is right. `label` names it (第 2 个时段). */
export function windowProblem(window: PlayWindowRule, label: string): string | null {
  if (!Array.isArray(window.days) || window.days.length === 0) return `${label}没有选星期几`;
  if (window.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    return `${label}的星期须为 1（周一）到 7（周日）`;
  if (!HH_MM.test(window.from) || !HH_MM.test(window.to)) return `${label}的时间须写成 08:30 这样的 24 小时制`;
  if (window.from >= window.to) return `${label}的结束时间 ${window.to} 须晚于开始时间 ${window.from}`;
  return null;
}

/** The instant a wall-clock time of `timeZone` names (the zone's offset then; no DST in China, kept general). */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, minutes: number): Date {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const wall = wallClock(timeZone, new Date(at));
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    at = guess - (asUtc - at);
  }
  return new Date(at);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function merge(spans: { from: number; to: number }[]): { from: number; to: number }[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else out.push({ ...span });
  }
  return out;
}

/**
 * The segments from `from` for `days` days, in order: fairs of the group over everything, the
 * group's playlist inside its windows (all the time when it has none). Gaps are closed hours.
 */
export function playTimeline(input: {
  windows: readonly PlayWindowRule[];
  fairs: readonly FairSpan[];
  from: Date;
  days: number;
  timeZone: string;
}): TimelineSegment[] {
  const start = input.from.getTime();
  const end = start + input.days * 86_400_000;
  let group: { from: number; to: number }[];
  if (input.windows.length === 0) {
    group = [{ from: start, to: end }];
  } else {
    const spans: { from: number; to: number }[] = [];
    const today = wallClock(input.timeZone, input.from);
    // One day before: a window of yesterday evening may still be open (never past midnight here, but cheap).
    for (let d = -1; d <= input.days; d++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + d));
      const weekday = ((date.getUTCDay() + 6) % 7) + 1;
      for (const window of input.windows) {
        if (!window.days.includes(weekday)) continue;
        const y = date.getUTCFullYear();
        const m = date.getUTCMonth() + 1;
        const day = date.getUTCDate();
        spans.push({
          from: zonedInstant(input.timeZone, y, m, day, minutesOf(window.from)).getTime(),
          to: zonedInstant(input.timeZone, y, m, day, minutesOf(window.to)).getTime(),
        });
      }
    }
    group = merge(spans)
      .map((s) => ({ from: Math.max(s.from, start), to: Math.min(s.to, end) }))
      .filter((s) => s.to > s.from);
  }
  const fairs = input.fairs
    .map((f) => ({ id: f.id, from: Math.max(f.startsAt.getTime(), start), to: Math.min(f.endsAt.getTime(), end) }))
    .filter((f) => f.to > f.from)
    .sort((a, b) => a.from - b.from || a.id - b.id);
  // Overlapping fairs: the one that started first keeps its time until it ends.
  const fairSegments: { id: number; from: number; to: number }[] = [];
  for (const fair of fairs) {
    const last = fairSegments.at(-1);
    const from = last ? Math.max(fair.from, last.to) : fair.from;
    if (fair.to > from) fairSegments.push({ id: fair.id, from, to: fair.to });
  }
  const segments: TimelineSegment[] = fairSegments.map((f) => ({
    from: new Date(f.from),
    to: new Date(f.to),
    source: 'fair',
    fairId: f.id,
  }));
  for (const span of group) {
    let pieces = [span];
    for (const fair of fairSegments) {
      pieces = pieces.flatMap((p) => {
        if (fair.to <= p.from || fair.from >= p.to) return [p];
        return [
          { from: p.from, to: fair.from },
          { from: fair.to, to: p.to },
        ].filter((q) => q.to > q.from);
      });
    }
    for (const p of pieces) segments.push({ from: new Date(p.from), to: new Date(p.to), source: 'group' });
  }
  return segments.sort((a, b) => a.from.getTime() - b.from.getTime());
}
