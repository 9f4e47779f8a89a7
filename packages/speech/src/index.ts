export * from './narrate.ts';
export * from './text/index.ts';
export { CLOUD_TIMEOUT_MS, type CloudVoiceOptions } from './voices/cloud-http.ts';
export { espeakArgs, espeakProvider } from './voices/espeak.ts';
export {
  type Synthesis,
  type SynthesisRequest,
  type VoiceFaultKind,
  type VoiceInfo,
  type VoiceProvider,
  VoiceProviderError,
  type WordTiming,
} from './voices/provider.ts';
export {
  checkVoiceChoice,
  VOICE_RATE,
  type VoiceChoice,
  voiceCatalog,
  voiceProvider,
  voiceProviderIds,
} from './voices/registry.ts';
export {
  type Tc3Request,
  type Tc3Signature,
  TENCENT_LABEL,
  tc3Sign,
  tencentFaultKind,
  tencentProvider,
  tencentSpeed,
} from './voices/tencent.ts';
export { VOLCENGINE_LABEL, volcengineFaultKind, volcengineProvider } from './voices/volcengine.ts';
export { durationOf, type Pcm, pcmFromRaw, peakOf, readWav, trimSilence, WavError, writeWav } from './voices/wav.ts';
export * from './writers/index.ts';
