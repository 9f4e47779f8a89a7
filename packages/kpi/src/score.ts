import { KPI_RULES, type KpiLineId, livestreamTarget, totalMaxPoints } from './rules.ts';
import { elapsedShare, flyerMonthsEnded, type ServiceYear, serviceYear } from './service-year.ts';

/** What the service year has counted so far, per line (the shape `@jobcast/db` `countYear` returns). */
export interface YearFacts {
  /** Published videos (distinct URLs) and, of them, AI videos. */
  videos: { done: number; ai: number };
  /** Media reports and, of them, national or ministerial ones. */
  coverage: { done: number; national: number };
  /** Months of the year with an issue printed in at least `KPI_RULES.flyers.minCopies` copies. */
  flyers: { qualifiedIssues: number };
  /** Qualified livestreams: 直播带岗 and the other types. */
  livestreams: { job: number; other: number };
  /** AI数智招聘会 held that qualify by `judgeFair` (see `countFairs`). */
  aiFairs: { qualified: number };
  /** 线下招聘会 held that qualify by `judgeFair` (see `countFairs`). */
  onsiteFairs: { qualified: number };
}

/** A minimum inside a line (AI videos, national reports, job and other livestreams). */
export interface SubTarget {
  id: string;
  label: string;
  target: number;
  done: number;
  /** Where `done` should be by today if the year went evenly (one decimal). */
  expectedByToday: number;
  /** `done` carried to the year's end at today's rate (whole number). */
  projected: number;
}

/** One contract line of the report. */
export interface KpiLine {
  line: KpiLineId;
  /** 短视频, 媒体宣传, 招工小报, 直播, AI数智招聘会, 线下招聘会. */
  label: string;
  /** 条, 篇, 期, 场 (直播 and both job fairs). */
  unit: string;
  target: number;
  done: number;
  /**
   * Where `done` should be by today if the year went evenly (one decimal). 招工小报 is paced by the
   * month instead: one issue for each of the year's flyer months ended before today (a whole number,
   * see `flyerMonthsEnded`), so the current month's issue is not due until the month is over; so is
   * 线下招聘会, one fair for each of those months.
   */
  expectedByToday: number;
  /** `done` carried to the year's end at today's rate (whole number). */
  projected: number;
  /**
   * How many more would bring the line to full points: for videos and coverage the sub-target
   * counts too (100 videos none of them AI are 12 short); for livestreams only sessions under the
   * 48 and 12 caps count (60 job livestreams and no other are 12 short); for the job fairs the
   * qualified fairs short of the target.
   */
  shortfall: number;
  /** Points as of today (one decimal). */
  points: number;
  maxPoints: number;
  /** The points the projected counts would score. */
  pointsIfProjected: number;
  subTargets: SubTarget[];
}

/** The service year's targets, pace and points for one site as of one day. */
export interface KpiReport {
  year: number;
  serviceYear: ServiceYear;
  /** The day the report is for, YYYY-MM-DD in the site's time zone. */
  today: string;
  /** The share of the service year gone by today, today included, in [0, 1]. */
  elapsedShare: number;
  lines: KpiLine[];
  total: { points: number; maxPoints: number; pointsIfProjected: number };
}

/** A line's shortfall and points (one decimal) for a set of counts. */
export interface LineScore {
  shortfall: number;
  points: number;
}

const tenths = (points: number) => Math.round(points * 10);
const fromTenths = (n: number) => n / 10;
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Scored {
  shortfall: number;
  tenths: number;
}

/** So many points a fair, up to the line's cap; short by the fairs under the target. */
function perFair(rule: { target: number; maxPoints: number; pointsPerFair: number }, fairs: number): Scored {
  return {
    shortfall: Math.max(0, rule.target - fairs),
    tenths: Math.min(tenths(rule.maxPoints), tenths(rule.pointsPerFair) * fairs),
  };
}

/** Full points less a penalty per unit short, never below zero, in tenths. */
function penalised(maxPoints: number, perUnit: number, shortfall: number): Scored {
  return { shortfall, tenths: Math.max(0, tenths(maxPoints) - tenths(perUnit) * shortfall) };
}

interface SubSpec {
  id: string;
  label: string;
  target: number;
  done: (facts: YearFacts) => number;
}

