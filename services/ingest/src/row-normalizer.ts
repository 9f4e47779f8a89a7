import { hash } from 'node:crypto';
import { JOB_FIELD_LABELS, jobFieldLabel } from '@jobcast/core';
import type { JobRecord, RejectRecord } from '@jobcast/db/job-records';
import {
  type CanonicalField,
  cleanCell,
  type FieldWarning,
  fixShiftedFields,
  foldKey,
  inferCategory,
  mapHeaders,
  type ParsedPay,
  parseCategory,
  parseContact,
  parseDate,
  parseHeadcount,
  parsePay,
  payFromSplit,
  tidyValue,
} from './normalize/index.ts';

const MAX_NAME_CHARS = 200;

interface Column {
  index: number;
  header: string;
  field: CanonicalField | null;
  ignored: boolean;
}

export type RowOutcome =
  | { kind: 'job'; record: JobRecord; warnings: FieldWarning[] }
  | { kind: 'reject'; reject: RejectRecord }
  | { kind: 'empty' };

/** Maps one header's columns and turns each row under it into a job record or a reject. */
export class RowNormalizer {
  private columns: Column[] = [];
  private byField = new Map<CanonicalField, number>();
  /** The cleaned cells of the row being normalised. */
  private texts: (string | null)[] = [];
  readonly headerWidth: number;
  /** The header as the file writes it: the names of each source record's cells. */
  readonly header: readonly string[];

  constructor(
    header: readonly string[],
    private readonly now: Date,
    private readonly timeZone: string,
  ) {
    const mapped = mapHeaders(header);
    this.columns = mapped.columns;
    for (const column of this.columns) {
      if (column.field && !this.byField.has(column.field)) this.byField.set(column.field, column.index);
    }
    this.headerWidth = header.length;
    this.header = header;
  }

  has(field: CanonicalField): boolean {
    return this.byField.has(field);
  }

  normalize(row: number, cells: readonly unknown[]): RowOutcome {
    const warnings: FieldWarning[] = [];
    const texts: (string | null)[] = new Array(this.columns.length);
    const tainted = new Set<string>();
    let filled = 0;
    for (const column of this.columns) {
      const { text, puaRemoved } = cleanCell(cells[column.index]);
      // Counted before the debris goes: a row of bare labels is reported as missing its fields, not skipped.
      if (text !== null && !column.ignored) filled++;
      texts[column.index] = column.ignored ? text : tidyValue(text, column.field, column.header);
      if (puaRemoved) {
        tainted.add(column.field ?? column.header);
        warnings.push({
          field: column.field ?? column.header,
          reason: '含有反爬字体的乱码字符，已移除，请核对',
        });
      }
    }
    let overflow = 0;
    for (let i = this.columns.length; i < cells.length; i++) if (cleanCell(cells[i]).text !== null) overflow++;
    if (filled === 0 && overflow === 0) return { kind: 'empty' };
    if (overflow > 0) {
      return reject(
        row,
        JOB_FIELD_LABELS['*'] as string,
        `本行有 ${this.columns.length + overflow} 列以上，多于表头的 ${this.columns.length} 列，数据可能错位`,
        cells,
      );
    }
    // The row's cells are read through methods, not closures: the TypeScript loader names every
    // closure it creates (a property definition), a cost paid on every row.
    this.texts = texts;

    const employer = this.get('employer');
    const title = this.get('title');
    if (!employer) return reject(row, this.headerOf('employer'), '缺少公司名称', cells);
    if (!title) return reject(row, this.headerOf('title'), '缺少职位名称', cells);
    if (employer.length > MAX_NAME_CHARS) {
      return reject(row, this.headerOf('employer'), `公司名称超过 ${MAX_NAME_CHARS} 字`, cells);
    }
    if (title.length > MAX_NAME_CHARS) {
      return reject(row, this.headerOf('title'), `职位名称超过 ${MAX_NAME_CHARS} 字`, cells);
    }

    const extra: Record<string, string> = {};

    // Anti-scraping fonts hide digits: with characters removed, the numbers left would be a guess.
    const pay = tainted.has('pay') ? { parsed: null, text: this.get('pay') } : this.pay(warnings);
    const shifted = fixShiftedFields({
      education: this.get('education'),
      experience: this.get('experience'),
      headcount: this.get('headcount'),
    });
    warnings.push(...shifted.warnings);
    const headcount = tainted.has('headcount')
      ? { value: null, text: shifted.headcount, ok: true }
      : parseHeadcount(shifted.headcount);
    if (!headcount.ok)
      warnings.push({
        field: 'headcount',
        reason: '招聘人数无法识别，按原文保留',
      });

    const contact = parseContact(this.get('contactName'), this.get('contactPhone'));
    warnings.push(...contact.warnings);

    const validFrom = parseDate(this.get('validFrom'), this.now, this.timeZone);
    if (validFrom === null) this.keepAsText(extra, warnings, 'validFrom', '发布日期无法识别，按原文保留');
    const validUntil = parseDate(this.get('validUntil'), this.now, this.timeZone);
    if (validUntil === null) this.keepAsText(extra, warnings, 'validUntil', '截止日期无法识别，按原文保留');

    let category = parseCategory(this.get('category'));
    if (category === null) this.keepAsText(extra, warnings, 'category', '岗位类型无法识别，已按薪资和职位推断');
    category ??= inferCategory(title, pay.parsed?.unit ?? null);

    for (const column of this.columns) {
      if (column.field !== null || column.ignored) continue;
      const text = texts[column.index];
      if (text !== null && text !== undefined) extra[column.header] = storable(text);
    }
    for (const column of this.columns) {
      if (column.field === null || column.ignored || this.byField.get(column.field) === column.index) continue;
      const text = texts[column.index];
      if (text !== null && text !== undefined) extra[column.header] = storable(text);
    }

    const location = this.get('location');
    const record: JobRecord = {
      rowNumber: row,
      employerName: employer,
      employerKey: foldKey(employer),
      title,
      payMin: pay.parsed?.min ?? null,
      payMax: pay.parsed?.max ?? null,
      payUnit: pay.parsed?.unit ?? null,
      payNegotiable: pay.parsed?.negotiable ?? false,
      payMonths: pay.parsed?.months ?? null,
      payText: pay.text,
      headcount: headcount.value,
      headcountText: headcount.text,
      location,
      education: shifted.education,
      experience: shifted.experience,
      category,
      contactName: contact.name,
      contactPhone: contact.phone,
      validFrom: validFrom ?? null,
      validUntil: validUntil ?? null,
      description: this.get('description'),
      extra,
      warnings: warningTexts(warnings),
      fingerprint: '',
      contentHash: '',
      sourceJson: this.sourceJson(cells),
    };
    record.fingerprint = fingerprint(record, pay.parsed);
    record.contentHash = contentHash(record);
    return { kind: 'job', record, warnings };
  }

