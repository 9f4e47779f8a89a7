import { createRoute, z } from '@hono/zod-openapi';
import { getScreen, getSiteByCode } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { screenPlaysSchema, screenPlaysView } from './view.ts';

const day = z
  .string()
  .max(20)
  .optional()
  .openapi({ format: 'date', description: "A day on the site's clock, YYYY-MM-DD" });

const route = createRoute({
  method: 'get',
  path: '/api/screen-plays',
  tags: ['screens'],
  summary: 'Plays per day, screen, video and job between two days (both included; by default this week)',
  request: {
    query: z.object({
      from: day,
      to: day,
      screenId: idSchema.optional().openapi({ description: 'Only this screen' }),
    }),
  },
  responses: {
    200: { description: 'the tallies', content: { 'application/json': { schema: screenPlaysSchema } } },
  },
});

export const screenPlaysRoute = defineRoute(anyRole, route, async (c) => {
  const { db, config } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const query = c.req.valid('query');
  if (query.screenId !== undefined) await getScreen(db, site.id, query.screenId);
  return c.json(await screenPlaysView({ db, templatesDir: config.templatesDir }, site, query), 200);
});
