import { createRoute, z } from '@hono/zod-openapi';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { kpiYearQuery } from '../kpi/get.ts';
import { serviceYearSchema, serviceYearView, siteServiceYear } from '../publications/view.ts';
import { flyerMonths, flyerSchema, toFlyerView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/flyers',
  tags: ['flyers'],
  summary: "The service year's flyer months (招工小报), each with its issue or null where none was made",
  request: { query: kpiYearQuery },
  responses: {
    200: {
      description: 'the twelve months',
      content: {
        'application/json': {
          schema: z
            .object({
              serviceYear: serviceYearSchema,
              countedIssues: z.number().int().openapi({ description: 'Issues printed in enough copies to count' }),
              months: z.array(
                z.object({ month: z.string().openapi({ example: '2026-03' }), issue: flyerSchema.nullable() }),
              ),
            })
            .openapi('FlyerYear'),
        },
      },
    },
  },
});

export const listFlyers = defineRoute(anyRole, route, async (c) => {
  const { site, sy } = await siteServiceYear(c, c.req.valid('query').year);
  const months = (await flyerMonths(c.var.services.db, site.id, sy)).map(({ month, issue }) => ({
    month,
    issue: issue ? toFlyerView(issue) : null,
  }));
  return c.json(
    {
      serviceYear: serviceYearView(sy),
      countedIssues: months.filter(({ issue }) => issue?.counts).length,
      months,
    },
    200,
  );
});
