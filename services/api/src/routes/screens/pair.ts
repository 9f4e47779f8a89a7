import { createRoute, z } from '@hono/zod-openapi';
import { confirmScreenPairing } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { screenSchema, screenView } from './view.ts';

const pairingRequestSchema = z
  .object({
    code: z.string().max(20).openapi({ description: 'The six digits the screen shows', example: '482913' }),
    groupId: idSchema.openapi({ description: 'The group the screen joins' }),
    name: z.string().max(200).openapi({ example: '大厅东侧电视' }),
  })
  .openapi('ScreenPairingRequest');

const route = createRoute({
  method: 'post',
  path: '/api/screens/pair',
  tags: ['screens'],
  summary: 'Pair the screen showing this code: it joins the group under this name and starts playing',
  request: { body: { required: true, content: { 'application/json': { schema: pairingRequestSchema } } } },
  responses: {
    201: { description: 'paired', content: { 'application/json': { schema: screenSchema } } },
    400: errorResponse('配对码不对（没有屏幕显示这个码），或名称有误 (no pairing with this code, or a bad name)'),
    404: errorResponse('屏幕分组不存在 (no such screen group on your site)'),
    409: errorResponse('配对码已经用过 (the code was used already)'),
    422: errorResponse('配对码已过期（有效 10 分钟） (the code expired)'),
  },
});

export const pairScreen = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const { siteId, userId } = c.var.principal;
  const screen = await confirmScreenPairing(db, { ...c.req.valid('json'), siteId, userId });
  return c.json(await screenView({ db, templatesDir: config.templatesDir }, siteId, screen.id), 201);
});
