import type { Readable } from 'node:stream';
import { type Database, fairLedgerDetails, type Site } from '@jobcast/db';
import type { MediaStore } from '@jobcast/storage';
import archiver from 'archiver';
import { fairRecord, fairRecordHtml } from './fair-record.ts';
import { type EvidenceFile, type FairRow, LEDGER_SHEETS, type Ledger, type LedgerLine, loadLedger } from './ledger.ts';
import { ledgerWorkbook, workbookBytes } from './workbook.ts';

/** The note inside a pack that lists what the ledger names but the pack could not include. */
export const MISSING_NOTE = '缺失文件.txt';

export interface MissingFile extends EvidenceFile {
  /** Why it is not in the pack, in words. */
  reason: string;
}

export interface EvidencePack {
  ledger: Ledger;
  line: LedgerLine;
  /** The workbook's name inside the pack: the summary and this line's ledger sheet. */
  workbookName: string;
  /** Rows in this line's ledger. */
  items: number;
  /** Evidence files put in beside the workbook. */
  files: number;
  missing: MissingFile[];
  /** The ZIP as it is written: pipe it to a file or an HTTP answer. */
  stream: Readable;
}

function evidenceOf(ledger: Ledger, line: LedgerLine): EvidenceFile[] {
  switch (line) {
    case 'videos':
      return ledger.videos.flatMap((row) => row.evidence);
    case 'livestreams':
      return ledger.livestreams.flatMap((row) => row.evidence);
    case 'flyers':
      return ledger.flyers.flatMap((row) => row.evidence);
    case 'coverage':
      // A report without a screenshot or PDF is proven by its link alone, which the ledger lists.
      return ledger.coverage.flatMap((row) => row.evidence);
    case 'aiFairs':
      return ledger.aiFairs.flatMap((row) => row.evidence);
    case 'onsiteFairs':
      return ledger.onsiteFairs.flatMap((row) => row.evidence);
  }
}

/**
 * The fair records the pack writes itself, by file name: each fair's page and data, made from its
 * ledger row and what the database holds of its employers and jobs, photos and plays.
 */
async function fairRecords(db: Database, ledger: Ledger, wanted: EvidenceFile[]): Promise<Map<string, string>> {
  const rows = new Map<number, FairRow>([...ledger.aiFairs, ...ledger.onsiteFairs].map((row) => [row.fairId, row]));
  const ids = [...new Set(wanted.flatMap((file) => (file.record ? [file.record.fairId] : [])))];
  const { site } = ledger.summary;
  const details = await fairLedgerDetails(db, site.id, ids);
  const made = new Map<string, string>();
  for (const file of wanted) {
    const row = file.record ? rows.get(file.record.fairId) : undefined;
    const detail = file.record ? details.get(file.record.fairId) : undefined;
    if (!file.record || !row || !detail) continue;
    const record = fairRecord(
      row,
      detail,
      { code: site.code, name: site.name, timezone: site.timezone },
      ledger.generatedAt,
    );
    made.set(
      file.name,
      file.record.format === 'html' ? fairRecordHtml(record) : `${JSON.stringify(record, null, 2)}\n`,
    );
  }
  return made;
}

/** The note, with a byte-order mark and CRLF so that Windows Notepad shows the Chinese as written. */
function missingNote(missing: MissingFile[]): string {
  const lines = [
    `以下 ${missing.length} 个证据文件台账中列出了，但没有放进这个压缩包：`,
    '',
    ...missing.map((file) => `${file.name}\t${file.what}：${file.reason}`),
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

type Entry = { name: string; source: () => Readable | Buffer | string };

/**
 * A ZIP written one entry at a time: the next file is opened only once the one before is in, so a
 * pack of a thousand covers holds one file open and nothing whole in memory.
 */
function zipOneByOne(entries: Entry[]): Readable {
  const archive = archiver('zip', { zlib: { level: 6 } });
  const pending = [...entries];
  let current: Readable | Buffer | string | undefined;
  const appendNext = () => {
    const entry = pending.shift();
    if (!entry) {
      // A failure reaches the reader as the stream's 'error'; the promise would only repeat it.
      archive.finalize().catch(() => undefined);
      return;
    }
    current = entry.source();
    archive.append(current, { name: entry.name });
  };
  archive.on('entry', appendNext);
  // A reader that goes away (a cancelled download) must not leave the file being read open.
  archive.once('close', () => {
    if (current && typeof current === 'object' && 'destroy' in current) current.destroy();
  });
  appendNext();
  return archive;
}

/**
 * The evidence pack (佐证材料) of one line for one site's service year: a workbook with the summary
 * and that line's ledger, and the files its 证据文件 column names under those names (video covers,
 * livestream evidence pages, data and thumbnails, flyer PDFs, media reports' screenshots or PDFs; for
 * a job fair its record, written from the database as a page and as data, its photos, plan and
 * summary). A file the ledger names but the media store does not have is listed in `缺失文件.txt`
 * inside the pack instead of failing it.
 */
export async function buildEvidencePack(
  db: Database,
  store: MediaStore,
  site: Site | string,
  year: number,
  line: LedgerLine,
  now: Date = new Date(),
): Promise<EvidencePack> {
  const ledger = await loadLedger(db, site, year, now);
  const workbook = await workbookBytes(ledgerWorkbook(ledger, [line]));
  const wanted = evidenceOf(ledger, line);
  const [stored, records] = await Promise.all([
    Promise.all(wanted.map((file) => (file.key ? store.stat(file.key) : null))),
    fairRecords(db, ledger, wanted),
  ]);
  const present: Entry[] = [];
  const missing: MissingFile[] = [];
  wanted.forEach((file, i) => {
    const record = records.get(file.name);
    if (record !== undefined) {
      present.push({ name: file.name, source: () => record });
    } else if (stored[i] && file.key) {
      const key = file.key;
      present.push({ name: file.name, source: () => store.read(key) });
    } else {
      const reason = file.key ? `媒体库中找不到文件 ${file.key}` : '尚未生成';
      missing.push({ ...file, reason });
    }
  });
  const workbookName = `${LEDGER_SHEETS[line]}-${ledger.summary.report.year}.xlsx`;
  const entries: Entry[] = [
    { name: workbookName, source: () => workbook },
    ...(missing.length > 0 ? [{ name: MISSING_NOTE, source: () => missingNote(missing) }] : []),
    ...present,
  ];
  return {
    ledger,
    line,
    workbookName,
    items: ledger[line].length,
    files: present.length,
    missing,
    stream: zipOneByOne(entries),
  };
}
