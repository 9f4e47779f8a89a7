import path from 'node:path';
import { COVERAGE_LEVEL_LABELS, JobcastError, PLATFORM_LABELS } from '@jobcast/core';
import {
  type Database,
  type FairLedgerRow,
  getSiteByCode,
  listCoverage,
  listFlyerIssues,
  listLiveSessionsByDay,
  listPublications,
  renderFilesById,
  type Site,
} from '@jobcast/db';
import { FAIR_RULES, type FairKind, judgeFair, KPI_RULES } from '@jobcast/kpi';
import { TYPE_LABELS } from '@jobcast/live';
import { loadYear, siteDayAndTime, type YearReport } from './year.ts';

/** The ledgers the assessment asks for, in the order the workbook lists them; each has its evidence pack. */
export const ledgerLines = ['videos', 'livestreams', 'flyers', 'coverage', 'aiFairs', 'onsiteFairs'] as const;
export type LedgerLine = (typeof ledgerLines)[number];

export const LEDGER_SHEETS: Record<LedgerLine, string> = {
  videos: '短视频台账',
  livestreams: '直播台账',
  flyers: '招工小报台账',
  coverage: '媒体宣传台账',
  aiFairs: 'AI数智招聘会台账',
  onsiteFairs: '线下招聘会台账',
};

/** A year as a person types it (`--year`, `?year=`): four digits from 2000 to 2100. */
export function parseYear(text: string, field = 'year'): number {
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) {
    throw new JobcastError('BAD_INPUT', `年份须为 2000 到 2100 之间的四位数字，如 2026：${text.slice(0, 20)}`, {
      field,
    });
  }
  return year;
}

/**
 * A file that proves a ledger row: its name in the evidence pack (what the row's 证据文件 column
 * says), the media key it is read from (null when it was never made), and what it is, in words.
 */
export interface EvidenceFile {
  name: string;
  key: string | null;
  what: string;
  /**
   * Set for a file the pack writes itself from the database instead of reading it from the media
   * store: a fair's record (its employers and jobs, photos and plays) as a page or as data.
   */
  record?: { fairId: number; format: 'html' | 'json' };
}

export interface VideoRow {
  seq: number;
  publishedOn: string;
  platform: string;
  title: string;
  url: string;
  aiVideo: boolean;
  /** What made it an AI video: the render's AI components (provider, model, time), or the tool named for one made elsewhere. */
  aiBasis: string | null;
  /** Null for a video made outside JobCast. */
  renderId: number | null;
  evidence: EvidenceFile[];
}

export interface LivestreamRow {
  seq: number;
  sessionId: number;
  /** The day and time it went live (or was booked for), on the site's clock. */
  day: string;
  time: string;
  typeLabel: string;
  title: string;
  anchor: string;
  liveMinutes: number;
  presentedJobs: number;
  qualified: boolean;
  reasons: string[];
  evidence: EvidenceFile[];
}

export interface FlyerRow {
  issueNumber: number;
  /** YYYY-MM. */
  month: string;
  copiesPlanned: number;
  copiesPrinted: number | null;
  printedAt: string | null;
  copiesDistributed: number | null;
  distributedPlace: string | null;
  distributedAt: string | null;
  /** Printed in at least the contract's copies: the issue counts toward the year. */
  counts: boolean;
  evidence: EvidenceFile[];
}

export interface CoverageRow {
  seq: number;
  publishedOn: string;
  outlet: string;
  levelLabel: string;
  title: string;
  url: string;
  /** The article's screenshot or PDF, when one was given. */
  evidence: EvidenceFile[];
}

/** A job fair held in the year, as its ledger row lists it, with its verdict. */
export interface FairRow {
  seq: number;
  fairId: number;
  kind: FairKind;
  kindLabel: string;
  /** The day it was held and its hours, on the site's clock: `2026-05-20`, `09:00–12:00`. */
  day: string;
  time: string;
  title: string;
  venue: string;
  /** The screen group whose 职播机 played at the fair. */
  groupName: string | null;
  /** Distinct employers, and their names. */
  employers: number;
  employerNames: string[];
  jobs: number;
  jobSeekers: number | null;
  offers: number | null;
  plays: number;
  completedPlays: number;
  videosPlayed: number;
  photos: number;
  qualified: boolean;
  reasons: string[];
  /** What the pack holds of it, for the evidence pack (the record, photos, plan and summary files). */
  fair: FairLedgerRow;
  evidence: EvidenceFile[];
}