  /** The column name as the file writes it, so a person can find the cell. */
  private headerOf(field: CanonicalField): string {
    const index = this.byField.get(field);
    const header = index === undefined ? '' : (this.columns[index] as Column).header;
    return header || jobFieldLabel(field);
  }

  private get(field: CanonicalField): string | null {
    const index = this.byField.get(field);
    return index === undefined ? null : (this.texts[index] ?? null);
  }

  /** Keeps a value that could not be understood as text, under its own column name, with a warning. */
  private keepAsText(
    extra: Record<string, string>,
    warnings: FieldWarning[],
    field: CanonicalField,
    reason: string,
  ): void {
    const index = this.byField.get(field);
    const text = this.get(field);
    if (index === undefined || text === null) return;
    extra[(this.columns[index] as Column).header] = storable(text);
    warnings.push({ field, reason });
  }

  private pay(warnings: FieldWarning[]): { parsed: ParsedPay | null; text: string | null } {
    const text = this.get('pay');
    if (text !== null) {
      const parsed = plausiblePay(parsePay(text));
      if (parsed === null) warnings.push({ field: 'pay', reason: '薪资无法识别，按原文保留' });
      return { parsed: parsed ?? null, text };
    }
    const split = {
      type: this.get('payType'),
      from: this.get('payFrom'),
      to: this.get('payTo'),
      unit: this.get('payUnitText'),
    };
    const parsed = plausiblePay(payFromSplit(split));
    if (parsed === undefined) return { parsed: null, text: null };
    const splitText = [split.type, [split.from, split.to].filter(Boolean).join('-'), split.unit]
      .filter(Boolean)
      .join(' ');
    if (parsed === null) warnings.push({ field: 'pay', reason: '薪资无法识别，按原文保留' });
    return { parsed, text: splitText || null };
  }

