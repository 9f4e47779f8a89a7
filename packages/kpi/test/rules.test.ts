import { describe, expect, it } from 'vitest';
import {
  KPI_RULES,
  kpiLineIds,
  type LineScore,
  livestreamTarget,
  scoreFacts,
  totalMaxPoints,
  type YearFacts,
} from '../src/index.ts';

/** Counts with every line complete, to vary one line at a time. */
const complete: YearFacts = {
  videos: { done: 100, ai: 12 },
  coverage: { done: 12, national: 2 },
  flyers: { qualifiedIssues: 12 },
  livestreams: { job: 48, other: 12 },
  aiFairs: { qualified: 80 },
  onsiteFairs: { qualified: 12 },
};

describe('KPI_RULES', () => {
  it('are the contract: 100/12 videos, 12/2 reports, 12 flyers of 1000 copies, 48 + 12 livestreams, 80 AI and 12 on-site fairs; 37 points', () => {
    expect(kpiLineIds).toEqual(['videos', 'coverage', 'flyers', 'livestreams', 'aiFairs', 'onsiteFairs']);
    expect(KPI_RULES.defaultServiceYearStart).toBe('01-01');
    expect([KPI_RULES.videos.target, KPI_RULES.videos.ai.target, KPI_RULES.videos.maxPoints]).toEqual([100, 12, 8]);
    expect(KPI_RULES.videos.pointsPerShortfall).toBe(0.2);
    expect([KPI_RULES.coverage.target, KPI_RULES.coverage.national.target, KPI_RULES.coverage.maxPoints]).toEqual([
      12, 2, 6,
    ]);
    expect([KPI_RULES.flyers.target, KPI_RULES.flyers.minCopies, KPI_RULES.flyers.maxPoints]).toEqual([12, 1000, 3]);
    expect(KPI_RULES.flyers.pointsPerMissingIssue).toBe(0.5);
    expect([KPI_RULES.livestreams.job.target, KPI_RULES.livestreams.other.target, livestreamTarget]).toEqual([
      48, 12, 60,
    ]);
    expect([KPI_RULES.livestreams.pointsPerSession, KPI_RULES.livestreams.maxPoints]).toEqual([0.1, 6]);
    expect(KPI_RULES.aiFairs).toMatchObject({ label: 'AI数智招聘会', target: 80, pointsPerFair: 0.1, maxPoints: 8 });
    expect(KPI_RULES.onsiteFairs).toMatchObject({
      label: '线下招聘会',
      target: 12,
      perMonth: 1,
      pointsPerFair: 0.5,
      maxPoints: 6,
    });
    expect(totalMaxPoints).toBe(37);
  });
});

describe('scoreFacts: 短视频 (8 − 0.2 per video short, AI slots filled only by AI videos)', () => {
  const cases: { done: number; ai: number; shortfall: number; points: number }[] = [
    { done: 0, ai: 0, shortfall: 100, points: 0 },
    { done: 100, ai: 12, shortfall: 0, points: 8 },
    { done: 180, ai: 40, shortfall: 0, points: 8 },
    { done: 99, ai: 12, shortfall: 1, points: 7.8 },
    { done: 98, ai: 12, shortfall: 2, points: 7.6 },
    { done: 97, ai: 12, shortfall: 3, points: 7.4 },
    { done: 95, ai: 12, shortfall: 5, points: 7 },
    { done: 90, ai: 12, shortfall: 10, points: 6 },
    { done: 65, ai: 12, shortfall: 35, points: 1 },
    { done: 61, ai: 12, shortfall: 39, points: 0.2 },
    { done: 60, ai: 12, shortfall: 40, points: 0 },
    { done: 59, ai: 12, shortfall: 41, points: 0 },
    // the AI sub-target
    { done: 100, ai: 0, shortfall: 12, points: 5.6 },
    { done: 100, ai: 8, shortfall: 4, points: 7.2 },
    { done: 100, ai: 11, shortfall: 1, points: 7.8 },
    { done: 150, ai: 10, shortfall: 2, points: 7.6 },
    { done: 95, ai: 5, shortfall: 7, points: 6.6 },
    { done: 95, ai: 9, shortfall: 5, points: 7 },
    { done: 12, ai: 12, shortfall: 88, points: 0 },
  ];
  it.each(cases)('$done videos, $ai AI → short $shortfall, $points points', ({ done, ai, shortfall, points }) => {
    expect(scoreFacts({ ...complete, videos: { done, ai } }).videos).toEqual<LineScore>({ shortfall, points });
  });
});

