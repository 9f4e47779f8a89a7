import type { Database, Site } from '@jobcast/db';
import { KPI_RULES } from '@jobcast/kpi';
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
  value: (row: T) => Value;
  /** The widest the column grows, in characters (a CJK character counts two); longer text wraps. */
  max?: number;
}

/** Above each table: its title and what it covers, then the header row. Printed on every page. */
export const TITLE_ROWS = 2;
export const HEADER_ROW = TITLE_ROWS + 1;

/** Column widths in characters of Excel's default font: a CJK character takes two. */
const MIN_WIDTH = 6;
const DEFAULT_MAX_WIDTH = 20;
/** The width exceljs writes no column element for. */
const EXCELJS_DEFAULT_WIDTH = 9;
/** A header up to this wide (three CJK characters) stays on one line; a wider one may wrap to two. */
const HEADER_ONE_LINE = 6;
/**
 * A CJK character is a little wider than two digits of the default font (about 15 px to 7 at 11
 * points): widths and wrapped lines allow a tenth more than the count, so nothing is cut off.
 */
const GLYPH_ALLOWANCE = 1.1;
/** Points per line of 11-point text, CJK included. */
const LINE_HEIGHT = 15;

/** East Asian wide and fullwidth characters (CJK, kana, hangul, fullwidth forms) take two columns. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** How many columns `text` takes on its longest line. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) {
    let width = 0;
    for (const char of line) width += WIDE.test(char) ? 2 : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}

/**
 * A column's width from what it shows: its longest cell with the glyphs' allowance and one
 * character of air, no narrower than MIN_WIDTH nor wider than `max`; a long header wraps to two
 * lines instead of widening the column.
 */
export function columnWidth(header: string, cells: readonly string[], max = DEFAULT_MAX_WIDTH): number {
  const headerWidth = displayWidth(header);
  // Half the header, in whole CJK characters: 全年/目标, 直播时长/（分钟）.
  const headerNeed = headerWidth <= HEADER_ONE_LINE ? headerWidth : Math.ceil(headerWidth / 4) * 2;
  const widest = Math.max(headerNeed, ...cells.map(displayWidth));
  return Math.min(max, Math.max(MIN_WIDTH, Math.ceil(widest * GLYPH_ALLOWANCE) + 1));
}

/** Lines `text` wraps to in a column `width` wide (one character of it is the cell's padding). */
export function linesIn(text: string, width: number): number {
  const room = Math.max(1, width - 1);
  return text
    .split('\n')
    .reduce((lines, line) => lines + Math.max(1, Math.ceil((displayWidth(line) * GLYPH_ALLOWANCE) / room)), 0);
}

/** A cell's text as a person sees it: a date as YYYY-MM-DD, a link as its text. */
function shownText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  return String(value);
}

/** What a sheet is: whose, which line and year (the title), and the period and unit it counts in. */
export interface SheetTitle {
  title: string;
  details: string;
}

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/**
 * Printed as an office files it: A4 landscape, the columns fitted to the page's width (as many pages
 * down as the rows need), the title and header rows on every page, page numbers in the footer.
 */
function printSetup(sheet: ExcelJS.Worksheet): void {
  sheet.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printTitlesRow: `1:${HEADER_ROW}`,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };
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

/**
 * A sheet ready to print: the title rows, one header row (bold, frozen, filterable) and a row per
 * item, numbers kept as numbers; each column as wide as its content needs (within bounds), text
 * that is longer wrapping in a row tall enough to show it.
 */
