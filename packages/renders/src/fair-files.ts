/**
 * A job fair's files on their way into the media store (issue 14): a photo is checked to be one (the
 * media intake's reading), turned upright, brought down to 2560 px on its long side and re-encoded as
 * a JPEG without its metadata, so the place and time a phone wrote into it (EXIF, GPS) are not kept;
 * a plan or summary is a PDF or Word file of at most 20 MB. The database rows are the caller's.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, open, rename, stat } from 'node:fs/promises';
import { formatBytes, JobcastError } from '@jobcast/core';
import { fairPhotoThumbKey } from '@jobcast/db';
import { type MediaStore, storageError } from '@jobcast/storage';
import { inspectMedia, MEDIA_LIMITS } from './media-intake.ts';

const MB = 1024 * 1024;

export const FAIR_FILE_LIMITS = {
  /** What a photo may weigh as uploaded (the media intake's photo limit). */
  photoMaxBytes: MEDIA_LIMITS.photo.maxBytes,
  /** The stored photo's long side at most. */
  photoLongSide: 2560,
  /** The list's thumbnail's long side at most. */
  thumbLongSide: 480,
  documentMaxBytes: 20 * MB,
} as const;

export interface StoredFairPhoto {
  storageKey: string;
  width: number;
  height: number;
  bytes: number;
}

/** What follows a storage fault's message to the uploader. */
const STORAGE_THEN = '处理后请重新上传';

async function loadSharp() {
  return (await import('sharp')).default;
}

/**
 * Checks `file` is a photo (JPEG, PNG or WebP; refused naming the file otherwise), and stores it as
 * `fairs/<site>/<fair>/<uuid>.jpg` with a thumbnail beside it (`…-thumb.jpg`): upright, at most
 * 2560 px on its long side, re-encoded without metadata. A refused file leaves nothing in the store.
 */
export async function storeFairPhoto(
  store: MediaStore,
  input: { siteId: number; fairId: number; file: string; displayName: string },
): Promise<StoredFairPhoto> {
  await inspectMedia('photo', input.file, input.displayName);
  const sharp = await loadSharp();
  const key = `fairs/${input.siteId}/${input.fairId}/${randomUUID()}.jpg`;
  const thumbKey = fairPhotoThumbKey(key);
  const refusedPicture = () =>
    new JobcastError(
      'UNREADABLE_FILE',
      `「${input.displayName}」的画面读不出来，文件可能损坏或没有传完：请重新导出或上传`,
      { reason: 'corrupt' },
    );
  const encode = (long: number, quality: number) => (temp: string) =>
    sharp(input.file, { limitInputPixels: MEDIA_LIMITS.photo.maxPixels })
      // Turned as the camera held it, then the orientation tag goes with the rest of the metadata
      // (sharp keeps none unless asked): no EXIF, GPS, XMP or maker notes are written.
      .rotate()
      .resize({ width: long, height: long, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toFile(temp)
      .then(() => undefined)
      .catch((error: unknown) => {
        if (error instanceof JobcastError) throw error;
        throw storageError(error, 'media', STORAGE_THEN) ?? refusedPicture();
      });
  try {
    const stored = await store.write(key, encode(FAIR_FILE_LIMITS.photoLongSide, 85));
    await store.write(thumbKey, encode(FAIR_FILE_LIMITS.thumbLongSide, 75));
    const meta = await sharp(store.localPath(key)).metadata();
    return { storageKey: key, width: meta.width ?? 0, height: meta.height ?? 0, bytes: stored.bytes };
  } catch (error) {
    await discardFairPhoto(store, key);
    throw error;
  }
}

/** Removes a stored fair photo and its thumbnail (a photo whose row could not be written, or was deleted). */
export async function discardFairPhoto(store: MediaStore, storageKey: string): Promise<void> {
  await store.remove(storageKey);
  await store.remove(fairPhotoThumbKey(storageKey));
}

const DOCUMENT_TYPES = {
  pdf: { label: 'PDF', mimeType: 'application/pdf' },
  docx: { label: 'Word', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  doc: { label: 'Word', mimeType: 'application/msword' },
} as const;

export type FairDocumentType = keyof typeof DOCUMENT_TYPES;

/** The document's type from its content (never from its name): PDF, Word 2007+ or older Word. */
async function documentType(file: string, size: number): Promise<FairDocumentType | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 8));
    await handle.read(head, 0, head.length, 0);
    const text = head.toString('latin1');
    if (text.startsWith('%PDF-')) return 'pdf';
    if (text.startsWith('\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1')) return 'doc';
    if (text.startsWith('PK\x03\x04')) {
      // A .docx is a zip whose entries' names (kept uncompressed) include word/document.xml.
      const whole = Buffer.alloc(size);
      await handle.read(whole, 0, size, 0);
      return whole.includes('word/document.xml') ? 'docx' : null;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** The MIME type of a stored plan or summary, by its key's extension. */
export function fairDocumentMimeType(key: string): string {
  const extension = key.split('.').pop() as FairDocumentType;
  return DOCUMENT_TYPES[extension]?.mimeType ?? 'application/octet-stream';
}

/**
 * Checks `file` is a PDF or Word document of at most 20 MB and stores it as
 * `fairs/<site>/<fair>/<which>-<uuid>.<pdf|docx|doc>`. `take: 'move'` renames an upload into place.
 */
export async function storeFairDocument(
  store: MediaStore,
  input: {
    siteId: number;
    fairId: number;
    which: 'plan' | 'summary';
    file: string;
    displayName: string;
    take: 'move' | 'copy';
  },
): Promise<{ key: string; name: string; bytes: number }> {
  const name = `「${input.displayName}」`;
  const what = input.which === 'plan' ? '活动方案' : '活动总结';
  const { size } = await stat(input.file);
  if (size === 0) throw new JobcastError('UNREADABLE_FILE', `${name}是空文件，请重新选择文件`);
  if (size > FAIR_FILE_LIMITS.documentMaxBytes) {
    throw new JobcastError(
      'RULE_VIOLATED',
      `${name}有 ${formatBytes(size)}，${what}文件最大 ${formatBytes(FAIR_FILE_LIMITS.documentMaxBytes)}`,
    );
  }
  const type = await documentType(input.file, size);
  if (!type) {
    throw new JobcastError(
      'UNREADABLE_FILE',
      `${name}不是 PDF 或 Word 文件：${what}请上传 PDF、DOCX 或 DOC，或直接填写文字`,
    );
  }
  const key = `fairs/${input.siteId}/${input.fairId}/${input.which}-${randomUUID()}.${type}`;
  const stored = await store
    .write(key, (temp) => (input.take === 'move' ? rename(input.file, temp) : copyFile(input.file, temp)))
    .catch((error: unknown) => {
      throw storageError(error, 'media', STORAGE_THEN) ?? error;
    });
  return { key, name: input.displayName, bytes: stored.bytes };
}
