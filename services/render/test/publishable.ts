import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import type { JobView } from '@jobcast/core';
import { LOUDNESS_TARGET, measureLoudness, probe, probeVideo, profileProblems, runFfmpeg } from '@jobcast/ffmpeg';
import { VIDEO_PROFILE } from '@jobcast/renders';
import { samplePosterSite } from '@jobcast/sample-data';
import { espeakProvider } from '@jobcast/speech';
import type { MediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { expect } from 'vitest';
import { builtinBedFile } from '../src/audio/sound.ts';
import { loadTemplate, renderVideo } from '../src/index.ts';
import { CAPTION_STYLE } from '../src/video/captions.ts';
import { speechCache } from '../src/video/produce-video.ts';
import type { VideoOptions } from '../src/video/render-video.ts';

/**
 * What the media team needs of every narrated video before it is posted, read back from the file as a
 * viewer's phone would play it: the platform profile, the loudness, the voice audible under every
 * caption, the captions themselves read from the frames by OCR, and both AIGC labels.
 */

const run = promisify(execFile);
const { templatesDir } = loadConfig({});
let frames = 0;
let renders = 0;

/**
 * A video of `template` made as a render makes it, narrated by the offline voice over one of
 * JobCast's beds, in a work folder of its own under `dir` (kept: voice.wav is read back).
 */
export async function renderNarrated(
  dir: string,
  store: MediaStore,
  template: string,
  jobs: readonly JobView[],
  extra: Partial<VideoOptions> & { music?: string } = {},
) {
  const workDir = path.join(dir, `work-${++renders}`);
  await mkdir(workDir);
  const output = path.join(workDir, 'video.mp4');
  const loaded = await loadTemplate(templatesDir, template, 'video');
  const result = await renderVideo(loaded, jobs, samplePosterSite, {
    workDir,
    output,
    narration: { provider: espeakProvider(), cache: speechCache(store) },
    aigc: { producer: 'JobCast/default', produceId: `test-${renders}` },
    ...extra,
    music: await builtinBedFile(extra.music ?? 'builtin-bright', store),
  });
  return { ...result, output, workDir };
}

/** A frame of the video as a PNG beside it. */
export async function frameAt(video: string, seconds: number): Promise<string> {
  const frame = `${video}.frame-${seconds.toFixed(2)}-${++frames}.png`;
  await runFfmpeg(['-ss', seconds.toFixed(2), '-i', video, '-frames:v', '1', '-y', frame]);
  return frame;
}

/**
 * What tesseract reads in a band of a frame: light text with a dark outline (captions, a card over
 * footage), isolated by keeping only near-white pixels, or dark text on a light card.
 */
export async function readText(
  frame: string,
  band: { top: number; height: number; left?: number; width?: number },
  ink: 'light' | 'dark' = 'light',
): Promise<string> {
  const clean = `${frame}.${band.top}-${band.left ?? 0}.ocr.png`;
  let image = sharp(frame)
    .extract({ left: band.left ?? 0, top: band.top, width: band.width ?? VIDEO_PROFILE.width, height: band.height })
    .greyscale()
    .threshold(ink === 'light' ? 235 : 110);
  if (ink === 'light') image = image.negate();
  await image.toFile(clean);
  const { stdout } = await run('tesseract', [clean, 'stdout', '-l', 'chi_sim', '--psm', '6']);
  return stdout.replace(/\s+/g, '');
}

/** The share of a text's characters that OCR found, in order or not (OCR drops or misreads a few). */
export function found(text: string, read: string): number {
  const chars = [...text.replace(/[，。！？、：\s/]/g, '')];
  return chars.filter((c) => read.includes(c)).length / chars.length;
}

export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** Caption cues from the .srt beside the video. */
export function cuesOf(srt: string): Cue[] {
  return [...srt.matchAll(/(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n([^\n]+(?:\n[^\n]+)?)/g)].map(
    (m) => ({
      start: Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000,
      end: Number(m[6]) * 60 + Number(m[7]) + Number(m[8]) / 1000,
      text: (m[9] as string).replace(/\n/g, ''),
    }),
  );
}

/** Where the captions are drawn: two lines above the bottom safe margin. */
export const CAPTION_BAND = { top: VIDEO_PROFILE.height - CAPTION_STYLE.marginBottom - 2 * 100, height: 200 };

/**
 * Passes the profile; −14 LUFS ± 1.5 with the true peak under −1 dBTP; its voice (the render's own
 * voice.wav) well above silence while each cue is shown; the first and last cues read back from the
 * frames; the visible AI label and the implicit one in the file. Returns the cues.
 */
export async function expectPublishable(video: {
  output: string;
  workDir: string;
  srt: string | null;
  minCues?: number;
}): Promise<Cue[]> {
  expect(profileProblems(await probeVideo(video.output), VIDEO_PROFILE)).toEqual([]);
  const loudness = await measureLoudness(video.output);
  expect(Math.abs(loudness.integrated - LOUDNESS_TARGET.integrated)).toBeLessThanOrEqual(1.5);
  expect(loudness.truePeak).toBeLessThanOrEqual(-1);

  const cues = cuesOf(video.srt ?? '');
  expect(cues.length).toBeGreaterThanOrEqual(video.minCues ?? 3);
  for (const cue of cues) {
    const voice = await measureLoudness(path.join(video.workDir, 'voice.wav'), {
      from: cue.start,
      seconds: Math.max(0.4, cue.end - cue.start),
    });
    expect(voice.integrated, `voice during「${cue.text}」`).toBeGreaterThan(-40);
  }
  for (const cue of [cues[0], cues.at(-1)]) {
    if (!cue) continue;
    const read = await readText(await frameAt(video.output, (cue.start + cue.end) / 2), CAPTION_BAND);
    expect(found(cue.text, read), `OCR read「${read}」for「${cue.text}」`).toBeGreaterThanOrEqual(0.6);
  }
  const label = await readText(await frameAt(video.output, 3), { top: 255, height: 60, left: 40, width: 480 });
  expect(found('本视频含AI生成内容', label), `OCR read「${label}」`).toBeGreaterThanOrEqual(0.7);
  expect(JSON.parse((await probe(video.output)).tags.AIGC ?? '{}')).toMatchObject({ Label: '1' });
  return cues;
}
