import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { CsvSplitter, type SplitEvent } from './csv-splitter.ts';
import { iconvName } from './decode.ts';
import type { SourceEvent } from './events.ts';
import type { FileKind } from './sniff.ts';

/** A record longer than this is a quote that never closed swallowing the file, not a real cell. */
const MAX_RECORD_CHARS = 1 << 20;

const BROKEN_REASONS: Record<Extract<SplitEvent, { type: 'broken' }>['reason'], string> = {
  'malformed-quote': '引号使用有误，本行无法读取 (malformed quotes: row skipped)',
  'unclosed-quote':
    '引号未闭合，本行无法读取，已从下一行继续 (unclosed quote: row skipped, reading resumed on the next line)',
};

/**
 * Streams a CSV as rows numbered the way Excel shows them (the first record is row 1). A broken
 * record is reported and reading resumes on the line after it, so one bad quote loses one row.
 */
export async function* readCsv(path: string, kind: FileKind): AsyncGenerator<SourceEvent> {
  // iconv's decoder drops a byte-order mark.
  const decoder = iconv.getDecoder(iconvName[kind.encoding ?? 'utf-8']);
  const splitter = new CsvSplitter(kind.delimiter, kind.lineBreak, MAX_RECORD_CHARS);
  let row = 0;
  const out: SplitEvent[] = [];
  const input = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const bytes of input) {
      splitter.push(decoder.write(bytes as Buffer), out);
      for (const event of out) yield toSource(event, ++row);
      out.length = 0;
    }
    const tail = decoder.end();
    if (tail) splitter.push(tail, out);
    splitter.end(out);
    for (const event of out) yield toSource(event, ++row);
  } finally {
    input.destroy();
  }
}

function toSource(event: SplitEvent, row: number): SourceEvent {
  return event.type === 'record'
    ? { type: 'row', row, cells: event.cells }
    : { type: 'broken', row, reason: BROKEN_REASONS[event.reason], value: null };
}
