import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { getRender } from '@jobcast/db';
import { RENDER_STATUS_LABELS } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { serveStoredFile } from '../../stored-file.ts';

const route = createRoute({
  method: 'get',
  path: '/api/renders/{id}/output',
  tags: ['renders'],
  summary: "A finished render's file (or its cover), with byte ranges for video players",
  request: {
    params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 7 }) }),
    query: z.object({
      file: z
        .string()
        .regex(
          /^(?:output|cover|captions|page-[1-9]\d{0,2})$/,
          'output, cover, captions, or page-N (a flyer page preview)',
        )
        .default('output')
        .openapi({ example: 'cover' }),
    }),
  },
  responses: {
    200: { description: 'the whole file', content: { 'application/octet-stream': { schema: z.any() } } },
    206: { description: 'the byte range asked for', content: { 'application/octet-stream': { schema: z.any() } } },
    404: errorResponse('没有这个制作任务、它还没完成，或没有封面 (no such render, not done yet, or no cover)'),
    416: { description: 'the range lies outside the file' },
  },
});

export const getRenderOutput = defineRoute(anyRole, route, async (c) => {
  const { db } = c.var.services;
  const { id } = c.req.valid('param');
  const { file } = c.req.valid('query');
  const render = await getRender(db, id, c.var.principal.siteId);
  const page = file.startsWith('page-') ? Number(file.slice(5)) : null;
  const key =
    page !== null
      ? (render.previewKeys?.[page - 1] ?? null)
      : file === 'cover'
        ? render.coverKey
        : file === 'captions'
          ? render.captionsKey
          : render.outputKey;
  if (render.status !== 'done' || !key) {
    const what =
      page !== null ? `第 ${page} 页预览` : file === 'cover' ? '封面' : file === 'captions' ? '字幕文件' : '成品';
    throw new JobcastError('NOT_FOUND', `制作任务 ${id} 还没有${what}（状态：${RENDER_STATUS_LABELS[render.status]}）`);
  }
  const type = key.endsWith('.jpg')
    ? 'image/jpeg'
    : key.endsWith('.png')
      ? 'image/png'
      : key.endsWith('.srt')
        ? 'application/x-subrip; charset=utf-8'
        : (render.mimeType ?? 'application/octet-stream');
  return serveStoredFile(c, {
    key,
    type,
    missing: `制作任务 ${id} 的文件不见了`,
  });
});
