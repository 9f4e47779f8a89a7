import { isJobcastError, JobcastError } from '@jobcast/core';

/**
 * Faults of the disk under a folder, as opposed to faults of the work: a full disk, a mount that is
 * gone, a failing or read-only disk. They pass once an operator acts, so they are retried minutes
 * apart and reported in words that say what to do, never as libvips' or ffmpeg's own text.
 */
export type StorageFault = 'full' | 'unavailable';

/** Which folder a fault is reported for. */
export type StorageFolder = 'media' | 'data';

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const UNAVAILABLE_CODES = new Set(['EIO', 'EROFS', 'EACCES', 'EPERM', 'ESTALE', 'ENODEV', 'ENXIO']);
/** What sharp (libvips) and ffmpeg print for the same errors: they report text, not an errno. */
const FULL_TEXT = /No space left on device|Disk quota exceeded/i;
const UNAVAILABLE_TEXT = /Input\/output error|Read-only file system|Stale file handle/i;

const FOLDERS: Record<StorageFolder, { name: string; setting: string }> = {
  media: { name: '媒体文件夹', setting: 'JOBCAST_MEDIA_DIR' },
  data: { name: '数据文件夹', setting: 'JOBCAST_DATA_DIR' },
};

/** The fault an error stands for, looking through its causes; null when it is not a storage fault. */
export function storageFaultOf(error: unknown): StorageFault | null {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    if (isJobcastError(at)) {
      const marked = at.details?.storageFault;
      if (marked === 'full' || marked === 'unavailable') return marked;
    }
    const code = (at as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return 'full';
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return 'unavailable';
    // Only a tool's own error is read for its words: a domain error may quote a user's text.
    const tool = at.name === 'Error' || at.name.startsWith('Ffmpeg');
    if (tool && FULL_TEXT.test(at.message)) return 'full';
    if (tool && UNAVAILABLE_TEXT.test(at.message)) return 'unavailable';
  }
  return null;
}

export function isStorageFault(error: unknown): boolean {
  return storageFaultOf(error) !== null;
}

/**
 * A storage fault as the error a person reads (UNAVAILABLE, the fault in `details.storageFault`);
 * null when `error` is no storage fault. `then` says what happens next ("会自动重试", "请重新上传").
 */
export function storageError(error: unknown, folder: StorageFolder, then: string): JobcastError | null {
  const fault = storageFaultOf(error);
  if (!fault) return null;
  // The store's own "not writable" names the folder: kept. A full disk is told with the caller's next step.
  if (fault === 'unavailable' && isJobcastError(error) && error.details?.storageFault === fault) return error;
  const where = FOLDERS[folder];
  const code = (error as NodeJS.ErrnoException).code ?? fault;
  const what =
    fault === 'full'
      ? `${where.name}空间不足：请删除不再需要的文件，或为${where.name}（${where.setting}）所在的磁盘扩容`
      : `${where.name}暂时无法读写（错误代码 ${code}）：请检查磁盘、挂载和文件夹权限（${where.setting}）`;
  return new JobcastError('UNAVAILABLE', then ? `${what}；${then}` : what, { storageFault: fault });
}