describe('scoreFacts: 媒体宣传 (6 − 1 per report short, at least 2 national or ministerial)', () => {
  const cases: { done: number; national: number; shortfall: number; points: number }[] = [
    { done: 0, national: 0, shortfall: 12, points: 0 },
    { done: 12, national: 2, shortfall: 0, points: 6 },
    { done: 30, national: 9, shortfall: 0, points: 6 },
    { done: 11, national: 2, shortfall: 1, points: 5 },
    { done: 10, national: 2, shortfall: 2, points: 4 },
    { done: 9, national: 2, shortfall: 3, points: 3 },
    { done: 8, national: 2, shortfall: 4, points: 2 },
    { done: 7, national: 2, shortfall: 5, points: 1 },
    { done: 6, national: 2, shortfall: 6, points: 0 },
    { done: 5, national: 2, shortfall: 7, points: 0 },
    // the national sub-target
    { done: 12, national: 1, shortfall: 1, points: 5 },
    { done: 12, national: 0, shortfall: 2, points: 4 },
    { done: 20, national: 0, shortfall: 2, points: 4 },
    { done: 11, national: 0, shortfall: 2, points: 4 },
    { done: 11, national: 1, shortfall: 1, points: 5 },
    { done: 9, national: 0, shortfall: 3, points: 3 },
  ];
  it.each(cases)('$done reports, $national national → short $shortfall, $points points', (c) => {
    const score = scoreFacts({ ...complete, coverage: { done: c.done, national: c.national } }).coverage;
    expect(score).toEqual<LineScore>({ shortfall: c.shortfall, points: c.points });
  });
});

describe('scoreFacts: 招工小报 (3 − 0.5 per missing monthly issue)', () => {
  const cases: { issues: number; shortfall: number; points: number }[] = [
    { issues: 0, shortfall: 12, points: 0 },
    { issues: 12, shortfall: 0, points: 3 },
    { issues: 11, shortfall: 1, points: 2.5 },
    { issues: 10, shortfall: 2, points: 2 },
    { issues: 9, shortfall: 3, points: 1.5 },
    { issues: 8, shortfall: 4, points: 1 },
    { issues: 7, shortfall: 5, points: 0.5 },
    { issues: 6, shortfall: 6, points: 0 },
    { issues: 5, shortfall: 7, points: 0 },
    { issues: 1, shortfall: 11, points: 0 },
  ];
  it.each(cases)('$issues issues → missing $shortfall, $points points', ({ issues, shortfall, points }) => {
    expect(scoreFacts({ ...complete, flyers: { qualifiedIssues: issues } }).flyers).toEqual<LineScore>({
      shortfall,
      points,
    });
  });
});

