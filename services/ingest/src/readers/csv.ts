import { type CsvError, parse } from 'csv-parse';
import { decodeInto } from './decode.ts';
import { drainStream, type SourceEvent } from './events.ts';
import type { FileKind } from './sniff.ts';

/** A record longer than this is a quote that never closed swallowing the file, not a real cell. */
const MAX_RECORD_CHARS = 1 << 20;

/** Lines a record spans: one, plus the line breaks inside its quoted cells. */
function linesOf(record: string[], lineBreak: string): number {
  let lines = 1;
  for (const cell of record) {
    if (cell.length === 0 || cell.indexOf(lineBreak) === -1) continue;
    for (let i = cell.indexOf(lineBreak); i !== -1; i = cell.indexOf(lineBreak, i + 1)) lines++;
  }
  return lines;
}

const recoverable = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE', 'CSV_INVALID_CLOSING_QUOTE']);

/**
 * Streams a CSV as rows numbered the way Excel shows them (the first line is row 1). A broken
 * record is reported and reading resumes on the line after it, so one bad quote loses one row.
 */
export async function* readCsv(path: string, kind: FileKind): AsyncGenerator<SourceEvent> {
  let skipLines = 0;
  let rowOffset = 0;
  for (;;) {
    const parser = decodeInto(
      path,
      kind.encoding ?? 'utf-8',
      parse({
        delimiter: kind.delimiter,
        relax_column_count: true,
        relax_quotes: true,
        // Row and line numbers are counted here: csv-parse's per-record info objects cost more.
        skip_empty_lines: false,
        max_record_size: MAX_RECORD_CHARS,
      }),
      { lines: skipLines, lineBreak: kind.lineBreak },
    );
    let lastLines = 0;
    let lastRecords = 0;
    try {
      for await (const record of drainStream<string[]>(parser)) {
        lastLines += linesOf(record, kind.lineBreak);
        lastRecords++;
        yield { type: 'row', row: rowOffset + lastRecords, cells: record };
      }
      return;
    } catch (error) {
      const code = (error as CsvError).code;
      if (!recoverable.has(code)) throw error;
      const brokenRow = rowOffset + lastRecords + 1;
      yield {
        type: 'broken',
        row: brokenRow,
        reason:
          code === 'CSV_INVALID_CLOSING_QUOTE'
            ? '引号使用有误，本行无法读取 (malformed quotes: row skipped)'
            : '引号未闭合，本行无法读取，已从下一行继续 (unclosed quote: row skipped, reading resumed on the next line)',
        value: null,
      };
      skipLines += lastLines + 1;
      rowOffset = brokenRow;
    }
  }
}