/** Everything the ledgers list for one site's service year, oldest first, with the summary the dashboard shows. */
export interface Ledger {
  summary: YearReport;
  generatedAt: Date;
  videos: VideoRow[];
  livestreams: LivestreamRow[];
  flyers: FlyerRow[];
  coverage: CoverageRow[];
  aiFairs: FairRow[];
  onsiteFairs: FairRow[];
}

/** `012`: row numbers in file names, wide enough that the pack's files sort in ledger order. */
function seqName(seq: number, rows: number): string {
  return String(seq).padStart(Math.max(3, String(rows).length), '0');
}

function evidence(name: string, key: string | null, fallbackExt: string, what: string): EvidenceFile {
  return { name: `${name}${(key && path.extname(key)) || fallbackExt}`, key, what };
}

async function videoRows(db: Database, site: Site, range: { from: string; to: string }): Promise<VideoRow[]> {
  const publications = (await listPublications(db, site.id, range, Number.MAX_SAFE_INTEGER)).reverse();
  const files = await renderFilesById(
    db,
    site.id,
    publications.flatMap((p) => (p.renderId === null ? [] : [p.renderId])),
  );
  return publications.map((p, i) => {
    const seq = i + 1;
    return {
      seq,
      publishedOn: p.publishedOn,
      platform: PLATFORM_LABELS[p.platform],
      title: p.title,
      url: p.url,
      aiVideo: p.aiVideo,
      aiBasis: !p.aiVideo
        ? null
        : p.renderId === null
          ? p.aiTool
          : (files.get(p.renderId)?.aiComponents ?? [])
              .map((a) => `${a.providerLabel} ${a.model}${a.voice ? ` ${a.voice}` : ''}，${a.at.slice(0, 10)}`)
              .join('；') || null,
      renderId: p.renderId,
      evidence:
        p.renderId === null
          ? []
          : [
              evidence(
                `videos/${seqName(seq, publications.length)}-cover`,
                files.get(p.renderId)?.coverKey ?? null,
                '.jpg',
                `第 ${seq} 条短视频的封面（制作编号 ${p.renderId}）`,
              ),
            ],
    };
  });
}

/**
 * The year's ended livestreams (those with a verdict), qualified or not, by the day they went live
 * on the site's clock: the same rule the year's count uses, so the 达标 rows equal the dashboard.
 */
async function livestreamRows(db: Database, site: Site, range: { from: string; to: string }): Promise<LivestreamRow[]> {
  const sessions = await listLiveSessionsByDay(db, site, range, { judged: true });
  return sessions.map((s, i) => {
    const seq = i + 1;
    const prefix = `livestreams/${seqName(seq, sessions.length)}`;
    const label = `第 ${seq} 场直播（场次 ${s.id}）`;
    return {
      seq,
      sessionId: s.id,
      ...siteDayAndTime(site.timezone, s.startedAt ?? s.slotStart),
      typeLabel: TYPE_LABELS[s.type],
      title: s.title,
      anchor: s.anchorName,
      liveMinutes: Math.round((s.verdict?.liveSeconds ?? 0) / 6) / 10,
      presentedJobs: s.verdict?.presentedJobs ?? 0,
      qualified: s.qualified === true,
      reasons: s.verdict?.reasons ?? [],
      evidence: [
        evidence(`${prefix}-evidence`, s.evidenceHtmlKey, '.html', `${label}的佐证材料页`),
        evidence(`${prefix}-evidence`, s.evidenceJsonKey, '.json', `${label}的佐证数据`),
        ...(s.thumbnailKeys ?? []).map((key, n) =>
          evidence(`${prefix}-thumb-${n + 1}`, key, '.jpg', `${label}的第 ${n + 1} 张截图`),
        ),
      ],
    };
  });
}

async function flyerRows(db: Database, site: Site, range: { from: string; to: string }): Promise<FlyerRow[]> {
  const issues = (await listFlyerIssues(db, site.id, range)).reverse();
  const files = await renderFilesById(
    db,
    site.id,
    issues.flatMap((issue) => (issue.renderId === null ? [] : [issue.renderId])),
  );
  return issues.map((issue) => {
    const month = issue.month.slice(0, 7);
    return {
      issueNumber: issue.issueNumber,
      month,
      copiesPlanned: issue.copiesPlanned,
      copiesPrinted: issue.copiesPrinted,
      printedAt: issue.printedAt,
      copiesDistributed: issue.copiesDistributed,
      distributedPlace: issue.distributedPlace,
      distributedAt: issue.distributedAt,
      counts: (issue.copiesPrinted ?? 0) >= KPI_RULES.flyers.minCopies,
      evidence:
        issue.renderId === null
          ? []
          : [
              evidence(
                `flyers/${month}-flyer`,
                files.get(issue.renderId)?.outputKey ?? null,
                '.pdf',
                `第 ${issue.issueNumber} 期招工小报（${month}）的 PDF`,
              ),
            ],
    };
  });
}

