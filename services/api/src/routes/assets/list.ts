import { createRoute, z } from '@hono/zod-openapi';
import { listMediaAssets, schema } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { assetSchema, toAssetView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/assets',
  tags: ['assets'],
  summary: "Your site's clips, photos and music tracks, newest first",
  request: {
    query: z.object({
      kind: z
        .enum(schema.mediaAssetKinds)
        .optional()
        .openapi({ description: 'Only this kind; every kind when left out' }),
      limit: z.coerce.number().int().min(1).max(500).default(200),
    }),
  },
  responses: {
    200: {
      description: 'the media',
      content: { 'application/json': { schema: z.object({ items: z.array(assetSchema) }) } },
    },
  },
});

export const listAssets = defineRoute(anyRole, route, async (c) => {
  const { kind, limit } = c.req.valid('query');
  const assets = await listMediaAssets(c.var.services.db, c.var.principal.siteId, kind ?? null, limit);
  return c.json({ items: assets.map(toAssetView) }, 200);
});
