import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByCode } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { screenGroupSchema, screenGroupViews } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/screen-groups',
  tags: ['screens'],
  summary: "Your site's screen groups: playlist mode and videos, play windows, the livestream shown, screens",
  responses: {
    200: {
      description: 'the groups',
      content: {
        'application/json': {
          schema: z.object({ groups: z.array(screenGroupSchema) }).openapi('ScreenGroupList'),
        },
      },
    },
  },
});

export const listScreenGroupsRoute = defineRoute(anyRole, route, async (c) => {
  const { db, config } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  return c.json({ groups: await screenGroupViews({ db, templatesDir: config.templatesDir }, site) }, 200);
});
