import { createRoute, z } from '@hono/zod-openapi';
import { getRender as queryRender } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { renderSchema, toRenderView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/renders/{id}',
  tags: ['renders'],
  summary: 'One render of your site: status and progress, and its output once done',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 7 }) }) },
  responses: {
    200: { description: 'the render', content: { 'application/json': { schema: renderSchema } } },
    404: errorResponse('没有这个制作任务，或它属于另一个站点 (no such render on your site)'),
  },
});

export const getRender = defineRoute(anyRole, route, async (c) => {
  const render = await queryRender(c.var.services.db, c.req.valid('param').id, c.var.principal.siteId);
  return c.json(toRenderView(render), 200);
});
