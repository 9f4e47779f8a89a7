/**
 * 16-bit PCM WAV, mono, read and written in memory. Every voice is asked for PCM at its own sample
 * rate, so a narration is assembled here without a decoder: clauses are joined with silence between
 * them and each clause's place in the whole is known to the sample (the caption cues).
 */

export interface Pcm {
  sampleRate: number;
  /** Mono signed 16-bit little-endian samples. */
  samples: Int16Array;
}

export class WavError extends Error {}

/**
 * Reads a RIFF/WAVE file of 16-bit PCM. A stream written to a pipe (eSpeak's `--stdout`) cannot seek
 * back to fill in its sizes, so a data size past the end of the buffer means "the rest".
 */
export function readWav(buffer: Buffer): Pcm {
  if (buffer.length < 12 || buffer.toString('latin1', 0, 4) !== 'RIFF' || buffer.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavError('not a WAV file');
  }
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; code: number } | null = null;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('latin1', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        code: buffer.readUInt16LE(body),
        channels: buffer.readUInt16LE(body + 2),
        sampleRate: buffer.readUInt32LE(body + 4),
        bits: buffer.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new WavError('WAV data before its format');
      if (format.code !== 1 || format.bits !== 16) throw new WavError('WAV is not 16-bit PCM');
      const end = Math.min(buffer.length, body + size);
      const frames = Math.floor((end - body) / (2 * format.channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) {
        // Several channels are mixed down to one: a voice is mono.
        let sum = 0;
        for (let c = 0; c < format.channels; c++) sum += buffer.readInt16LE(body + 2 * (i * format.channels + c));
        samples[i] = Math.round(sum / format.channels);
      }
      return { sampleRate: format.sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new WavError('WAV has no data');
}

/** Raw 16-bit little-endian mono PCM (what cloud voices send when asked for `pcm`). */
export function pcmFromRaw(buffer: Buffer, sampleRate: number): Pcm {
  const frames = Math.floor(buffer.length / 2);
  const samples = new Int16Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = buffer.readInt16LE(2 * i);
  return { sampleRate, samples };
}

/** A 16-bit PCM WAV of mono samples, or of interleaved stereo ones with `channels: 2` (a music bed). */
export function writeWav(pcm: Pcm, channels: 1 | 2 = 1): Buffer {
  const data = pcm.samples.length * 2;
  const buffer = Buffer.alloc(44 + data);
  buffer.write('RIFF', 0, 'latin1');
  buffer.writeUInt32LE(36 + data, 4);
  buffer.write('WAVE', 8, 'latin1');
  buffer.write('fmt ', 12, 'latin1');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(channels, 22);
  buffer.writeUInt32LE(pcm.sampleRate, 24);
  buffer.writeUInt32LE(pcm.sampleRate * 2 * channels, 28);
  buffer.writeUInt16LE(2 * channels, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'latin1');
  buffer.writeUInt32LE(data, 40);
  // Int16Array holds the host byte order: little-endian, as WAV wants, on every machine JobCast runs on.
  Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength).copy(buffer, 44);
  return buffer;
}

export function durationOf(pcm: Pcm): number {
  return pcm.samples.length / pcm.sampleRate;
}

/**
 * The clause without the silence a voice leaves around it, so the pauses between clauses are the
 * narration's own and the cues start when the voice does. Keeps `padS` either side.
 */
export function trimSilence(pcm: Pcm, options: { threshold?: number; padS?: number } = {}): Pcm {
  const threshold = options.threshold ?? 300;
  const pad = Math.round((options.padS ?? 0.03) * pcm.sampleRate);
  const s = pcm.samples;
  let start = 0;
  while (start < s.length && Math.abs(s[start] as number) < threshold) start++;
  let end = s.length;
  while (end > start && Math.abs(s[end - 1] as number) < threshold) end--;
  if (start >= end) return { sampleRate: pcm.sampleRate, samples: new Int16Array(0) };
  return { sampleRate: pcm.sampleRate, samples: s.slice(Math.max(0, start - pad), Math.min(s.length, end + pad)) };
}

/** The largest absolute sample, 0–1: a clause that came back silent is a voice fault. */
export function peakOf(pcm: Pcm): number {
  let peak = 0;
  for (const v of pcm.samples) peak = Math.max(peak, Math.abs(v));
  return peak / 32768;
}
