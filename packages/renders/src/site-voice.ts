/**
 * The voice a site's videos are narrated in unless a render picks another (sites.voice_provider, voice,
 * voice_rate), as the API, the console and the CLI set and show it.
 */
import { type Database, setSiteVoice } from '@jobcast/db';
import { checkVoiceChoice, voiceCatalog } from '@jobcast/speech';

export interface SiteVoice {
  voiceProvider: string;
  voice: string | null;
  voiceRate: number;
}

/** Every provider and its voices, and whether this server could speak with it (a cloud voice's credentials are set). */
export function siteVoiceChoices(env: NodeJS.ProcessEnv = process.env): {
  id: string;
  label: string;
  configured: boolean;
  voices: { id: string; label: string }[];
}[] {
  return voiceCatalog().map((p) => ({
    id: p.id,
    label: p.label,
    configured: isConfigured(p.id, env),
    voices: p.voices.map((v) => ({ id: v.id, label: v.label })),
  }));
}

function isConfigured(provider: string, env: NodeJS.ProcessEnv): boolean {
  try {
    checkVoiceChoice({ provider }, env);
    return true;
  } catch {
    return false;
  }
}

/** The provider's and the voice's Chinese names (离线语音（eSpeak NG）, 离线女声); null for the provider's default voice. */
export function siteVoiceLabels(site: SiteVoice): { providerLabel: string; voiceLabel: string | null } {
  const provider = voiceCatalog().find((p) => p.id === site.voiceProvider);
  return {
    providerLabel: provider?.label ?? site.voiceProvider,
    voiceLabel: site.voice === null ? null : (provider?.voices.find((v) => v.id === site.voice)?.label ?? site.voice),
  };
}

/**
 * Sets the site's voice after checking it (BAD_INPUT naming the field: a provider this server is
 * configured for, one of its voices, a pace of 0.5–2).
 */
export async function chooseSiteVoice(
  db: Database,
  siteId: number,
  choice: { provider: string; voice?: string | null; rate?: number },
  env: NodeJS.ProcessEnv = process.env,
): Promise<SiteVoice> {
  return setSiteVoice(db, siteId, checkVoiceChoice(choice, env));
}
