import { createRoute } from '@hono/zod-openapi';
import type { Render } from '@jobcast/db';
import { type RenderRequest, renderRequest } from '@jobcast/queue';
import { requestRender } from '@jobcast/renders';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { errorResponse } from '../../errors.ts';
import { idempotencyHeaders, idempotent } from '../../idempotency.ts';
import { requireQueue } from '../../queue-check.ts';
import { RENDER_MAKERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { renderSchema, toRenderView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/renders',
  tags: ['renders'],
  summary: "Ask for a short video, a poster or the month's flyer: recorded, queued, answered at once",
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: renderRequest } } },
  },
  responses: {
    202: {
      description: 'recorded and queued; poll statusUrl',
      content: { 'application/json': { schema: renderSchema } },
    },
    404: errorResponse('某个岗位不存在 (a job of the request does not exist on your site)'),
    409: errorResponse('同一 Idempotency-Key 的第一个请求仍在处理中 (IDEMPOTENCY_KEY_IN_FLIGHT)'),
    422: errorResponse('Idempotency-Key 已用于另一个请求 (IDEMPOTENCY_KEY_REUSED)'),
    503: {
      ...errorResponse('任务队列暂不可用，未登记 (QUEUE_UNAVAILABLE: Redis is down, nothing was recorded; retry)'),
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
    },
  },
});

/** Records and queues a render for the signed-in user's site: the API's request and the console's forms come through here. */
export function queueRender(c: Context<AppEnv>, request: RenderRequest): Promise<Render> {
  const { db, producer, config } = c.var.services;
  return requestRender(
    { db, producer, templatesDir: config.templatesDir },
    c.var.principal.siteId,
    request,
    c.var.principal.userId,
  );
}

export const createRender = defineRoute(RENDER_MAKERS, route, (c) =>
  idempotent(
    c,
    () => c.req.valid('json'),
    async () => {
      await requireQueue(c, '制作任务');
      const render = await queueRender(c, c.req.valid('json'));
      return c.json(toRenderView(render), 202);
    },
  ),
);
