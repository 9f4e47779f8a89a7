import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { calendarDate, listFairs, onsiteFairMonths } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { siteServiceYear } from '../publications/view.ts';
import { fairCounts, fairYearSchema, toFairView } from './view.ts';

const day = (description: string) =>
  z.string().optional().openapi({ format: 'date', description, example: '2026-05-01' });

const route = createRoute({
  method: 'get',
  path: '/api/fairs',
  tags: ['fairs'],
  summary: "Your site's job fairs of a service year (or of the days from..to), each with its verdict and reasons",
  request: {
    query: z.object({
      year: z.coerce.number().int().min(2000).max(2100).optional().openapi({
        description: "The service year (the year it starts in, from the site's start day); by default the current one",
        example: 2026,
      }),
      from: day('The first day (site time); with `to` instead of `year`'),
      to: day('The day after the last day (site time)'),
    }),
  },
  responses: {
    200: { description: 'the fairs', content: { 'application/json': { schema: fairYearSchema } } },
  },
});

export const listFairsRoute = defineRoute(anyRole, route, async (c) => {
  const { db } = c.var.services;
  const query = c.req.valid('query');
  if ((query.from === undefined) !== (query.to === undefined) || (query.from !== undefined && query.year)) {
    throw new JobcastError('BAD_INPUT', '请给出 year，或同时给出 from 和 to', {
      fields: [{ field: 'from', reason: 'year, or from and to' }],
    });
  }
  if (query.from !== undefined && query.to !== undefined) {
    const from = calendarDate(query.from, 'from');
    const to = calendarDate(query.to, 'to');
    const fairs = await listFairs(db, c.var.principal.siteId, from, to);
    return c.json({ from, to, year: null, counts: fairCounts(fairs), months: [], fairs: fairs.map(toFairView) }, 200);
  }
  const { site, sy } = await siteServiceYear(c, query.year);
  const fairs = await listFairs(db, site.id, sy.start, sy.endExclusive);
  return c.json(
    {
      from: sy.start,
      to: sy.endExclusive,
      year: sy.year,
      counts: fairCounts(fairs),
      months: onsiteFairMonths(sy, fairs),
      fairs: fairs.map(toFairView),
    },
    200,
  );
});
