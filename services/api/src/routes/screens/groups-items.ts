import { createRoute, z } from '@hono/zod-openapi';
import { getScreenGroup, getSiteByCode, setScreenGroupItems } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { screenGroupSchema, screenGroupView, screenIdParams } from './view.ts';

const route = createRoute({
  method: 'put',
  path: '/api/screen-groups/{id}/items',
  tags: ['screens'],
  summary: "Set a group's manual playlist: these finished videos of your site, in this order (empty clears it)",
  request: {
    params: screenIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              renderIds: z
                .array(idSchema)
                .max(100)
                .openapi({ example: [12, 15, 9] }),
            })
            .openapi('ScreenGroupItems'),
        },
      },
    },
  },
  responses: {
    200: { description: 'set', content: { 'application/json': { schema: screenGroupSchema } } },
    400: errorResponse(
      '某个编号不是本站已完成的视频，信息里指出是哪个 (a render that is not a finished video of your site)',
    ),
    404: errorResponse('屏幕分组不存在 (no such screen group on your site)'),
  },
});

export const setScreenGroupItemsRoute = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const { id } = c.req.valid('param');
  await setScreenGroupItems(db, site.id, id, c.req.valid('json').renderIds);
  const group = await getScreenGroup(db, site.id, id);
  return c.json(await screenGroupView({ db, templatesDir: config.templatesDir }, site, group), 200);
});
