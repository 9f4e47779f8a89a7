import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { CsvSplitter, type SplitEvent } from './csv-splitter.ts';
import { iconvName } from './decode.ts';
import type { SourceEvent } from './events.ts';
import type { FileKind, TextEncoding } from './sniff.ts';

/** A record longer than this is a quote that never closed swallowing the file, not a real cell. */
const MAX_RECORD_CHARS = 1 << 20;

const BROKEN_REASONS: Record<Extract<SplitEvent, { type: 'broken' }>['reason'], string> = {
  'malformed-quote': '引号使用有误，本行无法读取',
  'unclosed-quote': '引号未闭合，本行无法读取，已从下一行继续',
  'too-long': `本行超过长度上限（${MAX_RECORD_CHARS} 个字符），无法读取，已从下一行继续`,
};

/**
 * Streams a CSV as rows numbered the way Excel shows them (the first record is row 1). A broken
 * record is reported and reading resumes on the line after it, so one bad quote loses one row.
 */
export async function* readCsv(path: string, kind: FileKind): AsyncGenerator<SourceEvent[]> {
  const decoder = textDecoder(kind.encoding ?? 'utf-8');
  const splitter = new CsvSplitter(kind.delimiter, kind.lineBreak, MAX_RECORD_CHARS);
  let row = 0;
  const out: SplitEvent[] = [];
  const input = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const bytes of input) {
      splitter.push(decoder.write(bytes as Buffer), out);
      if (out.length > 0) yield out.map((event) => toSource(event, ++row));
      out.length = 0;
    }
    const tail = decoder.end();
    if (tail) splitter.push(tail, out);
    splitter.end(out);
    if (out.length > 0) yield out.map((event) => toSource(event, ++row));
  } finally {
    input.destroy();
  }
}

const whatwgName: Record<TextEncoding, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  gbk: 'gb18030',
  gb18030: 'gb18030',
};

/**
 * A streaming decoder that drops a byte-order mark. Node's own (ICU) decoder where it knows the
 * encoding: it decodes GBK three times faster than iconv-lite (measured: 46 ms against 130 ms for
 * the benchmark's 15 MB file), with the same text.
 */
function textDecoder(encoding: TextEncoding): { write(bytes: Buffer): string; end(): string | undefined } {
  try {
    const native = new TextDecoder(whatwgName[encoding]);
    return { write: (bytes) => native.decode(bytes, { stream: true }), end: () => native.decode() };
  } catch {
    // A Node.js built without full ICU knows only Unicode encodings natively.
    return iconv.getDecoder(iconvName[encoding]);
  }
}

function toSource(event: SplitEvent, row: number): SourceEvent {
  return event.type === 'record'
    ? { type: 'row', row, cells: event.cells }
    : { type: 'broken', row, reason: BROKEN_REASONS[event.reason], value: null };
}
