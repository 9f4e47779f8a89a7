import { createRoute, z } from '@hono/zod-openapi';
import { recordPublication } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { idempotencyHeaders, idempotent } from '../../idempotency.ts';
import { PUBLISHERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { platformSchema, publicationSchema, toPublicationView } from './view.ts';

const publicationRequestSchema = z
  .object({
    platform: platformSchema,
    url: z.string().max(2000).openapi({ example: 'https://www.douyin.com/video/7400000000000000000' }),
    publishedOn: z.string().openapi({ format: 'date', example: '2026-03-10' }),
    title: z.string().max(200).openapi({ example: '洪城物流招聘叉车司机' }),
    aiVideo: z.boolean().optional().openapi({
      description:
        'For a video made elsewhere only; a JobCast video is an AI video exactly when its render recorded an AI component',
    }),
    aiTool: z
      .string()
      .max(200)
      .nullable()
      .optional()
      .openapi({ description: 'The AI tool a video made elsewhere was made with; required when aiVideo is true' }),
    renderId: idSchema
      .nullable()
      .optional()
      .openapi({ description: 'The JobCast video published; omit for one made elsewhere' }),
  })
  .openapi('PublicationRequest');

const route = createRoute({
  method: 'post',
  path: '/api/publications',
  tags: ['publications'],
  summary: 'Record a published short video (one of JobCast’s, or made elsewhere); an address counts once',
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: publicationRequestSchema } } },
  },
  responses: {
    201: { description: 'recorded', content: { 'application/json': { schema: publicationSchema } } },
    404: errorResponse('没有这个制作任务 (no such render on your site)'),
    409: errorResponse(
      '这个链接已登记过，信息里说明是哪一条；或同一 Idempotency-Key 的第一个请求仍在处理中 (the address is already recorded, the message names the record; or IDEMPOTENCY_KEY_IN_FLIGHT)',
    ),
    422: errorResponse('Idempotency-Key 已用于另一个请求 (IDEMPOTENCY_KEY_REUSED)'),
  },
});

export const createPublication = defineRoute(PUBLISHERS, route, (c) =>
  idempotent(
    c,
    () => c.req.valid('json'),
    async () => {
      const row = await recordPublication(c.var.services.db, {
        ...c.req.valid('json'),
        siteId: c.var.principal.siteId,
        createdBy: c.var.principal.userId,
      });
      return c.json(toPublicationView(row), 201);
    },
  ),
);