interface LineSpec {
  line: KpiLineId;
  label: string;
  unit: string;
  target: number;
  maxPoints: number;
  done: (facts: YearFacts) => number;
  /** Where `done` should be by today, when not `target` times the share of the year gone. */
  expectedByToday?: (sy: ServiceYear, today: string) => number;
  subTargets: SubSpec[];
  score: (facts: YearFacts) => Scored;
}

const { videos, coverage, flyers, livestreams, aiFairs, onsiteFairs } = KPI_RULES;

const lineSpecs: LineSpec[] = [
  {
    line: 'videos',
    label: videos.label,
    unit: videos.unit,
    target: videos.target,
    maxPoints: videos.maxPoints,
    done: (f) => f.videos.done,
    subTargets: [{ ...videos.ai, done: (f) => f.videos.ai }],
    score: (f) =>
      penalised(
        videos.maxPoints,
        videos.pointsPerShortfall,
        Math.max(0, videos.target - f.videos.done, videos.ai.target - f.videos.ai),
      ),
  },
  {
    line: 'coverage',
    label: coverage.label,
    unit: coverage.unit,
    target: coverage.target,
    maxPoints: coverage.maxPoints,
    done: (f) => f.coverage.done,
    subTargets: [{ ...coverage.national, done: (f) => f.coverage.national }],
    score: (f) =>
      penalised(
        coverage.maxPoints,
        coverage.pointsPerShortfall,
        Math.max(0, coverage.target - f.coverage.done, coverage.national.target - f.coverage.national),
      ),
  },
  {
    line: 'flyers',
    label: flyers.label,
    unit: flyers.unit,
    target: flyers.target,
    maxPoints: flyers.maxPoints,
    done: (f) => f.flyers.qualifiedIssues,
    // One issue a month, due by the month's end: the flyer months already over.
    expectedByToday: (sy, today) => Math.min(flyers.target, flyerMonthsEnded(sy, today)),
    subTargets: [],
    score: (f) =>
      penalised(flyers.maxPoints, flyers.pointsPerMissingIssue, Math.max(0, flyers.target - f.flyers.qualifiedIssues)),
  },
  {
    line: 'livestreams',
    label: livestreams.label,
    unit: livestreams.unit,
    target: livestreamTarget,
    maxPoints: livestreams.maxPoints,
    done: (f) => f.livestreams.job + f.livestreams.other,
    subTargets: [
      { ...livestreams.job, done: (f) => f.livestreams.job },
      { ...livestreams.other, done: (f) => f.livestreams.other },
    ],
    score: (f) => {
      const job = Math.min(f.livestreams.job, livestreams.job.target);
      const other = Math.min(f.livestreams.other, livestreams.other.target);
      return {
        shortfall: livestreams.job.target - job + (livestreams.other.target - other),
        tenths: Math.min(tenths(livestreams.maxPoints), tenths(livestreams.pointsPerSession) * (job + other)),
      };
    },
  },
  {
    line: 'aiFairs',
    label: aiFairs.label,
    unit: aiFairs.unit,
    target: aiFairs.target,
    maxPoints: aiFairs.maxPoints,
    done: (f) => f.aiFairs.qualified,
    subTargets: [],
    score: (f) => perFair(aiFairs, f.aiFairs.qualified),
  },
  {
    line: 'onsiteFairs',
    label: onsiteFairs.label,
    unit: onsiteFairs.unit,
    target: onsiteFairs.target,
    maxPoints: onsiteFairs.maxPoints,
    done: (f) => f.onsiteFairs.qualified,
    // At least one a month: a fair for each of the year's months already over.
    expectedByToday: (sy, today) => Math.min(onsiteFairs.target, onsiteFairs.perMonth * flyerMonthsEnded(sy, today)),
    subTargets: [],
    score: (f) => perFair(onsiteFairs, f.onsiteFairs.qualified),
  },
];

