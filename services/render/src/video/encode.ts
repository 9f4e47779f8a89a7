import { readFile, writeFile } from 'node:fs/promises';
import ffmpeg, { type FfmpegCommand } from 'fluent-ffmpeg';

/** The platform profile's encoder settings: the benchmark's static-image ceiling uses the same. */
export const ENCODER_OPTIONS = [
  '-c:v',
  'libx264',
  '-profile:v',
  'high',
  '-pix_fmt',
  'yuv420p',
  '-preset',
  'veryfast',
  '-crf',
  '23',
  '-r',
  '30',
  '-movflags',
  '+faststart',
] as const;

const AUDIO_OPTIONS = ['-c:a', 'aac', '-b:a', '128k', '-ar', '44100', '-ac', '2'] as const;

export interface EncodeInput {
  /** Still images, in scene order: inputs 0…n-1 of the filter graph. */
  stills: readonly string[];
  /** The filter graph (videoFilterGraph), ending in [video]. */
  filterGraph: string;
  seconds: number;
  totalFrames: number;
  /** The template's music (looped or cut to length, faded out), or null for silence. */
  music: string | null;
  output: string;
  /** Where the running ffmpeg's pid is written, so a later attempt can stop one a killed worker left. */
  pidFile: string;
  onFrames?: (frames: number) => void;
  /** x264 threads; undefined lets x264 use every core (one video alone). */
  threads?: number;
}

/** ffmpeg runs still being encoded by this process: stopped when the worker shuts down. */
const running = new Set<FfmpegCommand>();
const interrupted = new WeakSet<FfmpegCommand>();

/** An encode stopped because its worker was shutting down: no fault of the render, to run again. */
export class EncodeInterrupted extends Error {
  constructor() {
    super('视频编码因服务停止而中断，将重新制作 (the encode was stopped by a shutdown; it will run again)');
    this.name = 'EncodeInterrupted';
  }
}

/** Stops every ffmpeg this process started (a worker shutting down past its bound). */
export function killRunningEncodes(): number {
  for (const command of running) {
    interrupted.add(command);
    command.kill('SIGKILL');
  }
  return running.size;
}

/**
 * One ffmpeg run: stills animated by the filter graph, an audio track, H.264 High / AAC in MP4 with
 * the index at the front. ffmpeg is a child process, so the worker's event loop stays free to renew
 * its queue locks while it encodes.
 */
export function encodeVideo(input: EncodeInput): Promise<void> {
  return new Promise((resolve, reject) => {
    const command = ffmpeg();
    for (const still of input.stills) command.input(still);
    const audioIndex = input.stills.length;
    const fadeFrom = Math.max(0, input.seconds - 1.5).toFixed(3);
    let graph = input.filterGraph;
    if (input.music) {
      command.input(input.music).inputOptions(['-stream_loop', '-1']);
      graph += `;[${audioIndex}:a]atrim=end=${input.seconds.toFixed(3)},afade=t=out:st=${fadeFrom}:d=1.5,asetpts=N/SR/TB[audio]`;
    } else {
      command.input('anullsrc=r=44100:cl=stereo').inputFormat('lavfi');
      graph += `;[${audioIndex}:a]atrim=end=${input.seconds.toFixed(3)}[audio]`;
    }
    command
      .complexFilter(graph)
      .outputOptions(['-map', '[video]', '-map', '[audio]', ...ENCODER_OPTIONS, ...AUDIO_OPTIONS])
      .outputOptions(['-frames:v', String(input.totalFrames), '-t', input.seconds.toFixed(3)])
      .outputOptions(input.threads ? ['-threads', String(input.threads)] : [])
      .format('mp4')
      .output(input.output)
      .on('start', () => {
        const pid = (command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
        if (pid) writeFile(input.pidFile, String(pid)).catch(() => undefined);
      })
      .on('progress', (progress: { frames?: number }) => {
        if (typeof progress.frames === 'number') input.onFrames?.(progress.frames);
      })
      .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        running.delete(command);
        if (interrupted.has(command)) {
          reject(new EncodeInterrupted());
          return;
        }
        const tail = String(stderr ?? '')
          .trim()
          .split('\n')
          .slice(-4)
          .join(' | ');
        reject(new Error(`ffmpeg failed: ${error.message}${tail ? ` (${tail})` : ''}`));
      })
      .on('end', () => {
        running.delete(command);
        resolve();
      });
    running.add(command);
    command.run();
  });
}

/**
 * A worker killed mid-video leaves its ffmpeg running, still writing into the render's work folder.
 * The next attempt stops it first: the pid is trusted only if that process's command line names the
 * same work folder.
 */
export async function stopLeftoverEncode(pidFile: string, workDir: string): Promise<boolean> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  // Arguments are NUL-separated; the folder followed by a slash, so work-render-1 is not work-render-12.
  if (!cmdline.includes(`${workDir}/`)) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
