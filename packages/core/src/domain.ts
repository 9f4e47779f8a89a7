/** Vocabulary shared by every service: categories, pay units, roles. */
export const jobCategories = ['full-time', 'part-time', 'gig', 'internship'] as const;
export type JobCategory = (typeof jobCategories)[number];

/** What a person calls each job category. */
export const JOB_CATEGORY_LABELS: Record<JobCategory, string> = {
  'full-time': '全职',
  'part-time': '兼职',
  gig: '零工',
  internship: '实习',
};

/** Words the office uses for a category besides its label: a 见习岗位 is listed as 实习. */
const CATEGORY_ALIASES: Record<string, JobCategory> = { 见习: 'internship', 见习岗位: 'internship' };

/** A category as a person types it (零工) or as code names it (gig); undefined when it is neither. */
export function jobCategoryOf(text: string): JobCategory | undefined {
  const typed = text.trim();
  return (
    jobCategories.find((category) => category === typed || JOB_CATEGORY_LABELS[category] === typed) ??
    CATEGORY_ALIASES[typed]
  );
}

/** The categories a filter accepts, as a person reads them: 全职、兼职、零工、实习. */
export const JOB_CATEGORY_CHOICES = jobCategories.map((category) => JOB_CATEGORY_LABELS[category]).join('、');

/**
 * Chinese names of a job's fields as the importer calls them (its canonical fields, and `*` for a
 * whole row): what a rejected row or a warning names when the file's own column name is not at hand.
 */
export const JOB_FIELD_LABELS: Record<string, string> = {
  employer: '公司名称',
  title: '职位名称',
  pay: '薪资',
  payType: '薪资类型',
  payFrom: '薪资范围起',
  payTo: '薪资范围至',
  payUnitText: '薪资单位',
  headcount: '招聘人数',
  location: '工作地点',
  education: '学历',
  experience: '经验',
  contactName: '联系人',
  contactPhone: '联系电话',
  validFrom: '发布日期',
  validUntil: '截止日期',
  category: '岗位类型',
  description: '岗位要求',
  '*': '整行',
};

/** A field a rejected row or warning names, as a person reads it: a canonical name becomes Chinese. */
export function jobFieldLabel(field: string): string {
  return Object.hasOwn(JOB_FIELD_LABELS, field) ? (JOB_FIELD_LABELS[field] as string) : field;
}

export const payUnits = ['hour', 'day', 'month', 'year', 'piece'] as const;
export type PayUnit = (typeof payUnits)[number];

export const userRoles = ['admin', 'media', 'anchor', 'manager'] as const;
export type UserRole = (typeof userRoles)[number];

export const importFormats = ['csv', 'xlsx', 'json'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const importStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const renderKinds = ['video', 'poster', 'flyer'] as const;
export type RenderKind = (typeof renderKinds)[number];

export const renderStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type RenderStatus = (typeof renderStatuses)[number];

/** 直播带岗 counts toward the 48 job livestreams; the others (政策讲解, 零工培训, 访企探岗, 其他) toward the 12. */
export const liveSessionTypes = ['job', 'policy', 'training', 'visit', 'other'] as const;
export type LiveSessionType = (typeof liveSessionTypes)[number];

export const liveSessionStatuses = ['booked', 'live', 'interrupted', 'ended'] as const;
export type LiveSessionStatus = (typeof liveSessionStatuses)[number];

export interface Pay {
  min: number | null;
  max: number | null;
  unit: PayUnit | null;
  negotiable: boolean;
  /** Months paid a year when the posting says so (25-35K·13薪 → 13). */
  months: number | null;
  text: string | null;
}

/** A job as every reader (CLI, API, later the renderers) sees it. */
export interface JobView {
  id: number;
  site: string;
  employer: string;
  title: string;
  pay: Pay;
  headcount: number | null;
  headcountText: string | null;
  location: string | null;
  education: string | null;
  experience: string | null;
  category: JobCategory;
  contact: { name: string | null; phone: string | null };
  validFrom: string | null;
  validUntil: string | null;
  description: string | null;
  extra: Record<string, string>;
  warnings: string[];
  updatedAt: string;
}

/** One row the importer could not use, or one it used with a caveat. */
export interface RowIssue {
  row: number;
  field: string;
  reason: string;
}

export interface ImportSummary {
  batchId: number;
  file: string;
  format: ImportFormat;
  encoding: string | null;
  sheet: string | null;
  rows: number;
  imported: number;
  updated: number;
  duplicates: number;
  rejected: number;
  warnings: number;
  rejects: RowIssue[];
  rejectsTotal: number;
  warningSamples: RowIssue[];
  message: string;
}

/** Where a short video was published: 视频号 (WeChat Channels), 抖音 (Douyin), or elsewhere. */
export const publicationPlatforms = ['channels', 'douyin', 'other'] as const;
export type PublicationPlatform = (typeof publicationPlatforms)[number];

/** What a person calls each platform: the console, the ledgers and the API's documentation say these. */
export const PLATFORM_LABELS: Record<PublicationPlatform, string> = {
  channels: '视频号',
  douyin: '抖音',
  other: '其他',
};

/** A media report's level: 国家级或部级 counts toward the contract's national sub-target. */
export const coverageLevels = ['national', 'provincial'] as const;
export type CoverageLevel = (typeof coverageLevels)[number];

/** What a person calls each level. */
export const COVERAGE_LEVEL_LABELS: Record<CoverageLevel, string> = {
  national: '国家级或部级',
  provincial: '省级',
};
