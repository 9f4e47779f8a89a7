import { readCsv } from './csv.ts';
import { oneByOne, type TableSource } from './events.ts';
import { readJson } from './json.ts';
import type { FileKind } from './sniff.ts';
import { readXlsx } from './xlsx.ts';

export type { SourceEvent, TableSource } from './events.ts';
export { type FileKind, sniffFile, type TextEncoding } from './sniff.ts';

export function openTable(path: string, displayName: string, kind: FileKind, sheet?: string): TableSource {
  switch (kind.format) {
    case 'xlsx':
      return readXlsx(path, displayName, sheet);
    case 'json':
      return { sheet: null, events: oneByOne(readJson(path, kind)) };
    case 'csv':
      return { sheet: null, events: readCsv(path, kind) };
  }
}
