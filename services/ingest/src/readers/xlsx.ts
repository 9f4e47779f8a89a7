import { JobcastError } from '@jobcast/core';
import { oneByOne, type SourceEvent, type TableSource } from './events.ts';
import { refuseZipBomb } from './zip-guard.ts';

/**
 * Streams the first worksheet (or the one named) of an XLSX workbook, row by row; the workbook
 * is never loaded whole. Cells keep their types (numbers, dates, rich text) for the normalisers.
 */
export function readXlsx(path: string, displayName: string, sheetName?: string): TableSource {
  const source = { sheet: null as string | null, events: undefined as unknown as AsyncGenerator<SourceEvent[]> };
  source.events = oneByOne(
    (async function* (): AsyncGenerator<SourceEvent> {
      // A decompression bomb fails here, at once, before ExcelJS inflates a byte of it.
      await refuseZipBomb(path, displayName);
      // Loaded on first use: ExcelJS is large, and most imports are CSV.
      const { default: ExcelJS } = await import('exceljs');
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        styles: 'cache',
        worksheets: 'emit',
        entries: 'ignore',
      });
      const seen: string[] = [];
      let yielded = false;
      try {
        for await (const worksheet of reader) {
          const name = (worksheet as unknown as { name: string }).name;
          seen.push(name);
          if (sheetName !== undefined && name !== sheetName) {
            for await (const _row of worksheet) {
              // Rows of other sheets are read past: the zip is a single stream.
            }
            continue;
          }
          source.sheet = name;
          for await (const row of worksheet) {
            const values = row.values as unknown[];
            yielded = true;
            yield { type: 'row', row: row.number, cells: Array.from(values.slice(1)) };
          }
          return;
        }
      } catch (error) {
        if (error instanceof JobcastError) throw error;
        // ExcelJS's streaming reader loses the workbook part (which names the sheets) in some zips
        // whose sheets come before it: "Cannot read properties of undefined (reading 'sheets')".
        // The file is sound; nothing has been read from it yet, so it is read whole instead (it has
        // passed the size and bomb checks).
        if (!yielded && /reading 'sheets'/.test((error as Error).message)) {
          yield* readWhole(ExcelJS, path, sheetName, source, displayName);
          return;
        }
        throw new JobcastError('UNREADABLE_FILE', `${displayName}：Excel 文件已损坏或不完整，无法读取`);
      }
      if (sheetName !== undefined) {
        throw new JobcastError(
          'UNREADABLE_FILE',
          `${displayName}：没有名为“${sheetName}”的工作表，文件中的工作表有：${seen.join('、') || '（无）'}`,
        );
      }
      throw new JobcastError('UNREADABLE_FILE', `${displayName}：压缩包里没有工作表，不是 Excel 文件`);
    })(),
  );
  return source;
}

/** The whole-workbook reading of readXlsx, for the zips its streaming reader cannot follow. */
async function* readWhole(
  ExcelJS: typeof import('exceljs'),
  path: string,
  sheetName: string | undefined,
  source: { sheet: string | null },
  displayName: string,
): AsyncGenerator<SourceEvent> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch {
    throw new JobcastError('UNREADABLE_FILE', `${displayName}：Excel 文件已损坏或不完整，无法读取`);
  }
  const sheets = workbook.worksheets;
  const sheet = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!sheet) {
    if (sheetName === undefined) {
      throw new JobcastError('UNREADABLE_FILE', `${displayName}：压缩包里没有工作表，不是 Excel 文件`);
    }
    throw new JobcastError(
      'UNREADABLE_FILE',
      `${displayName}：没有名为“${sheetName}”的工作表，文件中的工作表有：${sheets.map((s) => s.name).join('、') || '（无）'}`,
    );
  }
  source.sheet = sheet.name;
  const rows: SourceEvent[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as unknown[];
    rows.push({ type: 'row', row: row.number, cells: Array.from(values.slice(1)) });
  });
  yield* rows;
}
