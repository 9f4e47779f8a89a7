/**
 * Test support: small media files made by ffmpeg at test time (a second or two, a few hundred pixels),
 * the kinds the media team uploads and the kinds the intake refuses.
 */
import { rm } from 'node:fs/promises';
import { runFfmpeg } from '@jobcast/ffmpeg';

export interface TestClip {
  width: number;
  height: number;
  seconds: number;
  fps?: number;
  codec?: 'h264' | 'hevc' | 'prores';
  /** A sine tone as its sound; none when false. */
  audio?: boolean;
  /**
   * The `rotate` tag a phone writes (clockwise degrees to turn it upright). ffmpeg 5.1 writes the
   * tag into the display matrix only when copying a stream, so the clip is encoded, then copied.
   */
  rotate?: number;
  /** A flat colour instead of the test pattern: a 4K frame is then cheap to make. */
  plain?: boolean;
}

const VIDEO_ENCODERS: Record<NonNullable<TestClip['codec']>, string[]> = {
  h264: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
  hevc: ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'],
  prores: ['-c:v', 'prores_ks', '-profile:v', '0'],
};

/** An MP4 (or MOV, by the file's extension) clip; its index at the end, as a phone writes it. */
export async function makeTestClip(file: string, clip: TestClip): Promise<string> {
  const fps = clip.fps ?? 30;
  const size = `${clip.width}x${clip.height}`;
  const picture = clip.plain ? `color=c=0x3366cc:s=${size}:r=${fps}` : `testsrc2=s=${size}:r=${fps}`;
  const encoded = clip.rotate === undefined ? file : `${file}.unrotated${file.slice(file.lastIndexOf('.'))}`;
  await runFfmpeg([
    '-f',
    'lavfi',
    '-i',
    `${picture}:d=${clip.seconds}`,
    ...(clip.audio === false ? [] : ['-f', 'lavfi', '-i', `sine=f=440:d=${clip.seconds}`]),
    '-y',
    ...VIDEO_ENCODERS[clip.codec ?? 'h264'],
    ...(clip.audio === false ? [] : ['-c:a', 'aac', '-b:a', '64k']),
    '-t',
    String(clip.seconds),
    encoded,
  ]);
  if (clip.rotate !== undefined) {
    await runFfmpeg(['-i', encoded, '-y', '-c', 'copy', '-metadata:s:v:0', `rotate=${clip.rotate}`, file]);
    await rm(encoded, { force: true });
  }
  return file;
}

/**
 * An H.264 MP4 with a variable frame rate, as phones record: its first half at 30 frames a second (the
 * moving test pattern), the rest at 24 (colour bars, so a player stuck at the change shows), each frame
 * keeping its own timestamp, with a tone. ffprobe then reads an `r_frame_rate` (the finest rate every
 * timestamp fits, here 120/1) unlike its `avg_frame_rate` (about 27).
 */
export async function makeVfrTestClip(file: string, clip: { width: number; height: number; seconds: number }) {
  const size = `${clip.width}x${clip.height}`;
  const half = clip.seconds / 2;
  await runFfmpeg([
    '-filter_complex',
    `testsrc2=s=${size}:r=30:d=${half},settb=1/90000[a];smptehdbars=s=${size}:r=24:d=${half},settb=1/90000[b];` +
      `[a][b]concat=n=2:v=1:a=0[v];sine=f=440:d=${clip.seconds}[s]`,
    ...['-map', '[v]', '-map', '[s]', '-fps_mode', 'passthrough', '-y'],
    ...VIDEO_ENCODERS.h264,
    ...['-c:a', 'aac', '-b:a', '64k', file],
  ]);
  return file;
}

export interface TestTone {
  seconds: number;
  /** Digital silence instead of a tone. */
  silent?: boolean;
  /** 8000 with `pcm_u8` makes a long WAV small and quick: 2 hours is 57.6 MB, written without encoding. */
  sampleRate?: number;
}

const AUDIO_ENCODERS: Record<string, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  m4a: ['-c:a', 'aac', '-b:a', '64k'],
  wav: ['-c:a', 'pcm_u8'],
};

/** A tone (or silence) as MP3, M4A or WAV, by the file's extension. */
export async function makeTestTone(file: string, tone: TestTone): Promise<string> {
  const extension = file.slice(file.lastIndexOf('.') + 1);
  const encoder = AUDIO_ENCODERS[extension];
  if (!encoder) throw new Error(`no test encoder for .${extension}`);
  const rate = tone.sampleRate ?? 22050;
  const source = tone.silent
    ? `anullsrc=r=${rate}:cl=mono:d=${tone.seconds}`
    : `sine=f=330:r=${rate}:d=${tone.seconds}`;
  await runFfmpeg(['-f', 'lavfi', '-i', source, '-y', '-ac', '1', ...encoder, '-t', String(tone.seconds), file]);
  return file;
}
