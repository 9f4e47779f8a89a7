import type { LiveSessionStatus } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { byDay, comingAndOver, monthDays, monthParam, shiftMonth, shownStatus } from '../src/schedule.ts';

const now = new Date('2026-12-05T06:00:00Z');
const before = '2026-12-05T05:59:59Z';
const after = '2026-12-05T06:00:01Z';

describe('shownStatus', () => {
  const cases: { status: LiveSessionStatus; slotEnd: string; shown: string }[] = [
    { status: 'booked', slotEnd: after, shown: 'booked' },
    // The slot ended without anyone going live: the key no longer works.
    { status: 'booked', slotEnd: before, shown: 'missed' },
    { status: 'booked', slotEnd: now.toISOString(), shown: 'missed' },
    // Live past its slot is still live: a show may overrun.
    { status: 'live', slotEnd: before, shown: 'live' },
    { status: 'interrupted', slotEnd: before, shown: 'interrupted' },
    { status: 'ended', slotEnd: after, shown: 'ended' },
  ];
  for (const { status, slotEnd, shown } of cases) {
    it(`${status} with the slot ending ${slotEnd} is ${shown}`, () => {
      expect(shownStatus({ status, slotEnd }, now)).toBe(shown);
      expect(shownStatus({ status, slotEnd: new Date(slotEnd) }, now)).toBe(shown);
    });
  }
});

describe('comingAndOver', () => {
  it('keeps what is to come or under way soonest first, and puts what is over latest first', () => {
    const sessions = [
      { id: 1, status: 'ended' as const, slotEnd: '2026-12-01T08:00:00Z' },
      { id: 2, status: 'booked' as const, slotEnd: '2026-12-02T08:00:00Z' },
      { id: 3, status: 'ended' as const, slotEnd: '2026-12-03T08:00:00Z' },
      { id: 4, status: 'interrupted' as const, slotEnd: before },
      { id: 5, status: 'booked' as const, slotEnd: after },
      { id: 6, status: 'booked' as const, slotEnd: '2026-12-09T08:00:00Z' },
    ];
    const { coming, over } = comingAndOver(sessions, now);
    expect(coming.map((s) => s.id)).toEqual([4, 5, 6]);
    expect(over.map((s) => s.id)).toEqual([3, 2, 1]);
  });
});

describe('the calendar month', () => {
  const params: [string | undefined, string | undefined][] = [
    ['2026-12', '2026-12'],
    ['2026-01', '2026-01'],
    ['2026-13', undefined],
    ['2026-00', undefined],
    ['0000-01', undefined],
    ['2026-1', undefined],
    ['2026-12-01', undefined],
    ['十二月', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [text, month] of params) {
    it(`reads ${JSON.stringify(text)} as ${month ?? 'no month'}`, () => expect(monthParam(text)).toBe(month));
  }

  const shifts: [string, number, string][] = [
    ['2026-12', 1, '2027-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-03', -14, '2025-01'],
    ['2026-06', 0, '2026-06'],
  ];
  for (const [month, by, shifted] of shifts) {
    it(`moves ${month} by ${by} to ${shifted}`, () => expect(shiftMonth(month, by)).toBe(shifted));
  }

  const months: { month: string; leading: number; count: number }[] = [
    // 1 December 2026 is a Tuesday: one cell before it in a week from Monday.
    { month: '2026-12', leading: 1, count: 31 },
    // 1 February 2026 is a Sunday; not a leap year.
    { month: '2026-02', leading: 6, count: 28 },
    { month: '2028-02', leading: 1, count: 29 },
    // 1 June 2026 is a Monday.
    { month: '2026-06', leading: 0, count: 30 },
  ];
  for (const { month, leading, count } of months) {
    it(`lays out ${month}: ${leading} cells before the 1st, ${count} days`, () => {
      const layout = monthDays(month);
      expect(layout.leading).toBe(leading);
      expect(layout.days).toHaveLength(count);
      expect(layout.days[0]).toEqual({ day: `${month}-01`, weekday: leading });
      expect(layout.days.at(-1)?.day).toBe(`${month}-${count}`);
      expect(layout.days.map((d) => d.weekday).slice(0, 8)).toEqual(
        Array.from({ length: 8 }, (_, i) => (leading + i) % 7),
      );
    });
  }

  it('groups sessions by the day their slot starts on, in the order given', () => {
    const days = byDay([
      { id: 1, slotDay: '2026-12-03' },
      { id: 2, slotDay: '2026-12-04' },
      { id: 3, slotDay: '2026-12-03' },
    ]);
    expect([...days.keys()]).toEqual(['2026-12-03', '2026-12-04']);
    expect(days.get('2026-12-03')?.map((s) => s.id)).toEqual([1, 3]);
  });
});
