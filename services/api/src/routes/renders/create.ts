import { createRoute } from '@hono/zod-openapi';
import { renderRequest } from '@jobcast/queue';
import { requestRender } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { defineRoute } from '../../routing.ts';
import { renderSchema, toRenderView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/renders',
  tags: ['renders'],
  summary: "Ask for a short video, a poster or the month's flyer: recorded, queued, answered at once",
  request: { body: { required: true, content: { 'application/json': { schema: renderRequest } } } },
  responses: {
    202: {
      description: 'recorded and queued; poll statusUrl',
      content: { 'application/json': { schema: renderSchema } },
    },
    404: errorResponse('某个岗位不存在 (a job of the request does not exist on your site)'),
  },
});

export const createRender = defineRoute(['admin', 'media'], route, async (c) => {
  const { db, producer, config } = c.var.services;
  const render = await requestRender(
    { db, producer, templatesDir: config.templatesDir },
    c.var.principal.siteId,
    c.req.valid('json'),
    c.var.principal.userId,
  );
  return c.json(toRenderView(render), 202);
});
