import { createRoute, z } from '@hono/zod-openapi';
import { listCoverage as queryCoverage } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { kpiYearQuery } from '../kpi/get.ts';
import {
  coverageSchema,
  rangeOf,
  serviceYearSchema,
  serviceYearView,
  siteServiceYear,
  toCoverageView,
} from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/coverage',
  tags: ['publications'],
  summary: "The service year's media reports (媒体宣传), newest first, with the counts the contract scores",
  request: { query: kpiYearQuery },
  responses: {
    200: {
      description: 'the service year’s media reports',
      content: {
        'application/json': {
          schema: z
            .object({
              serviceYear: serviceYearSchema,
              count: z.number().int(),
              nationalCount: z.number().int().openapi({ description: 'Of them in national or ministerial media' }),
              items: z.array(coverageSchema),
            })
            .openapi('CoverageList'),
        },
      },
    },
  },
});

export const listCoverage = defineRoute(anyRole, route, async (c) => {
  const { site, sy } = await siteServiceYear(c, c.req.valid('query').year);
  const rows = await queryCoverage(c.var.services.db, site.id, rangeOf(sy));
  return c.json(
    {
      serviceYear: serviceYearView(sy),
      count: rows.length,
      nationalCount: rows.filter((row) => row.level === 'national').length,
      items: rows.map(toCoverageView),
    },
    200,
  );
});
