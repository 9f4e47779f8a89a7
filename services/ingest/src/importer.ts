import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportSummary, RowIssue } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import {
  type ChunkResult,
  countBatchJobs,
  createImportBatch,
  type Database,
  type EmployerCache,
  failImportBatch,
  findEarlierImportOfFile,
  finishImportBatch,
  getImportBatch,
  getImportSummary,
  getSiteByCode,
  startImportBatch,
  writeImportChunk,
} from '@jobcast/db';
import { parseTableInThread } from './parse-thread.ts';
import { type FileKind, sniffFile } from './readers/index.ts';
import type { ParsedChunk } from './table-parser.ts';

const DEFAULT_CHUNK_ROWS = 2000;
const WRITES_IN_FLIGHT = 2;

export interface ImportOptions {
  siteCode: string;
  sheet?: string | undefined;
  /** The name the user knows the file by (an upload's original name); defaults to the path's base name. */
  displayName?: string | undefined;
  createdBy?: number | null;
  chunkRows?: number;
  now?: Date;
  /** Called as rows are read (after each chunk), for a progress display. */
  onProgress?: (progress: { rows: number; rejected: number }) => void;
}

/** Imports a file from the command line: a new batch, read now. */
export async function importFile(db: Database, filePath: string, options: ImportOptions): Promise<ImportSummary> {
  await checkFileGiven(filePath);
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
 * A file named on the command line that is not there is a typing slip, not an import: it is named
 * by its whole path (a relative name resolves against a folder the user may not have in mind), and
 * no batch is made for it.
 */
async function checkFileGiven(filePath: string): Promise<void> {
  const resolved = path.resolve(filePath);
  const found = await stat(resolved).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw error;
  });
  if (found === null) throw new JobcastError('NOT_FOUND', `找不到文件：${resolved}`);
  if (found.isDirectory()) throw new JobcastError('BAD_INPUT', `这是文件夹，不是文件：${resolved}`);
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
  if (!site) throw new JobcastError('NOT_FOUND', `站点 ${batch.siteId} 不存在`);
  const totals = { rows: 0, imported: 0, updated: 0, duplicates: 0, rejected: 0, warnings: 0 };
  let chunks: AsyncGenerator<ParsedChunk, string | null> | undefined;
  let writer: ChunkWriter | undefined;
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
    chunks = parseTableInThread({
      filePath,
      displayName,
      kind,
      sheet,
      now: options.now ?? new Date(),
      timeZone: site.timezone,
      chunkRows: options.chunkRows ?? DEFAULT_CHUNK_ROWS,
    });
    const warningSamples: RowIssue[] = [];
    writer = new ChunkWriter(db, site.id, batchId);
    let sheetRead: string | null = null;
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        sheetRead = next.value;
        break;
      }
      const chunk = next.value;
      totals.rows += chunk.rows;
      totals.rejected += chunk.rejects.length;
      totals.warnings += chunk.warnings;
      warningSamples.push(...chunk.warningSamples);
      await writer.write(chunk);
      options.onProgress?.({ rows: totals.rows, rejected: totals.rejected });
    }
    await writer.close();
    const jobCounts = await countBatchJobs(db, site.id, batchId);
    totals.imported = jobCounts.imported;
    totals.updated = jobCounts.updated;
    totals.duplicates = totals.rows - totals.rejected - jobCounts.imported - jobCounts.updated;
    if (totals.rows === 0) {
      throw new JobcastError('UNREADABLE_FILE', `${displayName}：表头下没有任何数据行`);
    }
    const earlier = await findEarlierImportOfFile(db, site.id, sha256, batchId);
    await finishImportBatch(db, batchId, {
      ...totals,
      sheet: sheetRead,
      warningSamples,
      message: summaryMessage(totals, earlier?.id),
    });
    return await getImportSummary(db, batchId);
  } catch (error) {
    // Let the write still in flight land (or fail) and close the file before the batch is marked:
    // its counters are then exactly those of the chunks that committed.
    await writer?.settle();
    await chunks?.return(null).catch(() => undefined);
    const known = error instanceof JobcastError ? error : null;
    const message = known?.message ?? `导入失败：${(error as Error).message}`;
    await failImportBatch(db, batchId, {
      code: known?.code ?? 'INTERNAL',
      // An error may quote the file (a NUL in it): PostgreSQL would refuse the message, and the batch stay running.
      message: message.replaceAll('\u0000', '').toWellFormed(),
    });
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
  if (totals.imported === 0 && totals.updated === 0) parts.push('没有新岗位，文件中的岗位都已导入过');
  if (earlierBatch !== undefined) parts.push(`同一文件已在批次 #${earlierBatch} 导入过`);
  return parts.join('；');
}

/**
 * Writes chunks while the next ones are being read, on up to WRITES_IN_FLIGHT connections: a chunk's
 * statements are round trips, and one writer alone leaves both the database and the parser waiting
 * on each other. Memory stays flat whatever the file size.
 */
class ChunkWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  private readonly employers: EmployerCache = new Map();

  constructor(
    private readonly db: Database,
    private readonly siteId: number,
    private readonly batchId: number,
  ) {}

  async write(chunk: ParsedChunk): Promise<void> {
    while (this.inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
    const rows = {
      siteId: this.siteId,
      batchId: this.batchId,
      jobs: chunk.jobs,
      rejects: chunk.rejects,
      columns: chunk.columns,
      rowsRead: chunk.rows,
    };
    // Each chunk's counts go to the batch row in its own transaction; the summary counts the jobs.
    const write = writeImportChunk(this.db, rows, this.employers).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    const tracked = write.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Waits for every write in flight, whatever its outcome. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }

  async close(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }
}
