import { describe, expect, it } from 'vitest';
import { FAIR_RULES, type FairFacts, judgeFair } from '../src/index.ts';

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const ai = (employerIds: number[], completedPlays = 12, videosPlayed = 5): FairFacts => ({
  kind: 'ai',
  employerIds,
  completedPlays,
  videosPlayed,
});
const onsite = (employerIds: number[]): FairFacts => ({
  kind: 'onsite',
  employerIds,
  completedPlays: 0,
  videosPlayed: 0,
});

describe('FAIR_RULES', () => {
  it('are the contract: 80 AI fairs of 6–10 employers at 0.1 point up to 8; 12 on-site fairs of 10+ at 0.5 up to 6, one a month', () => {
    expect(FAIR_RULES.ai).toMatchObject({
      target: 80,
      minEmployers: 6,
      maxEmployers: 10,
      pointsEach: 0.1,
      maxPoints: 8,
    });
    expect(FAIR_RULES.onsite).toMatchObject({
      target: 12,
      perMonth: 1,
      minEmployers: 10,
      pointsEach: 0.5,
      maxPoints: 6,
    });
    expect(FAIR_RULES.ai.target * FAIR_RULES.ai.pointsEach).toBeCloseTo(FAIR_RULES.ai.maxPoints);
    expect(FAIR_RULES.onsite.target * FAIR_RULES.onsite.pointsEach).toBe(FAIR_RULES.onsite.maxPoints);
  });
});

describe('a fair qualifies, or says what it lacks', () => {
  const cases: [string, FairFacts, boolean, string[]][] = [
    [
      'AI fair, 6 employers, videos played',
      ai(ids(6)),
      true,
      ['用人单位 6 家（要求 6–10 家）', '招聘会期间职播机播放带岗视频 12 次，共 5 条'],
    ],
    [
      'AI fair, 10 employers',
      ai(ids(10)),
      true,
      ['用人单位 10 家（要求 6–10 家）', '招聘会期间职播机播放带岗视频 12 次，共 5 条'],
    ],
    ['AI fair, 5 employers', ai(ids(5)), false, ['用人单位 5 家，少于 6 家']],
    ['AI fair, 11 employers', ai(ids(11)), false, ['用人单位 11 家，多于 10 家']],
    ['AI fair, no play on its screens', ai(ids(8), 0, 0), false, ['招聘会期间职播机没有完整播放过带岗视频']],
    [
      'AI fair, 5 employers and no play: both said',
      ai(ids(5), 0, 0),
      false,
      ['用人单位 5 家，少于 6 家', '招聘会期间职播机没有完整播放过带岗视频'],
    ],
    [
      'AI fair, 7 entries of which one employer twice: 6 employers',
      ai([...ids(6), 3]),
      true,
      ['用人单位 6 家（要求 6–10 家）', '招聘会期间职播机播放带岗视频 12 次，共 5 条', '有 1 家单位重复登记，只算一次'],
    ],
    [
      'AI fair, 6 entries of which one employer twice: 5 employers',
      ai([...ids(5), 5]),
      false,
      ['用人单位 5 家，少于 6 家', '有 1 家单位重复登记，只算一次'],
    ],
    ['on-site fair, 10 employers', onsite(ids(10)), true, ['用人单位 10 家（要求至少 10 家）']],
    ['on-site fair, 40 employers, no screens needed', onsite(ids(40)), true, ['用人单位 40 家（要求至少 10 家）']],
    ['on-site fair, 9 employers', onsite(ids(9)), false, ['用人单位 9 家，少于 10 家']],
  ];
  it.each(cases)('%s', (_name, facts, qualified, reasons) => {
    const verdict = judgeFair(facts);
    expect(verdict.qualified).toBe(qualified);
    expect(verdict.reasons).toEqual(reasons);
    expect(verdict.employers).toBe(new Set(facts.employerIds).size);
  });
});
