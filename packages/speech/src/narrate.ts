import { createHash } from 'node:crypto';
import { applyLexicon, defaultLexicon, type Lexicon, normalizeForSpeech, splitClauses } from './text/index.ts';
import { type SynthesisRequest, type VoiceProvider, VoiceProviderError, type WordTiming } from './voices/provider.ts';
import { durationOf, type Pcm, peakOf, readWav, trimSilence, writeWav } from './voices/wav.ts';

/** A caption cue: the script's own words (digits as written), when the voice says them. */
export interface Cue {
  text: string;
  start: number;
  end: number;
  /** Word timings within the whole narration, where the engine gave them. */
  words?: WordTiming[];
}

/** Synthesised clauses, kept by (provider, voice, rate, text): a re-render or an edit of one clause costs nothing. */
export interface SpeechCache {
  get(key: string): Promise<Buffer | null>;
  put(key: string, wav: Buffer): Promise<void>;
}

/** What the render records of the voice: the evidence that an AI component made the video's speech. */
export interface VoiceRecord {
  provider: string;
  providerLabel: string;
  model: string;
  voice: string;
  rate: number;
}

export interface Narration {
  pcm: Pcm;
  seconds: number;
  cues: Cue[];
  voice: VoiceRecord;
  clauses: number;
  /** How many clauses came from the cache. */
  cached: number;
}

export interface NarrateOptions {
  provider: VoiceProvider;
  voice?: string;
  rate?: number;
  cache?: SpeechCache;
  lexicon?: Lexicon;
  /** The most characters a caption shows at once (two lines): clauses are cut to it. */
  clauseChars?: number;
  /** Waits before the 2nd and 3rd try of a transient failure. */
  retryDelaysMs?: readonly number[];
  signal?: AbortSignal;
}

/** Pauses after a clause, by how it ends: a sentence breathes longer than a comma. */
const PAUSE_AFTER_SENTENCE_S = 0.28;
const PAUSE_AFTER_CLAUSE_S = 0.12;

/**
 * Speaks a script: cut into clauses, each normalised for speech (pay, phones, years), polyphones
 * fixed from the lexicon, synthesised (from the cache when it can), trimmed of the voice's own
 * silence and joined with short pauses. Each clause's place is a caption cue, so captions follow the
 * speech with any engine.
 */
export async function narrate(script: string, options: NarrateOptions): Promise<Narration> {
  const { provider } = options;
  const voice = options.voice ?? provider.defaultVoice;
  if (!provider.voices.some((v) => v.id === voice)) {
    throw new VoiceProviderError(
      provider.id,
      'request',
      `${provider.label}没有「${voice}」这个声音，可选：${provider.voices.map((v) => `${v.id}（${v.label}）`).join('、')}`,
    );
  }
  const rate = options.rate ?? 1;
  const lexicon = options.lexicon ?? defaultLexicon();
  const clauseChars = Math.min(options.clauseChars ?? 22, provider.maxChars);
  // A clause with nothing to say once normalised (a stray tag, a row of emoji) is neither spoken nor captioned.
  const clauses = splitClauses(script, clauseChars)
    .map((clause) => ({ clause, text: applyLexicon(normalizeForSpeech(clause), lexicon, provider.markPinyin) }))
    .filter(({ text }) => spoken(text) !== '');
  if (clauses.length === 0) throw new VoiceProviderError(provider.id, 'request', '配音稿是空的，没有可以朗读的文字');

  const parts: { pcm: Pcm; text: string; words?: WordTiming[] }[] = [];
  let cached = 0;
  for (const { clause, text } of clauses) {
    const request: SynthesisRequest = { text, voice, rate, signal: options.signal };
    const key = cacheKey(provider.id, voice, rate, text);
    const hit = await options.cache?.get(key);
    let pcm: Pcm;
    let words: WordTiming[] | undefined;
    if (hit) {
      pcm = readWav(hit);
      cached++;
    } else {
      const synthesis = await withRetries(() => provider.synthesize(request), options.retryDelaysMs ?? [500, 1500]);
      pcm = trimSilence(synthesis.pcm);
      words = synthesis.words;
      if (peakOf(pcm) < 0.01) {
        throw new VoiceProviderError(provider.id, 'transient', `${provider.label}返回了无声的音频：「${clause}」`);
      }
      await options.cache?.put(key, writeWav(pcm));
    }
    parts.push({ pcm, text: caption(clause), words });
  }

  const sampleRate = (parts[0] as (typeof parts)[number]).pcm.sampleRate;
  const cues: Cue[] = [];
  const chunks: Int16Array[] = [];
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (part.pcm.sampleRate !== sampleRate) {
      throw new VoiceProviderError(provider.id, 'request', `${provider.label}返回的音频采样率不一致`);
    }
    const start = at / sampleRate;
    chunks.push(part.pcm.samples);
    at += part.pcm.samples.length;
    const cue: Cue = { text: part.text, start, end: at / sampleRate };
    if (part.words) {
      cue.words = part.words.map((w) => ({ ...w, startMs: w.startMs + start * 1000, endMs: w.endMs + start * 1000 }));
    }
    cues.push(cue);
    if (i < parts.length - 1) {
      const pause = /[。！？；!?;]$/.test(clauses[i]?.clause ?? '') ? PAUSE_AFTER_SENTENCE_S : PAUSE_AFTER_CLAUSE_S;
      const silence = new Int16Array(Math.round(pause * sampleRate));
      chunks.push(silence);
      at += silence.length;
    }
  }
  const samples = new Int16Array(at);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  const pcm = { sampleRate, samples };
  return {
    pcm,
    seconds: durationOf(pcm),
    cues,
    voice: { provider: provider.id, providerLabel: provider.label, model: provider.model, voice, rate },
    clauses: parts.length,
    cached,
  };
}

export function cacheKey(provider: string, voice: string, rate: number, text: string): string {
  return createHash('sha256')
    .update(JSON.stringify([provider, voice, rate, text]))
    .digest('hex');
}

/** What a clause says, without punctuation and spaces: a clause of only symbols is not spoken. */
function spoken(clause: string): string {
  return clause.replace(/[\p{P}\p{S}\s]/gu, '');
}

/** A caption drops the clause's closing comma or stop, as subtitles do; ！ and ？ stay. */
function caption(clause: string): string {
  return clause.trim().replace(/[，。、；：,;:]+$/u, '');
}

async function withRetries<T>(call: () => Promise<T>, delaysMs: readonly number[]): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const transient = error instanceof VoiceProviderError ? error.kind === 'transient' : true;
      if (!transient || attempt >= delaysMs.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}
