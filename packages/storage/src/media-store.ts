import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { access, constants, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JobcastError } from '@jobcast/core';
import { storageError } from './faults.ts';

/** A finished file in the store. */
export interface StoredMedia {
  key: string;
  bytes: number;
  modifiedAt: Date;
}

/**
 * Where rendered media lives. The only code that knows where files are: everything else names them
 * by key (`renders/42/video.mp4`). A file becomes visible under its key only once it is complete.
 */
export interface MediaStore {
  /**
   * Stores a file that `produce` writes to the temporary path it is given (ffmpeg, sharp and the
   * PDF writer all want a path). If `produce` fails, nothing appears under the key.
   */
  write(key: string, produce: (tempPath: string) => Promise<void>): Promise<StoredMedia>;
  writeBuffer(key: string, data: Uint8Array): Promise<StoredMedia>;
  /**
   * Where a file that grows for hours (a live recording) is written as it arrives; its folder is
   * made. It sits beside its key, not among the temporary files, so what a killed writer left is
   * never swept away: `commitGrowing` publishes it under the key, now or after a restart.
   */
  growingPath(key: string): Promise<string>;
  /** Publishes what was written at growingPath(key) under the key; nothing written there is no error. */
  commitGrowing(key: string): Promise<void>;
  stat(key: string): Promise<StoredMedia | null>;
  /** Reads a stored file, or the byte range [start, end] of it (both inclusive, as in HTTP). */
  read(key: string, range?: { start: number; end: number }): ReadStream;
  /** A path on this machine for tools that read files by path (ffprobe, pdffonts). */
  localPath(key: string): string;
  remove(key: string): Promise<void>;
  /**
   * An empty folder on this machine for one piece of work's intermediate files (a video's stills),
   * named so that another attempt at the same work gets the same folder, emptied. Never visible
   * under a key; remove it with `dropScratch`.
   */
  scratchDir(name: string): Promise<string>;
  /** Where scratchDir(name) is, without emptying it (to look at what an earlier attempt left). */
  scratchPath(name: string): string;
  dropScratch(name: string): Promise<void>;
  /**
   * Removes temporary files and scratch folders untouched for `olderThanMs`: what a killed process
   * left (its own retry on this machine clears its folder; nothing else would). Returns how many.
   */
  sweepTemporary(olderThanMs: number): Promise<number>;
}

// Lowercase names, digits, dots, dashes and underscores, in folders. Every part starts with a letter
// or digit, so "..", "." and an empty part (a leading or doubled slash) cannot appear.
const KEY_RE = /^(?:[a-z0-9][a-z0-9._-]*\/)*[a-z0-9][a-z0-9._-]*$/;

/** What a growing file is named until it is published under its key (`live/7/segment-001.flv.part`). */
const GROWING = '.part';

export function isMediaKey(key: string): boolean {
  return KEY_RE.test(key);
}

/** A folder on this machine (JOBCAST_MEDIA_DIR). Temporary files sit in its `.tmp/`, on the same disk, so a rename publishes them. */
export class LocalMediaStore implements MediaStore {
  private readonly tempDir: string;

  constructor(private readonly root: string) {
    this.tempDir = path.join(root, '.tmp');
  }

  async write(key: string, produce: (tempPath: string) => Promise<void>): Promise<StoredMedia> {
    const target = this.localPath(key);
    await this.ensureWritable(this.tempDir);
    const created = await this.ensureWritable(path.dirname(target));
    const temp = path.join(this.tempDir, `${randomBytes(8).toString('hex')}-${path.basename(target)}`);
    try {
      await produce(temp);
      const written = await stat(temp).catch(() => null);
      if (!written?.isFile()) {
        throw new JobcastError('INTERNAL', `没有写出文件 ${key}`);
      }
      await rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
        // The folder was emptied and removed meanwhile (the last file of it removed): made again.
        if (error.code !== 'ENOENT') throw error;
        await mkdir(path.dirname(target), { recursive: true });
        await rename(temp, target);
      });
    } catch (error) {
      await rm(temp, { force: true });
      // A folder made for this file alone is not left behind empty.
      if (created) await this.pruneEmpty(path.dirname(target));
      throw error;
    }
    return (await this.stat(key)) as StoredMedia;
  }

  writeBuffer(key: string, data: Uint8Array): Promise<StoredMedia> {
    return this.write(key, (temp) => writeFile(temp, data));
  }

  async growingPath(key: string): Promise<string> {
    const target = this.localPath(key);
    await this.ensureWritable(path.dirname(target));
    return `${target}${GROWING}`;
  }

  async commitGrowing(key: string): Promise<void> {
    const target = this.localPath(key);
    await rename(`${target}${GROWING}`, target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async stat(key: string): Promise<StoredMedia | null> {
    const info = await stat(this.localPath(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    return info?.isFile() ? { key, bytes: info.size, modifiedAt: info.mtime } : null;
  }

  read(key: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.localPath(key), range ? { start: range.start, end: range.end } : {});
  }

  localPath(key: string): string {
    if (!isMediaKey(key)) throw new JobcastError('BAD_INPUT', `不是有效的媒体文件名：${key}`);
    return path.join(this.root, ...key.split('/'));
  }

  async remove(key: string): Promise<void> {
    const file = this.localPath(key);
    await rm(file, { force: true });
    await this.pruneEmpty(path.dirname(file));
  }

  async scratchDir(name: string): Promise<string> {
    const dir = this.scratchPath(name);
    await this.ensureWritable(this.tempDir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async dropScratch(name: string): Promise<void> {
    await rm(this.scratchPath(name), { recursive: true, force: true });
  }

  async sweepTemporary(olderThanMs: number): Promise<number> {
    const entries = await readdir(this.tempDir).catch(() => []);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const entry of entries) {
      const full = path.join(this.tempDir, entry);
      const info = await stat(full).catch(() => null);
      if (!info || info.mtimeMs >= cutoff) continue;
      await rm(full, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Where scratchDir(name) is, without touching it. */
  scratchPath(name: string): string {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
      throw new JobcastError('BAD_INPUT', `不是有效的临时文件夹名：${name}`);
    }
    return path.join(this.tempDir, `work-${name}`);
  }

  /**
   * Creates the folder if need be and fails, naming it, when this process cannot write there (a
   * storage fault: retried minutes apart). Returns the first folder it created, if any.
   */
  private async ensureWritable(dir: string): Promise<string | undefined> {
    try {
      const created = await mkdir(dir, { recursive: true });
      await access(dir, constants.W_OK);
      return created;
    } catch (error) {
      const full = storageError(error, 'media', '空间腾出后再试');
      if (full?.details?.storageFault === 'full') throw full;
      throw new JobcastError(
        'UNAVAILABLE',
        `媒体文件夹不可写：${dir}（${(error as NodeJS.ErrnoException).code ?? (error as Error).message}），请检查 JOBCAST_MEDIA_DIR 和文件夹权限`,
        { storageFault: 'unavailable' },
      );
    }
  }

  /** Removes `dir` and then its parents while they are empty, up to the store's root (kept). */
  private async pruneEmpty(dir: string): Promise<void> {
    const root = path.join(this.root, '.');
    for (let at = dir; at.startsWith(root + path.sep) && at !== this.tempDir; at = path.dirname(at)) {
      try {
        await rmdir(at);
      } catch {
        return; // not empty (another file arrived), or already gone
      }
    }
  }
}
