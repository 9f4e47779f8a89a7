import { createRoute } from '@hono/zod-openapi';
import { presentJob } from '@jobcast/live';
import { errorResponse } from '../../errors.ts';
import { LIVE_OPERATORS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { presentedSchema, sessionIdParams } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/live/{id}/next',
  tags: ['live'],
  summary: 'Put the next job of the rundown on screen (the first, when none is shown yet)',
  request: { params: sessionIdParams },
  responses: {
    200: { description: 'on screen now', content: { 'application/json': { schema: presentedSchema } } },
    404: errorResponse('没有这个直播场次 (no such live session on your site)'),
    409: errorResponse('直播已经结束 (the session has ended)'),
    422: errorResponse('已经是最后一个岗位，或节目单是空的 (the last job is on screen, or the rundown is empty)'),
  },
});

export const presentNextLiveJob = defineRoute(LIVE_OPERATORS, route, async (c) => {
  const shown = await presentJob(c.var.services.db, c.req.valid('param').id, 'next', c.var.principal.siteId);
  return c.json(shown, 200);
});
