import { z } from '@hono/zod-openapi';
import { type SiteVoice, siteVoiceChoices, siteVoiceLabels } from '@jobcast/renders';
import { VOICE_RATE } from '@jobcast/speech';

export const siteVoiceSchema = z
  .object({
    provider: z
      .string()
      .openapi({ example: 'espeak', description: 'A voice provider id (espeak, tencent, volcengine)' }),
    providerLabel: z.string().openapi({ example: '离线语音（eSpeak NG）' }),
    voice: z
      .string()
      .nullable()
      .openapi({ example: 'female', description: "The provider's voice id; null: its default" }),
    voiceLabel: z.string().nullable().openapi({ example: '离线女声' }),
    rate: z.number().openapi({ example: 1, description: `Pace: 1 is normal, ${VOICE_RATE.min}–${VOICE_RATE.max}` }),
    providers: z
      .array(
        z.object({
          id: z.string(),
          label: z.string(),
          configured: z.boolean().openapi({ description: 'False when a cloud voice lacks its credentials here' }),
          voices: z.array(z.object({ id: z.string(), label: z.string() })),
        }),
      )
      .openapi({ description: 'What the voice may be set to' }),
  })
  .openapi('SiteVoice');
export type SiteVoiceView = z.infer<typeof siteVoiceSchema>;

/** The site's voice as the API and the console show it, with every provider and voice it could be. */
export function siteVoiceView(site: SiteVoice, env: NodeJS.ProcessEnv = process.env): SiteVoiceView {
  return {
    provider: site.voiceProvider,
    ...siteVoiceLabels(site),
    voice: site.voice,
    rate: site.voiceRate,
    providers: siteVoiceChoices(env),
  };
}
