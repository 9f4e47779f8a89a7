import { LOUDNESS_TARGET, loudnessGainArgs } from './builders/audio-mix.ts';
import { type RunningProcesses, runFfmpeg } from './runner.ts';

/** What ffmpeg's EBU R128 meter says of a file's sound. */
export interface Loudness {
  /** Integrated loudness, LUFS (−Infinity for silence). */
  integrated: number;
  /** True peak, dBTP. */
  truePeak: number;
  /** Loudness range, LU. */
  range: number;
}

/** The summary the ebur128 filter prints when it ends. */
export function parseEbur128(stderr: string): Loudness {
  const at = stderr.lastIndexOf('Summary:');
  if (at < 0) throw new Error('ebur128 printed no summary');
  const summary = stderr.slice(at);
  const read = (pattern: RegExp, what: string) => {
    const match = pattern.exec(summary);
    if (!match) throw new Error(`ebur128 summary lacks ${what}`);
    return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1]);
  };
  return {
    integrated: read(/I:\s+(-?inf|-?\d+(?:\.\d+)?) LUFS/, 'integrated loudness'),
    range: read(/LRA:\s+(-?inf|-?\d+(?:\.\d+)?) LU/, 'loudness range'),
    truePeak: read(/Peak:\s+(-?inf|-?\d+(?:\.\d+)?) dBFS/, 'true peak'),
  };
}

/**
 * Measures a file's sound with ffmpeg's EBU R128 meter (true peak on), optionally only from `from`
 * for `seconds`. framelog=verbose keeps the per-100 ms lines out of what is read.
 */
export async function measureLoudness(
  file: string,
  options: { from?: number; seconds?: number; timeoutMs?: number; running?: RunningProcesses } = {},
): Promise<Loudness> {
  let stderr = '';
  const range = [
    ...(options.from !== undefined ? ['-ss', options.from.toFixed(3)] : []),
    ...(options.seconds !== undefined ? ['-t', options.seconds.toFixed(3)] : []),
  ];
  await runFfmpeg([...range, '-i', file, '-vn', '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], {
    timeoutMs: options.timeoutMs ?? 120_000,
    running: options.running,
    onStderr: (text) => {
      stderr += text;
    },
  });
  return parseEbur128(stderr);
}

/** Runs ffmpeg on arguments whose graph ends in the meter (METER), and reads the meter's summary. */
export async function runMetered(
  args: readonly string[],
  options: { running?: RunningProcesses } = {},
): Promise<Loudness> {
  let stderr = '';
  await runFfmpeg(args, {
    running: options.running,
    timeoutMs: 120_000,
    onStderr: (text) => {
      stderr += text;
    },
  });
  return parseEbur128(stderr);
}

const LIMITER_ALLOWANCE_LU = 1;

/**
 * Brings a track to the platforms' loudness: from its measured loudness, apply the gain that closes
 * the gap (the limiter holding the peaks) and measure in the same run; once more if the limiter took
 * enough off to matter. Returns what the meter read of the result. Silence cannot be brought up: it
 * is returned as measured.
 */
export async function normalizeLoudness(
  input: string,
  measured: Loudness,
  output: string,
  options: { running?: RunningProcesses; target?: number } = {},
): Promise<Loudness> {
  const target = options.target ?? LOUDNESS_TARGET.integrated;
  if (!Number.isFinite(measured.integrated)) return measured;
  // The limiter takes off what it holds back: speech over music here lost about 1 LU to it, so the
  // first gain aims that much higher and usually lands on the target in one pass.
  let gain = target - measured.integrated + LIMITER_ALLOWANCE_LU;
  let after = measured;
  for (let pass = 0; pass < 3; pass++) {
    after = await runMetered(loudnessGainArgs(input, gain, output), options);
    const miss = target - after.integrated;
    if (Math.abs(miss) <= 0.5) break;
    gain += miss;
  }
  return after;
}
