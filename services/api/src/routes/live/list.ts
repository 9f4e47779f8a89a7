import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByCode } from '@jobcast/db';
import { currentServiceYear } from '@jobcast/ledger';
import { listLiveSessions } from '@jobcast/live';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { liveYearSchema } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/live',
  tags: ['live'],
  summary: "A year's livestreams of your site, and the qualified ones against the targets (48 直播带岗, 12 others)",
  request: {
    query: z.object({
      year: z.coerce.number().int().min(2000).max(2100).optional().openapi({
        description: "The service year (the year it starts in, from the site's start day); by default the current one",
        example: 2026,
      }),
    }),
  },
  responses: {
    200: { description: 'the year', content: { 'application/json': { schema: liveYearSchema } } },
  },
});

export const listLive = defineRoute(anyRole, route, async (c) => {
  const { db } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const year = c.req.valid('query').year ?? currentServiceYear(site);
  return c.json(await listLiveSessions(db, site, year), 200);
});
