import type { Pcm } from './wav.ts';

/** A voice a provider offers, as the 制作 page lists it. */
export interface VoiceInfo {
  /** The provider's own voice id (what its API is sent). */
  id: string;
  /** Its Chinese name for the media team: 标准女声, 知性女声 … */
  label: string;
}

/** What one synthesis call is asked for: text already normalised and within `maxChars`. */
export interface SynthesisRequest {
  text: string;
  voice: string;
  /** 1 is the voice's normal pace; 0.5–2. */
  rate: number;
  signal?: AbortSignal;
}

/** A word and when the voice says it, where the engine reports it (ms from the clause's start). */
export interface WordTiming {
  text: string;
  startMs: number;
  endMs: number;
}

export interface Synthesis {
  pcm: Pcm;
  words?: WordTiming[];
}

/**
 * One text-to-speech service behind the narration: the embedded offline voice, or a cloud voice the
 * office buys. Everything above this interface (clauses, cache, retries, cues) is the same for all.
 */
export interface VoiceProvider {
  /** Stable id, stored with every render that used it: `espeak`, `tencent`, `volcengine`. */
  readonly id: string;
  /** Chinese name: 离线语音（eSpeak NG）, 腾讯云语音合成 … */
  readonly label: string;
  /** The longest text one call takes, in characters (the provider's documented limit). */
  readonly maxChars: number;
  /** The model or engine that makes the voice, for the AI record (`eSpeak NG 1.51`, `TextToVoice 2019-08-23`). */
  readonly model: string;
  readonly voices: readonly VoiceInfo[];
  readonly defaultVoice: string;
  /** How a polyphone fix is written into the text this engine reads (tone-numbered pinyin). */
  markPinyin(word: string, pinyin: string): string | null;
  synthesize(request: SynthesisRequest): Promise<Synthesis>;
}

export type VoiceFaultKind =
  /** Credentials missing or refused: retrying will not help; the message says which variable. */
  | 'auth'
  /** A timeout, a 5xx, a refused connection, a rate limit: worth another try. */
  | 'transient'
  /** The provider refused the request itself (text, voice): retrying will not help. */
  | 'request';

/** A provider's failure, naming the provider and what to fix, in Chinese. */
export class VoiceProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: VoiceFaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'VoiceProviderError';
  }
}
