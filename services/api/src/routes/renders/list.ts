import { createRoute, z } from '@hono/zod-openapi';
import { renderKinds, renderStatuses } from '@jobcast/core';
import { findRenders } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { renderSchema, toRenderView } from './view.ts';

const querySchema = z.object({
  kind: z.enum(renderKinds).optional(),
  template: z.string().max(60).optional().openapi({ description: 'A template by its name (job-spotlight)' }),
  status: z.enum(renderStatuses).optional(),
  search: z.string().max(100).optional().openapi({
    description: "Literal text in a shown job's title or employer, an explainer's title or a flyer's month",
  }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const route = createRoute({
  method: 'get',
  path: '/api/renders',
  tags: ['renders'],
  summary: "Your site's renders, newest first",
  request: { query: querySchema },
  responses: {
    200: { description: 'renders', content: { 'application/json': { schema: z.array(renderSchema) } } },
  },
});

export const listRenders = defineRoute(anyRole, route, async (c) => {
  const { kind, template, status, search, limit, offset } = c.req.valid('query');
  const { items } = await findRenders(c.var.services.db, {
    siteId: c.var.principal.siteId,
    kind,
    template,
    status,
    search,
    limit,
    offset,
  });
  return c.json(items.map(toRenderView), 200);
});
