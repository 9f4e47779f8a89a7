import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { JobcastError } from '@jobcast/core';

/**
 * What an XLSX may inflate to. A job list of tens of thousands of rows is a few tens of MB of XML;
 * ExcelJS keeps the shared strings whole in a thread of 256 MB, and writes a sheet it reads before
 * them to a temporary file.
 */
export const XLSX_LIMITS = {
  totalBytes: 200 * 1024 * 1024,
  sharedStringsBytes: 64 * 1024 * 1024,
  entries: 10_000,
};

const LOCAL_HEADER = 0x04034b50;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const SHARED_STRINGS = 'xl/sharedStrings.xml';

/**
 * Refuses a decompression bomb before ExcelJS opens the file: a sheet or its shared strings that
 * inflate far past what a job list holds, from a few kilobytes. The entries are walked as ExcelJS's
 * zip reader (unzipper) walks them, local header after local header, and each is inflated once and
 * counted: a size the zip declares is checked first (an honest bomb costs nothing), and a false one
 * gains nothing. A zip that is merely broken is left for ExcelJS to report.
 */
export async function refuseZipBomb(
  path: string,
  displayName: string,
  limits: typeof XLSX_LIMITS = XLSX_LIMITS,
): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(30);
    let total = 0;
    let at = 0;
    for (let entries = 0; ; entries++) {
      const { bytesRead } = await handle.read(header, 0, 30, at);
      // The central directory (or something broken) follows the last entry.
      if (bytesRead < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) return;
      if (entries >= limits.entries)
        throw bomb(displayName, `里有超过 ${limits.entries} 个文件`, 'holds too many entries');
      const flags = header.readUInt16LE(6);
      const method = header.readUInt16LE(8);
      const compressed = header.readUInt32LE(18);
      const declared = header.readUInt32LE(22);
      const nameLength = header.readUInt16LE(26);
      const name = Buffer.alloc(nameLength);
      await handle.read(name, 0, nameLength, at + 30);
      const entry = name.toString('utf8');
      const dataStart = at + 30 + nameLength + header.readUInt16LE(28);
      const limit =
        entry === SHARED_STRINGS
          ? Math.min(limits.sharedStringsBytes, limits.totalBytes - total)
          : limits.totalBytes - total;
      const refuse = () =>
        entry === SHARED_STRINGS
          ? bomb(
              displayName,
              `的共享字符串（${entry}）解压后超过 ${mb(limits.sharedStringsBytes)}`,
              `${entry} inflates past ${mb(limits.sharedStringsBytes)}`,
            )
          : bomb(
              displayName,
              `解压后超过 ${mb(limits.totalBytes)}（${entry}）`,
              `inflates past ${mb(limits.totalBytes)} at ${entry}`,
            );
      // 0xFFFFFFFF: a size only zip64 can give, more than any upload inflates to.
      if (declared === 0xffffffff || compressed === 0xffffffff) throw refuse();
      // As unzipper reads: the declared compressed size if there is one, else up to the data descriptor.
      const sizeKnown = (flags & 0x08) === 0 || compressed > 0;
      const dataEnd = sizeKnown ? dataStart + compressed : await indexOf(path, DESCRIPTOR, dataStart, size);
      // Data past the end of the file: a truncated or broken zip, not a bomb.
      if (dataEnd < 0 || dataEnd > size) return;
      if (declared > limit) throw refuse();
      // unzipper inflates every entry whose method is not 0 (stored).
      const inflated = method === 0 ? dataEnd - dataStart : await inflatedBytes(path, dataStart, dataEnd, limit);
      if (inflated > limit) throw refuse();
      total += inflated;
      at = sizeKnown ? dataEnd : dataEnd + 16;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Bytes the deflated data in [start, end) of the file inflates to, counted as they come and stopped
 * once past `limit` (limit + 1 is then returned). A stream broken part-way counts what it gave.
 */
async function inflatedBytes(path: string, start: number, end: number, limit: number): Promise<number> {
  if (end <= start) return 0;
  let count = 0;
  const over = new Error('past the limit');
  try {
    await pipeline(createReadStream(path, { start, end: end - 1 }), createInflateRaw(), async (inflated) => {
      for await (const chunk of inflated as AsyncIterable<Buffer>) {
        count += chunk.length;
        if (count > limit) throw over;
      }
    });
  } catch (error) {
    if (error === over) return limit + 1;
    // Corrupt data: ExcelJS will say the file is broken.
  }
  return count;
}

/** Where `needle` first starts in the file at or after `from`; -1 if nowhere. */
async function indexOf(path: string, needle: Buffer, from: number, size: number): Promise<number> {
  if (from >= size) return -1;
  let offset = from;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { start: from, highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const found = window.indexOf(needle);
    if (found >= 0) return offset - carry.length + found;
    carry = window.subarray(Math.max(0, window.length - (needle.length - 1)));
    offset += chunk.length;
  }
  return -1;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function bomb(displayName: string, zh: string, en: string): JobcastError {
  return new JobcastError(
    'UNREADABLE_FILE',
    `${displayName}：Excel 文件${zh}，远超正常岗位表，可能是恶意构造的“压缩炸弹”，已拒绝导入，不会重试。` +
      `请确认文件来源；表格确实很大时请拆分成几个文件，或另存为 CSV 后再导入 ` +
      `(XLSX ${en}: refused as a possible decompression bomb, not retried)`,
    { reason: 'decompression-bomb' },
  );
}
