import type { RowIssue } from '@jobcast/core';
import { JOB_FIELD_LABELS, JobcastError, jobFieldLabel } from '@jobcast/core';
import { type PreparedJob, prepareJob, type RejectRecord } from '@jobcast/db/job-records';
import { cleanCell, findHeaderRow } from './normalize/index.ts';
import { type FileKind, openTable, type SourceEvent } from './readers/index.ts';
import { RowNormalizer } from './row-normalizer.ts';

/** Rows looked at to find the header: a title banner or notes often sit above it. */
const HEADER_SCAN_ROWS = 10;
const WARNING_SAMPLES = 100;

export interface ParseInput {
  filePath: string;
  displayName: string;
  kind: FileKind;
  sheet: string | undefined;
  now: Date;
  timeZone: string;
  chunkRows: number;
}

/** What reading a stretch of the file yields: jobs and rejects to write, and the counts that go with them. */
export interface ParsedChunk {
  jobs: PreparedJob[];
  rejects: RejectRecord[];
  /** The header the source records follow, in the first chunk after it was found (or grew, for JSON). */
  columns: string[] | null;
  rows: number;
  warnings: number;
  warningSamples: RowIssue[];
}

/**
 * Reads and normalises a table into chunks of at most `chunkRows` rows, each job prepared for the
 * database's COPY; nothing here touches the database. Returns the sheet that was read. Imports run
 * it on a thread of its own (parse-thread.ts).
 */
export async function* parseTable(input: ParseInput): AsyncGenerator<ParsedChunk, string | null> {
  const table = openTable(input.filePath, input.displayName, input.kind, input.sheet);
  const tracker = new HeaderTracker(input.displayName, input.now, input.timeZone);
  const state: ChunkState = { chunk: emptyChunk(), samples: 0, header: undefined };
  const ready: NormalizedEvent[] = [];
  for await (const batch of table.events) {
    for (const event of batch) tracker.push(event, ready);
    for (const event of ready) {
      addToChunk(state, event);
      if (state.chunk.rows >= input.chunkRows) {
        yield state.chunk;
        state.chunk = emptyChunk();
      }
    }
    ready.length = 0;
  }
  tracker.finish(ready);
  for (const event of ready) addToChunk(state, event);
  if (state.chunk.rows > 0) yield state.chunk;
  return table.sheet;
}

/** Normalises one row into the chunk being filled: a job, a reject, or nothing for an empty row. */
interface ChunkState {
  chunk: ParsedChunk;
  samples: number;
  /** The header last handed on with a chunk. */
  header: readonly string[] | undefined;
}

function addToChunk(state: ChunkState, event: NormalizedEvent): void {
  const chunk = state.chunk;
  if (event.type === 'broken') {
    chunk.rows++;
    chunk.rejects.push({
      rowNumber: event.row,
      field: JOB_FIELD_LABELS['*'] as string,
      reason: event.reason,
      value: event.value,
    });
    return;
  }
  if (event.normalizer.header !== state.header) {
    state.header = event.normalizer.header;
    chunk.columns = [...state.header];
  }
  const outcome = event.normalizer.normalize(event.row, event.cells);
  if (outcome.kind === 'empty') return;
  chunk.rows++;
  if (outcome.kind === 'reject') {
    chunk.rejects.push(outcome.reject);
    return;
  }
  chunk.jobs.push(prepareJob(outcome.record));
  chunk.warnings += outcome.warnings.length;
  for (const warning of outcome.warnings) {
    if (state.samples >= WARNING_SAMPLES) break;
    state.samples++;
    chunk.warningSamples.push({
      row: event.row,
      field: jobFieldLabel(warning.field),
      reason: warning.reason,
    });
  }
}

function emptyChunk(): ParsedChunk {
  return { jobs: [], rejects: [], columns: null, rows: 0, warnings: 0, warningSamples: [] };
}

type NormalizedEvent =
  | { type: 'row'; row: number; cells: readonly unknown[]; normalizer: RowNormalizer }
  | { type: 'broken'; row: number; reason: string; value: string | null };

/** Finds the header (given, or searched for in the first rows) and pairs each later row with its mapping. */
class HeaderTracker {
  private normalizer: RowNormalizer | undefined;
  private readonly pending: { row: number; cells: unknown[] }[] = [];

  constructor(
    private readonly displayName: string,
    private readonly now: Date,
    private readonly timeZone: string,
  ) {}

  push(event: SourceEvent, out: NormalizedEvent[]): void {
    if (event.type === 'header') {
      this.normalizer = this.build(event.cells);
    } else if (event.type === 'broken') {
      out.push(event);
    } else if (this.normalizer) {
      out.push({ type: 'row', row: event.row, cells: event.cells, normalizer: this.normalizer });
    } else {
      this.pending.push(event);
      if (this.pending.length >= HEADER_SCAN_ROWS) this.flushPending(out);
    }
  }

  /** The end of the file: rows still waiting for a header are placed, or there was no table at all. */
  finish(out: NormalizedEvent[]): void {
    if (!this.normalizer && this.pending.length > 0) this.flushPending(out);
    if (!this.normalizer) throw new JobcastError('UNREADABLE_FILE', `${this.displayName}：文件里没有表格内容`);
  }

  private flushPending(out: NormalizedEvent[]): void {
    const normalizer = this.locateHeader(this.pending);
    this.normalizer = normalizer;
    for (const row of this.pending.splice(0)) out.push({ type: 'row', row: row.row, cells: row.cells, normalizer });
  }

  private build(header: string[]): RowNormalizer {
    const normalizer = new RowNormalizer(header, this.now, this.timeZone);
    const missing = (['employer', 'title'] as const).filter((field) => !normalizer.has(field));
    if (missing.length > 0) {
      throw new JobcastError(
        'UNREADABLE_FILE',
        `${this.displayName}：缺少必需的列 ${missing.map((f) => jobFieldLabel(f)).join('、')}；表头是：${header.filter(Boolean).join('、')}`,
      );
    }
    return normalizer;
  }

  /** Takes the header row out of `rows` (it and what is above it) and builds its mapping. */
  private locateHeader(rows: { row: number; cells: unknown[] }[]): RowNormalizer {
    const texts = rows.map((r) => r.cells.map((cell) => cleanCell(cell).text ?? ''));
    const index = findHeaderRow(texts);
    if (index === -1) {
      throw new JobcastError(
        'UNREADABLE_FILE',
        `${this.displayName}：前 ${rows.length} 行里找不到表头（至少要有“公司名称”和“职位名称”等列名）`,
      );
    }
    rows.splice(0, index + 1);
    return this.build(texts[index] as string[]);
  }
}
