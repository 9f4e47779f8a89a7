import { type LiveRules, loadConfig } from '@jobcast/config';
import type { LiveSessionType } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { guardState, type Interval, onScreenLiveSeconds, presentedJobIds, type Showing } from '../src/guard.ts';

/** The rules a fresh machine is configured with. */
const contract = loadConfig({}).live;

const minutes = (n: number) => n * 60;

describe('guardState with the default rules', () => {
  it('are the contract: 60 minutes and 20 jobs (each 1 minute on screen) for 直播带岗, 30 minutes for the others', () => {
    expect(contract).toMatchObject({
      guardMinLiveSeconds: 3600,
      guardMinJobs: 20,
      presentMinSeconds: 60,
      otherMinLiveSeconds: 1800,
    });
  });

  const cases: {
    type: LiveSessionType;
    live: number;
    jobs: number;
    qualified: boolean;
    needSeconds: number;
    needJobs: number;
    reasons: string[];
  }[] = [
    {
      type: 'job',
      live: minutes(52),
      jobs: 20,
      qualified: false,
      needSeconds: minutes(8),
      needJobs: 0,
      reasons: ['直播时长 52 分钟，不足 60 分钟', '讲解岗位 20 个，达到 20 个'],
    },
    {
      type: 'job',
      live: minutes(61),
      jobs: 19,
      qualified: false,
      needSeconds: 0,
      needJobs: 1,
      reasons: ['直播时长 61 分钟，达到 60 分钟', '讲解岗位 19 个，不足 20 个'],
    },
    {
      type: 'job',
      live: minutes(60),
      jobs: 20,
      qualified: true,
      needSeconds: 0,
      needJobs: 0,
      reasons: ['直播时长 60 分钟，达到 60 分钟', '讲解岗位 20 个，达到 20 个'],
    },
    {
      type: 'job',
      live: minutes(60) - 0.4,
      jobs: 25,
      qualified: false,
      needSeconds: 1,
      needJobs: 0,
      reasons: ['直播时长 59 分钟，不足 60 分钟', '讲解岗位 25 个，达到 20 个'],
    },
    {
      type: 'job',
      live: 0,
      jobs: 0,
      qualified: false,
      needSeconds: minutes(60),
      needJobs: 20,
      reasons: ['直播时长 0 秒，不足 60 分钟', '讲解岗位 0 个，不足 20 个'],
    },
    // The other types are judged by live time only: presented jobs neither help nor hurt.
    {
      type: 'policy',
      live: minutes(30),
      jobs: 0,
      qualified: true,
      needSeconds: 0,
      needJobs: 0,
      reasons: ['直播时长 30 分钟，达到 30 分钟'],
    },
    {
      type: 'training',
      live: minutes(29) + 59,
      jobs: 40,
      qualified: false,
      needSeconds: 1,
      needJobs: 0,
      reasons: ['直播时长 29 分钟，不足 30 分钟'],
    },
    {
      type: 'visit',
      live: minutes(45),
      jobs: 3,
      qualified: true,
      needSeconds: 0,
      needJobs: 0,
      reasons: ['直播时长 45 分钟，达到 30 分钟'],
    },
    {
      type: 'other',
      live: minutes(52),
      jobs: 0,
      qualified: true,
      needSeconds: 0,
      needJobs: 0,
      reasons: ['直播时长 52 分钟，达到 30 分钟'],
    },
  ];

  it.each(cases)('$type: $live s live, $jobs jobs presented → qualified $qualified', (c) => {
    const state = guardState(c.type, c.live, c.jobs, contract);
    expect(state).toMatchObject({
      qualified: c.qualified,
      needSeconds: c.needSeconds,
      needJobs: c.needJobs,
      reasons: c.reasons,
    });
  });

  it('states the thresholds it judged by; the job count only for job livestreams', () => {
    expect(guardState('job', 0, 0, contract).thresholds).toEqual({
      minLiveSeconds: 3600,
      minJobs: 20,
      presentMinSeconds: 60,
    });
    expect(guardState('policy', 0, 0, contract).thresholds).toEqual({
      minLiveSeconds: 1800,
      minJobs: null,
      presentMinSeconds: 60,
    });
  });
});

describe('guardState with rules that are not whole minutes', () => {
  const quick: LiveRules = { ...contract, guardMinLiveSeconds: 90, guardMinJobs: 2, otherMinLiveSeconds: 45 };

  it.each([
    {
      type: 'job' as const,
      live: 45,
      jobs: 2,
      reasons: ['直播时长 45 秒，不足 1 分 30 秒', '讲解岗位 2 个，达到 2 个'],
    },
    {
      type: 'job' as const,
      live: 120,
      jobs: 1,
      reasons: ['直播时长 2 分钟，达到 1 分 30 秒', '讲解岗位 1 个，不足 2 个'],
    },
    {
      type: 'job' as const,
      live: 95.9,
      jobs: 2,
      reasons: ['直播时长 1 分 35 秒，达到 1 分 30 秒', '讲解岗位 2 个，达到 2 个'],
    },
    { type: 'other' as const, live: 44, jobs: 0, reasons: ['直播时长 44 秒，不足 45 秒'] },
  ])('$type: $live s → $reasons', ({ type, live, jobs, reasons }) => {
    expect(guardState(type, live, jobs, quick).reasons).toEqual(reasons);
  });
});

describe('onScreenLiveSeconds', () => {
  const t0 = Date.parse('2026-12-01T11:00:00Z');
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  const interval = (from: number, to: number | null): Interval => ({ from: at(from), to: to === null ? null : at(to) });
  const showing = (jobId: number, from: number, to: number | null): Showing => ({ jobId, ...interval(from, to) });

  it('counts only the time a job was on screen while media was received', () => {
    const live = [interval(100, 200), interval(300, 400)];
    const seconds = onScreenLiveSeconds(
      [
        showing(1, 0, 150), // on screen before going live: only 100–150 counts
        showing(2, 150, 350), // across the gap: 150–200 and 300–350
        showing(3, 200, 300), // entirely in the gap
        showing(4, 400, 500), // after the last segment
      ],
      live,
      at(1000),
    );
    expect(Object.fromEntries(seconds)).toEqual({ 1: 50, 2: 100, 3: 0, 4: 0 });
  });

  it('sums the showings of a job shown more than once', () => {
    const seconds = onScreenLiveSeconds(
      [showing(7, 0, 30), showing(8, 30, 60), showing(7, 60, 100)],
      [interval(0, 1000)],
      at(1000),
    );
    expect(seconds.get(7)).toBe(70);
    expect(seconds.get(8)).toBe(30);
  });

  it('counts open intervals up to now', () => {
    const now = at(500);
    expect(onScreenLiveSeconds([showing(1, 100, null)], [interval(0, null)], now).get(1)).toBe(400);
    expect(onScreenLiveSeconds([showing(1, 100, 300)], [interval(200, null)], now).get(1)).toBe(100);
    expect(onScreenLiveSeconds([showing(1, 450, null)], [interval(0, 460)], now).get(1)).toBe(10);
  });

  it('presents a job once its live on-screen time reaches the minimum', () => {
    const live = [interval(0, 1000)];
    const showings = [showing(1, 0, 59), showing(2, 59, 119), showing(3, 119, 150), showing(3, 200, 229)];
    expect(presentedJobIds(showings, live, at(1000), 60)).toEqual([2, 3]);
  });
});
