import { createRoute } from '@hono/zod-openapi';
import { replaceStreamKey } from '@jobcast/live';
import { errorResponse } from '../../errors.ts';
import { LIVE_OPERATORS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { bookingSchema, sessionIdParams } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/live/{id}/key',
  tags: ['live'],
  summary: 'A new stream key for a session whose key was lost; the old key stops working. Answers the key once',
  request: { params: sessionIdParams },
  responses: {
    200: { description: 'the new key', content: { 'application/json': { schema: bookingSchema } } },
    404: errorResponse('没有这个直播场次 (no such live session on your site)'),
    409: errorResponse('直播进行中或已经结束 (the session is live or has ended)'),
  },
});

export const replaceLiveKey = defineRoute(LIVE_OPERATORS, route, async (c) => {
  const { db, config } = c.var.services;
  const booking = await replaceStreamKey({ db, urls: config }, c.var.principal.siteId, c.req.valid('param').id);
  // Like the booking's answer, the only one that carries the new key: no cache may keep it.
  c.header('Cache-Control', 'no-store');
  return c.json(booking, 200);
});
