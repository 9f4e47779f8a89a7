import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { getFair, setFairFile } from '@jobcast/db';
import { FAIR_FILE_LIMITS, fairDocumentMimeType, storeFairDocument } from '@jobcast/renders';
import { storageError } from '@jobcast/storage';
import { formatBytes } from '../../body-limit.ts';
import { errorResponse } from '../../errors.ts';
import { anyRole, defineRoute } from '../../routing.ts';
import { fileUploadBody } from '../../schemas.ts';
import { serveStoredFile } from '../../stored-file.ts';
import { receiveUpload, withUploadSlot } from '../../uploads.ts';
import { fairNotFound } from './get.ts';
import { FAIR_MANAGERS, fairDetailSchema, fairDocumentParams, toFairDetailView } from './view.ts';

const FORM_OVERHEAD_BYTES = 64 * 1024;
const LABELS = { plan: '活动方案', summary: '活动总结' } as const;

const uploadRoute = createRoute({
  method: 'put',
  path: '/api/fairs/{id}/files/{which}',
  tags: ['fairs'],
  summary: "Give a job fair's plan or summary as a file (PDF or Word)",
  description: `A PDF, DOCX or DOC of at most ${formatBytes(FAIR_FILE_LIMITS.documentMaxBytes)}, told by its content; it replaces the one before.`,
  request: {
    params: fairDocumentParams,
    body: fileUploadBody,
  },
  responses: {
    200: { description: 'stored', content: { 'application/json': { schema: fairDetailSchema } } },
    404: fairNotFound,
    413: errorResponse('文件超过大小上限 (the file exceeds its limit)'),
    422: errorResponse('不是 PDF 或 Word 文件，信息里写明文件名 (not a PDF or Word document)'),
  },
});

const fileRoute = createRoute({
  method: 'get',
  path: '/api/fairs/{id}/files/{which}',
  tags: ['fairs'],
  summary: "A job fair's plan or summary file, as uploaded",
  request: { params: fairDocumentParams },
  responses: {
    200: { description: 'the file', content: { 'application/octet-stream': { schema: z.any() } } },
    404: errorResponse('这场招聘会没有这个文件 (no such file for this fair)'),
  },
});

export const uploadFairDocumentRoute = defineRoute(FAIR_MANAGERS, uploadRoute, async (c) => {
  const { db, store } = c.var.services;
  const { siteId } = c.var.principal;
  const { id, which } = c.req.valid('param');
  await getFair(db, siteId, id);
  const scratch = `fair-file-${randomUUID()}`;
  try {
    const { file } = await withUploadSlot(c, async () => {
      try {
        return await receiveUpload(c.req.raw, {
          dir: await store.scratchDir(scratch),
          fileField: 'file',
          limits: {
            maxBytes: FAIR_FILE_LIMITS.documentMaxBytes + FORM_OVERHEAD_BYTES,
            maxParts: 4,
            what: { zh: LABELS[which], en: which },
          },
          fileLimit: () => ({ maxBytes: FAIR_FILE_LIMITS.documentMaxBytes, what: { zh: LABELS[which], en: which } }),
        });
      } catch (error) {
        throw storageError(error, 'media', '处理后请重新上传') ?? error;
      }
    });
    if (!file || file.bytes === 0) {
      throw new JobcastError(
        'BAD_INPUT',
        `请选择${LABELS[which]}文件，文件不能为空 (file: a non-empty file is required)`,
        {
          fields: [{ field: 'file', reason: 'required' }],
        },
      );
    }
    const stored = await storeFairDocument(store, {
      siteId,
      fairId: id,
      which,
      file: file.storedPath,
      displayName: file.displayName,
      take: 'move',
    });
    const { replacedKey } = await setFairFile(db, siteId, id, which, stored).catch(async (error: unknown) => {
      await store.remove(stored.key);
      throw error;
    });
    if (replacedKey) await store.remove(replacedKey).catch(() => undefined);
    return c.json(toFairDetailView(await getFair(db, siteId, id)), 200);
  } finally {
    await store.dropScratch(scratch);
  }
});

export const getFairDocumentRoute = defineRoute(anyRole, fileRoute, async (c) => {
  const { id, which } = c.req.valid('param');
  const fair = await getFair(c.var.services.db, c.var.principal.siteId, id);
  const key = which === 'plan' ? fair.planKey : fair.summaryKey;
  const name = (which === 'plan' ? fair.planName : fair.summaryName) ?? which;
  if (!key) throw new JobcastError('NOT_FOUND', `招聘会 ${id} 没有${LABELS[which]}文件 (no ${which} file)`);
  return serveStoredFile(c, {
    key,
    type: fairDocumentMimeType(key),
    missing: `招聘会 ${id} 的${LABELS[which]}文件不见了 (the file is missing from the media store)`,
    headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
});
