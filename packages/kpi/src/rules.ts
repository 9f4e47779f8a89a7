import { FAIR_RULES } from './fairs.ts';

/** The contract's six lines, in the order every report lists them. */
export const kpiLineIds = ['videos', 'coverage', 'flyers', 'livestreams', 'aiFairs', 'onsiteFairs'] as const;
export type KpiLineId = (typeof kpiLineIds)[number];

/**
 * The contract's numbers, and the only place they are written down (the job fairs' with their
 * per-fair rules in `FAIR_RULES`, taken from there): every target, sub-target, penalty and cap the
 * scoring and the alerts use comes from here. Points are given as in the contract (e.g. 0.2 per
 * missing video); the scoring works them in integer tenths.
 */
export const KPI_RULES = {
  /** A service year starts on this month and day unless the site says otherwise. */
  defaultServiceYearStart: '01-01',
  /** 短视频: 100 published videos (distinct URLs, inside the service year), at least 12 of them AI videos. */
  videos: {
    label: '短视频',
    unit: '条',
    target: 100,
    maxPoints: 8,
    /** Points lost per video short, the AI sub-target's shortfall included. */
    pointsPerShortfall: 0.2,
    ai: { id: 'ai', label: 'AI 视频', target: 12 },
  },
  /** 媒体宣传: 12 media reports, at least 2 of them in national or ministerial media. */
  coverage: {
    label: '媒体宣传',
    unit: '篇',
    target: 12,
    maxPoints: 6,
    pointsPerShortfall: 1,
    national: { id: 'national', label: '国家级或部级', target: 2 },
  },
  /** 招工小报: one issue a month, 12 in the year, each printed in at least 1000 copies. */
  flyers: {
    label: '招工小报',
    unit: '期',
    target: 12,
    minCopies: 1000,
    maxPoints: 3,
    pointsPerMissingIssue: 0.5,
  },
  /** 直播: 48 qualified job livestreams (直播带岗) and 12 qualified other livestreams, 0.1 point each. */
  livestreams: {
    label: '直播',
    unit: '场',
    maxPoints: 6,
    pointsPerSession: 0.1,
    job: { id: 'job', label: '直播带岗', target: 48 },
    other: { id: 'other', label: '其他直播', target: 12 },
  },
  /** AI数智招聘会: 80 qualified fairs (6–10 employers, the fair's screens playing job videos), 0.1 point each, at most 8. */
  aiFairs: {
    label: FAIR_RULES.ai.label,
    unit: '场',
    target: FAIR_RULES.ai.target,
    maxPoints: FAIR_RULES.ai.maxPoints,
    pointsPerFair: FAIR_RULES.ai.pointsEach,
  },
  /** 线下招聘会: 12 qualified fairs (10 or more employers), at least one a month, 0.5 point each, at most 6. */
  onsiteFairs: {
    label: FAIR_RULES.onsite.label,
    unit: '场',
    target: FAIR_RULES.onsite.target,
    perMonth: FAIR_RULES.onsite.perMonth,
    maxPoints: FAIR_RULES.onsite.maxPoints,
    pointsPerFair: FAIR_RULES.onsite.pointsEach,
  },
} as const;

/** 60: the job and the other livestreams together. */
export const livestreamTarget = KPI_RULES.livestreams.job.target + KPI_RULES.livestreams.other.target;

/** 37: the most the six lines can score together. */
export const totalMaxPoints =
  KPI_RULES.videos.maxPoints +
  KPI_RULES.coverage.maxPoints +
  KPI_RULES.flyers.maxPoints +
  KPI_RULES.livestreams.maxPoints +
  KPI_RULES.aiFairs.maxPoints +
  KPI_RULES.onsiteFairs.maxPoints;