describe('scoreFacts: 直播 (0.1 per session, at most 48 job and 12 other, at most 6)', () => {
  const cases: { job: number; other: number; shortfall: number; points: number }[] = [
    { job: 0, other: 0, shortfall: 60, points: 0 },
    { job: 48, other: 12, shortfall: 0, points: 6 },
    { job: 70, other: 25, shortfall: 0, points: 6 },
    { job: 1, other: 0, shortfall: 59, points: 0.1 },
    { job: 3, other: 0, shortfall: 57, points: 0.3 },
    { job: 2, other: 1, shortfall: 57, points: 0.3 },
    { job: 50, other: 3, shortfall: 9, points: 5.1 },
    { job: 0, other: 20, shortfall: 48, points: 1.2 },
    { job: 100, other: 0, shortfall: 12, points: 4.8 },
    { job: 47, other: 12, shortfall: 1, points: 5.9 },
    { job: 48, other: 11, shortfall: 1, points: 5.9 },
    { job: 30, other: 5, shortfall: 25, points: 3.5 },
  ];
  it.each(cases)('$job job + $other other → short $shortfall, $points points', ({ job, other, shortfall, points }) => {
    expect(scoreFacts({ ...complete, livestreams: { job, other } }).livestreams).toEqual<LineScore>({
      shortfall,
      points,
    });
  });
});

describe('scoreFacts: AI数智招聘会 (0.1 per qualified fair, at most 8)', () => {
  const cases: { fairs: number; shortfall: number; points: number }[] = [
    { fairs: 0, shortfall: 80, points: 0 },
    { fairs: 1, shortfall: 79, points: 0.1 },
    { fairs: 7, shortfall: 73, points: 0.7 },
    { fairs: 40, shortfall: 40, points: 4 },
    { fairs: 79, shortfall: 1, points: 7.9 },
    { fairs: 80, shortfall: 0, points: 8 },
    { fairs: 81, shortfall: 0, points: 8 },
    { fairs: 200, shortfall: 0, points: 8 },
  ];
  it.each(cases)('$fairs fairs → short $shortfall, $points points', ({ fairs, shortfall, points }) => {
    expect(scoreFacts({ ...complete, aiFairs: { qualified: fairs } }).aiFairs).toEqual<LineScore>({
      shortfall,
      points,
    });
  });
});

describe('scoreFacts: 线下招聘会 (0.5 per qualified fair, at most 6)', () => {
  const cases: { fairs: number; shortfall: number; points: number }[] = [
    { fairs: 0, shortfall: 12, points: 0 },
    { fairs: 1, shortfall: 11, points: 0.5 },
    { fairs: 7, shortfall: 5, points: 3.5 },
    { fairs: 11, shortfall: 1, points: 5.5 },
    { fairs: 12, shortfall: 0, points: 6 },
    { fairs: 13, shortfall: 0, points: 6 },
    { fairs: 30, shortfall: 0, points: 6 },
  ];
  it.each(cases)('$fairs fairs → short $shortfall, $points points', ({ fairs, shortfall, points }) => {
    expect(scoreFacts({ ...complete, onsiteFairs: { qualified: fairs } }).onsiteFairs).toEqual<LineScore>({
      shortfall,
      points,
    });
  });
});

describe('scoreFacts refuses counts that cannot be', () => {
  const cases: { name: string; facts: YearFacts; message: RegExp }[] = [
    { name: 'negative', facts: { ...complete, videos: { done: -1, ai: 0 } }, message: /videos\.done.*-1/ },
    { name: 'fractional', facts: { ...complete, livestreams: { job: 1.5, other: 0 } }, message: /livestreams\.job/ },
    { name: 'more AI than videos', facts: { ...complete, videos: { done: 3, ai: 4 } }, message: /videos\.ai \(4\)/ },
    {
      name: 'more national than reports',
      facts: { ...complete, coverage: { done: 1, national: 2 } },
      message: /coverage\.national \(2\)/,
    },
    { name: '13 flyers', facts: { ...complete, flyers: { qualifiedIssues: 13 } }, message: /qualifiedIssues \(13\)/ },
    { name: 'negative fairs', facts: { ...complete, aiFairs: { qualified: -1 } }, message: /aiFairs\.qualified.*-1/ },
    {
      name: 'half a fair',
      facts: { ...complete, onsiteFairs: { qualified: 0.5 } },
      message: /onsiteFairs\.qualified/,
    },
  ];
  it.each(cases)('$name', ({ facts, message }) => {
    expect(() => scoreFacts(facts)).toThrow(message);
  });
});
