import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportSummary, RowIssue } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import {
  type ChunkResult,
  createImportBatch,
  type Database,
  type EmployerCache,
  failImportBatch,
  findEarlierImportOfFile,
  finishImportBatch,
  getImportBatch,
  getImportSummary,
  getSiteByCode,
  type JobRecord,
  type RejectRecord,
  startImportBatch,
  writeImportChunk,
} from '@jobcast/db';
import { cleanCell, findHeaderRow } from './normalize/index.ts';
import { type FileKind, openTable, type SourceEvent, sniffFile } from './readers/index.ts';
import { fieldLabels, RowNormalizer } from './row-normalizer.ts';

/** Rows looked at to find the header: a title banner or notes often sit above it. */
const HEADER_SCAN_ROWS = 10;
const WARNING_SAMPLES = 100;

export interface ImportOptions {
  siteCode: string;
  sheet?: string | undefined;
  /** The name the user knows the file by (an upload's original name); defaults to the path's base name. */
  displayName?: string | undefined;
  createdBy?: number | null;
  chunkRows?: number;
  now?: Date;
}

/** Imports a file from the command line: a new batch, read now. */
export async function importFile(db: Database, filePath: string, options: ImportOptions): Promise<ImportSummary> {
  const site = await getSiteByCode(db, options.siteCode);
  const displayName = options.displayName ?? path.basename(filePath);
  const batch = await createImportBatch(db, {
    siteId: site.id,
    fileName: displayName,
    sheet: options.sheet ?? null,
    createdBy: options.createdBy ?? null,
  });
  return runImportBatch(db, batch.id, filePath, { ...options, displayName });
}

/**
 * Reads one batch's file into the job pool. Good rows are written chunk by chunk whatever the bad
 * ones do; a file that cannot be read as a table fails the batch with UNREADABLE_FILE.
 */
export async function runImportBatch(
  db: Database,
  batchId: number,
  filePath: string,
  options: Omit<ImportOptions, 'siteCode'>,
): Promise<ImportSummary> {
  const batch = await getImportBatch(db, batchId);
  const displayName = options.displayName ?? batch.fileName;
  const site = await db.query.sites.findFirst({ where: (s, { eq }) => eq(s.id, batch.siteId) });
  if (!site) throw new JobcastError('NOT_FOUND', `站点 ${batch.siteId} 不存在 (site not found)`);
  const totals = { rows: 0, imported: 0, updated: 0, duplicates: 0, rejected: 0, warnings: 0 };
  try {
    const kind = await sniffFile(filePath, displayName);
    const { sha256, bytes } = await hashFile(filePath);
    const sheet = options.sheet ?? batch.sheet ?? undefined;
    await startImportBatch(db, batchId, {
      format: kind.format,
      encoding: encodingLabel(kind),
      sheet: sheet ?? null,
      sha256,
      bytes,
    });
    const table = openTable(filePath, displayName, kind, sheet);
    const warningSamples: RowIssue[] = [];
    const writer = new ChunkWriter(db, site.id, batchId, options.chunkRows ?? 2000, totals);
    const normalizers = headerTracker(displayName, kind, options.now ?? new Date(), site.timezone);
    for await (const event of normalizers.rows(table.events)) {
      if (event.type === 'broken') {
        totals.rows++;
        writer.reject({
          rowNumber: event.row,
          field: fieldLabels['*'] as string,
          reason: event.reason,
          value: event.value,
        });
      } else {
        const outcome = event.normalizer.normalize(event.row, event.cells);
        if (outcome.kind === 'empty') continue;
        totals.rows++;
        if (outcome.kind === 'reject') {
          writer.reject(outcome.reject);
        } else {
          writer.job(outcome.record);
          totals.warnings += outcome.warnings.length;
          for (const warning of outcome.warnings) {
            if (warningSamples.length >= WARNING_SAMPLES) break;
            warningSamples.push({
              row: event.row,
              field: fieldLabels[warning.field] ?? warning.field,
              reason: warning.reason,
            });
          }
        }
      }
      await writer.flushIfFull();
    }
    await writer.close();
    if (totals.rows === 0) {
      throw new JobcastError('UNREADABLE_FILE', `${displayName}：表头下没有任何数据行 (no data rows under the header)`);
    }
    const earlier = await findEarlierImportOfFile(db, site.id, sha256, batchId);
    await finishImportBatch(db, batchId, {
      ...totals,
      sheet: table.sheet,
      warningSamples,
      message: summaryMessage(totals, earlier?.id),
    });
    return await getImportSummary(db, batchId);
  } catch (error) {
    const known = error instanceof JobcastError ? error : null;
    await failImportBatch(
      db,
      batchId,
      {
        code: known?.code ?? 'INTERNAL',
        message: known?.message ?? `导入失败 (import failed): ${(error as Error).message}`,
      },
      totals,
    );
    throw error;
  }
}

function encodingLabel(kind: FileKind): string | null {
  if (kind.encoding === null) return null;
  return kind.encoding === 'utf-8-bom' ? 'utf-8 (BOM)' : kind.encoding;
}

async function hashFile(filePath: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(filePath)).size };
}

