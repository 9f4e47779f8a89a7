import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FfmpegAborted,
  FfmpegError,
  FfmpegInterrupted,
  type FfmpegProgress,
  FfmpegTimeout,
  probe,
  RunningProcesses,
  runFfmpeg,
  startFfmpegFeed,
  stillsVideoArgs,
  stopLeftover,
  testStreamArgs,
} from '../src/index.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-ffmpeg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tiny test picture encoded for `seconds` (or forever, in real time, with `endless`). */
function testPicture(output: string, options: { seconds?: number; endless?: boolean } = {}): string[] {
  return [
    '-loglevel',
    'error',
    ...(options.endless ? ['-re'] : []),
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=64x48:rate=25${options.seconds ? `:duration=${options.seconds}` : ''}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-y',
    output,
  ];
}

/** Resolves at the run's first progress report: the process is up and encoding. */
function started(): { onProgress: () => void; reported: Promise<void> } {
  let onProgress = () => {};
  const reported = new Promise<void>((resolve) => {
    onProgress = resolve;
  });
  return { onProgress, reported };
}

describe('running ffmpeg', () => {
  it('encodes a short test picture, reporting frames and media time as it goes', async () => {
    const output = path.join(dir, 'short.mp4');
    const pidFile = path.join(dir, 'short.pid');
    const reports: FfmpegProgress[] = [];
    await runFfmpeg(testPicture(output, { seconds: 1 }), { onProgress: (p) => reports.push(p), pidFile });
    expect((await stat(output)).size).toBeGreaterThan(0);
    const last = reports.at(-1);
    expect(last).toMatchObject({ frame: 25, done: true });
    expect(last?.seconds).toBeCloseTo(1, 1);
    expect(reports.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(Number(await readFile(pidFile, 'utf8'))).toBeGreaterThan(0);
  });

  it('rejects a bad argument with the exit code and the end of stderr', async () => {
    const error = await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2',
      '-c:v',
      'no-such-codec',
      path.join(dir, 'x.mp4'),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    const failure = error as FfmpegError;
    expect(failure.exitCode).not.toBe(0);
    expect(failure.exitCode).not.toBeNull();
    expect(failure.stderrLines.join('\n')).toMatch(/no-such-codec/);
    expect(failure.message).toMatch(/^ffmpeg exited with code \d+: .*no-such-codec/);
  });

  it('kills a run that outlasts its timeout', async () => {
    const began = Date.now();
    const error = await runFfmpeg(testPicture(path.join(dir, 'slow.mp4'), { endless: true }), { timeoutMs: 500 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FfmpegTimeout);
    expect((error as FfmpegTimeout).signal).toBe('SIGKILL');
    expect((error as Error).message).toMatch(/ffmpeg did not finish within 0.5 s and was killed/);
    expect(Date.now() - began).toBeLessThan(5000);
  });

  it('stops the runs of a set at shutdown, each rejecting as interrupted, and leaves other runs alone', async () => {
    const encodes = new RunningProcesses();
    const first = started();
    const other = new AbortController();
    const run = runFfmpeg(testPicture(path.join(dir, 'endless.mp4'), { endless: true }), {
      running: encodes,
      onProgress: first.onProgress,
    });
    const outside = runFfmpeg(testPicture(path.join(dir, 'outside.mp4'), { endless: true }), { signal: other.signal });
    await first.reported;
    expect(encodes.size).toBe(1);
    expect(encodes.killAll()).toBe(1);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegInterrupted);
    expect(encodes.size).toBe(0);
    // The run outside the set is still going until its own caller stops it.
    other.abort();
    expect(await outside.catch((e: unknown) => e)).toBeInstanceOf(FfmpegAborted);
  });

  it('refuses to start when already aborted', async () => {
    await expect(runFfmpeg(['-version'], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(FfmpegAborted);
  });

  it('encodes stills into a video with the platform settings', async () => {
    const stills = ['red', 'blue'].map((color) => path.join(dir, `${color}.png`));
    for (const [i, color] of ['red', 'blue'].entries()) {
      await runFfmpeg(['-f', 'lavfi', '-i', `color=c=${color}:s=64x48`, '-frames:v', '1', '-y', stills[i] as string]);
    }
    const output = path.join(dir, 'stills.mp4');
    const plan = {
      width: 64,
      height: 48,
      fps: 30,
      transition: { type: 'fade', seconds: 0.2 },
      scenes: [0.6, 0.6].map((seconds) => ({ seconds, motion: 'none' as const, width: 64, height: 48 })),
    };
    const frames: number[] = [];
    await runFfmpeg(stillsVideoArgs({ stills, plan, audio: null, output }), {
      onProgress: (p) => p.frame !== null && frames.push(p.frame),
    });
    expect(frames.at(-1)).toBe(30);
    const media = await probe(output);
    expect(media.video).toMatchObject({ codec: 'h264', profile: 'High', width: 64, height: 48, fps: 30 });
    expect(media.audio?.codec).toBe('aac');
    expect(media.durationS).toBeCloseTo(1, 1);
  });
});

describe('a leftover encode', () => {
  it('is stopped when its pid file names a process working in the same folder', async () => {
    const workDir = path.join(dir, 'work-render-1');
    await mkdir(workDir);
    const pidFile = path.join(workDir, 'ffmpeg.pid');
    const first = started();
    const run = runFfmpeg(testPicture(path.join(workDir, 'video.mp4'), { endless: true }), {
      pidFile,
      onProgress: first.onProgress,
    });
    await first.reported;
    // A folder whose name starts the same is someone else's.
    expect(await stopLeftover(pidFile, path.join(dir, 'work-render'))).toBe(false);
    expect(await stopLeftover(path.join(dir, 'missing.pid'), workDir)).toBe(false);
    expect(await stopLeftover(pidFile, workDir)).toBe(true);
    const error = (await run.catch((e: unknown) => e)) as FfmpegError;
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error.signal).toBe('SIGKILL');
    expect(error.message).toMatch(/ffmpeg was killed by SIGKILL/);
  });
});

describe('an ffmpeg fed on stdin', () => {
  let sample: string;
  beforeAll(async () => {
    sample = path.join(dir, 'sample.flv');
    await runFfmpeg(testStreamArgs(sample, { width: 64, height: 48, seconds: 1 }));
  });

  it('copies what it is fed, connects at its first report and exits cleanly when the input ends', async () => {
    const output = path.join(dir, 'copy.flv');
    const feed = startFfmpegFeed([
      '-loglevel',
      'error',
      '-f',
      'flv',
      '-i',
      'pipe:0',
      '-c',
      'copy',
      '-f',
      'flv',
      output,
    ]);
    feed.input.end(await readFile(sample));
    await feed.connected;
    expect(feed.backlog()).toBeGreaterThanOrEqual(0);
    expect(await feed.exited).toEqual({ code: 0, error: null });
    expect((await probe(output)).durationS).toBeCloseTo(1, 0);
  });

  it('reports why it stopped, through the caller’s redaction', async () => {
    const feed = startFfmpegFeed(
      [
        '-loglevel',
        'error',
        '-f',
        'flv',
        '-i',
        'pipe:0',
        '-c',
        'copy',
        '-f',
        'flv',
        'rtmp://127.0.0.1:1/live/secret-key',
      ],
      { redact: (text) => text.replaceAll('secret-key', '…') },
    );
    feed.input.end(await readFile(sample));
    const exited = await feed.exited;
    expect(exited.code).not.toBe(0);
    expect(exited.error).toMatch(/\S/);
    expect(exited.error).not.toContain('secret-key');
  });

  it('is killed on demand', async () => {
    const feed = startFfmpegFeed(['-loglevel', 'error', '-f', 'flv', '-i', 'pipe:0', '-f', 'null', '-']);
    feed.kill();
    expect(await feed.exited).toEqual({ code: null, error: 'ffmpeg was killed by SIGKILL' });
  });
});
