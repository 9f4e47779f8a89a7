import { createRoute } from '@hono/zod-openapi';
import { type FairInput, fairTime, getFair, updateFair } from '@jobcast/db';
import { FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fairNotFound } from './get.ts';
import { fairFieldsSchema } from './input.ts';
import { fairDetailSchema, fairOverlapResponse, fairParams, toFairDetailView } from './view.ts';

const route = createRoute({
  method: 'patch',
  path: '/api/fairs/{id}',
  tags: ['fairs'],
  summary: "Change a job fair's record (what is given); the fair is checked whole again",
  request: {
    params: fairParams,
    body: {
      required: true,
      content: { 'application/json': { schema: fairFieldsSchema.partial().openapi('FairChange') } },
    },
  },
  responses: {
    200: { description: 'changed', content: { 'application/json': { schema: fairDetailSchema } } },
    404: fairNotFound,
    409: fairOverlapResponse,
  },
});

export const updateFairRoute = defineRoute(FAIR_MANAGERS, route, async (c) => {
  const { db } = c.var.services;
  const { siteId } = c.var.principal;
  const { id } = c.req.valid('param');
  const { startsAt, endsAt, ...rest } = c.req.valid('json');
  const change: Partial<FairInput> = { ...rest };
  if (startsAt !== undefined) change.startsAt = await fairTime(db, siteId, startsAt, 'startsAt');
  if (endsAt !== undefined) change.endsAt = await fairTime(db, siteId, endsAt, 'endsAt');
  await updateFair(db, siteId, id, change);
  return c.json(toFairDetailView(await getFair(db, siteId, id)), 200);
});
