import { createRoute, z } from '@hono/zod-openapi';
import { checkScreenGroupSettings, createScreenGroup, getSiteByCode } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { playWindowSchema, screenGroupSchema, screenGroupView } from './view.ts';

export const groupSettingsSchema = z.object({
  name: z.string().max(200).openapi({ example: '零工驿站' }),
  mode: z.enum(['auto', 'manual']).optional().openapi({
    description: 'auto = 在招岗位的最新视频 (the default); manual = the videos set with PUT …/items, in order',
  }),
  autoLimit: z.number().int().optional().openapi({ description: 'Videos in an automatic playlist, 1–100 (20)' }),
  windows: z
    .array(playWindowSchema)
    .max(50)
    .optional()
    .openapi({ description: 'Weekdays and hours the screens play (site time); none: always' }),
});

const route = createRoute({
  method: 'post',
  path: '/api/screen-groups',
  tags: ['screens'],
  summary: 'Make a screen group (大厅, 零工驿站, 招聘会场 …)',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: groupSettingsSchema.openapi('ScreenGroupRequest') } },
    },
  },
  responses: {
    201: { description: 'made', content: { 'application/json': { schema: screenGroupSchema } } },
    400: errorResponse(
      '名称、播放时段或视频数有误，信息里指出是哪个时段 (a bad name, window or limit: the message names it)',
    ),
    409: errorResponse('已有同名分组 (a group of this name exists)'),
  },
});

export const createScreenGroupRoute = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const group = await createScreenGroup(db, { siteId: site.id, ...checkScreenGroupSettings(c.req.valid('json')) });
  return c.json(await screenGroupView({ db, templatesDir: config.templatesDir }, site, group), 201);
});
