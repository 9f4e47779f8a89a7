import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { isJobcastError } from '@jobcast/core';
import { createImportBatch, getImportBatch } from '@jobcast/db';
import { Producer, queues } from '@jobcast/queue';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.ts';
import { refuseZipBomb, XLSX_LIMITS } from '../src/readers/zip-guard.ts';
import { startIngestWorker } from '../src/worker.ts';
import { freshSite, useImportFixture } from './helpers.ts';

const fixture = useImportFixture();
const MB = 1024 * 1024;

/**
 * An entry's data, deflated. `repeat` copies of `body` are one full-flushed deflate block each, so
 * hundreds of MB of XML cost a few hundred KB here and no time to make (a bomb's own trick).
 */
function deflated(head: string, body: Buffer, repeat: number, tail: string) {
  const piece = (data: Buffer) => deflateRawSync(data, { finishFlush: constants.Z_FULL_FLUSH });
  const bodyPiece = piece(body);
  const parts = [piece(Buffer.from(head)), ...new Array<Buffer>(repeat).fill(bodyPiece), piece(Buffer.from(tail))];
  let crc = crc32(head);
  for (let i = 0; i < repeat; i++) crc = crc32(body, crc);
  crc = crc32(tail, crc);
  // The final, empty block.
  parts.push(Buffer.from([0x03, 0x00]));
  return {
    data: Buffer.concat(parts),
    size: Buffer.byteLength(head) + body.length * repeat + Buffer.byteLength(tail),
    crc,
  };
}

interface ZipEntry {
  name: string;
  data: Buffer;
  size: number;
  crc: number;
  /** Sizes only in a data descriptor after the data (as a streaming writer makes them), zero in the header. */
  hideSizes?: boolean;
}

