import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';
import { storageError } from '@jobcast/storage';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import { boundaryOf, type MultipartLimits, type PartSink, readMultipart, tooLarge } from './multipart.ts';

/** The only module that writes uploaded files: they wait in the upload folder for the ingest worker. */

export interface StoredUpload {
  /** Absolute path of the stored copy, named at random. */
  storedPath: string;
  /** The name the user knows the file by, cleaned for display; never used as a path. */
  displayName: string;
  bytes: number;
}

const MAX_DISPLAY_CHARS = 200;

/**
 * Keeps the last path segment (old browsers send C:\...\jobs.xlsx) and drops control and bidi
 * characters, which could make a list show a different name than the file has.
 */
export function displayFileName(original: string): string {
  const base = original.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, MAX_DISPLAY_CHARS);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned;
}

/** A short alphanumeric extension helps a person browsing the folder; anything else is dropped. */
function storedExtension(displayName: string): string {
  const extension = path.extname(displayName).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(extension) ? extension : '';
}

/**
 * Written under a temporary name, then renamed: the worker never sees a half-written file. A file
 * `receiveForm` already wrote into `uploadDir` is taken as it is, not copied.
 */
export async function storeUpload(uploadDir: string, file: File): Promise<StoredUpload> {
  const received = receivedFiles.get(file);
  if (received && path.dirname(received.stored.storedPath) === uploadDir) {
    received.claimed = true;
    return received.stored;
  }
  await mkdir(uploadDir, { recursive: true });
  const displayName = displayFileName(file.name);
  const id = randomUUID();
  const partialPath = path.join(uploadDir, `.${id}.part`);
  const storedPath = path.join(uploadDir, `${id}${storedExtension(displayName)}`);
  try {
    await writeFile(partialPath, file.stream(), { flag: 'wx', mode: 0o640 });
    await rename(partialPath, storedPath);
  } catch (error) {
    await rm(partialPath, { force: true });
    throw storageError(error, 'data', UPLOAD_AGAIN) ?? error;
  }
  return { storedPath, displayName, bytes: file.size };
}

/** What follows a storage fault's message to the uploader. */
const UPLOAD_AGAIN = '处理后请重新上传';

export async function discardUpload(storedPath: string): Promise<void> {
  await rm(storedPath, { force: true });
}

/** A text field of an upload form is a word or two (a kind, a sheet name): never a file in disguise. */
const MAX_FIELD_BYTES = 4096;

export interface ReceivedUpload {
  /** The form's text fields. */
  fields: Map<string, string>;
  /** The file of the file field, written into the caller's folder; null when the form had none. */
  file: StoredUpload | null;
}

/**
 * Reads a multipart upload as it arrives, for files too large to hold in memory: its text fields,
 * and the file of `fileField` written into `dir` (the caller's folder, which the caller removes).
 * `fileLimit` is asked as the file grows, with the fields read so far: a form that says "photo"
 * before its file is cut off at a photo's limit, not the largest. Other files are read and dropped.
 */
export async function receiveUpload(
  request: Request,
  options: {
    dir: string;
    fileField: string;
    limits: MultipartLimits;
    fileLimit?: (fields: ReadonlyMap<string, string>) => Pick<MultipartLimits, 'maxBytes' | 'what'> | null;
    /** Asked with the fields read so far before the file is written (a CSRF check): throws to refuse it. */
    beforeFile?: (fields: ReadonlyMap<string, string>) => void;
    /** A body that sends nothing for this long is cut off (`uploadSlotTiming.idleMs` by default). */
    idleMs?: number;
  },
): Promise<ReceivedUpload> {
  const boundary = boundaryOf(request.headers.get('content-type') ?? undefined);
  if (!boundary) {
    throw new JobcastError('BAD_INPUT', `请用 multipart/form-data 表单上传文件（字段 ${options.fileField}）`);
  }
  if (Number(request.headers.get('content-length') ?? 0) > options.limits.maxBytes) throw tooLarge(options.limits);
  const fields = new Map<string, string>();
  let file: StoredUpload | null = null;
  let handle: FileHandle | null = null;
  // Written under a temporary name and renamed once whole; removed, whatever its state, on failure.
  let partialPath: string | null = null;
  try {
    const body = idleLimited(request.body, options.idleMs ?? uploadSlotTiming.idleMs);
    await readMultipart(body, boundary, options.limits, async (part): Promise<PartSink> => {
      if (part.filename === null) return textField(part.name, fields);
      // A browser sends a file field left empty as a part with no file name and no bytes.
      if (part.name !== options.fileField || file || part.filename === '') {
        return { write: async () => {}, end: async () => {} };
      }
      options.beforeFile?.(fields);
      const displayName = displayFileName(part.filename);
      const id = randomUUID();
      const stored: StoredUpload = {
        storedPath: path.join(options.dir, `${id}${storedExtension(displayName)}`),
        displayName,
        bytes: 0,
      };
      file = stored;
      const partial = path.join(options.dir, `.${id}.part`);
      partialPath = partial;
      const output = await open(partial, 'wx', 0o640);
      handle = output;
      return {
        async write(data) {
          stored.bytes += data.length;
          const limit = options.fileLimit?.(fields);
          if (limit && stored.bytes > limit.maxBytes) throw tooLarge(limit);
          for (let done = 0; done < data.length; ) done += (await output.write(data, done)).bytesWritten;
        },
        async end() {
          handle = null;
          await output.close();
          await rename(partial, stored.storedPath);
          partialPath = null;
        },
      };
    });
  } catch (error) {
    await (handle as FileHandle | null)?.close().catch(() => undefined);
    handle = null;
    if (partialPath) await rm(partialPath, { force: true });
    if (file) await rm((file as StoredUpload).storedPath, { force: true });
    throw error;
  } finally {
    await (handle as FileHandle | null)?.close();
  }
  return { fields, file };
}

