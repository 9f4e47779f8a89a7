import { displayPay, JOB_FIELD_LABELS, jobFieldLabel, type Pay } from '@jobcast/core';
import { type Database, getSiteByCode, rewriteSiteJobs, type SiteEmployer, type StoredJob } from '@jobcast/db';
import type { JobRecord } from '@jobcast/db/job-records';
import { RowNormalizer } from './row-normalizer.ts';

/** One field of a job as it was and as the importer reads its source row today. */
export interface FieldChange {
  field: string;
  /** The field's Chinese name, or the column's own name for a column kept as it is. */
  label: string;
  before: string | null;
  after: string | null;
}

export interface JobChange {
  jobId: number;
  employer: string;
  title: string;
  fields: FieldChange[];
  /**
   * What a re-imported row of this posting finds: `kept` the job as before, `updated` the job under
   * its cleaned values, `shared` the job `sameAs`, which the cleaned values make the same posting.
   * A shared job keeps its own identity and is not merged (renders, rundowns and fairs name it).
   */
  identity: 'kept' | 'updated' | 'shared';
  sameAs: number | null;
}

export interface RenormalizeReport {
  site: string;
  dryRun: boolean;
  /** Jobs looked at. */
  jobs: number;
  /** Jobs whose values or identity change. */
  changed: number;
  identityUpdated: number;
  shared: number;
  /** Jobs whose only change is in the importer's notes on them (提示). */
  notesOnly: number;
  employersRenamed: { employerId: number; before: string; after: string }[];
  /** Jobs left as they are, and why: no source row kept, or a row the importer refuses today. */
  leftAsIs: { jobId: number; employer: string; title: string; reason: string }[];
  /** Each job that changes, and each that is the same posting as another (every run, until merged by hand). */
  changes: JobChange[];
}

/**
 * Reads every job of a site again from the row it was imported from, with today's cleaning, and
 * writes what changed in one transaction. Each job keeps its identity: its fingerprint becomes the
 * one the importer now computes, so importing the same file again finds it and adds nothing.
 */
export async function renormalizeJobs(
  db: Database,
  options: { siteCode: string; dryRun?: boolean },
): Promise<RenormalizeReport> {
  const site = await getSiteByCode(db, options.siteCode);
  const dryRun = options.dryRun ?? false;
  return rewriteSiteJobs(db, site.id, { write: !dryRun }, async (rewrite) => {
    const reader = new SourceReader(site.timezone);
    const employers = new Employers(await rewrite.employers());
    const identities = new Identities();
    const pending: PendingChange[] = [];
    const report: RenormalizeReport = {
      site: site.code,
      dryRun,
      jobs: 0,
      changed: 0,
      identityUpdated: 0,
      shared: 0,
      notesOnly: 0,
      employersRenamed: [],
      leftAsIs: [],
      changes: [],
    };
    for await (const page of rewrite.pages()) {
      const staged: { id: number; record: JobRecord }[] = [];
      for (const job of page) {
        report.jobs++;
        const read = reader.read(job);
        if (typeof read === 'string') {
          identities.fix(job.id, job.fingerprint);
          report.leftAsIs.push({ jobId: job.id, employer: job.employerName, title: job.title, reason: read });
          continue;
        }
        identities.want(job.id, job.fingerprint, read.fingerprint);
        employers.seen(read);
        const fields = fieldChanges(job, read);
        const movesEmployer = employers.keyOf(job.employerId) !== read.employerKey;
        const notesChanged = !sameList(job.warnings, read.warnings);
        // The hash also covers what no field above compares (the employer's name as its row gives it):
        // a job left at its old hash would be updated by the next import of the same row.
        const hashChanged = job.contentHash !== read.contentHash;
        const identityChanged = job.fingerprint !== read.fingerprint;
        if (fields.length === 0 && !movesEmployer && !notesChanged && !hashChanged && !identityChanged) continue;
        staged.push({ id: job.id, record: read });
        if (movesEmployer) {
          // Named differently enough to be another employer (公司名称：南昌甲公司 was one of its own).
          fields.unshift({
            field: 'employer',
            label: JOB_FIELD_LABELS.employer as string,
            before: job.employerName,
            after: read.employerName,
          });
        }
        if (fields.length > 0 || identityChanged) pending.push({ jobId: job.id, read: pick(read), fields });
        else if (notesChanged) report.notesOnly++;
      }
      if (!dryRun) await rewrite.stage(staged);
    }

    const { keep, sameAs } = identities.resolve();
    const renames = employers.renames();
    for (const { jobId, read, fields } of pending) {
      const employer = employers.nameFor(read.employerKey, read.employerName, renames);
      const employerChange = fields[0]?.field === 'employer' ? fields[0] : undefined;
      if (employerChange) employerChange.after = employer;
      const owner = sameAs.get(jobId);
      const identity = owner !== undefined ? 'shared' : identities.moved(jobId) ? 'updated' : 'kept';
      report.changes.push({ jobId, employer, title: read.title, fields, identity, sameAs: owner ?? null });
      if (identity === 'updated') report.identityUpdated++;
      if (identity === 'shared') report.shared++;
    }
    report.changed = report.changes.filter((c) => c.fields.length > 0 || c.identity === 'updated').length;
    for (const [id, after] of renames) {
      report.employersRenamed.push({ employerId: id, before: employers.nameOf(id), after });
    }
    if (!dryRun) await rewrite.apply(keep, renames);
    return report;
  });
}

