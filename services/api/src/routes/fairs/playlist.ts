import { createRoute, z } from '@hono/zod-openapi';
import { getFair, setFairPlaylist } from '@jobcast/db';
import { FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { fairNotFound } from './get.ts';
import { fairDetailSchema, fairParams, toFairDetailView } from './view.ts';

const route = createRoute({
  method: 'put',
  path: '/api/fairs/{id}/playlist',
  tags: ['fairs'],
  summary: "Set the fair's own playlist: your site's finished videos, played on its group's screens during the fair",
  request: {
    params: fairParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            renderIds: z.array(idSchema).max(200).openapi({ description: 'In play order; empty: the group’s own' }),
          }),
        },
      },
    },
  },
  responses: {
    200: { description: 'set', content: { 'application/json': { schema: fairDetailSchema } } },
    404: fairNotFound,
  },
});

export const setFairPlaylistRoute = defineRoute(FAIR_MANAGERS, route, async (c) => {
  const { db } = c.var.services;
  const { siteId } = c.var.principal;
  const { id } = c.req.valid('param');
  await setFairPlaylist(db, siteId, id, c.req.valid('json').renderIds);
  return c.json(toFairDetailView(await getFair(db, siteId, id)), 200);
});
