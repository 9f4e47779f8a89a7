import { describe, expect, it } from 'vitest';
import { checkPlays, type KnownVideo, type ReportedPlay } from '../src/plays.ts';

const pairedAt = new Date('2026-03-10T01:00:00Z');
const receivedAt = new Date('2026-03-10T06:00:00Z');
const videos = new Map<number, KnownVideo>([
  [7, { jobIds: [70, 71], durationS: 30 }],
  [8, { jobIds: [80], durationS: 20 }],
]);

function play(overrides: Partial<ReportedPlay> = {}): ReportedPlay {
  return {
    playId: 'play-0001',
    renderId: 7,
    startedAt: '2026-03-10T05:00:00.000Z',
    endedAt: '2026-03-10T05:00:30.000Z',
    playedMs: 30_000,
    ...overrides,
  };
}

const check = (plays: ReportedPlay[], sentAt = receivedAt) =>
  checkPlays(plays, { receivedAt, sentAt, pairedAt, videos, groupId: 1, groupIds: new Set([1, 2]) });

describe('plays a screen reports', () => {
  it('a whole play is stored as completed, with the jobs of the video it showed', () => {
    const { accepted, refused } = check([play()]);
    expect(refused).toEqual([]);
    expect(accepted).toEqual([
      expect.objectContaining({ playId: 'play-0001', jobIds: [70, 71], completed: true, playedMs: 30_000 }),
    ]);
  });

  it.each([
    [27_000, true, '90 % of 30 s'],
    [26_999, false, 'just under 90 %'],
    [5_000, false, 'switched away after 5 s'],
  ])('%i ms of a 30 s video: completed %s (%s)', (playedMs, completed) => {
    expect(check([play({ playedMs })]).accepted[0]?.completed).toBe(completed);
  });

  it('a screen cannot claim more play than the time that passed', () => {
    const [stored] = check([play({ playedMs: 600_000 })]).accepted;
    expect(stored?.playedMs).toBeLessThanOrEqual(31_000);
  });

  it('a clock 10 minutes slow: times are moved by the offset measured at upload, so the play lands at its true time', () => {
    const slow = 10 * 60_000;
    const sentAt = new Date(receivedAt.getTime() - slow);
    const { accepted, clockOffsetMs } = check(
      [play({ startedAt: '2026-03-10T04:50:00.000Z', endedAt: '2026-03-10T04:50:30.000Z' })],
      sentAt,
    );
    expect(clockOffsetMs).toBe(slow);
    expect(accepted[0]?.startedAt.toISOString()).toBe('2026-03-10T05:00:00.000Z');
  });

  it('a clock 10 minutes fast: a play that would be in the future is moved back, not refused', () => {
    const fast = 10 * 60_000;
    const sentAt = new Date(receivedAt.getTime() + fast);
    const { accepted, refused } = check(
      [play({ startedAt: '2026-03-10T06:09:00.000Z', endedAt: '2026-03-10T06:09:30.000Z' })],
      sentAt,
    );
    expect(refused).toEqual([]);
    expect(accepted[0]?.endedAt.toISOString()).toBe('2026-03-10T05:59:30.000Z');
  });

  it('a few seconds of network delay is not taken for a wrong clock', () => {
    const { clockOffsetMs, accepted } = check([play()], new Date(receivedAt.getTime() - 1_500));
    expect(clockOffsetMs).toBe(0);
    expect(accepted[0]?.startedAt.toISOString()).toBe('2026-03-10T05:00:00.000Z');
  });

  it.each([
    ['in the future', play({ startedAt: '2026-03-10T07:00:00Z', endedAt: '2026-03-10T07:00:30Z' }), '未来'],
    ['before the pairing', play({ startedAt: '2026-03-09T23:00:00Z', endedAt: '2026-03-09T23:00:30Z' }), '配对'],
    ['ending before it starts', play({ endedAt: '2026-03-10T04:59:00Z' }), '结束时间早于开始时间'],
    ['of a video of another site', play({ renderId: 99 }), '不是本站的视频'],
    ['with a time that is not one', play({ startedAt: 'yesterday' }), '无法识别'],
    ['with a malformed play id', play({ playId: 'x' }), '播放编号'],
    ['spanning three hours', play({ startedAt: '2026-03-10T02:00:00Z', endedAt: '2026-03-10T05:00:00Z' }), '2 小时'],
  ])('a play %s is refused with the reason', (_label, bad, reason) => {
    const { accepted, refused } = check([bad, play({ playId: 'play-good-1' })]);
    expect(accepted.map((p) => p.playId)).toEqual(['play-good-1']);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toContain(reason);
  });

  it('the same play id twice in one batch is stored once', () => {
    const { accepted } = check([play(), play()]);
    expect(accepted).toHaveLength(1);
  });

  it('a play keeps the group it was played in, when the screen has moved since; a group of another site is not taken', () => {
    const { accepted } = check([
      play({ groupId: 2 }),
      play({ playId: 'play-0002', groupId: 99 }),
      play({ playId: 'play-0003' }),
    ]);
    expect(accepted.map((p) => p.groupId)).toEqual([2, 1, 1]);
  });

  it('a clock a century off is refused for the whole batch, with the reason', () => {
    const sentAt = new Date(receivedAt.getTime() - 101 * 365 * 86_400_000);
    const { accepted, refused } = check([play()], sentAt);
    expect(accepted).toEqual([]);
    expect(refused[0]?.reason).toContain('100 年');
  });

  it('a TV box that booted at 2000-01-01 still has its plays stored at their true time', () => {
    const offset = receivedAt.getTime() - Date.parse('2000-01-01T00:10:00Z');
    const local = (iso: string) => new Date(Date.parse(iso) - offset).toISOString();
    const { accepted, clockOffsetMs } = check(
      [play({ startedAt: local('2026-03-10T05:00:00Z'), endedAt: local('2026-03-10T05:00:30Z') })],
      new Date('2000-01-01T00:10:00Z'),
    );
    expect(clockOffsetMs).toBe(offset);
    expect(accepted[0]?.startedAt.toISOString()).toBe('2026-03-10T05:00:00.000Z');
  });
});