interface PendingChange {
  jobId: number;
  read: Pick<JobRecord, 'employerKey' | 'employerName' | 'title'>;
  fields: FieldChange[];
}

function pick(r: JobRecord): PendingChange['read'] {
  return { employerKey: r.employerKey, employerName: r.employerName, title: r.title };
}

/** Normalises stored source rows as the importer would today, one RowNormalizer per batch header. */
class SourceReader {
  private readonly normalizers = new Map<string, RowNormalizer>();

  constructor(private readonly timeZone: string) {}

  /** The job's row read again, or why it cannot be. */
  read(job: StoredJob): JobRecord | string {
    const stored = job.sourceRecord;
    let header: readonly string[];
    let cells: unknown[];
    if (stored === null) return '没有保存导入时的原始行';
    if (Array.isArray(stored)) {
      if (job.batchColumns === null) return '导入批次没有保存表头';
      header = job.batchColumns;
      cells = job.batchFormat === 'xlsx' ? stored.map(reviveXlsxCell) : stored;
    } else {
      // Kept by column name before migration 0002.
      header = Object.keys(stored);
      cells = Object.values(stored);
    }
    const outcome = this.normalizer(job, header).normalize(job.sourceRow ?? 0, cells);
    if (outcome.kind === 'job') return outcome.record;
    if (outcome.kind === 'empty') return '原始行为空';
    return `${outcome.reject.field}：${outcome.reject.reason}`;
  }

  private normalizer(job: StoredJob, header: readonly string[]): RowNormalizer {
    const key = `${job.batchId}\u001f${header.join('\u001f')}`;
    let normalizer = this.normalizers.get(key);
    if (normalizer === undefined) {
      normalizer = new RowNormalizer(header, job.batchReadAt ?? new Date(), this.timeZone);
      this.normalizers.set(key, normalizer);
    }
    return normalizer;
  }
}

