/**
 * What an import hands the database: normalised job records, rejects, and each record prepared as
 * COPY text. Kept apart from the database code (no driver, no ORM) so that the thread that parses a
 * file can prepare its records without loading either.
 */
import type { JobCategory, PayUnit } from '@jobcast/core';

/** One usable row, normalised, ready to become (or refresh) a job. */
export interface JobRecord {
  rowNumber: number;
  employerName: string;
  employerKey: string;
  title: string;
  payMin: number | null;
  payMax: number | null;
  payUnit: PayUnit | null;
  payNegotiable: boolean;
  payMonths: number | null;
  payText: string | null;
  headcount: number | null;
  headcountText: string | null;
  location: string | null;
  education: string | null;
  experience: string | null;
  category: JobCategory;
  contactName: string | null;
  contactPhone: string | null;
  validFrom: string | null;
  validUntil: string | null;
  description: string | null;
  extra: Record<string, string>;
  warnings: string[];
  fingerprint: string;
  contentHash: string;
  /**
   * The row as read, kept as the version's source: a JSON array of its cells in the order of the
   * header (import_batches.columns), null for an empty cell.
   */
  sourceJson: string;
}

export interface RejectRecord {
  rowNumber: number;
  field: string;
  reason: string;
  value: string | null;
}

/**
 * A record ready to write: what de-duplication and the employer look-up need, and the rest of its
 * jobs row as COPY text. Prepared where the file is parsed, so the writer only adds the employer id.
 */
export interface PreparedJob {
  rowNumber: number;
  employerKey: string;
  employerName: string;
  fingerprint: string;
  contentHash: string;
  /** The record's COPY text from title to source record (the jobs columns after employer_id), with its line break. */
  copyFields: string;
}

export function prepareJob(r: JobRecord): PreparedJob {
  return {
    rowNumber: r.rowNumber,
    employerKey: r.employerKey,
    employerName: r.employerName,
    fingerprint: r.fingerprint,
    contentHash: r.contentHash,
    copyFields: copyFields(r),
  };
}

/**
 * The record as COPY text in the column order of import_input after employer_id (and of the jobs
 * COPY after its site, batch and employer ids). Built as one string: an array per row and a join
 * cost a tenth of the import.
 */
function copyFields(r: JobRecord): string {
  return (
    `${copyText(r.title)}\t${copyNumber(r.payMin)}\t` +
    `${copyNumber(r.payMax)}\t${copyText(r.payUnit)}\t${r.payNegotiable ? 't' : 'f'}\t${copyNumber(r.payMonths)}\t` +
    `${copyText(r.payText)}\t${copyNumber(r.headcount)}\t${copyText(r.headcountText)}\t${copyText(r.location)}\t` +
    `${copyText(r.education)}\t${copyText(r.experience)}\t${r.category}\t${copyText(r.contactName)}\t` +
    `${copyText(r.contactPhone)}\t${copyText(r.validFrom)}\t${copyText(r.validUntil)}\t${copyText(r.description)}\t` +
    `${copyText(JSON.stringify(r.extra))}\t${copyText(JSON.stringify(r.warnings))}\t${r.fingerprint}\t` +
    `${r.contentHash}\t${r.rowNumber}\t${copyText(r.sourceJson)}\n`
  );
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Text in COPY's text format: \N for null, backslash escapes for the separators. */
function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c] as string) : value;
}

export function copyNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : String(value);
}