function addTable<T>(
  workbook: ExcelJS.Workbook,
  name: string,
  heading: SheetTitle,
  columns: Column<T>[],
  rows: T[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    // exceljs leaves out a column 9 wide as if 9 were every program's default: it is made so.
    properties: { defaultColWidth: EXCELJS_DEFAULT_WIDTH },
  });
  const values = rows.map((row) => columns.map((column) => cellValue(column.value(row))));
  const widths = columns.map((column, i) =>
    columnWidth(
      column.header,
      values.map((cells) => shownText(cells[i] ?? null)),
      column.max,
    ),
  );
  sheet.columns = widths.map((width) => ({ width }));

  const title = sheet.addRow([neutralise(heading.title)]);
  title.font = { bold: true, size: 14 };
  title.height = 24;
  const details = sheet.addRow([neutralise(heading.details)]);
  details.font = { size: 10 };
  for (const row of [title, details]) {
    sheet.mergeCells(row.number, 1, row.number, columns.length);
    row.getCell(1).alignment = { horizontal: row === title ? 'center' : 'left', vertical: 'middle' };
  }

  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  header.height = LINE_HEIGHT * Math.max(...columns.map((column, i) => linesIn(column.header, widths[i] ?? 0)));
  header.eachCell((cell) => {
    cell.alignment = { wrapText: true, horizontal: 'center', vertical: 'middle' };
    cell.border = THIN;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
  });
  sheet.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW, column: columns.length } };

  for (const cells of values) {
    const added = sheet.addRow(cells);
    const lines = Math.max(...cells.map((value, i) => linesIn(shownText(value), widths[i] ?? 0)));
    if (lines > 1) added.height = LINE_HEIGHT * lines;
    for (let i = 1; i <= columns.length; i++) {
      const cell = added.getCell(i);
      if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      cell.alignment = { wrapText: true, vertical: 'top' };
      cell.border = THIN;
    }
  }
  printSetup(sheet);
  return sheet;
}

const yesNo = (value: boolean) => (value ? '是' : '否');
/** A verdict in words: why it counts, or 不达标： and what it lacks. */
const verdictText = (r: { qualified: boolean; reasons: string[] }) =>
  (r.qualified ? '' : '不达标：') + r.reasons.join('；');
const fileNames = (files: EvidenceFile[]) => (files.length > 0 ? files.map((file) => file.name).join('\n') : null);
const day = (date: string | null) => (date === null ? null : { date });

const videoColumns: Column<VideoRow>[] = [
  { header: '序号', value: (r) => r.seq },
  { header: '发布日期', value: (r) => day(r.publishedOn) },
  { header: '平台', value: (r) => r.platform },
  { header: '标题', max: 36, value: (r) => r.title },
  { header: '链接', max: 40, value: (r) => ({ link: r.url }) },
  { header: 'AI 视频', value: (r) => yesNo(r.aiVideo) },
  { header: 'AI 组件 / 工具', max: 30, value: (r) => r.aiBasis },
  { header: '制作编号', value: (r) => r.renderId ?? '外部' },
  { header: '证据文件', max: 30, value: (r) => fileNames(r.evidence) },
];

const livestreamColumns: Column<LivestreamRow>[] = [
  { header: '序号', value: (r) => r.seq },
  { header: '日期', value: (r) => day(r.day) },
  { header: '开始时间', value: (r) => r.time },
  { header: '类型', value: (r) => r.typeLabel },
  { header: '标题', max: 36, value: (r) => r.title },
  { header: '主播', value: (r) => r.anchor },
  { header: '直播时长（分钟）', value: (r) => r.liveMinutes },
  { header: '讲解岗位数', value: (r) => r.presentedJobs },
  { header: '达标', value: (r) => yesNo(r.qualified) },
  { header: '结论说明', max: 36, value: verdictText },
  { header: '场次编号', value: (r) => r.sessionId },
  { header: '证据文件', max: 30, value: (r) => fileNames(r.evidence) },
];

const flyerColumns: Column<FlyerRow>[] = [
  { header: '期号', value: (r) => r.issueNumber },
  { header: '月份', value: (r) => r.month },
  { header: '计划印数', value: (r) => r.copiesPlanned },
  { header: '实际印数', value: (r) => r.copiesPrinted },
  { header: '印刷日期', value: (r) => day(r.printedAt) },
  { header: '发放份数', value: (r) => r.copiesDistributed },
  { header: '发放地点', max: 24, value: (r) => r.distributedPlace },
  { header: '发放日期', value: (r) => day(r.distributedAt) },
  { header: '计入考核（印数≥1000）', value: (r) => yesNo(r.counts) },
  { header: '小报文件', max: 28, value: (r) => fileNames(r.evidence) },
];

