import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

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
