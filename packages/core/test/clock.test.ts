import { describe, expect, it } from 'vitest';
import { clockName, siteTime, wallClock } from '../src/clock.ts';

describe("an instant on the site's clock", () => {
  it.each([
    ['2026-05-20T01:30:05Z', 'Asia/Shanghai', {}, '2026-05-20 09:30'],
    ['2026-05-20T01:30:05Z', 'Asia/Shanghai', { seconds: true }, '2026-05-20 09:30:05'],
    // Midnight reads 00, not 24; the day turns on the site's clock, not UTC's.
    ['2026-12-31T16:00:00Z', 'Asia/Shanghai', { seconds: true }, '2027-01-01 00:00:00'],
    ['2026-12-31T16:00:00Z', 'UTC', {}, '2026-12-31 16:00'],
    ['2026-07-01T12:00:00Z', 'Europe/Berlin', {}, '2026-07-01 14:00'],
  ])('%s in %s %o is %s', (iso, zone, options, shown) => {
    expect(siteTime(zone, iso, options)).toBe(shown);
    expect(siteTime(zone, new Date(iso), options)).toBe(shown);
  });

  it('gives the wall clock with its weekday (1 Monday to 7 Sunday)', () => {
    expect(wallClock('Asia/Shanghai', '2026-03-08T16:00:00Z')).toEqual({
      year: 2026,
      month: 3,
      day: 9,
      hour: 0,
      minute: 0,
      second: 0,
      weekday: 1,
    });
    expect(wallClock('Asia/Shanghai', '2026-03-08T15:59:59Z').weekday).toBe(7);
  });

  it('names the clock as a person in China calls it, and any other zone as configured', () => {
    expect(clockName('Asia/Shanghai')).toBe('北京时间');
    expect(clockName('Asia/Urumqi')).toBe('Asia/Urumqi 时间');
  });
});
