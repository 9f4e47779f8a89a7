import { JobcastError } from '@jobcast/core';
import { ESPEAK_VOICES, espeakProvider } from './espeak.ts';
import type { VoiceInfo, VoiceProvider } from './provider.ts';
import { VoiceProviderError } from './provider.ts';
import { TENCENT_LABEL, TENCENT_VOICES, tencentProvider } from './tencent.ts';
import { VOLCENGINE_LABEL, VOLCENGINE_VOICES, volcengineProvider } from './volcengine.ts';

/** The voice providers a site can choose, by id; each made when asked for (a cloud one reads its credentials then). */
const FACTORIES: Record<
  string,
  { label: string; voices: readonly VoiceInfo[]; make: (env: NodeJS.ProcessEnv) => VoiceProvider }
> = {
  espeak: { label: '离线语音（eSpeak NG）', voices: ESPEAK_VOICES, make: () => espeakProvider() },
  tencent: { label: TENCENT_LABEL, voices: TENCENT_VOICES, make: (env) => tencentProvider(env) },
  volcengine: { label: VOLCENGINE_LABEL, voices: VOLCENGINE_VOICES, make: (env) => volcengineProvider(env) },
};

export function voiceProviderIds(): { id: string; label: string }[] {
  return Object.entries(FACTORIES).map(([id, f]) => ({ id, label: f.label }));
}

/** Every provider with its voices, as a form offers them (no credentials are read). */
export function voiceCatalog(): { id: string; label: string; voices: readonly VoiceInfo[] }[] {
  return Object.entries(FACTORIES).map(([id, f]) => ({ id, label: f.label, voices: f.voices }));
}

/** The provider of that id, or an error naming the ones there are. */
export function voiceProvider(id: string, env: NodeJS.ProcessEnv = process.env): VoiceProvider {
  const factory = FACTORIES[id];
  if (!factory) {
    throw new VoiceProviderError(
      id,
      'auth',
      `没有「${id}」这个语音服务，可选：${voiceProviderIds()
        .map((p) => `${p.id}（${p.label}）`)
        .join('、')}`,
    );
  }
  return factory.make(env);
}

/** The paces a voice may be set to: 1 is its normal pace (what every provider's rate maps from). */
export const VOICE_RATE = { min: 0.5, max: 2 } as const;

/** A site's narration voice: a provider id, one of its voices (null: its default) and a pace. */
export interface VoiceChoice {
  provider: string;
  voice: string | null;
  rate: number;
}

/**
 * A voice choice as a site may keep it, or BAD_INPUT naming what is wrong: a provider JobCast has and
 * this server is configured for (a cloud voice's credentials are in its environment; nothing is
 * called), one of that provider's voices, and a pace within {@link VOICE_RATE}.
 */
export function checkVoiceChoice(
  choice: { provider: string; voice?: string | null; rate?: number },
  env: NodeJS.ProcessEnv = process.env,
): VoiceChoice {
  const rate = choice.rate ?? 1;
  if (!Number.isFinite(rate) || rate < VOICE_RATE.min || rate > VOICE_RATE.max) {
    throw new JobcastError(
      'BAD_INPUT',
      `语速须为 ${VOICE_RATE.min} 到 ${VOICE_RATE.max} 之间的数字（1 为正常语速）${Number.isFinite(rate) ? `，填写的是 ${rate}` : ''}`,
      { field: 'rate' },
    );
  }
  const factory = FACTORIES[choice.provider];
  if (!factory) {
    throw new JobcastError(
      'BAD_INPUT',
      `没有「${choice.provider}」这个语音服务，可选：${voiceProviderIds()
        .map((p) => `${p.id}（${p.label}）`)
        .join('、')}`,
      { field: 'provider' },
    );
  }
  try {
    // Only reads the provider's settings: a cloud voice missing its credentials says which variables.
    factory.make(env);
  } catch (error) {
    if (!(error instanceof VoiceProviderError)) throw error;
    throw new JobcastError('BAD_INPUT', `${error.message}（语音服务 ${choice.provider} 未配置）`, {
      field: 'provider',
    });
  }
  const voice = choice.voice?.trim() || null;
  if (voice !== null && !factory.voices.some((v) => v.id === voice)) {
    throw new JobcastError(
      'BAD_INPUT',
      `${factory.label}没有「${voice}」这个声音，可选：${factory.voices.map((v) => `${v.id}（${v.label}）`).join('、')}`,
      { field: 'voice' },
    );
  }
  return { provider: choice.provider, voice, rate };
}
