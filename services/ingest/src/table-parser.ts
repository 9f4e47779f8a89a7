import type { RowIssue } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import type { JobRecord, RejectRecord } from '@jobcast/db';
import { cleanCell, findHeaderRow } from './normalize/index.ts';
import { type FileKind, openTable, type SourceEvent } from './readers/index.ts';
import { fieldLabels, RowNormalizer } from './row-normalizer.ts';

/** Rows looked at to find the header: a title banner or notes often sit above it. */
const HEADER_SCAN_ROWS = 10;
const WARNING_SAMPLES = 100;
const YIELD_EVERY_ROWS = 25;

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
  jobs: JobRecord[];
  rejects: RejectRecord[];
  rows: number;
  warnings: number;
  warningSamples: RowIssue[];
}

/**
 * Reads and normalises a table into chunks of at most `chunkRows` rows; nothing here touches the
 * database. Returns the sheet that was read.
 */
export async function* parseTable(input: ParseInput): AsyncGenerator<ParsedChunk, string | null> {
  const table = openTable(input.filePath, input.displayName, input.kind, input.sheet);
  const normalizers = headerTracker(input.displayName, input.kind, input.now, input.timeZone);
  let samples = 0;
  let chunk = emptyChunk();
  let sinceYield = 0;
  for await (const event of normalizers.rows(table.events)) {
    // Normalising is synchronous: a turn of the event loop now and then lets the replies to the chunk
    // being written through, or the database idles between its statements.
    if (++sinceYield === YIELD_EVERY_ROWS) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (event.type === 'broken') {
      chunk.rows++;
      chunk.rejects.push({
        rowNumber: event.row,
        field: fieldLabels['*'] as string,
        reason: event.reason,
        value: event.value,
      });
    } else {
      const outcome = event.normalizer.normalize(event.row, event.cells);
      if (outcome.kind === 'empty') continue;
      chunk.rows++;
      if (outcome.kind === 'reject') {
        chunk.rejects.push(outcome.reject);
      } else {
        chunk.jobs.push(outcome.record);
        chunk.warnings += outcome.warnings.length;
        for (const warning of outcome.warnings) {
          if (samples >= WARNING_SAMPLES) break;
          samples++;
          chunk.warningSamples.push({
            row: event.row,
            field: fieldLabels[warning.field] ?? warning.field,
            reason: warning.reason,
          });
        }
      }
    }
    if (chunk.rows >= input.chunkRows) {
      yield chunk;
      chunk = emptyChunk();
    }
  }
  if (chunk.rows > 0) yield chunk;
  return table.sheet;
}

function emptyChunk(): ParsedChunk {
  return { jobs: [], rejects: [], rows: 0, warnings: 0, warningSamples: [] };
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
