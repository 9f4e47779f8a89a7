import { createRoute, z } from '@hono/zod-openapi';
import { formatBytes, JobcastError } from '@jobcast/core';
import { getFair, setFairFile } from '@jobcast/db';
import { FAIR_FILE_LIMITS, fairDocumentMimeType, storeFairDocument } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { anyRole, FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fileUploadBody } from '../../schemas.ts';
import { recordReplacing, serveStoredFile } from '../../stored-file.ts';
import { withUploadedFile } from '../../uploads.ts';
import { fairNotFound } from './get.ts';
import { fairDetailSchema, fairDocumentParams, toFairDetailView } from './view.ts';

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
  const upload = {
    scratch: 'fair-file',
    maxBytes: FAIR_FILE_LIMITS.documentMaxBytes,
    what: LABELS[which],
    empty: `请选择${LABELS[which]}文件，文件不能为空`,
  };
  await withUploadedFile(c, upload, async (file) => {
    const stored = await storeFairDocument(store, {
      siteId,
      fairId: id,
      which,
      file: file.storedPath,
      displayName: file.displayName,
      take: 'move',
    });
    await recordReplacing(c, stored.key, () => setFairFile(db, siteId, id, which, stored));
  });
  return c.json(toFairDetailView(await getFair(db, siteId, id)), 200);
});

export const getFairDocumentRoute = defineRoute(anyRole, fileRoute, async (c) => {
  const { id, which } = c.req.valid('param');
  const fair = await getFair(c.var.services.db, c.var.principal.siteId, id);
  const key = which === 'plan' ? fair.planKey : fair.summaryKey;
  const name = (which === 'plan' ? fair.planName : fair.summaryName) ?? which;
  if (!key) throw new JobcastError('NOT_FOUND', `招聘会 ${id} 没有${LABELS[which]}文件`);
  return serveStoredFile(c, {
    key,
    type: fairDocumentMimeType(key),
    missing: `招聘会 ${id} 的${LABELS[which]}文件不见了`,
    headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` },
  });
});
