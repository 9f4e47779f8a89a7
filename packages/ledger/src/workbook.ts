import type { Database, Site } from '@jobcast/db';
import ExcelJS from 'exceljs';
import {
  type CoverageRow,
  type EvidenceFile,
  type FairRow,
  type FlyerRow,
  LEDGER_SHEETS,
  type Ledger,
  type LedgerLine,
  type LivestreamRow,
  ledgerLines,
  loadLedger,
  type VideoRow,
} from './ledger.ts';
import { siteDayAndTime } from './year.ts';

export const SUMMARY_SHEET = '汇总';

/** A cell's content before it is written: a date is a `YYYY-MM-DD` calendar day, a link an address. */
type Value = string | number | { date: string } | { link: string } | null;

interface Column<T> {
  header: string;
  width: number;
  value: (row: T) => Value;
  /** Long text (reasons, file lists) wraps instead of running on. */
  wrap?: boolean;
}

/**
 * Text as data, never as a formula: a cell that starts with `=`, `+`, `-` or `@` (or a tab or return,
 * which some programs strip first) is prefixed with `'`, so a title typed as `=HYPERLINK(…)` stays
 * that text in Excel, in WPS and in a CSV saved from either.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function isWebAddress(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function cellValue(value: Value): ExcelJS.CellValue {
  if (value === null || typeof value === 'number') return value;
  if (typeof value === 'string') return neutralise(value);
  if ('date' in value) return new Date(`${value.date}T00:00:00Z`);
  // Only web addresses become clickable; anything else is shown as text.
  const text = neutralise(value.link);
  return isWebAddress(value.link) ? { text, hyperlink: value.link } : text;
}

/** A sheet of one header row (bold, frozen, filterable) and a row per item, numbers kept as numbers. */
function addTable<T>(workbook: ExcelJS.Workbook, name: string, columns: Column<T>[], rows: T[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  for (const row of rows) {
    const added = sheet.addRow(columns.map((column) => cellValue(column.value(row))));
    columns.forEach((column, i) => {
      const cell = added.getCell(i + 1);
      if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      if (column.wrap) cell.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  return sheet;
}

const yesNo = (value: boolean) => (value ? '是' : '否');
/** A verdict in words: why it counts, or 不达标： and what it lacks. */
const verdictText = (r: { qualified: boolean; reasons: string[] }) =>
  (r.qualified ? '' : '不达标：') + r.reasons.join('；');
const fileNames = (files: EvidenceFile[]) => (files.length > 0 ? files.map((file) => file.name).join('\n') : null);
const day = (date: string | null) => (date === null ? null : { date });

const videoColumns: Column<VideoRow>[] = [
  { header: '序号', width: 6, value: (r) => r.seq },
  { header: '发布日期', width: 12, value: (r) => day(r.publishedOn) },
  { header: '平台', width: 8, value: (r) => r.platform },
  { header: '标题', width: 40, value: (r) => r.title },
  { header: '链接', width: 50, value: (r) => ({ link: r.url }) },
  { header: 'AI 视频', width: 8, value: (r) => yesNo(r.aiVideo) },
  { header: 'AI 组件 / 工具', width: 30, value: (r) => r.aiBasis, wrap: true },
  { header: '制作编号', width: 10, value: (r) => r.renderId ?? '外部' },
  { header: '证据文件', width: 30, value: (r) => fileNames(r.evidence), wrap: true },
];

const livestreamColumns: Column<LivestreamRow>[] = [
  { header: '序号', width: 6, value: (r) => r.seq },
  { header: '日期', width: 12, value: (r) => day(r.day) },
  { header: '开始时间', width: 9, value: (r) => r.time },
  { header: '类型', width: 10, value: (r) => r.typeLabel },
  { header: '标题', width: 36, value: (r) => r.title },
  { header: '主播', width: 10, value: (r) => r.anchor },
  { header: '直播时长（分钟）', width: 16, value: (r) => r.liveMinutes },
  { header: '讲解岗位数', width: 11, value: (r) => r.presentedJobs },
  { header: '达标', width: 6, value: (r) => yesNo(r.qualified) },
  { header: '结论说明', width: 40, value: verdictText, wrap: true },
  { header: '场次编号', width: 9, value: (r) => r.sessionId },
  { header: '证据文件', width: 34, value: (r) => fileNames(r.evidence), wrap: true },
];

const flyerColumns: Column<FlyerRow>[] = [
  { header: '期号', width: 6, value: (r) => r.issueNumber },
  { header: '月份', width: 9, value: (r) => r.month },
  { header: '计划印数', width: 10, value: (r) => r.copiesPlanned },
  { header: '实际印数', width: 10, value: (r) => r.copiesPrinted },
  { header: '印刷日期', width: 12, value: (r) => day(r.printedAt) },
  { header: '发放份数', width: 10, value: (r) => r.copiesDistributed },
  { header: '发放地点', width: 24, value: (r) => r.distributedPlace },
  { header: '发放日期', width: 12, value: (r) => day(r.distributedAt) },
  { header: '计入考核（印数≥1000）', width: 20, value: (r) => yesNo(r.counts) },
  { header: '小报文件', width: 28, value: (r) => fileNames(r.evidence), wrap: true },
];

const coverageColumns: Column<CoverageRow>[] = [
  { header: '序号', width: 6, value: (r) => r.seq },
  { header: '发布日期', width: 12, value: (r) => day(r.publishedOn) },
  { header: '媒体', width: 20, value: (r) => r.outlet },
  { header: '级别', width: 14, value: (r) => r.levelLabel },
  { header: '标题', width: 40, value: (r) => r.title },
  { header: '链接', width: 50, value: (r) => ({ link: r.url }) },
];

/** A fair's columns up to its attendance: the same in both fair ledgers. */
const fairColumns: Column<FairRow>[] = [
  { header: '序号', width: 6, value: (r) => r.seq },
  { header: '日期', width: 12, value: (r) => day(r.day) },
  { header: '时间', width: 12, value: (r) => r.time },
  { header: '名称', width: 30, value: (r) => r.title },
  { header: '地点', width: 24, value: (r) => r.venue },
  { header: '类型', width: 14, value: (r) => r.kindLabel },
  { header: '用人单位数', width: 11, value: (r) => r.employers },
  { header: '用人单位', width: 40, value: (r) => r.employerNames.join('、') || null, wrap: true },
  { header: '岗位数', width: 8, value: (r) => r.jobs },
  { header: '求职人数', width: 9, value: (r) => r.jobSeekers },
  { header: '达成意向数', width: 11, value: (r) => r.offers },
];

/** After the columns particular to a kind: the photos, the verdict and the files. */
const fairTail: Column<FairRow>[] = [
  { header: '照片数', width: 8, value: (r) => r.photos },
  { header: '达标', width: 6, value: (r) => yesNo(r.qualified) },
  { header: '结论说明', width: 44, value: verdictText, wrap: true },
  { header: '招聘会编号', width: 11, value: (r) => r.fairId },
  { header: '证据文件', width: 34, value: (r) => fileNames(r.evidence), wrap: true },
];

/** AI数智招聘会: the 职播机's plays of job videos during the fair are part of its proof. */
const aiFairColumns: Column<FairRow>[] = [
  ...fairColumns,
  { header: '屏幕分组', width: 12, value: (r) => r.groupName },
  { header: '播放次数', width: 9, value: (r) => r.plays },
  { header: '完整播放次数', width: 13, value: (r) => r.completedPlays },
  { header: '播放视频数', width: 11, value: (r) => r.videosPlayed },
  ...fairTail,
];

const onsiteFairColumns: Column<FairRow>[] = [...fairColumns, ...fairTail];

interface SummaryRow {
  label: string;
  unit: string;
  target: number | null;
  done: number | null;
  expectedByToday: number | null;
  projected: number | null;
  points: number | null;
  maxPoints: number | null;
}

const summaryColumns: Column<SummaryRow>[] = [
  { header: '考核项目', width: 22, value: (r) => r.label },
  { header: '单位', width: 6, value: (r) => r.unit },
  { header: '全年目标', width: 10, value: (r) => r.target },
  { header: '已完成', width: 10, value: (r) => r.done },
  { header: '按进度今天应完成', width: 18, value: (r) => r.expectedByToday },
  { header: '按当前进度预计全年', width: 20, value: (r) => r.projected },
  { header: '当前得分', width: 10, value: (r) => r.points },
  { header: '满分', width: 8, value: (r) => r.maxPoints },
];

/** The summary: each line and its sub-targets as the dashboard shows them, the total, then the year and when. */
function addSummary(workbook: ExcelJS.Workbook, ledger: Ledger): void {
  const { site, report } = ledger.summary;
  const rows: SummaryRow[] = report.lines.flatMap((line) => [
    line,
    ...line.subTargets.map((sub) => ({
      ...sub,
      label: `　其中：${sub.label}`,
      unit: line.unit,
      points: null,
      maxPoints: null,
    })),
  ]);
  rows.push({
    label: '合计',
    unit: '分',
    target: null,
    done: null,
    expectedByToday: null,
    projected: null,
    points: report.total.points,
    maxPoints: report.total.maxPoints,
  });
  const sheet = addTable(workbook, SUMMARY_SHEET, summaryColumns, rows);
  sheet.getRow(rows.length + 1).font = { bold: true };
  const generated = siteDayAndTime(site.timezone, ledger.generatedAt);
  const about: [string, string][] = [
    ['站点', `${site.name}（${site.code}）`],
    ['服务年度', `${report.serviceYear.start} 至 ${report.serviceYear.lastDay}`],
    ['统计截至', report.today],
    ['生成时间', `${generated.day} ${generated.time}（${site.timezone}）`],
  ];
  sheet.addRow([]);
  for (const [label, text] of about) sheet.addRow([label, neutralise(text)]).getCell(1).font = { bold: true };
}

/** The workbook of a ledger: the summary, then the sheet of each line asked for (all six by default). */
export function ledgerWorkbook(ledger: Ledger, lines: readonly LedgerLine[] = ledgerLines): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '岗播 JobCast';
  workbook.created = ledger.generatedAt;
  addSummary(workbook, ledger);
  const sheets: Record<LedgerLine, () => void> = {
    videos: () => addTable(workbook, LEDGER_SHEETS.videos, videoColumns, ledger.videos),
    livestreams: () => addTable(workbook, LEDGER_SHEETS.livestreams, livestreamColumns, ledger.livestreams),
    flyers: () => addTable(workbook, LEDGER_SHEETS.flyers, flyerColumns, ledger.flyers),
    coverage: () => addTable(workbook, LEDGER_SHEETS.coverage, coverageColumns, ledger.coverage),
    aiFairs: () => addTable(workbook, LEDGER_SHEETS.aiFairs, aiFairColumns, ledger.aiFairs),
    onsiteFairs: () => addTable(workbook, LEDGER_SHEETS.onsiteFairs, onsiteFairColumns, ledger.onsiteFairs),
  };
  for (const line of lines) sheets[line]();
  return workbook;
}

export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The year's ledgers (台账) as an XLSX file: 汇总, 短视频台账, 直播台账, 招工小报台账, 媒体宣传台账,
 * AI数智招聘会台账, 线下招聘会台账.
 * Returns the file's bytes (a year's ledgers are small) with the ledger it lists.
 */
export async function buildLedgerWorkbook(
  db: Database,
  site: Site | string,
  year: number,
  now: Date = new Date(),
): Promise<{ ledger: Ledger; data: Buffer }> {
  const ledger = await loadLedger(db, site, year, now);
  return { ledger, data: await workbookBytes(ledgerWorkbook(ledger)) };
}
