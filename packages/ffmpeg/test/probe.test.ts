import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegError, probe, probeVideo, runFfmpeg } from '../src/index.ts';

let dir: string;
let clip: string;

/** 1.5 s of a 160×120 test picture and a tone, H.264 High + AAC; the index where `movflags` puts it. */
function clipArgs(output: string, movflags: string[]): string[] {
  return [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=160x120:rate=30:duration=1.5',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=1.5',
    '-c:v',
    'libx264',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    '-c:a',
    'aac',
    ...movflags,
    '-y',
    output,
  ];
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-ffprobe-'));
  clip = path.join(dir, 'clip.mp4');
  await runFfmpeg(clipArgs(clip, ['-movflags', '+faststart']));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probing a file', () => {
  it('gives the size, codecs, frame rate and duration of a video', async () => {
    const media = await probe(clip);
    expect(media).toMatchObject({ file: clip, hasVideo: true, hasAudio: true });
    expect(media.formatName).toContain('mp4');
    expect(media.durationS).toBeCloseTo(1.5, 1);
    expect(media.video).toMatchObject({
      codec: 'h264',
      profile: 'High',
      pixelFormat: 'yuv420p',
      width: 160,
      height: 120,
      rotation: 0,
      frameRate: '30/1',
      averageFrameRate: '30/1',
      fps: 30,
    });
    expect(media.audio?.codec).toBe('aac');
  });

  it('tells whether the MP4 index comes first, in the facts the platform check reads', async () => {
    const late = path.join(dir, 'late-index.mp4');
    await runFfmpeg(clipArgs(late, []));
    expect(await probeVideo(clip)).toMatchObject({
      videoCodec: 'h264',
      profile: 'High',
      pixelFormat: 'yuv420p',
      width: 160,
      height: 120,
      fps: 30,
      audioCodec: 'aac',
      faststart: true,
    });
    expect((await probeVideo(late)).faststart).toBe(false);
  });

  it('names a file that is not media', async () => {
    const text = path.join(dir, 'notes.mp4');
    await writeFile(text, '这不是视频 (not a video)\n');
    const error = (await probe(text).catch((e: unknown) => e)) as FfmpegError;
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error.exitCode).not.toBe(0);
    expect(error.message).toContain(`ffprobe could not read ${text} as media`);
    expect(error.message).toMatch(/Invalid data found/);
  });

  it('names a file that is missing', async () => {
    const missing = path.join(dir, 'missing.mp4');
    await expect(probe(missing)).rejects.toThrow(`ffprobe could not read ${missing} as media`);
  });
});
