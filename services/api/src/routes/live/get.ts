import { createRoute } from '@hono/zod-openapi';
import { getLiveSessionRow, liveStatus } from '@jobcast/live';
import { errorResponse } from '../../errors.ts';
import { anyRole, isLiveOperator } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { liveSessionSchema, operatorLinks, sessionIdParams, toLiveSessionView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/live/{id}',
  tags: ['live'],
  summary: 'One livestream now: status, live time, presented jobs, the guard and its reasons, the rundown',
  request: { params: sessionIdParams },
  responses: {
    200: { description: 'the session', content: { 'application/json': { schema: liveSessionSchema } } },
    404: errorResponse('没有这个直播场次，或它属于另一个站点 (no such live session on your site)'),
  },
});

export const getLive = defineRoute(anyRole, route, async (c) => {
  const { db, config } = c.var.services;
  const { id } = c.req.valid('param');
  const { siteId, role } = c.var.principal;
  const status = await liveStatus(db, config.live, id, siteId);
  if (!isLiveOperator(role)) return c.json(toLiveSessionView(status), 200);
  // The overlay token is an address anyone could open: only those running the session are shown it.
  const { overlayToken } = await getLiveSessionRow(db, id, siteId);
  return c.json(toLiveSessionView(status, operatorLinks(config, overlayToken)), 200);
});