function summaryMessage(
  totals: ChunkResult & { rows: number; rejected: number },
  earlierBatch: number | undefined,
): string {
  const parts = [
    `读取 ${totals.rows} 行：新增 ${totals.imported} 个岗位，更新 ${totals.updated} 个，重复 ${totals.duplicates} 行，拒绝 ${totals.rejected} 行`,
  ];
  if (totals.imported === 0 && totals.updated === 0)
    parts.push('没有新岗位，文件中的岗位都已导入过 (nothing new: every posting was already in the pool)');
  if (earlierBatch !== undefined)
    parts.push(`同一文件已在批次 #${earlierBatch} 导入过 (the same file was imported in batch #${earlierBatch})`);
  return parts.join('；');
}

type NormalizedEvent =
  | { type: 'row'; row: number; cells: readonly unknown[]; normalizer: RowNormalizer }
  | { type: 'broken'; row: number; reason: string; value: string | null };

/** Finds the header (given, or searched for in the first rows) and pairs each later row with its mapping. */
function headerTracker(displayName: string, kind: FileKind, now: Date, timeZone: string) {
  const build = (header: string[]) => {
    const normalizer = new RowNormalizer(header, now, timeZone);
    const missing = (['employer', 'title'] as const).filter((field) => !normalizer.has(field));
    if (missing.length > 0) {
      throw new JobcastError(
        'UNREADABLE_FILE',
        `${displayName}：缺少必需的列 ${missing.map((f) => fieldLabels[f]).join('、')}；表头是：${header.filter(Boolean).join('、')} (required column missing: ${missing.join(', ')})`,
      );
    }
    return normalizer;
  };
  return {
    async *rows(events: AsyncGenerator<SourceEvent>): AsyncGenerator<NormalizedEvent> {
      let normalizer: RowNormalizer | undefined;
      const pending: { row: number; cells: unknown[] }[] = [];
      for await (const event of events) {
        if (event.type === 'header') {
          normalizer = build(event.cells);
          continue;
        }
        if (event.type === 'broken') {
          yield event;
          continue;
        }
        if (normalizer) {
          yield { type: 'row', row: event.row, cells: event.cells, normalizer };
          continue;
        }
        pending.push(event);
        if (pending.length < HEADER_SCAN_ROWS) continue;
        normalizer = locateHeader(pending);
        for (const row of pending.splice(0)) yield { type: 'row', row: row.row, cells: row.cells, normalizer };
      }
      if (!normalizer && pending.length > 0) {
        normalizer = locateHeader(pending);
        for (const row of pending.splice(0)) yield { type: 'row', row: row.row, cells: row.cells, normalizer };
      }
      if (!normalizer)
        throw new JobcastError('UNREADABLE_FILE', `${displayName}：文件里没有表格内容 (no table content found)`);
    },
  };

  function locateHeader(rows: { row: number; cells: unknown[] }[]): RowNormalizer {
    const texts = rows.map((r) => r.cells.map((cell) => cleanCell(cell).text ?? ''));
    const index = findHeaderRow(texts);
    if (index === -1) {
      const what = kind.format === 'csv' ? 'CSV' : kind.format.toUpperCase();
      throw new JobcastError(
        'UNREADABLE_FILE',
        `${displayName}：前 ${rows.length} 行里找不到表头（至少要有“公司名称”和“职位名称”等列名）(${what}: no header row with employer/title columns in the first rows)`,
      );
    }
    rows.splice(0, index + 1);
    return build(texts[index] as string[]);
  }
}

/**
 * Collects rows into chunks and writes each in its own transaction while the next is being read:
 * at most one write in flight, so memory stays flat whatever the file size.
 */
class ChunkWriter {
  private jobs: JobRecord[] = [];
  private rejects: RejectRecord[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown;
  private rowsWritten = 0;
  private readonly employers: EmployerCache = new Map();

  constructor(
    private readonly db: Database,
    private readonly siteId: number,
    private readonly batchId: number,
    private readonly chunkRows: number,
    private readonly totals: ChunkResult & { rejected: number; rows: number },
  ) {}

  job(record: JobRecord): void {
    this.jobs.push(record);
  }

  reject(reject: RejectRecord): void {
    this.rejects.push(reject);
    this.totals.rejected++;
  }

  async flushIfFull(): Promise<void> {
    if (this.jobs.length + this.rejects.length >= this.chunkRows) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.inFlight;
    if (this.failure !== undefined) throw this.failure;
  }

  private async flush(): Promise<void> {
    await this.inFlight;
    if (this.failure !== undefined) throw this.failure;
    if (this.jobs.length === 0 && this.rejects.length === 0 && this.totals.rows === this.rowsWritten) return;
    const rowsRead = this.totals.rows - this.rowsWritten;
    this.rowsWritten = this.totals.rows;
    const chunk = { siteId: this.siteId, batchId: this.batchId, jobs: this.jobs, rejects: this.rejects, rowsRead };
    this.jobs = [];
    this.rejects = [];
    this.inFlight = writeImportChunk(this.db, chunk, this.employers).then(
      (result) => {
        this.totals.imported += result.imported;
        this.totals.updated += result.updated;
        this.totals.duplicates += result.duplicates;
      },
      (error: unknown) => {
        this.failure = error;
      },
    );
  }
}