  /**
   * The row as read: the JSON text of an array of its cells in header order, null for an empty cell
   * (the header is kept once, on the batch).
   */
  private sourceJson(cells: readonly unknown[]): string {
    let last = this.headerWidth - 1;
    while (last >= 0 && isBlank(cells[last])) last--;
    const values: (string | null)[] = new Array(last + 1);
    for (let i = 0; i <= last; i++) {
      const cell = cells[i];
      values[i] = isBlank(cell) ? null : typeof cell === 'string' ? cell : rawText(cell);
    }
    const json = JSON.stringify(values);
    // JSON.stringify writes NUL and a lone surrogate as \u escapes, which PostgreSQL refuses: the rare
    // row with a \u in its JSON is written again from storable cells (measured: checking every cell
    // first cost twice as much as the whole array).
    return json.includes('\\u') ? JSON.stringify(values.map((v) => (v === null ? null : storable(v)))) : json;
  }
}

function isBlank(cell: unknown): boolean {
  return cell === undefined || cell === null || cell === '';
}

/**
 * A cell as read, for the stored source record and reject reports. NUL is dropped and a lone UTF-16
 * surrogate (possible in JSON and XLSX input) becomes U+FFFD: PostgreSQL refuses both in text and
 * JSON, and one such cell would otherwise fail its whole chunk.
 */
function rawText(cell: unknown): string {
  const text =
    typeof cell === 'string'
      ? cell
      : cell instanceof Date
        ? cell.toISOString()
        : typeof cell === 'object'
          ? JSON.stringify(cell)
          : String(cell);
  return storable(text);
}

function storable(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

/** Above this a pay figure is a typing slip or an anti-scraping artefact, and too large to store as an integer. */
const MAX_PAY_YUAN = 10_000_000;

function reject(row: number, field: string, reason: string, cells: readonly unknown[]): RowOutcome {
  const value = cells
    .map((cell) => (cell === undefined || cell === null ? '' : rawText(cell)))
    .join(' | ')
    .slice(0, 500);
  return { kind: 'reject', reject: { rowNumber: row, field, reason, value } };
}

/** One posting = same employer, title, location and pay after normalisation. */
function fingerprint(record: JobRecord, pay: ParsedPay | null): string {
  const payKey = pay
    ? `${pay.min ?? ''}-${pay.max ?? ''}-${pay.unit ?? ''}-${pay.negotiable ? 1 : 0}`
    : record.payText
      ? `text:${foldKey(record.payText)}`
      : '';
  return hash(
    'sha1',
    `${record.employerKey}\u001f${foldKey(record.title)}\u001f${foldKey(record.location)}\u001f${payKey}`,
    'base64url',
  );
}

/** Everything a reader sees of the job: a different hash means a changed posting. */
function contentHash(r: JobRecord): string {
  let text =
    `${r.employerName}\u001f${r.title}\u001f${hashPart(r.payMin)}\u001f${hashPart(r.payMax)}\u001f${hashPart(r.payUnit)}\u001f` +
    `${hashPart(r.payNegotiable)}\u001f${hashPart(r.payMonths)}\u001f${hashPart(r.payText)}\u001f${hashPart(r.headcount)}\u001f` +
    `${hashPart(r.headcountText)}\u001f${hashPart(r.location)}\u001f${hashPart(r.education)}\u001f${hashPart(r.experience)}\u001f` +
    `${r.category}\u001f${hashPart(r.contactName)}\u001f${hashPart(r.contactPhone)}\u001f${hashPart(r.validFrom)}\u001f` +
    `${hashPart(r.validUntil)}\u001f${hashPart(r.description)}`;
  for (const key of Object.keys(r.extra).sort()) text += `\u001f${key}\u001e${r.extra[key]}`;
  return hash('sha1', text, 'base64url');
}

function plausiblePay(pay: ParsedPay | null | undefined): ParsedPay | null | undefined {
  if (!pay) return pay;
  return tooLarge(pay.min) || tooLarge(pay.max) ? null : pay;
}

function warningTexts(warnings: readonly FieldWarning[]): string[] {
  const texts: string[] = [];
  for (const w of warnings) texts.push(`${jobFieldLabel(w.field)}：${w.reason}`);
  return texts;
}

function tooLarge(value: number | null): boolean {
  return value !== null && value > MAX_PAY_YUAN;
}

/** A value in the content hash's text; null differs from every string. */
function hashPart(value: string | number | boolean | null): string {
  return value === null ? '\u0000' : String(value);
}
