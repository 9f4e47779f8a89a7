import { createRoute, z } from '@hono/zod-openapi';
import { retryRender as retry } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { RENDER_MAKERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { renderSchema, toRenderView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/renders/{id}/retry',
  tags: ['renders'],
  summary: 'Ask again for a failed render: the same jobs and request, queued anew',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 7 }) }) },
  responses: {
    202: { description: 'queued again; poll statusUrl', content: { 'application/json': { schema: renderSchema } } },
    404: errorResponse('没有这个制作任务，或它属于另一个站点 (no such render on your site)'),
    409: errorResponse('只有失败的任务可以重新制作 (only a failed render can be retried)'),
  },
});

export const retryRender = defineRoute(RENDER_MAKERS, route, async (c) => {
  const { db, producer } = c.var.services;
  const render = await retry({ db, producer }, c.var.principal.siteId, c.req.valid('param').id);
  return c.json(toRenderView(render), 202);
});
