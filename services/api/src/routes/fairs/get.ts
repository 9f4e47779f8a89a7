import { createRoute } from '@hono/zod-openapi';
import { getFair } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fairDetailSchema, fairParams, toFairDetailView } from './view.ts';

export const fairNotFound = errorResponse('没有这场招聘会，或它属于另一个站点 (no such job fair on your site)');

const route = createRoute({
  method: 'get',
  path: '/api/fairs/{id}',
  tags: ['fairs'],
  summary: 'One job fair: employers and their jobs, photos, plays during the fair, and the verdict with its reasons',
  request: { params: fairParams },
  responses: {
    200: { description: 'the fair', content: { 'application/json': { schema: fairDetailSchema } } },
    404: fairNotFound,
  },
});

export const getFairRoute = defineRoute(anyRole, route, async (c) => {
  const fair = await getFair(c.var.services.db, c.var.principal.siteId, c.req.valid('param').id);
  return c.json(toFairDetailView(fair), 200);
});
