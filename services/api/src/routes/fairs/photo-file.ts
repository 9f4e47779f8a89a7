import { createRoute, z } from '@hono/zod-openapi';
import { fairPhotoThumbKey, getFairPhoto } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { serveStoredFile } from '../../stored-file.ts';
import { fairPhotoParams } from './view.ts';

const missing = errorResponse('没有这张照片，或招聘会属于另一个站点 (no such photo of a fair on your site)');

const fileRoute = createRoute({
  method: 'get',
  path: '/api/fairs/{id}/photos/{photoId}',
  tags: ['fairs'],
  summary: 'A photo of a job fair, as stored (a JPEG without metadata)',
  request: { params: fairPhotoParams },
  responses: {
    200: { description: 'the photo', content: { 'image/jpeg': { schema: z.any() } } },
    404: missing,
  },
});

const thumbnailRoute = createRoute({
  method: 'get',
  path: '/api/fairs/{id}/photos/{photoId}/thumbnail',
  tags: ['fairs'],
  summary: "A job fair photo's thumbnail: a JPEG at most 480 px on its long side",
  request: { params: fairPhotoParams },
  responses: {
    200: { description: 'the thumbnail', content: { 'image/jpeg': { schema: z.any() } } },
    404: missing,
  },
});

export const getFairPhotoRoute = defineRoute(anyRole, fileRoute, async (c) => {
  const { id, photoId } = c.req.valid('param');
  const photo = await getFairPhoto(c.var.services.db, c.var.principal.siteId, id, photoId);
  return serveStoredFile(c, {
    key: photo.storageKey,
    type: 'image/jpeg',
    missing: `照片 ${photoId} 的文件不见了`,
  });
});

export const getFairPhotoThumbnailRoute = defineRoute(anyRole, thumbnailRoute, async (c) => {
  const { id, photoId } = c.req.valid('param');
  const photo = await getFairPhoto(c.var.services.db, c.var.principal.siteId, id, photoId);
  return serveStoredFile(c, {
    key: fairPhotoThumbKey(photo.storageKey),
    type: 'image/jpeg',
    missing: `照片 ${photoId} 的缩略图不见了`,
  });
});
