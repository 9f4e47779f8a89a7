import { createRoute, z } from '@hono/zod-openapi';
import { presentJob } from '@jobcast/live';
import { errorResponse } from '../../errors.ts';
import { LIVE_OPERATORS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { presentedSchema, sessionIdParams } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/live/{id}/present',
  tags: ['live'],
  summary: 'Put a job of the rundown on screen (the overlay follows within a second)',
  request: {
    params: sessionIdParams,
    body: { required: true, content: { 'application/json': { schema: z.object({ jobId: idSchema }) } } },
  },
  responses: {
    200: { description: 'on screen now', content: { 'application/json': { schema: presentedSchema } } },
    404: errorResponse('没有这个直播场次 (no such live session on your site)'),
    409: errorResponse('直播已经结束 (the session has ended)'),
    422: errorResponse('岗位不在本场节目单里 (the job is not in the rundown)'),
  },
});

export const presentLiveJob = defineRoute(LIVE_OPERATORS, route, async (c) => {
  const { id } = c.req.valid('param');
  const shown = await presentJob(c.var.services.db, id, c.req.valid('json'), c.var.principal.siteId);
  return c.json(shown, 200);
});
