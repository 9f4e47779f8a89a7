/**
 * Every ffmpeg and ffprobe process of the stream service. Arguments are built as plain data; nothing
 * here knows about sessions. Relay push addresses are secrets: they are passed to ffmpeg as an
 * argument and never appear in what this module reports (messages go through `redactUrls`).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { redactUrls } from '@jobcast/live';
import ffmpeg from 'fluent-ffmpeg';

/** Copies FLV from stdin to an RTMP address, no re-encode. */
export function relayArgs(pushUrl: string): string[] {
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-progress',
    'pipe:1',
    '-f',
    'flv',
    '-i',
    'pipe:0',
    '-c',
    'copy',
    '-f',
    'flv',
    pushUrl,
  ];
}

/**
 * What OBS does, for tests and the benchmark: sends a file (looped) in real time to an RTMP address
 * without re-encoding, so the sender's own CPU stays small.
 */
export function publishFileArgs(
  file: string,
  url: string,
  seconds: number,
  options: { audioOnly?: boolean } = {},
): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    file,
    '-t',
    String(seconds),
    ...(options.audioOnly ? ['-vn'] : []),
    '-c',
    'copy',
    '-f',
    'flv',
    url,
  ];
}

/**
 * A test picture and tone encoded as OBS sends them (H.264 + AAC in FLV, a keyframe every 2 s): the
 * file that tests' and the benchmark's stand-in publishers send.
 */
export function testStreamArgs(
  output: string,
  options: { width: number; height: number; seconds: number; videoMbits?: number },
): string[] {
  const mbits = options.videoMbits;
  const rate = mbits ? ['-b:v', `${mbits}M`, '-maxrate', `${mbits}M`, '-bufsize', `${2 * mbits}M`] : [];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${options.width}x${options.height}:rate=30`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    String(options.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    ...rate,
    '-g',
    '60',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-f',
    'flv',
    '-y',
    output,
  ];
}

export interface RelayProcess {
  /** FLV in; a write returns false once ffmpeg falls behind, as any stream does. */
  readonly input: Writable;
  /** Bytes written but not yet taken by ffmpeg. */
  backlog(): number;
  /** Resolves at the first progress report: the target took the stream. */
  readonly connected: Promise<void>;
  /** Resolves when the process is gone, with its last error lines (redacted) if it failed. */
  readonly exited: Promise<{ code: number | null; error: string | null }>;
  kill(): void;
}

/**
 * A long-lived ffmpeg fed through its stdin. fluent-ffmpeg runs the one-shot commands below; here
 * the stream service needs the stdin's backlog and the `-progress` reports, so it spawns directly.
 */
export function startRelayProcess(pushUrl: string): RelayProcess {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn('ffmpeg', relayArgs(pushUrl), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => {});
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    if (text.includes('progress=')) markConnected();
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  const exited = new Promise<{ code: number | null; error: string | null }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error: redactUrls(error.message) }));
    child.once('close', (code, signal) => {
      const lines = stderr.trim().split('\n').slice(-3).join(' | ');
      resolve({
        code,
        error:
          code === 0 ? null : redactUrls(lines || `ffmpeg ${signal ? `killed by ${signal}` : `exited with ${code}`}`),
      });
    });
  });
  return {
    input: child.stdin,
    backlog: () => child.stdin.writableLength,
    connected,
    exited,
    kill: () => {
      child.stdin.destroy();
      child.kill('SIGKILL');
    },
  };
}

function run(command: ffmpeg.FfmpegCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    command.on('end', () => resolve()).on('error', (error: Error) => reject(error));
    command.run();
  });
}

/** Joins the FLV segments of a session into one MP4 without re-encoding. */
export async function remuxToMp4(segments: readonly string[], listFile: string, output: string): Promise<void> {
  // The concat demuxer's list: one `file '…'` line per segment, quotes escaped its way.
  await writeFile(listFile, segments.map((file) => `file '${file.replace(/'/g, "'\\''")}'\n`).join(''));
  await run(
    ffmpeg()
      .input(listFile)
      .inputOptions(['-f', 'concat', '-safe', '0'])
      .outputOptions(['-c', 'copy', '-movflags', '+faststart'])
      .output(output)
      .format('mp4'),
  );
}

export interface MediaFacts {
  durationS: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

export function probeMedia(file: string): Promise<MediaFacts> {
  return new Promise((resolve, reject) => {
    ffmpeg.ffprobe(file, (error, data) => {
      if (error) return reject(error);
      resolve({
        durationS: Number(data.format.duration ?? 0),
        hasVideo: data.streams.some((stream) => stream.codec_type === 'video'),
        hasAudio: data.streams.some((stream) => stream.codec_type === 'audio'),
      });
    });
  });
}

/** One JPEG frame at `seconds`, seeking to the keyframe before it (no decode of the whole recording). */
export async function thumbnailAt(input: string, seconds: number, output: string): Promise<void> {
  await run(
    ffmpeg()
      .input(input)
      .inputOptions(['-ss', String(seconds)])
      .outputOptions(['-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '4'])
      .output(output)
      .format('image2'),
  );
}
