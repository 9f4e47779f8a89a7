/**
 * A media report's evidence on its way into the media store: a screenshot (PNG, JPEG) or PDF of the
 * article, told by its content (never by its name), at most 20 MB, kept as uploaded. The database
 * row is the caller's.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, open, rename, stat } from 'node:fs/promises';
import { formatBytes, JobcastError } from '@jobcast/core';
import type { CoverageEvidence } from '@jobcast/db';
import { type MediaStore, storageError } from '@jobcast/storage';

const MB = 1024 * 1024;

export const COVERAGE_EVIDENCE_MAX_BYTES = 20 * MB;

/** The kinds of file a report's evidence may be, by the extension its key is stored under. */
const EVIDENCE_TYPES = {
  png: { mimeType: 'image/png', signature: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { mimeType: 'image/jpeg', signature: Buffer.from([0xff, 0xd8, 0xff]) },
  pdf: { mimeType: 'application/pdf', signature: Buffer.from('%PDF-', 'latin1') },
} as const;

export type CoverageEvidenceType = keyof typeof EVIDENCE_TYPES;

/** What the console's file field accepts: the same three kinds. */
export const COVERAGE_EVIDENCE_ACCEPT = '.png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf';

/** The MIME type of stored evidence, by its key's extension. */
export function coverageEvidenceMimeType(key: string): string {
  const extension = key.slice(key.lastIndexOf('.') + 1) as CoverageEvidenceType;
  return EVIDENCE_TYPES[extension]?.mimeType ?? 'application/octet-stream';
}

/** A screenshot, shown in the page; a PDF is linked. */
export function isCoverageScreenshot(key: string): boolean {
  return coverageEvidenceMimeType(key).startsWith('image/');
}

async function evidenceType(file: string): Promise<CoverageEvidenceType | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const start = head.subarray(0, bytesRead);
    for (const [type, { signature }] of Object.entries(EVIDENCE_TYPES)) {
      if (start.subarray(0, signature.length).equals(signature)) return type as CoverageEvidenceType;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * Checks `file` is a PNG, JPEG or PDF of at most 20 MB, refusing it with a message that names it;
 * returns its kind. Nothing is stored.
 */
export async function checkCoverageEvidence(
  file: string,
  displayName: string,
): Promise<{ type: CoverageEvidenceType; bytes: number }> {
  const name = `「${displayName}」`;
  const { size } = await stat(file);
  if (size === 0) throw new JobcastError('UNREADABLE_FILE', `${name}是空文件，请重新选择文件`);
  if (size > COVERAGE_EVIDENCE_MAX_BYTES) {
    throw new JobcastError(
      'PAYLOAD_TOO_LARGE',
      `${name}有 ${formatBytes(size)}，报道截图或 PDF 最大 ${formatBytes(COVERAGE_EVIDENCE_MAX_BYTES)}`,
    );
  }
  const type = await evidenceType(file);
  if (!type) {
    throw new JobcastError(
      'UNREADABLE_FILE',
      `${name}不是 PNG、JPEG 图片或 PDF 文件：请上传报道页面的截图（PNG 或 JPEG）或导出的 PDF`,
    );
  }
  return { type, bytes: size };
}

/**
 * Checks `file` (`checkCoverageEvidence`) and stores it as `coverage/<site>/<uuid>.<png|jpg|pdf>`.
 * `take: 'move'` renames an upload into place; 'copy' leaves it (an upload folder on another disk).
 */
export async function storeCoverageEvidence(
  store: MediaStore,
  input: { siteId: number; file: string; displayName: string; take: 'move' | 'copy' },
): Promise<CoverageEvidence> {
  const { type } = await checkCoverageEvidence(input.file, input.displayName);
  const key = `coverage/${input.siteId}/${randomUUID()}.${type}`;
  const stored = await store
    .write(key, (temp) => (input.take === 'move' ? rename(input.file, temp) : copyFile(input.file, temp)))
    .catch((error: unknown) => {
      throw storageError(error, 'media', '处理后请重新上传') ?? error;
    });
  return { key, name: input.displayName, bytes: stored.bytes };
}
