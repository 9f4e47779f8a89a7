import { createRoute } from '@hono/zod-openapi';
import { getSiteById } from '@jobcast/db';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { siteVoiceSchema, siteVoiceView } from './view.ts';

const route = createRoute({
  method: 'get',
  path: '/api/site/voice',
  tags: ['site'],
  summary: "The narration voice the site's videos use unless a render picks another, and the voices it could be",
  responses: {
    200: { description: "the site's voice", content: { 'application/json': { schema: siteVoiceSchema } } },
  },
});

export const getSiteVoice = defineRoute(anyRole, route, async (c) => {
  const site = await getSiteById(c.var.services.db, c.var.principal.siteId);
  return c.json(siteVoiceView(site), 200);
});
