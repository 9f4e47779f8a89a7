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
