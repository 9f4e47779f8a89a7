import { Worker } from 'node:worker_threads';
import { type ErrorCode, JobcastError } from '@jobcast/core';
import type { PreparedJob } from '@jobcast/db/job-records';
import type { ParsedChunk, ParseInput } from './table-parser.ts';
import { Wakeup } from './wakeup.ts';

/**
 * Rows the thread sends at a time. Far fewer than a chunk: a row's strings then leave the thread soon
 * after they are made, instead of surviving its garbage collections until a whole chunk is full.
 */
const PIECE_ROWS = 250;
/** Pieces the thread may have parsed ahead of the writer: enough to keep both busy, few enough to bound memory. */
export const PIECES_AHEAD = 12;
/**
 * The parsing thread's heap bound, the jobcast command's own: a CSV needs a few pieces' worth
 * whatever its size, but ExcelJS keeps an XLSX's shared strings for the whole sheet.
 */
const THREAD_HEAP_MB = 256;

/** What the parsing thread tells the importer. */
export type ThreadMessage =
  | { type: 'chunk'; chunk: PackedChunk }
  | { type: 'done'; sheet: string | null }
  | { type: 'error'; code: string | null; message: string; stack: string | undefined };

/**
 * parseTable run on a thread of its own: reading, decoding and normalising a file take most of an
 * import's time in JavaScript, and the thread does them while this one writes the chunks before
 * (measured in bench/ingest). Yields the same chunks, in order, with the same errors; returning
 * early (a failed write) stops the thread.
 */
export async function* parseTableInThread(input: ParseInput): AsyncGenerator<ParsedChunk, string | null> {
  // Pieces of equal size that add up to the chunk size the writer wants.
  const piecesPerChunk = Math.ceil(input.chunkRows / PIECE_ROWS);
  const pieceRows = Math.ceil(input.chunkRows / piecesPerChunk);
  const worker = new Worker(new URL('./parse-thread-boot.js', import.meta.url), {
    workerData: { ...input, chunkRows: pieceRows } satisfies ParseInput,
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
  });
  const inbox: ThreadMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  const wakeup = new Wakeup();
  worker.on('message', (message: ThreadMessage) => {
    inbox.push(message);
    wakeup.notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    wakeup.notify();
  });
  worker.on('exit', () => {
    exited = true;
    wakeup.notify();
  });
  let chunk: ParsedChunk | undefined;
  try {
    for (;;) {
      const message = inbox.shift();
      if (message?.type === 'chunk') {
        worker.postMessage('more');
        chunk = chunk ? merge(chunk, unpack(message.chunk)) : unpack(message.chunk);
        if (chunk.rows >= input.chunkRows) {
          yield chunk;
          chunk = undefined;
        }
      } else if (message?.type === 'done') {
        if (chunk) yield chunk;
        return message.sheet;
      } else if (message?.type === 'error') {
        throw revive(message);
      } else if (failure) {
        throw failure;
      } else if (exited) {
        throw new Error('解析线程意外退出，文件未读完');
      } else {
        await wakeup.wait();
      }
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * A piece as it crosses between threads: its jobs column by column. Copying an array of objects
 * between threads also copies every object's property names; arrays of strings copy only the strings.
 */
export interface PackedChunk extends Omit<ParsedChunk, 'jobs'> {
  jobs: { [K in keyof PreparedJob]: PreparedJob[K][] };
}

export function pack(chunk: ParsedChunk): PackedChunk {
  const jobs: PackedChunk['jobs'] = {
    rowNumber: [],
    employerKey: [],
    employerName: [],
    fingerprint: [],
    contentHash: [],
    copyFields: [],
  };
  for (const job of chunk.jobs) {
    jobs.rowNumber.push(job.rowNumber);
    jobs.employerKey.push(job.employerKey);
    jobs.employerName.push(job.employerName);
    jobs.fingerprint.push(job.fingerprint);
    jobs.contentHash.push(job.contentHash);
    jobs.copyFields.push(job.copyFields);
  }
  return { ...chunk, jobs };
}

function unpack(packed: PackedChunk): ParsedChunk {
  const { jobs } = packed;
  const unpacked: PreparedJob[] = new Array(jobs.rowNumber.length);
  for (let i = 0; i < unpacked.length; i++) {
    unpacked[i] = {
      rowNumber: jobs.rowNumber[i] as number,
      employerKey: jobs.employerKey[i] as string,
      employerName: jobs.employerName[i] as string,
      fingerprint: jobs.fingerprint[i] as string,
      contentHash: jobs.contentHash[i] as string,
      copyFields: jobs.copyFields[i] as string,
    };
  }
  return { ...packed, jobs: unpacked };
}

function merge(into: ParsedChunk, piece: ParsedChunk): ParsedChunk {
  for (const job of piece.jobs) into.jobs.push(job);
  for (const reject of piece.rejects) into.rejects.push(reject);
  for (const sample of piece.warningSamples) into.warningSamples.push(sample);
  into.columns = piece.columns ?? into.columns;
  into.rows += piece.rows;
  into.warnings += piece.warnings;
  return into;
}

function revive(message: Extract<ThreadMessage, { type: 'error' }>): Error {
  const error =
    message.code === null ? new Error(message.message) : new JobcastError(message.code as ErrorCode, message.message);
  if (message.stack) error.stack = message.stack;
  return error;
}
