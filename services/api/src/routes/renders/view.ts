import { z } from '@hono/zod-openapi';
import { renderKinds, renderStatuses } from '@jobcast/core';
import type { Render } from '@jobcast/db';

export const renderSchema = z
  .object({
    renderId: z.number().int(),
    kind: z.enum(renderKinds),
    template: z.string(),
    status: z.enum(renderStatuses),
    progress: z.number().int().openapi({ description: '0 to 100' }),
    attempts: z.number().int().openapi({ description: 'Runs started, counting the one under way' }),
    jobIds: z
      .array(z.number().int())
      .openapi({ description: 'The jobs shown, in order (a filter is resolved when asked)' }),
    aiVideo: z.boolean().openapi({ description: 'True exactly when an AI component made part of the video' }),
    aiComponents: z
      .array(
        z.object({
          kind: z.enum(['voice', 'script', 'presenter']),
          provider: z.string(),
          providerLabel: z.string(),
          model: z.string(),
          voice: z.string().optional(),
          at: z.string().openapi({ format: 'date-time' }),
        }),
      )
      .openapi({ description: 'What AI made part of the video, with provider, model and time: the AI-video evidence' }),
    script: z.string().nullable().openapi({ description: 'The narration as spoken, a paragraph per scene' }),
    scriptNote: z
      .string()
      .nullable()
      .openapi({ description: "Why the AI script writer's draft was not spoken (the rule writer's script was)" }),
    output: z
      .object({
        url: z.string(),
        coverUrl: z.string().nullable(),
        captionsUrl: z.string().nullable().openapi({ description: 'SubRip captions of a narrated video' }),
        previewUrls: z.array(z.string()).openapi({ description: "A flyer's pages as PNG, in order" }),
        mimeType: z.string(),
        width: z.number().int().nullable(),
        height: z.number().int().nullable(),
        durationS: z.number().nullable(),
        pages: z.number().int().nullable(),
        bytes: z.number().int(),
      })
      .nullable()
      .openapi({ description: 'Set once the render is done and its files passed their checks' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    startedAt: z.string().nullable().openapi({ format: 'date-time' }),
    finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
    statusUrl: z.string(),
  })
  .openapi('Render');

export type RenderView = z.infer<typeof renderSchema>;

export function toRenderView(render: Render): RenderView {
  const base = `/api/renders/${render.id}`;
  return {
    renderId: render.id,
    kind: render.kind,
    template: render.template,
    status: render.status,
    progress: render.progress,
    attempts: render.attempts,
    jobIds: render.jobIds,
    aiVideo: render.aiVideo,
    aiComponents: render.aiComponents,
    script: render.script,
    scriptNote: render.scriptNote,
    output:
      render.status === 'done' && render.outputKey && render.mimeType
        ? {
            url: `${base}/output`,
            coverUrl: render.coverKey ? `${base}/output?file=cover` : null,
            captionsUrl: render.captionsKey ? `${base}/output?file=captions` : null,
            previewUrls: (render.previewKeys ?? []).map((_, i) => `${base}/output?file=page-${i + 1}`),
            mimeType: render.mimeType,
            width: render.width,
            height: render.height,
            durationS: render.durationS,
            pages: render.pages,
            bytes: render.bytes ?? 0,
          }
        : null,
    error: render.errorCode ? { code: render.errorCode, message: render.errorMessage ?? '' } : null,
    createdAt: render.createdAt.toISOString(),
    startedAt: render.startedAt?.toISOString() ?? null,
    finishedAt: render.finishedAt?.toISOString() ?? null,
    statusUrl: base,
  };
}
