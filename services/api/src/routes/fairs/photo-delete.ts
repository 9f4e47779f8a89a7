import { createRoute } from '@hono/zod-openapi';
import { deleteFairPhoto } from '@jobcast/db';
import { discardFairPhoto } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fairPhotoParams } from './view.ts';

const route = createRoute({
  method: 'delete',
  path: '/api/fairs/{id}/photos/{photoId}',
  tags: ['fairs'],
  summary: 'Remove a photo from a job fair',
  request: { params: fairPhotoParams },
  responses: {
    204: { description: 'removed' },
    404: errorResponse('没有这张照片 (no such photo of a fair on your site)'),
  },
});

export const deleteFairPhotoRoute = defineRoute(FAIR_MANAGERS, route, async (c) => {
  const { db, store } = c.var.services;
  const { id, photoId } = c.req.valid('param');
  const photo = await deleteFairPhoto(db, c.var.principal.siteId, id, photoId);
  await discardFairPhoto(store, photo.storageKey).catch(() => undefined);
  return c.body(null, 204);
});
