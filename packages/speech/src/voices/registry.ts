import { espeakProvider } from './espeak.ts';
import type { VoiceProvider } from './provider.ts';
import { VoiceProviderError } from './provider.ts';
import { TENCENT_LABEL, tencentProvider } from './tencent.ts';
import { VOLCENGINE_LABEL, volcengineProvider } from './volcengine.ts';

/** The voice providers a site can choose, by id; each made when asked for (a cloud one reads its credentials then). */
const FACTORIES: Record<string, { label: string; make: (env: NodeJS.ProcessEnv) => VoiceProvider }> = {
  espeak: { label: '离线语音（eSpeak NG）', make: () => espeakProvider() },
  tencent: { label: TENCENT_LABEL, make: (env) => tencentProvider(env) },
  volcengine: { label: VOLCENGINE_LABEL, make: (env) => volcengineProvider(env) },
};

export function voiceProviderIds(): { id: string; label: string }[] {
  return Object.entries(FACTORIES).map(([id, f]) => ({ id, label: f.label }));
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