/**
 * How long an upload waits for one of the `uploadConcurrency` places before it is refused, what it
 * is then told to wait, and how long a body may send nothing before it is cut off and its place
 * freed (tests shorten the first and the last).
 */
export const uploadSlotTiming = { waitMs: 15_000, retryAfterS: 30, idleMs: 30_000 };

/** The body as it arrives, erroring (and cancelling the source) when no bytes come for `idleMs`. */
function idleLimited(body: ReadableStream<Uint8Array> | null, idleMs: number): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const seconds = Math.round(idleMs / 100) / 10;
          reject(new JobcastError('BAD_INPUT', `上传中断：${seconds} 秒内没有收到数据，请重新上传`));
        }, idleMs);
      });
      try {
        const { done, value } = await Promise.race([reader.read(), stalled]);
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        reader.cancel(error).catch(() => undefined);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** At most `limit` holders at once; the others wait in turn. */
class UploadGate {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** A release function, or null when no place came free within `waitMs`. */
  async acquire(waitMs: number): Promise<(() => void) | null> {
    if (this.held >= this.limit) {
      let turn: (() => void) | undefined;
      const granted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(turn as () => void), 1);
          resolve(false);
        }, waitMs);
        turn = () => {
          clearTimeout(timer);
          resolve(true);
        };
        this.waiting.push(turn);
      });
      if (!granted) return null;
    } else {
      this.held++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The place passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    };
  }
}

/** One gate per composed API (its services), so side-by-side instances do not share places. */
const gates = new WeakMap<object, UploadGate>();

/**
 * Runs `receive` (reading an upload's body) in one of the `uploadConcurrency` places: bodies are
 * written to disk as they arrive, and this bounds the disk writes and buffers at once. An upload
 * that finds no place within `uploadSlotTiming.waitMs` is refused with 503 and Retry-After.
 */
export async function withUploadSlot<T>(c: Context<AppEnv>, receive: () => Promise<T>): Promise<T> {
  const { services } = c.var;
  let gate = gates.get(services);
  if (!gate) {
    gate = new UploadGate(services.config.uploadConcurrency);
    gates.set(services, gate);
  }
  const release = await gate.acquire(uploadSlotTiming.waitMs);
  if (!release) {
    const wait = uploadSlotTiming.retryAfterS;
    c.header('Retry-After', String(wait));
    throw new JobcastError('UNAVAILABLE', `正在同时接收 ${gate.limit} 个上传，请 ${wait} 秒后再上传`);
  }
  try {
    return await receive();
  } finally {
    release();
  }
}

/** Room for the rest of a one-file form (the part headers, a field or two) above the file's own limit. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * An API upload of one file (the form field `file`) for the media store, read in one of the upload
 * places into a scratch folder of the store (the same disk: the file taken is moved, not copied):
 * at most `maxBytes`, refused with 413 past it as `what` (the form as a whole as `formWhat`), and
 * with `empty` when the form has no file or an empty one. `take` stores the file; the folder goes
 * whatever the outcome. A full disk is told as such, not as a failed write.
 */
