import type { BuiltinMusicId } from '@jobcast/renders';

/**
 * A music bed JobCast makes itself, so that every video can have music and none needs a licence:
 * a bright four-chord loop (I–V–vi–IV) of a soft pad, a plucked bass, an arpeggio and a light
 * off-beat shaker, synthesised sample by sample. It is a whole number of bars, so it loops without a
 * seam. Deterministic: the same bed every time (the shaker's noise comes from a fixed seed).
 */

export interface MusicBed {
  id: BuiltinMusicId;
  bpm: number;
  /** Chords as MIDI root notes with a minor flag, one per bar. */
  chords: readonly { root: number; minor: boolean }[];
  bars: number;
}

export const MUSIC_BEDS: readonly MusicBed[] = [
  {
    id: 'builtin-bright',
    bpm: 100,
    chords: [
      { root: 60, minor: false },
      { root: 67, minor: false },
      { root: 69, minor: true },
      { root: 65, minor: false },
    ],
    bars: 8,
  },
  {
    id: 'builtin-calm',
    bpm: 80,
    chords: [
      { root: 62, minor: true },
      { root: 65, minor: false },
      { root: 60, minor: false },
      { root: 67, minor: false },
    ],
    bars: 8,
  },
];

export const SAMPLE_RATE = 44100;

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** The bed as 16-bit stereo samples, interleaved, peaking at about −6 dBFS. */
export function synthesizeBed(bed: MusicBed, sampleRate = SAMPLE_RATE): Int16Array {
  const beat = 60 / bed.bpm;
  const bar = 4 * beat;
  const length = Math.round(bed.bars * bar * sampleRate);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x3fffffff - 1;
  };
  let lowpassed = 0;
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const barIndex = Math.floor(t / bar);
    const chord = bed.chords[barIndex % bed.chords.length] as MusicBed['chords'][number];
    const notes = [chord.root, chord.root + (chord.minor ? 3 : 4), chord.root + 7];
    const inBar = t - barIndex * bar;
    // Pad: the triad an octave down, swelling in and out over the bar so chord changes are soft.
    const swell = Math.min(1, inBar / 0.4) * Math.min(1, (bar - inBar) / 0.3);
    let pad = 0;
    for (const note of notes) {
      const f = hz(note - 12);
      pad +=
        Math.sin(2 * Math.PI * f * t) +
        0.3 * Math.sin(4 * Math.PI * f * t) +
        0.12 * Math.sin(2 * Math.PI * f * 1.003 * t);
    }
    pad *= 0.06 * swell;
    // Bass: the root two octaves down, plucked on beats 1 and 3.
    const inHalf = inBar % (2 * beat);
    const bass =
      0.22 * Math.exp(-inHalf * 3) * Math.sin(2 * Math.PI * hz(chord.root - 24) * t) * Math.min(1, inHalf / 0.01);
    // Arpeggio: eighth notes up and down the chord, an octave up, each a short pluck.
    const eighth = beat / 2;
    const step = Math.floor(inBar / eighth);
    const inStep = inBar - step * eighth;
    const pattern = [0, 1, 2, 1, 0, 2, 1, 2];
    const arpNote = (notes[pattern[step % pattern.length] as number] as number) + 12;
    const arp = 0.07 * Math.exp(-inStep * 9) * Math.min(1, inStep / 0.005) * Math.sin(2 * Math.PI * hz(arpNote) * t);
    // Shaker: high-passed noise on the off-beats, very low.
    const inBeat = inBar % beat;
    const offBeat = Math.abs(inBeat - beat / 2);
    const raw = noise();
    lowpassed += 0.2 * (raw - lowpassed);
    const shaker = inBeat >= beat / 2 ? 0.03 * Math.exp(-offBeat * 40) * (raw - lowpassed) : 0;
    left[i] = pad + bass + 0.8 * arp + 1.1 * shaker;
    right[i] = pad + bass + 1.1 * arp + 0.8 * shaker;
  }
  let peak = 0;
  for (let i = 0; i < length; i++) peak = Math.max(peak, Math.abs(left[i] as number), Math.abs(right[i] as number));
  const gain = peak > 0 ? 0.5 / peak : 0;
  const out = new Int16Array(2 * length);
  for (let i = 0; i < length; i++) {
    out[2 * i] = Math.round((left[i] as number) * gain * 32767);
    out[2 * i + 1] = Math.round((right[i] as number) * gain * 32767);
  }
  return out;
}
