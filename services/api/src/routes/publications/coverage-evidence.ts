import { createRoute, z } from '@hono/zod-openapi';
import { formatBytes, JobcastError } from '@jobcast/core';
import { getCoverage, setCoverageEvidence } from '@jobcast/db';
import { COVERAGE_EVIDENCE_MAX_BYTES, coverageEvidenceMimeType, storeCoverageEvidence } from '@jobcast/ledger';
import { errorResponse } from '../../errors.ts';
import { anyRole, PUBLISHERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fileUploadBody, idSchema } from '../../schemas.ts';
import { recordReplacing, serveStoredFile } from '../../stored-file.ts';
import { withUploadedFile } from '../../uploads.ts';
import { coverageSchema, toCoverageView } from './view.ts';

const WHAT = '报道截图或 PDF';

const params = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });
const noSuchReport = errorResponse('没有这条媒体报道记录，或它属于另一个站点');

const uploadRoute = createRoute({
  method: 'put',
  path: '/api/coverage/{id}/evidence',
  tags: ['publications'],
  summary: 'Give a media report its evidence: a screenshot (PNG, JPEG) or PDF of the article',
  description: `A PNG, JPEG or PDF of at most ${formatBytes(COVERAGE_EVIDENCE_MAX_BYTES)}, told by its content; it replaces the one before. The evidence pack of media coverage includes it.`,
  request: { params, body: fileUploadBody },
  responses: {
    200: { description: 'stored', content: { 'application/json': { schema: coverageSchema } } },
    400: errorResponse('没有选择文件，或不是表单上传'),
    404: noSuchReport,
    413: errorResponse('文件超过大小上限'),
    422: errorResponse('不是 PNG、JPEG 图片或 PDF 文件，信息里写明文件名'),
  },
});

const fileRoute = createRoute({
  method: 'get',
  path: '/api/coverage/{id}/evidence',
  tags: ['publications'],
  summary: "A media report's screenshot or PDF, as uploaded",
  request: { params },
  responses: {
    200: {
      description: 'the file',
      content: {
        'image/png': { schema: z.any() },
        'image/jpeg': { schema: z.any() },
        'application/pdf': { schema: z.any() },
      },
    },
    404: errorResponse('这条媒体报道还没有截图或 PDF'),
  },
});

export const uploadCoverageEvidence = defineRoute(PUBLISHERS, uploadRoute, async (c) => {
  const { db, store } = c.var.services;
  const { siteId } = c.var.principal;
  const { id } = c.req.valid('param');
  await getCoverage(db, siteId, id);
  const upload = {
    scratch: 'coverage-evidence',
    maxBytes: COVERAGE_EVIDENCE_MAX_BYTES,
    what: WHAT,
    empty: '请选择报道的截图或 PDF 文件，文件不能为空',
  };
  const { report } = await withUploadedFile(c, upload, async (file) => {
    const stored = await storeCoverageEvidence(store, {
      siteId,
      file: file.storedPath,
      displayName: file.displayName,
      take: 'move',
    });
    return recordReplacing(c, stored.key, () => setCoverageEvidence(db, siteId, id, stored));
  });
  return c.json(toCoverageView(report), 200);
});

export const getCoverageEvidence = defineRoute(anyRole, fileRoute, async (c) => {
  const { id } = c.req.valid('param');
  const report = await getCoverage(c.var.services.db, c.var.principal.siteId, id);
  if (!report.evidenceKey) throw new JobcastError('NOT_FOUND', `媒体报道「${report.title}」还没有截图或 PDF`);
  const name = report.evidenceName ?? `报道-${id}`;
  return serveStoredFile(c, {
    key: report.evidenceKey,
    type: coverageEvidenceMimeType(report.evidenceKey),
    missing: `媒体报道「${report.title}」的截图或 PDF 文件不见了`,
    // Shown in the browser (a screenshot in the page, a PDF in its viewer), never run as a page of this site.
    headers: {
      'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
