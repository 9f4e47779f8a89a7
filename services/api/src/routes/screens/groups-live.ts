import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByCode, putLiveOnScreenGroup } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { screenGroupSchema, screenGroupView, screenIdParams } from './view.ts';

const route = createRoute({
  method: 'put',
  path: '/api/screen-groups/{id}/live',
  tags: ['screens'],
  summary:
    "Show a livestream on the group's screens while it is on air (they play the playlist before and after); null takes it off",
  request: {
    params: screenIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              sessionId: idSchema.nullable().openapi({ description: 'A booked or live session; null: none' }),
            })
            .openapi('ScreenGroupLive'),
        },
      },
    },
  },
  responses: {
    200: { description: 'set', content: { 'application/json': { schema: screenGroupSchema } } },
    404: errorResponse('屏幕分组或直播场次不存在 (no such group or live session on your site)'),
    422: errorResponse('直播已经结束，或预约时段已过 (the session has ended or missed its slot)'),
  },
});

export const setScreenGroupLiveRoute = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const group = await putLiveOnScreenGroup(db, site.id, c.req.valid('param').id, c.req.valid('json').sessionId);
  return c.json(await screenGroupView({ db, templatesDir: config.templatesDir }, site, group), 200);
});
