import { createRoute, z } from '@hono/zod-openapi';
import { listJobs as queryJobs } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { jobViewSchema } from '../../schemas.ts';
import { categoryQuery } from './category.ts';

const querySchema = z.object({
  category: categoryQuery,
  search: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'Literal text in the title, employer or location (% and _ are not wildcards)' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const jobPageSchema = z
  .object({
    items: z.array(jobViewSchema),
    total: z.number().int().openapi({ description: 'Jobs matching the filters, all pages together' }),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('JobPage');

const route = createRoute({
  method: 'get',
  path: '/api/jobs',
  tags: ['jobs'],
  summary: "Your site's jobs, most recently updated first",
  request: { query: querySchema },
  responses: {
    200: { description: 'one page of jobs', content: { 'application/json': { schema: jobPageSchema } } },
  },
});

export const listJobs = defineRoute(anyRole, route, async (c) => {
  const { category, search, limit, offset } = c.req.valid('query');
  const page = await queryJobs(c.var.services.db, { siteId: c.var.principal.siteId, category, search, limit, offset });
  return c.json({ ...page, limit, offset }, 200);
});