// How the importer stores an XLSX cell that is not text (row-normalizer's rawText): a date as its ISO
// instant, rich text, a link or a formula as the JSON of ExcelJS's value. Read back, they are read as then.
const ISO_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EXCEL_OBJECT_RE = /^\{"(?:richText|text|formula|sharedFormula|result|hyperlink)"/;

function reviveXlsxCell(cell: string | null): unknown {
  if (cell === null) return null;
  if (ISO_INSTANT_RE.test(cell)) return new Date(cell);
  if (EXCEL_OBJECT_RE.test(cell)) {
    try {
      return JSON.parse(cell);
    } catch {
      return cell;
    }
  }
  return cell;
}

/** The site's employers by id and by key, and the names the rows read again give each key. */
class Employers {
  private readonly byId = new Map<number, SiteEmployer>();
  private readonly byKey = new Map<string, SiteEmployer>();
  private readonly namesByKey = new Map<string, Set<string>>();

  constructor(list: readonly SiteEmployer[]) {
    for (const e of list) {
      this.byId.set(e.id, e);
      this.byKey.set(e.key, e);
    }
  }

  keyOf(id: number): string | undefined {
    return this.byId.get(id)?.key;
  }

  nameOf(id: number): string {
    return this.byId.get(id)?.name ?? '';
  }

  seen(record: JobRecord): void {
    let names = this.namesByKey.get(record.employerKey);
    if (names === undefined) {
      names = new Set();
      this.namesByKey.set(record.employerKey, names);
    }
    names.add(record.employerName);
  }

  /**
   * An employer is renamed when no row read again names it as it is named: its name carried debris
   * (南昌某某投资 “”) that every row has now lost. It takes the name its first row gives.
   */
  renames(): Map<number, string> {
    const renames = new Map<number, string>();
    for (const [key, names] of this.namesByKey) {
      const employer = this.byKey.get(key);
      if (employer === undefined || names.has(employer.name)) continue;
      renames.set(employer.id, names.values().next().value as string);
    }
    return renames;
  }

  /** The name a job shows once written: its employer's (renamed) name, or its own for a new employer. */
  nameFor(key: string, recordName: string, renames: ReadonlyMap<number, string>): string {
    const employer = this.byKey.get(key);
    if (employer === undefined) return recordName;
    return renames.get(employer.id) ?? employer.name;
  }
}

/**
 * Fingerprints are unique per site. Each job wants the fingerprint its row gives today; when two
 * want the same one, the job that holds it already keeps it, else the older job takes it, and the
 * other keeps its own. Jobs not read again keep theirs.
 */
class Identities {
  private readonly current = new Map<number, string>();
  private readonly wanted = new Map<number, string>();
  private readonly desired = new Map<number, string>();

  fix(id: number, fingerprint: string): void {
    this.current.set(id, fingerprint);
    this.desired.set(id, fingerprint);
  }

  want(id: number, current: string, wanted: string): void {
    this.current.set(id, current);
    this.wanted.set(id, wanted);
    this.desired.set(id, wanted);
  }

  moved(id: number): boolean {
    return this.desired.get(id) !== this.current.get(id);
  }

  /** Jobs that keep their fingerprint though they wanted another, and the job that has it. */
  resolve(): { keep: number[]; sameAs: Map<number, number> } {
    const lost = new Set<number>();
    let owner = new Map<string, number>();
    for (;;) {
      owner = new Map();
      const losers: number[] = [];
      // A job at its own fingerprint holds it: no two jobs had the same one.
      for (const [id, fingerprint] of this.desired)
        if (fingerprint === this.current.get(id)) owner.set(fingerprint, id);
      for (const [id, fingerprint] of this.desired) {
        if (fingerprint === this.current.get(id)) continue;
        if (owner.has(fingerprint)) losers.push(id);
        else owner.set(fingerprint, id);
      }
      if (losers.length === 0) break;
      for (const id of losers) {
        lost.add(id);
        this.desired.set(id, this.current.get(id) as string);
      }
    }
    const sameAs = new Map<number, number>();
    for (const id of lost) sameAs.set(id, owner.get(this.wanted.get(id) as string) as number);
    return { keep: [...lost], sameAs };
  }
}

function fieldChanges(job: StoredJob, r: JobRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  const add = (field: string, before: string | null, after: string | null) => {
    if (before !== after) changes.push({ field, label: jobFieldLabel(field), before, after });
  };
  add('title', job.title, r.title);
  const payBefore: Pay = {
    min: job.payMin,
    max: job.payMax,
    unit: job.payUnit,
    negotiable: job.payNegotiable,
    months: job.payMonths,
    text: job.payText,
  };
  const payAfter: Pay = {
    min: r.payMin,
    max: r.payMax,
    unit: r.payUnit,
    negotiable: r.payNegotiable,
    months: r.payMonths,
    text: r.payText,
  };
  if (!samePay(payBefore, payAfter)) {
    const before = displayPay(payBefore);
    const after = displayPay(payAfter);
    // Shown alike, read differently (the words kept, or the figures behind them): the words say which.
    if (before === after) add('pay', payBefore.text, payAfter.text);
    else add('pay', before || null, after || null);
  }
  add('headcount', headcountText(job.headcount, job.headcountText), headcountText(r.headcount, r.headcountText));
  add('location', job.location, r.location);
  add('education', job.education, r.education);
  add('experience', job.experience, r.experience);
  add('category', job.category, r.category);
  add('contactName', job.contactName, r.contactName);
  add('contactPhone', job.contactPhone, r.contactPhone);
  add('validFrom', job.validFrom, r.validFrom);
  add('validUntil', job.validUntil, r.validUntil);
  add('description', job.description, r.description);
  for (const key of new Set([...Object.keys(job.extra), ...Object.keys(r.extra)])) {
    const before = job.extra[key] ?? null;
    const after = r.extra[key] ?? null;
    if (before !== after) changes.push({ field: 'extra', label: key, before, after });
  }
  return changes;
}

function samePay(a: Pay, b: Pay): boolean {
  return (
    a.min === b.min &&
    a.max === b.max &&
    a.unit === b.unit &&
    a.negotiable === b.negotiable &&
    a.months === b.months &&
    a.text === b.text
  );
}

function headcountText(value: number | null, text: string | null): string | null {
  return text ?? (value === null ? null : String(value));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
