/** One report of `-progress pipe:1`: a block of `key=value` lines ending in `progress=`. */
export interface FfmpegProgress {
  /** Video frames written so far; null when the output has no video. */
  frame: number | null;
  /** Media time written so far (`out_time`), in seconds; null before the first packet. */
  seconds: number | null;
  /** The last report: ffmpeg has written everything. */
  done: boolean;
}

/** `HH:MM:SS.micro` as seconds; ffmpeg writes `N/A` before any packet and a negative time at some starts. */
export function outTimeSeconds(text: string): number | null {
  const match = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return null;
  if (match[1] === '-') return 0;
  return Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
}

/**
 * A reader of ffmpeg's progress output as it arrives in chunks (a chunk may end mid-line): calls
 * `onProgress` once per complete block.
 */
export function progressReader(onProgress: (progress: FfmpegProgress) => void): (chunk: string) => void {
  let pending = '';
  let frame: number | null = null;
  let seconds: number | null = null;
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const at = line.indexOf('=');
      if (at < 0) continue;
      const key = line.slice(0, at).trim();
      const value = line.slice(at + 1).trim();
      if (key === 'frame') {
        const n = Number(value);
        frame = Number.isFinite(n) ? n : frame;
      } else if (key === 'out_time') {
        seconds = outTimeSeconds(value) ?? seconds;
      } else if (key === 'progress') {
        onProgress({ frame, seconds, done: value === 'end' });
      }
    }
  };
}
