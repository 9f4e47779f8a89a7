import type { MonthCount } from './alerts.ts';
import type { YearFacts } from './score.ts';

/**
 * The contract's two job-fair lines (issue 14), as rules and a verdict per fair: which fair counts,
 * and, in Chinese, why it does or what it lacks, as a livestream's verdict says.
 */
export const FAIR_RULES = {
  /** AI数智招聘会: 80 a year, 6–10 employers each, the fair's 职播机 playing job videos; 0.1 point each. */
  ai: {
    label: 'AI数智招聘会',
    target: 80,
    minEmployers: 6,
    maxEmployers: 10,
    /** Completed plays of job videos on the fair's screens during the fair. */
    minPlays: 1,
    pointsEach: 0.1,
    maxPoints: 8,
  },
  /** 线下招聘会: 12 a year, at least one a month, 10 or more employers each; 0.5 point each. */
  onsite: {
    label: '线下招聘会',
    target: 12,
    perMonth: 1,
    minEmployers: 10,
    pointsEach: 0.5,
    maxPoints: 6,
  },
} as const;

export type FairKind = keyof typeof FAIR_RULES;

/** What a fair's record holds that its verdict depends on. */
export interface FairFacts {
  kind: FairKind;
  /** The employers registered for the fair, as job-pool employer ids; one listed twice counts once. */
  employerIds: readonly number[];
  /** Completed plays of job videos on the fair's screen group within the fair's time (AI fairs). */
  completedPlays: number;
  /** Distinct job videos among those plays. */
  videosPlayed: number;
}

export interface FairVerdict {
  qualified: boolean;
  /** Distinct employers. */
  employers: number;
  /** Why it counts, or every reason it does not, in Chinese. */
  reasons: string[];
}

export function judgeFair(facts: FairFacts): FairVerdict {
  const employers = new Set(facts.employerIds).size;
  const repeated = facts.employerIds.length - employers;
  const notes = repeated > 0 ? [`有 ${repeated} 家单位重复登记，只算一次`] : [];
  const lacks: string[] = [];
  const has: string[] = [];
  if (facts.kind === 'ai') {
    const rule = FAIR_RULES.ai;
    if (employers < rule.minEmployers) lacks.push(`用人单位 ${employers} 家，少于 ${rule.minEmployers} 家`);
    else if (employers > rule.maxEmployers) lacks.push(`用人单位 ${employers} 家，多于 ${rule.maxEmployers} 家`);
    else has.push(`用人单位 ${employers} 家（要求 ${rule.minEmployers}–${rule.maxEmployers} 家）`);
    if (facts.completedPlays < rule.minPlays) lacks.push('招聘会期间职播机没有完整播放过带岗视频');
    else has.push(`招聘会期间职播机播放带岗视频 ${facts.completedPlays} 次，共 ${facts.videosPlayed} 条`);
  } else {
    const rule = FAIR_RULES.onsite;
    if (employers < rule.minEmployers) lacks.push(`用人单位 ${employers} 家，少于 ${rule.minEmployers} 家`);
    else has.push(`用人单位 ${employers} 家（要求至少 ${rule.minEmployers} 家）`);
  }
  const qualified = lacks.length === 0;
  return { qualified, employers, reasons: [...(qualified ? has : lacks), ...notes] };
}

/** A fair held on a day of the service year, with what its verdict depends on. */
export interface HeldFair extends FairFacts {
  /** The day it was held (it started), YYYY-MM-DD on the site's clock. */
  day: string;
}

/** The year's qualified fairs of each kind, in all and month by month (months with none left out). */
export interface FairCounts {
  totals: Pick<YearFacts, 'aiFairs' | 'onsiteFairs'>;
  byMonth: { aiFairs: MonthCount[]; onsiteFairs: MonthCount[] };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the score's two fair lines count: each fair judged by `judgeFair`, the qualified ones by
 * kind and by the month they were held. Throws a RangeError for a day that is not YYYY-MM-DD.
 */
export function countFairs(fairs: readonly HeldFair[]): FairCounts {
  const months = { ai: new Map<string, number>(), onsite: new Map<string, number>() };
  for (const fair of fairs) {
    if (!DAY.test(fair.day)) throw new RangeError(`a fair's day must be YYYY-MM-DD, got ${JSON.stringify(fair.day)}`);
    if (!judgeFair(fair).qualified) continue;
    const month = fair.day.slice(0, 7);
    months[fair.kind].set(month, (months[fair.kind].get(month) ?? 0) + 1);
  }
  const series = (counts: Map<string, number>): MonthCount[] =>
    [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, count]) => ({ month, count }));
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);
  return {
    totals: { aiFairs: { qualified: total(months.ai) }, onsiteFairs: { qualified: total(months.onsite) } },
    byMonth: { aiFairs: series(months.ai), onsiteFairs: series(months.onsite) },
  };
}
