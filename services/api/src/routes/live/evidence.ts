import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { getLiveSessionRow, type LiveSessionRow } from '@jobcast/live';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { serveStoredFile } from '../../stored-file.ts';
import { sessionIdParams } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/live/{id}/evidence',
  tags: ['live'],
  summary: "A finished session's evidence: the JSON summary, the printable page, the recording or a thumbnail",
  description:
    "The page (`html`) is self-contained, as printed or saved: the site's name, times on the site's clock, " +
    'durations and sizes in units a person reads, the thumbnails inside it; it names no publisher address, push host or key.',
  request: {
    params: sessionIdParams,
    query: z.object({
      file: z
        .string()
        .regex(/^(?:json|html|recording|thumb-[1-9]\d{0,3})$/, '可选 json、html、recording 或 thumb-序号（如 thumb-1）')
        .default('html')
        .openapi({ example: 'recording' }),
    }),
  },
  responses: {
    200: { description: 'the whole file', content: { 'application/octet-stream': { schema: z.any() } } },
    206: { description: 'the byte range asked for', content: { 'application/octet-stream': { schema: z.any() } } },
    404: errorResponse('没有这个直播场次，或佐证材料还没生成'),
    416: { description: 'the range lies outside the file' },
  },
});

const documents = {
  json: { name: '佐证数据', type: 'application/json', key: (s: LiveSessionRow) => s.evidenceJsonKey },
  html: { name: '佐证材料页', type: 'text/html; charset=utf-8', key: (s: LiveSessionRow) => s.evidenceHtmlKey },
  recording: { name: '录像', type: 'video/mp4', key: (s: LiveSessionRow) => s.recordingKey },
} as const;

function evidenceFile(session: LiveSessionRow, file: string): { name: string; type: string; key: string | null } {
  if (file.startsWith('thumb-')) {
    const n = Number(file.slice(6));
    return { name: `第 ${n} 张截图`, type: 'image/jpeg', key: session.thumbnailKeys?.[n - 1] ?? null };
  }
  const document = documents[file as keyof typeof documents];
  return { name: document.name, type: document.type, key: document.key(session) };
}

export const getLiveEvidence = defineRoute(anyRole, route, async (c) => {
  const { id } = c.req.valid('param');
  const { file } = c.req.valid('query');
  const session = await getLiveSessionRow(c.var.services.db, id, c.var.principal.siteId);
  const wanted = evidenceFile(session, file);
  if (!wanted.key) {
    const later = session.finalizedAt === null;
    throw new JobcastError(
      'NOT_FOUND',
      `直播场次 ${id} 还没有${wanted.name}${later ? '：直播结束并整理完才生成' : ''}`,
    );
  }
  return serveStoredFile(c, {
    key: wanted.key,
    type: wanted.type,
    missing: `直播场次 ${id} 的${wanted.name}文件不见了`,
    // Written by the stream service, its images inside it; served from the API's origin, it is still given no script.
    headers:
      file === 'html'
        ? { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" }
        : {},
  });
});
