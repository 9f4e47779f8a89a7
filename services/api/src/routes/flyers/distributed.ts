import { createRoute, z } from '@hono/zod-openapi';
import { markFlyerDistributed } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { PUBLISHERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { flyerIdParams, flyerSchema, toFlyerView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/flyers/{id}/distributed',
  tags: ['flyers'],
  summary: 'Record where and when an issue was handed out, and how many copies',
  request: {
    params: flyerIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              copies: z.number().int().min(0).openapi({ example: 1000 }),
              place: z.string().max(200).openapi({ example: '示范区零工驿站' }),
              date: z.string().openapi({ format: 'date', example: '2026-03-10' }),
            })
            .openapi('FlyerDistributed'),
        },
      },
    },
  },
  responses: {
    200: { description: 'recorded', content: { 'application/json': { schema: flyerSchema } } },
    404: errorResponse('没有这期招工小报'),
  },
});

export const flyerDistributed = defineRoute(PUBLISHERS, route, async (c) => {
  const issue = await markFlyerDistributed(
    c.var.services.db,
    c.var.principal.siteId,
    c.req.valid('param').id,
    c.req.valid('json'),
  );
  return c.json(toFlyerView(issue), 200);
});
