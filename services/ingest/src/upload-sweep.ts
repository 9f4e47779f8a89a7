import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Database, listImportFilesInUse } from '@jobcast/db';

const DAY_MS = 86_400_000;
/** Whatever the retention, a file this young may be an upload whose batch is not recorded yet. */
const MIN_AGE_MS = 60 * 60_000;
/** A failed import may be tried again by the queue within this (its backoff is seconds). */
const RETRY_WINDOW_S = 60 * 60;

export interface UploadRetention {
  /** The upload folder (data/uploads). */
  dir: string;
  /** How long an uploaded file is kept (JOBCAST_UPLOAD_RETENTION_DAYS). */
  retentionDays: number;
}

/**
 * Removes the uploaded files older than the retention (by their last change), except any an import
 * still needs: queued, running, or failed and perhaps about to be tried again. Partial uploads a
 * stopped API left behind go the same way. Returns how many files were removed.
 */
export async function sweepUploads(db: Database, retention: UploadRetention, now = Date.now()): Promise<number> {
  const names = await readdir(retention.dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (names.length === 0) return 0;
  const cutoff = now - Math.max(retention.retentionDays * DAY_MS, MIN_AGE_MS);
  const inUse = new Set((await listImportFilesInUse(db, RETRY_WINDOW_S)).map((file) => path.resolve(file)));
  let removed = 0;
  for (const name of names) {
    const file = path.resolve(retention.dir, name);
    if (inUse.has(file)) continue;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || info.mtimeMs >= cutoff) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}
