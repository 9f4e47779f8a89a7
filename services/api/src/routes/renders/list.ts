import { createRoute, z } from '@hono/zod-openapi';
import { listRenders as queryRenders } from '@jobcast/db';
import { anyRole, defineRoute } from '../../routing.ts';
import { renderSchema, toRenderView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/renders',
  tags: ['renders'],
  summary: "Your site's renders, newest first",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: { description: 'renders', content: { 'application/json': { schema: z.array(renderSchema) } } },
  },
});

export const listRenders = defineRoute(anyRole, route, async (c) => {
  const renders = await queryRenders(c.var.services.db, c.var.principal.siteId, c.req.valid('query').limit);
  return c.json(renders.map(toRenderView), 200);
});
