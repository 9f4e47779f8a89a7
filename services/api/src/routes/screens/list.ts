import { createRoute, z } from '@hono/zod-openapi';
import { SCREEN_OFFLINE_AFTER_MS } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { screenSchema, screenViews } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/screens',
  tags: ['screens'],
  summary: "Your site's screens: group, online or not, last heartbeat, what each plays, its cache and problems",
  responses: {
    200: {
      description: 'the screens, revoked ones included',
      content: {
        'application/json': {
          schema: z
            .object({
              offlineAfterSeconds: z.number().int().openapi({ description: 'Silence after which a screen is offline' }),
              screens: z.array(screenSchema),
            })
            .openapi('ScreenList'),
        },
      },
    },
  },
});

export const listScreensRoute = defineRoute(anyRole, route, async (c) => {
  const { db, config } = c.var.services;
  const screens = await screenViews({ db, templatesDir: config.templatesDir }, c.var.principal.siteId);
  return c.json({ offlineAfterSeconds: SCREEN_OFFLINE_AFTER_MS / 1000, screens }, 200);
});
