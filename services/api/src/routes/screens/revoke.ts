import { createRoute } from '@hono/zod-openapi';
import { revokeScreen } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { screenIdParams, screenSchema, screenView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/screens/{id}/revoke',
  tags: ['screens'],
  summary: 'Revoke a screen: its token stops working at once (its plays stay); to use it again, pair it anew',
  request: { params: screenIdParams },
  responses: {
    200: { description: 'revoked (or already revoked)', content: { 'application/json': { schema: screenSchema } } },
    404: errorResponse('屏幕不存在 (no such screen on your site)'),
  },
});

export const revokeScreenRoute = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const { siteId } = c.var.principal;
  const { id } = c.req.valid('param');
  await revokeScreen(db, siteId, id);
  return c.json(await screenView({ db, templatesDir: config.templatesDir }, siteId, id), 200);
});
