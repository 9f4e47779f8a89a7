import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import type { Duplex, Readable, Writable } from 'node:stream';
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

const SHARED_STRINGS = 'xl/sharedStrings.xml';

/** An entry as unzipper's Parse stream gives it: its inflated data, as it comes. */
type ZipEntryStream = Readable & { path: string; vars: { uncompressedSize: number } };
type ZipParse = (options: { forceStream: boolean }) => Duplex;

/** The very zip parser ExcelJS's WorkbookReader reads with (its own unzipper), loaded on first use. */
function zipParser(): ZipParse {
  const fromExcelJs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
  return (fromExcelJs('unzipper') as { Parse: ZipParse }).Parse;
}

/**
 * Refuses a decompression bomb before ExcelJS opens the file: a sheet or its shared strings that
 * inflate far past what a job list holds, from a few kilobytes. The file is read with the zip
 * parser ExcelJS reads it with (unzipper's Parse stream), so the guard inflates exactly what ExcelJS
 * would, entry by entry, and stops once a limit is passed: past a central directory, past the end
 * of the file, or up to it when a size is hidden. A size the zip declares is checked first (an honest
 * bomb costs nothing). A zip that is merely broken is left for ExcelJS to report.
 */
export async function refuseZipBomb(
  path: string,
  displayName: string,
  limits: typeof XLSX_LIMITS = XLSX_LIMITS,
): Promise<void> {
  const Parse = zipParser();
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(path);
    const zip = Parse({ forceStream: true });
    let total = 0;
    let entries = 0;
    let done = false;
    let current: { entry: ZipEntryStream; inflater?: Writable } | undefined;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      input.destroy();
      zip.destroy();
      current?.inflater?.destroy();
      current?.entry.destroy();
      if (error) reject(error);
      else resolve();
    };
    // unzipper stops with an error on a broken zip (also once ended: kept so a late one is no crash).
    const stopped = () => {
      // Data it had read still inflates after: counted before finishing.
      const inflater = current?.inflater as (Writable & { flush?: (done: () => void) => void }) | undefined;
      if (!done && inflater?.flush && !inflater.destroyed) inflater.flush(() => setImmediate(() => finish()));
      else finish();
    };
    zip.on('error', stopped);
    input.on('error', (error) => finish(error));
    zip.on('data', (entry: ZipEntryStream) => {
      if (done) return;
      entries++;
      if (entries > limits.entries) return finish(bomb(displayName, `里有超过 ${limits.entries} 个文件`));
      const name = entry.path;
      const limit =
        name === SHARED_STRINGS
          ? Math.min(limits.sharedStringsBytes, limits.totalBytes - total)
          : limits.totalBytes - total;
      const refuse = () =>
        name === SHARED_STRINGS
          ? bomb(displayName, `的共享字符串（${name}）解压后超过 ${mb(limits.sharedStringsBytes)}`)
          : bomb(displayName, `解压后超过 ${mb(limits.totalBytes)}（${name}）`);
      // 0xFFFFFFFF (zip64 without its sizes) is past any limit too.
      if (entry.vars.uncompressedSize > limit) return finish(refuse());
      const opened = { entry } as { entry: ZipEntryStream; inflater?: Writable };
      current = opened;
      // unzipper pipes the inflater into the entry right after handing the entry out.
      entry.once('pipe', (inflater: Writable) => {
        opened.inflater = inflater;
      });
      let count = 0;
      entry.on('data', (chunk: Buffer) => {
        count += chunk.length;
        total += chunk.length;
        if (count > limit) finish(refuse());
      });
    });
    // The end of central directory read; unzipper emits 'end' on its own when the input is used up.
    zip.on('end', stopped);
    input.pipe(zip);
  });
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function bomb(displayName: string, what: string): JobcastError {
  return new JobcastError(
    'UNREADABLE_FILE',
    `${displayName}：Excel 文件${what}，远超正常岗位表，可能是恶意构造的“压缩炸弹”，已拒绝导入，不会重试。` +
      '请确认文件来源；表格确实很大时请拆分成几个文件，或另存为 CSV 后再导入',
    { reason: 'decompression-bomb' },
  );
}
