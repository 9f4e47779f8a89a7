import { createRoute } from '@hono/zod-openapi';
import { deleteFair } from '@jobcast/db';
import { FAIR_REMOVERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fairNotFound } from './get.ts';
import { fairParams } from './view.ts';

const route = createRoute({
  method: 'delete',
  path: '/api/fairs/{id}',
  tags: ['fairs'],
  summary: 'Delete a job fair with its employers, photos and files (admins only: it changes what the year counts)',
  request: { params: fairParams },
  responses: {
    204: { description: 'deleted' },
    404: fairNotFound,
  },
});

export const deleteFairRoute = defineRoute(FAIR_REMOVERS, route, async (c) => {
  const { db, store } = c.var.services;
  const { fileKeys } = await deleteFair(db, c.var.principal.siteId, c.req.valid('param').id);
  for (const key of fileKeys) await store.remove(key).catch(() => undefined);
  return c.body(null, 204);
});
