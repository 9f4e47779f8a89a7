import { createRoute, z } from '@hono/zod-openapi';
import { listImportBatches } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { importBatchSchema, toImportBatchView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/imports',
  tags: ['imports'],
  summary: 'Recent import batches of your site, newest first',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
    }),
  },
  responses: {
    200: {
      description: 'recent batches',
      content: { 'application/json': { schema: z.object({ items: z.array(importBatchSchema) }) } },
    },
  },
});

export const listImports = defineRoute(anyRole, route, async (c) => {
  const { limit } = c.req.valid('query');
  const batches = await listImportBatches(c.var.services.db, c.var.principal.siteId, limit);
  return c.json({ items: batches.map(toImportBatchView) }, 200);
});