export async function withUploadedFile<T>(
  c: Context<AppEnv>,
  options: { scratch: string; maxBytes: number; what: string; formWhat?: string; empty: string },
  take: (file: StoredUpload) => Promise<T>,
): Promise<T> {
  const { store } = c.var.services;
  const scratch = `${options.scratch}-${randomUUID()}`;
  try {
    const { file } = await withUploadSlot(c, async () => {
      try {
        return await receiveUpload(c.req.raw, {
          dir: await store.scratchDir(scratch),
          fileField: 'file',
          limits: {
            maxBytes: options.maxBytes + FORM_OVERHEAD_BYTES,
            maxParts: 4,
            what: options.formWhat ?? options.what,
          },
          fileLimit: () => ({ maxBytes: options.maxBytes, what: options.what }),
        });
      } catch (error) {
        throw storageError(error, 'media', UPLOAD_AGAIN) ?? error;
      }
    });
    if (!file || file.bytes === 0) {
      throw new JobcastError('BAD_INPUT', options.empty, { fields: [{ field: 'file', reason: 'required' }] });
    }
    return await take(file);
  } finally {
    await store.dropScratch(scratch);
  }
}

/** Files `receiveForm` wrote, by the File a route reads; `claimed` once `storeUpload` took one. */
const receivedFiles = new WeakMap<File, { stored: StoredUpload; claimed: boolean }>();

/**
 * A route's middleware in place of a body limit, for a multipart form with a file: the body is
 * read as it arrives (at most `maxBytes`, refused with 413 past it) and its file written into the
 * upload folder, in one of the upload places (`withUploadSlot`). The route's own form validator and
 * `parseBody` then see the form as usual, its file read from disk; a file no `storeUpload` took by
 * the end of the request is removed. A body that is not multipart goes to `otherwise`.
 */
export function receiveForm(options: {
  fileField: string;
  maxBytes: (config: Config) => number;
  what: string;
  /** The file's own limit, when it is less than the body's. */
  fileLimit?: { maxBytes: (config: Config) => number; what: string };
  /** Asked with the fields before the file (they come first in a browser's form): throws to refuse it. */
  beforeFile?: (c: Context<AppEnv>, fields: ReadonlyMap<string, string>) => void;
  otherwise: MiddlewareHandler<AppEnv>;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!boundaryOf(c.req.header('content-type'))) return options.otherwise(c, next);
    const { config } = c.var.services;
    const limits = { maxBytes: options.maxBytes(config), maxParts: 16, what: options.what };
    // Refused by its declared length before it waits for a place or is read.
    if (Number(c.req.header('content-length') ?? 0) > limits.maxBytes) throw tooLarge(limits);
    const fileLimit = options.fileLimit && {
      maxBytes: options.fileLimit.maxBytes(config),
      what: options.fileLimit.what,
    };
    const received = await withUploadSlot(c, async () => {
      try {
        await mkdir(config.uploadDir, { recursive: true });
        return await receiveUpload(c.req.raw, {
          dir: config.uploadDir,
          fileField: options.fileField,
          limits,
          fileLimit: fileLimit ? () => fileLimit : undefined,
          beforeFile: options.beforeFile && ((fields) => options.beforeFile?.(c, fields)),
        });
      } catch (error) {
        throw storageError(error, 'data', UPLOAD_AGAIN) ?? error;
      }
    });
    const form = new FormData();
    for (const [name, value] of received.fields) form.append(name, value);
    let entry: { stored: StoredUpload; claimed: boolean } | undefined;
    if (received.file) {
      const stored = received.file;
      const file = new File([await openAsBlob(stored.storedPath)], stored.displayName);
      entry = { stored, claimed: false };
      receivedFiles.set(file, entry);
      form.append(options.fileField, file);
    }
    // Where hono keeps a body it has read (a promise, whatever its type says).
    c.req.bodyCache.formData = Promise.resolve(form) as unknown as FormData;
    try {
      await next();
    } finally {
      if (entry && !entry.claimed) await discardUpload(entry.stored.storedPath);
    }
  };
}

function textField(name: string, fields: Map<string, string>): PartSink {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    async write(data) {
      size += data.length;
      if (size > MAX_FIELD_BYTES) {
        throw new JobcastError('BAD_INPUT', `表单字段 ${name} 太长`);
      }
      chunks.push(Buffer.from(data));
    },
    async end() {
      fields.set(name, Buffer.concat(chunks).toString('utf8'));
    },
  };
}
