import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { getRender } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole, defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';

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
        .regex(/^(?:output|cover|page-[1-9]\d{0,2})$/, 'output, cover, or page-N (a flyer page preview)')
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

/** bytes=a-b, bytes=a- or bytes=-n of a file of `size` bytes; undefined for a header we do not serve as a range. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

export const getRenderOutput = defineRoute(anyRole, route, async (c) => {
  const { db, store } = c.var.services;
  const { id } = c.req.valid('param');
  const { file } = c.req.valid('query');
  const render = await getRender(db, id, c.var.principal.siteId);
  const page = file.startsWith('page-') ? Number(file.slice(5)) : null;
  const key =
    page !== null ? (render.previewKeys?.[page - 1] ?? null) : file === 'cover' ? render.coverKey : render.outputKey;
  if (render.status !== 'done' || !key) {
    const what = page !== null ? `第 ${page} 页预览` : file === 'cover' ? '封面' : '成品';
    throw new JobcastError('NOT_FOUND', `制作任务 ${id} 还没有${what}（状态：${render.status}）(no ${file} yet)`);
  }
  const stored = await store.stat(key);
  if (!stored)
    throw new JobcastError('NOT_FOUND', `制作任务 ${id} 的文件不见了 (the file is missing from the media store)`);
  const type = key.endsWith('.jpg')
    ? 'image/jpeg'
    : key.endsWith('.png')
      ? 'image/png'
      : (render.mimeType ?? 'application/octet-stream');
  const headers = {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=3600',
  };
  const range = parseRange(c.req.header('range'), stored.bytes);
  if (range === 'unsatisfiable') {
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${stored.bytes}` });
  }
  const stream = Readable.toWeb(store.read(key, range)) as ReadableStream;
  if (range) {
    return c.body(stream, 206, {
      ...headers,
      'Content-Length': String(range.end - range.start + 1),
      'Content-Range': `bytes ${range.start}-${range.end}/${stored.bytes}`,
    });
  }
  return c.body(stream, 200, { ...headers, 'Content-Length': String(stored.bytes) });
});
