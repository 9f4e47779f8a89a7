import { createRoute, z } from '@hono/zod-openapi';
import { markFlyerPrinted } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { PUBLISHERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { flyerIdParams, flyerSchema, toFlyerView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/flyers/{id}/printed',
  tags: ['flyers'],
  summary: 'Record an issue’s print run: the year counts it once at least 1000 copies were printed',
  request: {
    params: flyerIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              copies: z.number().int().min(0).openapi({ example: 1000 }),
              date: z.string().openapi({ format: 'date', example: '2026-03-05' }),
            })
            .openapi('FlyerPrinted'),
        },
      },
    },
  },
  responses: {
    200: { description: 'recorded', content: { 'application/json': { schema: flyerSchema } } },
    404: errorResponse('没有这期招工小报'),
    422: errorResponse('最新的一版小报还没有做好（RULE_VIOLATED）：印的应是印着当前期号的这一版'),
  },
});

export const flyerPrinted = defineRoute(PUBLISHERS, route, async (c) => {
  const issue = await markFlyerPrinted(
    c.var.services.db,
    c.var.principal.siteId,
    c.req.valid('param').id,
    c.req.valid('json'),
  );
  return c.json(toFlyerView(issue), 200);
});
