import { describe, expect, it } from 'vitest';
import { buildManifest, type ManifestItem } from '../src/manifest.ts';
import { playTimeline, windowProblem, zonedInstant } from '../src/timeline.ts';

const tz = 'Asia/Shanghai';
// Monday 2026-03-09, 00:00 in Shanghai.
const monday = zonedInstant(tz, 2026, 3, 9, 0);
const iso = (d: Date) => d.toISOString();
const at = (day: number, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return zonedInstant(tz, 2026, 3, day, (h ?? 0) * 60 + (m ?? 0));
};

describe('when a group plays', () => {
  it('with no windows it plays all the time', () => {
    const segments = playTimeline({ windows: [], fairs: [], from: monday, days: 2, timeZone: tz });
    expect(segments).toEqual([{ from: monday, to: new Date(monday.getTime() + 2 * 86_400_000), source: 'group' }]);
  });

  it('opening hours on weekdays: Monday to Friday 08:30–17:30 site time, nothing at the weekend', () => {
    const segments = playTimeline({
      windows: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '17:30' }],
      fairs: [],
      from: monday,
      days: 7,
      timeZone: tz,
    });
    expect(segments).toHaveLength(5);
    expect(iso(segments[0]?.from as Date)).toBe('2026-03-09T00:30:00.000Z');
    expect(iso(segments[0]?.to as Date)).toBe('2026-03-09T09:30:00.000Z');
    expect(iso(segments[4]?.from as Date)).toBe(iso(at(13, '08:30')));
  });

  it('two windows on one day (a lunch break) stay two; touching windows merge', () => {
    const split = playTimeline({
      windows: [
        { days: [1], from: '08:30', to: '12:00' },
        { days: [1], from: '13:30', to: '17:30' },
      ],
      fairs: [],
      from: monday,
      days: 1,
      timeZone: tz,
    });
    expect(split.map((s) => [iso(s.from), iso(s.to)])).toEqual([
      [iso(at(9, '08:30')), iso(at(9, '12:00'))],
      [iso(at(9, '13:30')), iso(at(9, '17:30'))],
    ]);
    const touching = playTimeline({
      windows: [
        { days: [1], from: '08:00', to: '12:00' },
        { days: [1], from: '12:00', to: '18:00' },
      ],
      fairs: [],
      from: monday,
      days: 1,
      timeZone: tz,
    });
    expect(touching).toHaveLength(1);
  });

  it("a fair overrides the group's list for its time, even on a closed Saturday", () => {
    const segments = playTimeline({
      windows: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '17:30' }],
      fairs: [
        { id: 4, startsAt: at(10, '09:00'), endsAt: at(10, '12:00') },
        { id: 5, startsAt: at(14, '09:00'), endsAt: at(14, '11:00') },
      ],
      from: monday,
      days: 7,
      timeZone: tz,
    });
    const tuesday = segments.filter((s) => s.from >= at(10, '00:00') && s.to <= at(11, '00:00'));
    expect(tuesday.map((s) => [s.source, iso(s.from), iso(s.to)])).toEqual([
      ['group', iso(at(10, '08:30')), iso(at(10, '09:00'))],
      ['fair', iso(at(10, '09:00')), iso(at(10, '12:00'))],
      ['group', iso(at(10, '12:00')), iso(at(10, '17:30'))],
    ]);
    expect(segments.find((s) => s.fairId === 5)).toMatchObject({ source: 'fair', from: at(14, '09:00') });
  });

  it.each([
    [{ days: [], from: '08:00', to: '12:00' }, '没有选星期几'],
    [{ days: [0], from: '08:00', to: '12:00' }, '1（周一）到 7（周日）'],
    [{ days: [1], from: '8:00', to: '12:00' }, '24 小时制'],
    [{ days: [1], from: '18:00', to: '09:00' }, '须晚于开始时间'],
  ])('a wrong window is explained: %j', (window, reason) => {
    expect(windowProblem(window, '第 1 个时段')).toContain(reason);
  });

  it('a right window has no problem', () => {
    expect(windowProblem({ days: [1, 7], from: '00:00', to: '24:00' }, '第 1 个时段')).toBeNull();
  });
});

describe('the manifest', () => {
  const item = (renderId: number): ManifestItem => ({
    renderId,
    url: `/player/api/media/${renderId}`,
    sha256: 'a'.repeat(64),
    bytes: 100,
    durationS: 30,
    title: `岗位 ${renderId}`,
    jobIds: [renderId * 10],
    jobs: [],
  });
  const base = {
    screen: { id: 1, name: '大厅1号屏', group: '大厅', groupId: 1 },
    site: { name: '测试站', hotline: '0791-1234567', qr: null },
    windows: [],
    fairs: [],
    live: null,
    missing: [],
    timeZone: tz,
  };

  it('keeps its version through the day and changes it when the playlist changes', () => {
    const a = buildManifest({ ...base, groupItems: [item(1), item(2)], now: at(9, '09:00') });
    const b = buildManifest({ ...base, groupItems: [item(1), item(2)], now: at(9, '16:00') });
    const c = buildManifest({ ...base, groupItems: [item(2), item(1)], now: at(9, '16:00') });
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
    expect(c.lists.group).toEqual([2, 1]);
  });

  it("a fair's list names its own videos, or the group's when it has none", () => {
    const manifest = buildManifest({
      ...base,
      groupItems: [item(1)],
      fairs: [
        { id: 4, title: '春风行动', startsAt: at(9, '09:00'), endsAt: at(9, '11:00'), items: [item(3)] },
        { id: 5, title: '零工专场', startsAt: at(9, '14:00'), endsAt: at(9, '15:00'), items: [] },
      ],
      now: at(9, '08:00'),
    });
    expect(manifest.lists['fair:4']).toEqual([3]);
    expect(manifest.lists['fair:5']).toEqual([1]);
    expect(manifest.items.map((i) => i.renderId)).toEqual([1, 3]);
    expect(manifest.timeline.find((s) => s.list === 'fair:4')?.title).toBe('春风行动');
  });
});
