import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { getSiteById } from '@jobcast/db';
import { narrate, VoiceProviderError, voiceProvider, writeWav } from '@jobcast/speech';
import { errorResponse } from '../../errors.ts';
import { RENDER_MAKERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';

/** What every preview says: a line of the kind a job video opens with. */
export const PREVIEW_TEXT = '您好！本周好岗位来了：仓库管理员，月薪4500-6000元，欢迎报名。';

/** Previews already spoken, by voice and pace: the media team tries a few voices, again and again. */
const spoken = new Map<string, Buffer>();
const KEPT_PREVIEWS = 32;

const route = createRoute({
  method: 'get',
  path: '/api/voices/preview',
  tags: ['renders'],
  summary: 'A short sample of a narration voice at a pace, as WAV, for choosing a voice before a render',
  request: {
    query: z.object({
      voice: z
        .string()
        .regex(/^(?:[a-z0-9-]{1,40}(?::[A-Za-z0-9_.-]{1,80})?)?$/)
        .default('')
        .openapi({
          description: "provider:voice (espeak:female); empty for the site's voice",
          example: 'espeak:female',
        }),
      rate: z.coerce.number().min(0.5).max(2).default(1),
    }),
  },
  responses: {
    200: { description: 'the sample', content: { 'audio/wav': { schema: z.any() } } },
    503: errorResponse('语音服务不可用，信息里说明原因 (the voice service failed; the message says why)'),
  },
});

export const voicePreview = defineRoute(RENDER_MAKERS, route, async (c) => {
  const { voice: chosen, rate } = c.req.valid('query');
  const site = await getSiteById(c.var.services.db, c.var.principal.siteId);
  const [providerId = '', voiceId] = chosen.split(':', 2);
  const key = JSON.stringify([providerId || site.voiceProvider, voiceId || site.voice, rate]);
  let wav = spoken.get(key);
  if (!wav) {
    try {
      const provider = voiceProvider(providerId || site.voiceProvider);
      const narration = await narrate(PREVIEW_TEXT, {
        provider,
        voice: voiceId || (providerId ? undefined : (site.voice ?? undefined)),
        rate,
        retryDelaysMs: [300],
      });
      wav = writeWav(narration.pcm);
    } catch (error) {
      if (error instanceof VoiceProviderError) {
        throw new JobcastError(error.kind === 'transient' ? 'UNAVAILABLE' : 'BAD_INPUT', error.message);
      }
      throw error;
    }
    if (spoken.size >= KEPT_PREVIEWS) spoken.delete(spoken.keys().next().value as string);
    spoken.set(key, wav);
  }
  return c.body(new Uint8Array(wav), 200, { 'content-type': 'audio/wav', 'cache-control': 'private, max-age=3600' });
});