function checkFacts(facts: YearFacts): void {
  const counts: [string, number][] = [
    ['videos.done', facts.videos.done],
    ['videos.ai', facts.videos.ai],
    ['coverage.done', facts.coverage.done],
    ['coverage.national', facts.coverage.national],
    ['flyers.qualifiedIssues', facts.flyers.qualifiedIssues],
    ['livestreams.job', facts.livestreams.job],
    ['livestreams.other', facts.livestreams.other],
    ['aiFairs.qualified', facts.aiFairs.qualified],
    ['onsiteFairs.qualified', facts.onsiteFairs.qualified],
  ];
  for (const [name, n] of counts) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${n}`);
  }
  if (facts.videos.ai > facts.videos.done) {
    throw new RangeError(`videos.ai (${facts.videos.ai}) cannot exceed videos.done (${facts.videos.done})`);
  }
  if (facts.coverage.national > facts.coverage.done) {
    throw new RangeError(
      `coverage.national (${facts.coverage.national}) cannot exceed coverage.done (${facts.coverage.done})`,
    );
  }
  if (facts.flyers.qualifiedIssues > flyers.target) {
    throw new RangeError(
      `flyers.qualifiedIssues (${facts.flyers.qualifiedIssues}) cannot exceed ${flyers.target} (one issue a month)`,
    );
  }
}

/**
 * Each line's shortfall and points for a year's counts, with no dates involved. Throws a RangeError
 * for counts that cannot be (negative, fractional, more AI videos than videos, more than 12 flyers).
 */
export function scoreFacts(facts: YearFacts): Record<KpiLineId, LineScore> {
  checkFacts(facts);
  const entries = lineSpecs.map((spec) => {
    const { shortfall, tenths: t } = spec.score(facts);
    return [spec.line, { shortfall, points: fromTenths(t) }] as const;
  });
  return Object.fromEntries(entries) as Record<KpiLineId, LineScore>;
}

/** The counts carried to the year's end at the rate so far (0 before the year starts). */
function projectFacts(facts: YearFacts, share: number): YearFacts {
  const project = (n: number) => (share > 0 ? Math.round(n / share) : 0);
  return {
    videos: { done: project(facts.videos.done), ai: project(facts.videos.ai) },
    coverage: { done: project(facts.coverage.done), national: project(facts.coverage.national) },
    // One issue a month: a year cannot hold more than 12, whatever the rate.
    flyers: { qualifiedIssues: Math.min(flyers.target, project(facts.flyers.qualifiedIssues)) },
    livestreams: { job: project(facts.livestreams.job), other: project(facts.livestreams.other) },
    aiFairs: { qualified: project(facts.aiFairs.qualified) },
    onsiteFairs: { qualified: project(facts.onsiteFairs.qualified) },
  };
}

/**
 * The report for the service year that starts in `year` on `startMonthDay` (MM-DD), as of `today`
 * (YYYY-MM-DD, the site's calendar date): each line's target, count, expected count by today (by
 * the day, 招工小报 by the month), projection, shortfall and points now and if the pace holds, and
 * the totals out of 37.
 */
export function scoreYear(facts: YearFacts, year: number, startMonthDay: string, today: string): KpiReport {
  checkFacts(facts);
  const sy = serviceYear(year, startMonthDay);
  const share = elapsedShare(sy, today);
  const projected = projectFacts(facts, share);
  const expected = (target: number) => round1(target * share);

  let pointsTenths = 0;
  let projectedTenths = 0;
  const lines = lineSpecs.map((spec): KpiLine => {
    const now = spec.score(facts);
    const then = spec.score(projected);
    pointsTenths += now.tenths;
    projectedTenths += then.tenths;
    return {
      line: spec.line,
      label: spec.label,
      unit: spec.unit,
      target: spec.target,
      done: spec.done(facts),
      expectedByToday: spec.expectedByToday ? spec.expectedByToday(sy, today) : expected(spec.target),
      projected: spec.done(projected),
      shortfall: now.shortfall,
      points: fromTenths(now.tenths),
      maxPoints: spec.maxPoints,
      pointsIfProjected: fromTenths(then.tenths),
      subTargets: spec.subTargets.map((sub) => ({
        id: sub.id,
        label: sub.label,
        target: sub.target,
        done: sub.done(facts),
        expectedByToday: expected(sub.target),
        projected: sub.done(projected),
      })),
    };
  });

  return {
    year,
    serviceYear: sy,
    today,
    elapsedShare: share,
    lines,
    total: {
      points: fromTenths(pointsTenths),
      maxPoints: totalMaxPoints,
      pointsIfProjected: fromTenths(projectedTenths),
    },
  };
}
