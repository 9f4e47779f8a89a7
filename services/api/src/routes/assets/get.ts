import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { type Database, getMediaAsset, type schema } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { assetSchema, toAssetView } from './view.ts';

export const assetParams = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });

export const assetNotFound = errorResponse('没有这个素材，或它属于另一个站点 (no such media asset on your site)');

/** One of the site's media; another site's is as absent as one that never was. */
export async function siteAsset(db: Database, siteId: number, id: number): Promise<schema.MediaAsset> {
  const asset = await getMediaAsset(db, siteId, id);
  if (!asset) throw new JobcastError('NOT_FOUND', `没有编号 ${id} 的素材`);
  return asset;
}

const route = createRoute({
  method: 'get',
  path: '/api/assets/{id}',
  tags: ['assets'],
  summary: 'One clip, photo or music track of your site',
  request: { params: assetParams },
  responses: {
    200: { description: 'the asset', content: { 'application/json': { schema: assetSchema } } },
    404: assetNotFound,
  },
});

export const getAsset = defineRoute(anyRole, route, async (c) => {
  const asset = await siteAsset(c.var.services.db, c.var.principal.siteId, c.req.valid('param').id);
  return c.json(toAssetView(asset), 200);
});