async function coverageRows(db: Database, site: Site, range: { from: string; to: string }): Promise<CoverageRow[]> {
  const reports = (await listCoverage(db, site.id, range, Number.MAX_SAFE_INTEGER)).reverse();
  return reports.map((r, i) => {
    const seq = i + 1;
    return {
      seq,
      publishedOn: r.publishedOn,
      outlet: r.outlet,
      levelLabel: COVERAGE_LEVEL_LABELS[r.level],
      title: r.title,
      url: r.url,
      evidence: r.evidenceKey
        ? [
            evidence(
              `coverage/${seqName(seq, reports.length)}-article`,
              r.evidenceKey,
              '.pdf',
              `第 ${seq} 篇媒体报道（${r.outlet}）的截图或 PDF`,
            ),
          ]
        : [],
    };
  });
}

/** The folder of a fair line's files in its pack: `ai-fairs/001-record.html`. */
const FAIR_FOLDERS: Record<FairKind, string> = { ai: 'ai-fairs', onsite: 'onsite-fairs' };

/**
 * The fairs of one kind held in the year (those the score counted, qualified or not), each judged
 * by `judgeFair`, with the files of its evidence: its record written by the pack (a page and the
 * data), its photos, and its plan and summary when given as files.
 */
function fairRows(fairs: FairLedgerRow[], kind: FairKind): FairRow[] {
  const list = fairs.filter((fair) => fair.kind === kind);
  return list.map((fair, i) => {
    const seq = i + 1;
    const verdict = judgeFair(fair);
    const prefix = `${FAIR_FOLDERS[kind]}/${seqName(seq, list.length)}`;
    const label = `第 ${seq} 场${FAIR_RULES[kind].label}（编号 ${fair.id}）`;
    const record = (format: 'html' | 'json', what: string): EvidenceFile => ({
      name: `${prefix}-record.${format}`,
      key: null,
      what: `${label}的${what}`,
      record: { fairId: fair.id, format },
    });
    return {
      seq,
      fairId: fair.id,
      kind,
      kindLabel: FAIR_RULES[kind].label,
      day: fair.day,
      time: `${fair.startTime}–${fair.endTime}`,
      title: fair.title,
      venue: fair.venue,
      groupName: fair.groupName,
      employers: verdict.employers,
      employerNames: fair.employerNames,
      jobs: fair.jobs,
      jobSeekers: fair.jobSeekers,
      offers: fair.offers,
      plays: fair.plays,
      completedPlays: fair.completedPlays,
      videosPlayed: fair.videosPlayed,
      photos: fair.photos,
      qualified: verdict.qualified,
      reasons: verdict.reasons,
      fair,
      evidence: [
        record('html', '记录（用人单位和岗位、照片、播放记录）'),
        record('json', '记录数据'),
        ...fair.photoKeys.map((key, n) =>
          evidence(`${prefix}-photo-${n + 1}`, key, '.jpg', `${label}的第 ${n + 1} 张照片`),
        ),
        ...(fair.planKey ? [evidence(`${prefix}-plan`, fair.planKey, '.pdf', `${label}的方案文件`)] : []),
        ...(fair.summaryKey ? [evidence(`${prefix}-summary`, fair.summaryKey, '.pdf', `${label}的总结文件`)] : []),
      ],
    };
  });
}

/**
 * Every item of one site's service year that the ledgers list, with the files that prove it, and
 * the year's summary read by `loadYearReport`: the workbook's numbers are the dashboard's.
 */
export async function loadLedger(
  db: Database,
  site: Site | string,
  year: number,
  now: Date = new Date(),
): Promise<Ledger> {
  const row = typeof site === 'string' ? await getSiteByCode(db, site) : site;
  const { summary, fairs } = await loadYear(db, row, year, now);
  const sy = summary.report.serviceYear;
  const range = { from: sy.start, to: sy.endExclusive };
  const [videos, livestreams, flyers, coverage] = await Promise.all([
    videoRows(db, row, range),
    livestreamRows(db, row, range),
    flyerRows(db, row, range),
    coverageRows(db, row, range),
  ]);
  return {
    summary,
    generatedAt: now,
    videos,
    livestreams,
    flyers,
    coverage,
    aiFairs: fairRows(fairs, 'ai'),
    onsiteFairs: fairRows(fairs, 'onsite'),
  };
}
