import { createRoute, z } from '@hono/zod-openapi';
import { getFair, setFairEmployers } from '@jobcast/db';
import { FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fairWithNoticeSchema } from './create.ts';
import { fairNotFound } from './get.ts';
import { employerEntries, employerListSchema, mergedNotice } from './input.ts';
import { fairParams, toFairDetailView } from './view.ts';

const route = createRoute({
  method: 'put',
  path: '/api/fairs/{id}/employers',
  tags: ['fairs'],
  summary: "Set a job fair's employers (by id or name from the job pool) and the jobs each brought",
  description:
    'An unknown name is refused, naming it. The same employer listed twice is one row (named in `merged`). ' +
    "An employer's jobs default to its jobs open on the fair's day (site time); jobs given must be its own.",
  request: {
    params: fairParams,
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ employers: employerListSchema }) } },
    },
  },
  responses: {
    200: { description: 'set', content: { 'application/json': { schema: fairWithNoticeSchema } } },
    404: fairNotFound,
  },
});

export const setFairEmployersRoute = defineRoute(FAIR_MANAGERS, route, async (c) => {
  const { db } = c.var.services;
  const { siteId } = c.var.principal;
  const { id } = c.req.valid('param');
  const { merged } = await setFairEmployers(db, siteId, id, employerEntries(c.req.valid('json').employers));
  return c.json({ ...toFairDetailView(await getFair(db, siteId, id)), merged, notice: mergedNotice(merged) }, 200);
});
