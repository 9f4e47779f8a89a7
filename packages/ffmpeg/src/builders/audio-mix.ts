/**
 * The sound track of a video, made in audio-only runs before the picture is encoded: the voice, and
 * music under it that ducks while the voice speaks (audioMixArgs); then one gain, measured with the
 * EBU R128 meter, brings it to the loudness the platforms play at, with a look-ahead limiter holding
 * the peaks under the ceiling (loudnessGainArgs). ffmpeg's loudnorm does both in one filter but
 * resamples to 192 kHz to do it: 1.4 s a pass for 30 s of sound here, against 0.1–0.2 s for these.
 */

/** The platforms' playback loudness (视频号 and 抖音 normalise to about −14 LUFS) and peak ceiling. */
export const LOUDNESS_TARGET = { integrated: -14, truePeak: -1.5, range: 11 } as const;

export interface AudioMix {
  /** The narration, already placed on the video's timeline (mono or stereo WAV), or null. */
  voice: string | null;
  /** Music, looped to the length, or null. */
  music: string | null;
  /** A clip's own sound to keep under the voice, or null. */
  ambience?: string | null;
  seconds: number;
  /** Music level under no voice, in dB (negative). */
  musicGainDb?: number;
  /** The mixed track (16-bit stereo WAV, 44.1 kHz). */
  output: string;
}

const num = (value: number, what: string) => {
  if (!Number.isFinite(value)) throw new Error(`${what} is not a number: ${value}`);
  return value.toFixed(3);
};

export function audioMixArgs(mix: AudioMix): string[] {
  if (!mix.voice && !mix.music && !mix.ambience) throw new Error('a sound track needs a voice, music or ambience');
  const seconds = num(mix.seconds, 'seconds');
  const fadeOut = num(Math.max(0, mix.seconds - 1.5), 'fade start');
  const inputs: string[] = [];
  const filters: string[] = [];
  const stereo = 'aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo';
  let index = 0;
  let voice: string | null = null;
  let bed: string[] = [];
  if (mix.voice) {
    inputs.push('-i', mix.voice);
    filters.push(`[${index}:a]${stereo},apad,atrim=end=${seconds},asplit=2[voice][key]`);
    voice = '[voice]';
    index++;
  }
  if (mix.music) {
    inputs.push('-stream_loop', '-1', '-i', mix.music);
    const gain = num(mix.musicGainDb ?? -12, 'music gain');
    filters.push(
      `[${index}:a]${stereo},atrim=end=${seconds},asetpts=N/SR/TB,afade=t=in:d=0.5,afade=t=out:st=${fadeOut}:d=1.5,volume=${gain}dB[music]`,
    );
    bed.push('[music]');
    index++;
  }
  if (mix.ambience) {
    inputs.push('-i', mix.ambience);
    filters.push(`[${index}:a]${stereo},apad,atrim=end=${seconds},volume=-14dB[ambience]`);
    bed.push('[ambience]');
    index++;
  }
  if (bed.length > 1) {
    filters.push(`${bed.join('')}amix=inputs=${bed.length}:duration=first:normalize=0[bed]`);
    bed = ['[bed]'];
  }
  let mixed: string;
  if (voice && bed.length === 1) {
    // The bed drops by up to ~12 dB while the voice speaks and comes back over a third of a second.
    filters.push(`${bed[0]}[key]sidechaincompress=threshold=0.02:ratio=6:attack=20:release=350[ducked]`);
    filters.push(`[ducked]${voice}amix=inputs=2:duration=first:normalize=0[mixed]`);
    mixed = '[mixed]';
  } else if (voice) {
    filters.push('[key]anullsink');
    mixed = voice;
  } else {
    mixed = bed[0] as string;
  }
  // The meter reads the mix on its way out: the gain that follows needs no pass of its own to measure.
  filters.push(`${mixed}aresample=44100,aformat=sample_fmts=s16:channel_layouts=stereo,asplit=2[out][meter]`);
  filters.push(`[meter]${METER}`);
  return [
    ...inputs,
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[out]',
    '-t',
    seconds,
    '-c:a',
    'pcm_s16le',
    '-y',
    '-f',
    'wav',
    mix.output,
  ];
}

/** A clip's own sound, cut to its scene: read from `startS` for `seconds`, placed at `atS` of the video. */
export interface FootageSound {
  file: string;
  startS: number;
  seconds: number;
  atS: number;
}

/**
 * The clips' own sound laid on the video's timeline as one stereo WAV (the `ambience` of audioMixArgs):
 * each piece fades in and out over a few frames so a cut never clicks.
 */
export function footageSoundArgs(pieces: readonly FootageSound[], seconds: number, output: string): string[] {
  if (pieces.length === 0) throw new Error('footage sound needs at least one clip');
  const inputs: string[] = [];
  const filters: string[] = [];
  for (const [j, piece] of pieces.entries()) {
    inputs.push('-ss', num(piece.startS, 'clip start'), '-t', num(piece.seconds, 'clip length'), '-i', piece.file);
    const fade = Math.min(0.3, piece.seconds / 4);
    const delay = Math.round(piece.atS * 1000);
    if (!Number.isInteger(delay) || delay < 0) throw new Error(`clip sound placed at ${piece.atS}`);
    filters.push(
      `[${j}:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=end=${num(piece.seconds, 'clip length')},` +
        `asetpts=N/SR/TB,afade=t=in:d=${num(fade, 'fade')},afade=t=out:st=${num(piece.seconds - fade, 'fade start')}:d=${num(fade, 'fade')},` +
        `adelay=${delay}:all=1[p${j}]`,
    );
  }
  const labels = pieces.map((_, j) => `[p${j}]`).join('');
  const end = num(seconds, 'seconds');
  filters.push(
    pieces.length > 1
      ? `${labels}amix=inputs=${pieces.length}:duration=longest:normalize=0,apad,atrim=end=${end}[out]`
      : `${labels}apad,atrim=end=${end}[out]`,
  );
  return [
    ...inputs,
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[out]',
    '-c:a',
    'pcm_s16le',
    '-y',
    '-f',
    'wav',
    output,
  ];
}

/** ffmpeg's EBU R128 meter with true peak, its summary only (parseEbur128 reads it from stderr). */
export const METER = 'ebur128=peak=true:framelog=verbose,anullsink';

/** Sample peaks the limiter allows: −3 dBFS leaves room for the true peak between samples and for AAC. */
const LIMIT = 0.708;

/** A track brought up or down by `gainDb`, its peaks held under the limit (look-ahead, delay compensated). */
export function loudnessGainArgs(input: string, gainDb: number, output: string): string[] {
  const gain = num(gainDb, 'gain');
  return [
    '-i',
    input,
    '-filter_complex',
    `[0:a]volume=${gain}dB,alimiter=limit=${LIMIT}:level=0:latency=1:attack=5:release=60,asplit=2[out][meter];[meter]${METER}`,
    '-map',
    '[out]',
    '-c:a',
    'pcm_s16le',
    '-y',
    '-f',
    'wav',
    output,
  ];
}
