import { createRoute, z } from '@hono/zod-openapi';
import { chooseSiteVoice } from '@jobcast/renders';
import { VOICE_RATE } from '@jobcast/speech';
import { VOICE_SETTERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { siteVoiceSchema, siteVoiceView } from './view.ts';

const route = createRoute({
  method: 'patch',
  path: '/api/site/voice',
  tags: ['site'],
  summary:
    "Set the narration voice of the site's videos: a configured provider, one of its voices, and a pace. Renders use it unless they pick another",
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              provider: z
                .string()
                .regex(/^[a-z0-9-]{1,40}$/)
                .openapi({ example: 'tencent', description: 'A provider id; a cloud one needs its credentials set' }),
              voice: z.string().max(80).nullable().optional().openapi({
                example: '101001',
                description: "One of the provider's voices; omitted or null: its default",
              }),
              rate: z
                .number()
                .optional()
                .openapi({ example: 1.1, description: `Pace, ${VOICE_RATE.min}–${VOICE_RATE.max}; default 1` }),
            })
            .openapi('SiteVoiceChange'),
        },
      },
    },
  },
  responses: {
    200: { description: 'set', content: { 'application/json': { schema: siteVoiceSchema } } },
  },
});

export const setSiteVoiceRoute = defineRoute(VOICE_SETTERS, route, async (c) => {
  const saved = await chooseSiteVoice(c.var.services.db, c.var.principal.siteId, c.req.valid('json'));
  return c.json(siteVoiceView(saved), 200);
});
