import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JobcastError } from '@jobcast/core';
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

/** Written under a temporary name, then renamed: the worker never sees a half-written file. */
export async function storeUpload(uploadDir: string, file: File): Promise<StoredUpload> {
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
    throw error;
  }
  return { storedPath, displayName, bytes: file.size };
}

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
  },
): Promise<ReceivedUpload> {
  const boundary = boundaryOf(request.headers.get('content-type') ?? undefined);
  if (!boundary) {
    throw new JobcastError(
      'BAD_INPUT',
      `请用 multipart/form-data 表单上传文件（字段 ${options.fileField}）(send the file as multipart/form-data)`,
    );
  }
  if (Number(request.headers.get('content-length') ?? 0) > options.limits.maxBytes) throw tooLarge(options.limits);
  const fields = new Map<string, string>();
  let file: StoredUpload | null = null;
  let handle: FileHandle | null = null;
  try {
    await readMultipart(request.body, boundary, options.limits, async (part): Promise<PartSink> => {
      if (part.filename === null) return textField(part.name, fields);
      if (part.name !== options.fileField || file) return { write: async () => {}, end: async () => {} };
      const displayName = displayFileName(part.filename);
      const stored: StoredUpload = {
        storedPath: path.join(options.dir, `${randomUUID()}${storedExtension(displayName)}`),
        displayName,
        bytes: 0,
      };
      file = stored;
      const output = await open(stored.storedPath, 'wx', 0o640);
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
        },
      };
    });
  } finally {
    await (handle as FileHandle | null)?.close();
  }
  return { fields, file };
}

function textField(name: string, fields: Map<string, string>): PartSink {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    async write(data) {
      size += data.length;
      if (size > MAX_FIELD_BYTES) {
        throw new JobcastError('BAD_INPUT', `表单字段 ${name} 太长 (field ${name} exceeds ${MAX_FIELD_BYTES} bytes)`);
      }
      chunks.push(Buffer.from(data));
    },
    async end() {
      fields.set(name, Buffer.concat(chunks).toString('utf8'));
    },
  };
}