/** A zip as Excel or a streaming writer makes it: local headers and data, then the central directory. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.hideSizes ? 0x0808 : 0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.hideSizes ? 0 : entry.crc, 14);
    local.writeUInt32LE(entry.hideSizes ? 0 : entry.data.length, 18);
    local.writeUInt32LE(entry.hideSizes ? 0 : entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const parts = [local, name, entry.data];
    if (entry.hideSizes) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(entry.crc, 4);
      descriptor.writeUInt32LE(entry.data.length, 8);
      descriptor.writeUInt32LE(entry.size, 12);
      parts.push(descriptor);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.hideSizes ? 0x0808 : 0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    // A bomb that hides its size also lies in the directory.
    central.writeUInt32LE(entry.hideSizes ? 1024 : entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    const bytes = Buffer.concat(parts);
    locals.push(bytes);
    offset += bytes.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function small(name: string, text: string): ZipEntry {
  const data = Buffer.from(text);
  return { name, data: deflateRawSync(data), size: data.length, crc: crc32(data) };
}

const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts around a workbook's one sheet, so that ExcelJS would read it as a workbook. */
function workbookParts(): ZipEntry[] {
  return [
    small(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    small(
      'xl/workbook.xml',
      `<?xml version="1.0"?><workbook xmlns="${SHEET_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="岗位" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    small(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
  ];
}

/** A sheet whose one cell holds `mb` MB of text: 256 MB of XML from about 300 KB. */
function sheetBomb(mb: number, hideSizes = false): ZipEntry {
  const head = `<?xml version="1.0"?><worksheet xmlns="${SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`;
  const tail = '</t></is></c></row></sheetData></worksheet>';
  return { name: 'xl/worksheets/sheet1.xml', ...deflated(head, Buffer.alloc(MB, '岗'), mb, tail), hideSizes };
}

async function write(name: string, entries: ZipEntry[]): Promise<string> {
  const file = path.join(fixture.dir, name);
  await writeFile(file, zip(entries));
  return file;
}

describe('an XLSX decompression bomb', () => {
  it('fails at once with a clear message when its sheet inflates past 200 MB, and keeps the batch failed', async () => {
    const site = await freshSite(fixture.db);
    const file = await write('bomb.xlsx', [...workbookParts(), sheetBomb(256)]);
    const error = await importFile(fixture.db, file, { siteCode: site.code, displayName: '岗位表.xlsx' }).catch(
      (e: unknown) => e,
    );
    expect(isJobcastError(error) && error.code).toBe('UNREADABLE_FILE');
    expect((error as Error).message).toMatch(
      /^岗位表\.xlsx：Excel 文件解压后超过 200 MB（xl\/worksheets\/sheet1\.xml），远超正常岗位表，可能是恶意构造的“压缩炸弹”，已拒绝导入/,
    );
    const batches = await fixture.db.$client.query(
      'select status, error_message from import_batches where site_id = $1',
      [site.id],
    );
    expect(batches.rows).toEqual([{ status: 'failed', error_message: (error as Error).message }]);
  });

  it('is stopped while inflating when it hides its size, and its shared strings have a limit of their own', async () => {
    const site = await freshSite(fixture.db);
    const hidden = await write('hidden-bomb.xlsx', [...workbookParts(), sheetBomb(256, true)]);
    const sheetError = await importFile(fixture.db, hidden, { siteCode: site.code }).catch((e: unknown) => e);
    expect((sheetError as Error).message).toContain(
      'hidden-bomb.xlsx：Excel 文件解压后超过 200 MB（xl/worksheets/sheet1.xml）',
    );

    const strings = {
      name: 'xl/sharedStrings.xml',
      ...deflated(
        `<?xml version="1.0"?><sst xmlns="${SHEET_NS}"><si><t>`,
        Buffer.alloc(MB, 'a'),
        80,
        '</t></si></sst>',
      ),
      hideSizes: true,
    };
    const stringsBomb = await write('strings-bomb.xlsx', [...workbookParts(), strings]);
    const stringsError = await importFile(fixture.db, stringsBomb, { siteCode: site.code }).catch((e: unknown) => e);
    expect((stringsError as Error).message).toContain(
      'strings-bomb.xlsx：Excel 文件的共享字符串（xl/sharedStrings.xml）解压后超过 64 MB',
    );
  });

  it('fails its import job without retries: the queue holds nothing more to run', async () => {
    const site = await freshSite(fixture.db);
    const file = await write('queued-bomb.xlsx', [...workbookParts(), sheetBomb(256)]);
    const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-ingest-${randomBytes(4).toString('hex')}` };
    const lines: string[] = [];
    const worker = await startIngestWorker(fixture.db, connection, (line) => lines.push(line));
    const producer = new Producer(connection);
    try {
      const batch = await createImportBatch(fixture.db, { siteId: site.id, fileName: '岗位表.xlsx', storedPath: file });
      await producer.enqueue('import', { batchId: batch.id });
      const jobId = queues.import.jobId({ batchId: batch.id });
      const deadline = Date.now() + 60_000;
      while (!lines.some((line) => line.startsWith(`import job ${jobId} failed`)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const failed = await getImportBatch(fixture.db, batch.id);
      expect(failed).toMatchObject({ status: 'failed', errorCode: 'UNREADABLE_FILE' });
      expect(failed.errorMessage).toContain('压缩炸弹');
      // A job waiting for another attempt would still be there.
      expect(await producer.has('import', jobId)).toBe(false);
      expect(lines.filter((line) => line.startsWith(`import job ${jobId} failed`))).toHaveLength(1);
    } finally {
      await worker.close();
      await Promise.all(producer.allQueues().map((queue) => queue.obliterate({ force: true })));
      await producer.close();
    }
  });
});

/** An entry's local header and data alone, as zip() writes them (without a descriptor). */
function localOnly(entry: ZipEntry): Buffer {
  return zip([entry]).subarray(0, 30 + Buffer.byteLength(entry.name) + entry.data.length);
}

describe('the bomb guard reads as ExcelJS reads', () => {
  // A 4 MB sheet against a 1 MB limit: ExcelJS's unzipper inflates all of it in each of these files.
  const limits = { ...XLSX_LIMITS, totalBytes: MB };
  const refused = async (name: string, bytes: Buffer) => {
    const file = path.join(fixture.dir, name);
    await writeFile(file, bytes);
    const error = await refuseZipBomb(file, name, limits).catch((e: unknown) => e);
    expect(isJobcastError(error) && (error as Error).message).toContain(
      `${name}：Excel 文件解压后超过 1 MB（xl/worksheets/sheet1.xml）`,
    );
  };

  it('refuses a bomb after the central directory', async () => {
    const whole = zip(workbookParts());
    const end = whole.subarray(whole.length - 22);
    await refused(
      'after-directory.xlsx',
      Buffer.concat([whole.subarray(0, whole.length - 22), localOnly(sheetBomb(4)), end]),
    );
  });

  it('refuses a bomb that declares more data than the file holds', async () => {
    const bombLocal = Buffer.from(localOnly(sheetBomb(4)));
    bombLocal.writeUInt32LE(bombLocal.readUInt32LE(18) + MB, 18);
    const parts = workbookParts().map(localOnly);
    await refused('past-end.xlsx', Buffer.concat([...parts, bombLocal]));
  });

  it('refuses a bomb that hides its sizes and has no data descriptor', async () => {
    const parts = workbookParts().map(localOnly);
    await refused('no-descriptor.xlsx', Buffer.concat([...parts, localOnly(sheetBomb(4, true))]));
  });
});
