import { createRoute, z } from '@hono/zod-openapi';
import { createFairWithEmployers, getFair } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { idempotencyHeaders, idempotent } from '../../idempotency.ts';
import { FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { employerEntries, employerListSchema, fairFieldsSchema, fairInputOf, mergedNotice } from './input.ts';
import { fairDetailSchema, toFairDetailView } from './view.ts';

const requestSchema = fairFieldsSchema
  .extend({
    employers: employerListSchema.optional().openapi({
      description: 'The employers, found in the job pool by id or name; the same one twice is merged (see `merged`)',
    }),
  })
  .openapi('FairRequest');

export const fairWithNoticeSchema = fairDetailSchema
  .extend({
    merged: z.array(z.string()).openapi({ description: 'Employers listed more than once, merged into one' }),
    notice: z.string().nullable().openapi({ example: '重复的单位已合并：南昌洪城物流有限公司' }),
  })
  .openapi('FairWithNotice');

const route = createRoute({
  method: 'post',
  path: '/api/fairs',
  tags: ['fairs'],
  summary: 'Record a job fair (AI数智招聘会 or 线下招聘会), with its employers from the job pool',
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: requestSchema } } },
  },
  responses: {
    201: {
      description: 'recorded',
      headers: z.object({ Location: z.string() }),
      content: { 'application/json': { schema: fairWithNoticeSchema } },
    },
    409: errorResponse(
      'AI数智招聘会的屏幕分组在这段时间已有另一场 AI数智招聘会 (CONFLICT, field startsAt)；或同一 Idempotency-Key 的第一个请求仍在处理中 (IDEMPOTENCY_KEY_IN_FLIGHT)',
    ),
    422: errorResponse('Idempotency-Key 已用于另一个请求 (IDEMPOTENCY_KEY_REUSED)'),
  },
});

export const createFairRoute = defineRoute(FAIR_MANAGERS, route, (c) =>
  idempotent(
    c,
    () => c.req.valid('json'),
    async () => {
      const { db } = c.var.services;
      const { siteId, userId } = c.var.principal;
      const { employers, ...fields } = c.req.valid('json');
      // One transaction: an employer refused leaves no fair behind.
      const { fair, merged } = await createFairWithEmployers(
        db,
        { ...(await fairInputOf(db, siteId, fields)), siteId, createdBy: userId },
        employerEntries(employers ?? []),
      );
      c.header('Location', `/api/fairs/${fair.id}`);
      const detail = toFairDetailView(await getFair(db, siteId, fair.id));
      return c.json({ ...detail, merged, notice: mergedNotice(merged) }, 201);
    },
  ),
);
