import type { Readable } from 'node:stream';
import { Wakeup } from '../wakeup.ts';

/** What a reader hands the importer, in file order. */
export type SourceEvent =
  /** Column names, when the format carries them outside the rows (JSON keys; the list only grows). */
  | { type: 'header'; cells: string[] }
  /** A row as the file numbers it: Excel's row number for CSV and XLSX, the 1-based position in JSON. */
  | { type: 'row'; row: number; cells: unknown[] }
  /** A record that could not be read at all (an unclosed quote, a JSON syntax error). */
  | { type: 'broken'; row: number; reason: string; value: string | null };

export interface TableSource {
  /** Events in file order, in batches: a CSV yields what one block of the file holds, saving a turn of the event loop a row. */
  events: AsyncGenerator<SourceEvent[]>;
  /** The sheet actually read (XLSX), known once reading has started. */
  readonly sheet: string | null;
}

/** A reader's events one at a time, as batches of one. */
export async function* oneByOne(events: AsyncGenerator<SourceEvent>): AsyncGenerator<SourceEvent[]> {
  for await (const event of events) yield [event];
}

/**
 * Iterates a stream's objects with backpressure. Unlike the stream's own async iterator, items the
 * stream produced before an error are all delivered first, and only then is the error thrown: a
 * parser that fails at the end of a file must not cost the rows it already read.
 */
export async function* drainStream<T>(stream: Readable, highWater = 1024): AsyncGenerator<T> {
  const buffer: T[] = [];
  let failure: unknown;
  let ended = false;
  const wakeup = new Wakeup();
  stream.on('data', (item: T) => {
    buffer.push(item);
    if (buffer.length >= highWater) stream.pause();
    wakeup.notify();
  });
  stream.on('error', (error) => {
    failure ??= error;
    wakeup.notify();
  });
  stream.on('end', () => {
    ended = true;
    wakeup.notify();
  });
  try {
    for (;;) {
      while (buffer.length > 0) yield buffer.shift() as T;
      if (failure !== undefined) throw failure;
      if (ended) return;
      if (stream.isPaused()) stream.resume();
      await wakeup.wait();
    }
  } finally {
    stream.destroy();
  }
}
