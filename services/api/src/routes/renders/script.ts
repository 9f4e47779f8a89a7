import { createRoute, z } from '@hono/zod-openapi';
import { renderRequests } from '@jobcast/queue';
import { draftVideoScript } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { RENDER_MAKERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';

const draftSchema = z
  .object({
    script: z.string().openapi({ description: 'A paragraph per scene, a blank line between; "-" for a silent scene' }),
    omitted: z.array(z.string()).openapi({ description: 'What the rule writer left out to fit the scenes' }),
    writer: z
      .object({ provider: z.string(), providerLabel: z.string(), model: z.string() })
      .nullable()
      .openapi({ description: "The AI writer whose draft passed the check; null for the rule writer's script" }),
    note: z
      .string()
      .nullable()
      .openapi({ description: "Why the AI writer's draft was refused and the rule writer's script is given instead" }),
  })
  .openapi('VideoScriptDraft');

const route = createRoute({
  method: 'post',
  path: '/api/renders/script',
  tags: ['renders'],
  summary:
    "Draft a video's narration to edit before asking for it: the rule writer's, or with writer \"ai\" the AI writer's once checked against the jobs",
  request: { body: { required: true, content: { 'application/json': { schema: renderRequests.video } } } },
  responses: {
    200: { description: 'the draft', content: { 'application/json': { schema: draftSchema } } },
    404: errorResponse('某个岗位不存在 (a job of the request does not exist on your site)'),
  },
});

export const draftRenderScript = defineRoute(RENDER_MAKERS, route, async (c) => {
  const { db, config } = c.var.services;
  const draft = await draftVideoScript(
    { db, templatesDir: config.templatesDir },
    c.var.principal.siteId,
    c.req.valid('json'),
  );
  return c.json(
    { script: draft.script, omitted: draft.omitted, writer: draft.writer ?? null, note: draft.note ?? null },
    200,
  );
});
