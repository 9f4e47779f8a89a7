import { createRoute, z } from '@hono/zod-openapi';
import { endLiveSession } from '@jobcast/live';
import { errorResponse } from '../../errors.ts';
import { LIVE_OPERATORS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { liveSessionSchema, sessionIdParams, toLiveSessionView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/live/{id}/end',
  tags: ['live'],
  summary: 'End a livestream and state its verdict; a 直播带岗 not yet qualified needs force (recorded as forced)',
  request: {
    params: sessionIdParams,
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.object({
            force: z.boolean().optional().openapi({ description: 'End a 直播带岗 that has not qualified' }),
          }),
        },
      },
    },
  },
  responses: {
    200: { description: 'ended, with its verdict', content: { 'application/json': { schema: liveSessionSchema } } },
    404: errorResponse('没有这个直播场次 (no such live session on your site)'),
    422: errorResponse(
      '尚未达标，原因在消息里；确需结束请带 force=true (not qualified yet: the reasons are in the message)',
    ),
  },
});

export const endLive = defineRoute(LIVE_OPERATORS, route, async (c) => {
  const { db, config } = c.var.services;
  const { userId, siteId } = c.var.principal;
  const { force } = c.req.valid('json');
  const ended = await endLiveSession(db, config.live, c.req.valid('param').id, {
    reason: 'anchor',
    force: force === true,
    userId,
    siteId,
  });
  return c.json(toLiveSessionView(ended), 200);
});
