import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { thumbnailKeyOf } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { serveStoredFile } from '../../stored-file.ts';
import { assetParams, siteAsset } from './get.ts';

const route = createRoute({
  method: 'get',
  path: '/api/assets/{id}/thumbnail',
  tags: ['assets'],
  summary: "A clip's or photo's thumbnail: a JPEG at most 640×360",
  request: { params: assetParams },
  responses: {
    200: { description: 'the thumbnail', content: { 'image/jpeg': { schema: z.any() } } },
    404: errorResponse('没有这个素材，或它是音乐（没有缩略图）(no such asset on your site, or music)'),
  },
});

export const getAssetThumbnail = defineRoute(anyRole, route, async (c) => {
  const asset = await siteAsset(c.var.services.db, c.var.principal.siteId, c.req.valid('param').id);
  const key = thumbnailKeyOf(asset);
  if (!key) throw new JobcastError('NOT_FOUND', `素材 ${asset.id} 是音乐，没有缩略图`);
  return serveStoredFile(c, {
    key,
    type: 'image/jpeg',
    missing: `素材 ${asset.id} 的缩略图不见了`,
  });
});
