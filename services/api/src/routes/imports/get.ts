import { createRoute, z } from '@hono/zod-openapi';
import { getImportBatch, getImportSummary } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema, importSummarySchema } from '../../schemas.ts';
import { importBatchSchema, toImportBatchView } from './view.ts';

const importBatchDetailSchema = importBatchSchema
  .extend({
    summary: importSummarySchema.nullable().openapi({ description: 'Set once the batch is done or failed' }),
  })
  .openapi('ImportBatchDetail');

const route = createRoute({
  method: 'get',
  path: '/api/imports/{id}',
  tags: ['imports'],
  summary: 'One import batch of your site: its status, and its summary once finished',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 42 }) }) },
  responses: {
    200: { description: 'the batch', content: { 'application/json': { schema: importBatchDetailSchema } } },
    404: errorResponse('没有这个批次，或它属于另一个站点 (no such batch on your site)'),
  },
});

export const getImport = defineRoute(anyRole, route, async (c) => {
  const { db } = c.var.services;
  const { id } = c.req.valid('param');
  // Another site's batch answers 404, exactly like a missing one.
  const batch = await getImportBatch(db, id, c.var.principal.siteId);
  const finished = batch.status === 'done' || batch.status === 'failed';
  const summary = finished ? await getImportSummary(db, batch.id) : null;
  return c.json({ ...toImportBatchView(batch), summary }, 200);
});
