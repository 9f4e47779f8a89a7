import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import iconv from 'iconv-lite';
import type { TextEncoding } from './sniff.ts';

export const iconvName: Record<TextEncoding, string> = {
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
): T {
  pipeline(
    [createReadStream(path, { highWaterMark: 1 << 16 }), iconv.decodeStream(iconvName[encoding]), sink],
    () => undefined,
  );
  return sink;
}
