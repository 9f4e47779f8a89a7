export * from './narrate.ts';
export * from './text/index.ts';
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
export { voiceProvider, voiceProviderIds } from './voices/registry.ts';
export { durationOf, type Pcm, pcmFromRaw, peakOf, readWav, trimSilence, WavError, writeWav } from './voices/wav.ts';
