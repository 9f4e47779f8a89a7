import { createRoute, z } from '@hono/zod-openapi';
import { listPublications as queryPublications } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { kpiYearQuery } from '../kpi/get.ts';
import {
  publicationSchema,
  rangeOf,
  serviceYearSchema,
  serviceYearView,
  siteServiceYear,
  toPublicationView,
} from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/publications',
  tags: ['publications'],
  summary: "The service year's published short videos, newest first, with the counts the contract scores",
  request: { query: kpiYearQuery },
  responses: {
    200: {
      description: 'the service year’s publications',
      content: {
        'application/json': {
          schema: z
            .object({
              serviceYear: serviceYearSchema,
              count: z.number().int(),
              aiCount: z.number().int().openapi({ description: 'Of them AI videos' }),
              items: z.array(publicationSchema),
            })
            .openapi('PublicationList'),
        },
      },
    },
  },
});

export const listPublications = defineRoute(anyRole, route, async (c) => {
  const { site, sy } = await siteServiceYear(c, c.req.valid('query').year);
  const rows = await queryPublications(c.var.services.db, site.id, rangeOf(sy));
  return c.json(
    {
      serviceYear: serviceYearView(sy),
      count: rows.length,
      aiCount: rows.filter((row) => row.aiVideo).length,
      items: rows.map(toPublicationView),
    },
    200,
  );
});
