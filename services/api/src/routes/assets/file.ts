import { createRoute, z } from '@hono/zod-openapi';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { serveStoredFile } from '../../stored-file.ts';
import { assetNotFound, assetParams, siteAsset } from './get.ts';

const route = createRoute({
  method: 'get',
  path: '/api/assets/{id}/file',
  tags: ['assets'],
  summary: 'The uploaded file as stored, with byte ranges for players',
  request: { params: assetParams },
  responses: {
    200: { description: 'the whole file', content: { 'application/octet-stream': { schema: z.any() } } },
    206: { description: 'the byte range asked for', content: { 'application/octet-stream': { schema: z.any() } } },
    404: assetNotFound,
    416: { description: 'the range lies outside the file' },
  },
});

export const getAssetFile = defineRoute(anyRole, route, async (c) => {
  const asset = await siteAsset(c.var.services.db, c.var.principal.siteId, c.req.valid('param').id);
  return serveStoredFile(c, {
    key: asset.storageKey,
    type: asset.mimeType,
    missing: `素材 ${asset.id} 的文件不见了`,
    headers: { 'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(asset.displayName)}` },
  });
});
