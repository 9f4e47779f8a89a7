import { createReadStream } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import type { TextEncoding } from './sniff.ts';

const iconvName: Record<TextEncoding, string> = {
  'utf-8': 'utf8',
  'utf-8-bom': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  // GB18030 is a superset of GBK: decoding GBK bytes with it is exact, and it also covers 4-byte characters.
  gbk: 'gb18030',
  gb18030: 'gb18030',
};

/**
 * The file as decoded text, piped into `sink`; a BOM is dropped. Any stage failing (a read error,
 * a decoder error) destroys the sink with that error, so its reader sees it.
 */
export function decodeInto<T extends NodeJS.WritableStream & NodeJS.ReadableStream>(
  path: string,
  encoding: TextEncoding,
  sink: T,
  skip: { lines: number; lineBreak: string } = { lines: 0, lineBreak: '\n' },
): T {
  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream)[] = [
    createReadStream(path, { highWaterMark: 1 << 16 }),
    iconv.decodeStream(iconvName[encoding]),
  ];
  if (skip.lines > 0) stages.push(new SkipLines(skip.lines, skip.lineBreak));
  stages.push(sink);
  pipeline(stages, () => undefined);
  return sink;
}

/** Drops the first N lines of a text stream (used to resume a CSV after a broken record). */
class SkipLines extends Transform {
  private remaining: number;
  private readonly lineBreak: string;

  constructor(lines: number, lineBreak: string) {
    super({ decodeStrings: false, encoding: 'utf8' });
    this.remaining = lines;
    this.lineBreak = lineBreak;
  }

  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    while (this.remaining > 0) {
      const newline = text.indexOf(this.lineBreak);
      if (newline === -1) {
        callback();
        return;
      }
      text = text.slice(newline + 1);
      this.remaining--;
    }
    callback(null, text);
  }
}
