import StreamArray from 'stream-json/streamers/StreamArray.js';
import { decodeInto } from './decode.ts';
import { drainStream, type SourceEvent } from './events.ts';
import type { FileKind } from './sniff.ts';

/** Streams a JSON array of job objects; keys become the header, in the order first seen. */
export async function* readJson(path: string, kind: FileKind): AsyncGenerator<SourceEvent> {
  const stream = decodeInto(path, kind.encoding ?? 'utf-8', StreamArray.withParser());
  const columns = new Map<string, number>();
  const header: string[] = [];
  let position = 0;
  try {
    for await (const { key, value } of drainStream<{ key: number; value: unknown }>(stream)) {
      position = key + 1;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { type: 'broken', row: position, reason: '不是岗位对象', value: JSON.stringify(value) };
        continue;
      }
      const cells: unknown[] = [];
      let grew = false;
      for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
        const name = columnName(key);
        let index = columns.get(name);
        if (index === undefined) {
          index = header.length;
          columns.set(name, index);
          header.push(name);
          grew = true;
        }
        cells[index] = flatten(cell);
      }
      if (grew) yield { type: 'header', cells: [...header] };
      yield { type: 'row', row: position, cells };
    }
  } catch {
    yield {
      type: 'broken',
      row: position + 1,
      reason: 'JSON 格式错误，此处及之后的内容无法读取',
      value: null,
    };
  }
}

/**
 * A key as a column name: NUL dropped and a lone surrogate replaced, as in a value. PostgreSQL keeps
 * neither, and the header is stored with the batch: one such key would fail the whole file.
 */
function columnName(key: string): string {
  const withoutNul = key.includes('\u0000') ? key.replaceAll('\u0000', '') : key;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

function flatten(cell: unknown): unknown {
  if (Array.isArray(cell))
    return cell.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join('、');
  if (cell !== null && typeof cell === 'object') return JSON.stringify(cell);
  return cell;
}