const coverageColumns: Column<CoverageRow>[] = [
  { header: '序号', value: (r) => r.seq },
  { header: '发布日期', value: (r) => day(r.publishedOn) },
  { header: '媒体', max: 24, value: (r) => r.outlet },
  { header: '级别', value: (r) => r.levelLabel },
  { header: '标题', max: 36, value: (r) => r.title },
  { header: '链接', max: 40, value: (r) => ({ link: r.url }) },
  { header: '证据文件', max: 30, value: (r) => fileNames(r.evidence) },
];

/** A fair's columns up to its attendance: the same in both fair ledgers. */
const fairColumns: Column<FairRow>[] = [
  { header: '序号', value: (r) => r.seq },
  { header: '日期', value: (r) => day(r.day) },
  { header: '时间', value: (r) => r.time },
  { header: '名称', max: 16, value: (r) => r.title },
  { header: '地点', max: 12, value: (r) => r.venue },
  { header: '用人单位数', value: (r) => r.employers },
  { header: '用人单位', max: 20, value: (r) => r.employerNames.join('、') || null },
  { header: '岗位数', value: (r) => r.jobs },
  { header: '求职人数', value: (r) => r.jobSeekers },
  { header: '达成意向数', value: (r) => r.offers },
];

/** After the columns particular to a kind: the photos, the verdict and the files. */
const fairTail: Column<FairRow>[] = [
  { header: '照片数', value: (r) => r.photos },
  { header: '达标', value: (r) => yesNo(r.qualified) },
  { header: '结论说明', max: 20, value: verdictText },
  { header: '招聘会编号', value: (r) => r.fairId },
  { header: '证据文件', max: 20, value: (r) => fileNames(r.evidence) },
];

/** AI数智招聘会: the 职播机's plays of job videos during the fair are part of its proof. */
const aiFairColumns: Column<FairRow>[] = [
  ...fairColumns,
  { header: '屏幕分组', value: (r) => r.groupName },
  { header: '播放次数', value: (r) => r.plays },
  { header: '完整播放次数', value: (r) => r.completedPlays },
  { header: '播放视频数', value: (r) => r.videosPlayed },
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
  { header: '考核项目', max: 26, value: (r) => r.label },
  { header: '单位', value: (r) => r.unit },
  { header: '全年目标', value: (r) => r.target },
  { header: '已完成', value: (r) => r.done },
  { header: '按进度今天应完成', value: (r) => r.expectedByToday },
  { header: '按当前进度预计全年', value: (r) => r.projected },
  { header: '当前得分', value: (r) => r.points },
  { header: '满分', value: (r) => r.maxPoints },
];

const SPACE = '　　';

/**
 * A sheet's title rows: the site, the sheet and the service year; the year's dates, the day counted
 * to and, for a line's ledger, the unit its target counts in (条, 篇, 期, 场).
 */
function sheetTitle(ledger: Ledger, sheetName: string, line?: LedgerLine): SheetTitle {
  const { site, report } = ledger.summary;
  const { start, lastDay } = report.serviceYear;
  return {
    title: `${site.name}${sheetName}（${report.year} 服务年度）`,
    details: [
      `服务期：${start} 至 ${lastDay}`,
      `统计截至：${report.today}`,
      ...(line ? [`单位：${KPI_RULES[line].unit}`] : []),
    ].join(SPACE),
  };
}

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
  const sheet = addTable(workbook, SUMMARY_SHEET, sheetTitle(ledger, '考核汇总'), summaryColumns, rows);
  sheet.getRow(HEADER_ROW + rows.length).font = { bold: true };
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
  const table = <T>(line: LedgerLine, columns: Column<T>[], rows: T[]) =>
    addTable(workbook, LEDGER_SHEETS[line], sheetTitle(ledger, LEDGER_SHEETS[line], line), columns, rows);
  const sheets: Record<LedgerLine, () => void> = {
    videos: () => table('videos', videoColumns, ledger.videos),
    livestreams: () => table('livestreams', livestreamColumns, ledger.livestreams),
    flyers: () => table('flyers', flyerColumns, ledger.flyers),
    coverage: () => table('coverage', coverageColumns, ledger.coverage),
    aiFairs: () => table('aiFairs', aiFairColumns, ledger.aiFairs),
    onsiteFairs: () => table('onsiteFairs', onsiteFairColumns, ledger.onsiteFairs),
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
