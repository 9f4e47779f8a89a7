import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import { measureLoudness, probe, probeVideo, profileProblems, runFfmpeg } from '@jobcast/ffmpeg';
import { VIDEO_PROFILE } from '@jobcast/renders';
import { makeVfrTestClip } from '@jobcast/renders/testing';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { LocalMediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, renderVideo, type SiteSettings, videoSceneSvgs } from '../src/index.ts';
import type { FootageItem } from '../src/video/render-video.ts';
import { expectPublishable, found, frameAt, readText, renderNarrated } from './publishable.ts';

/**
 * Footage and explainer videos made as the media team makes them: phone clips of every awkward kind
 * (HEVC with rotation metadata, 4K at 60 fps, no sound track), a 48-megapixel photo, and a policy's
 * points, each narrated over music with captions, then looked at frame by frame.
 */

const _run = promisify(execFile);
const { templatesDir } = loadConfig({});
const site: SiteSettings = samplePosterSite;
let dir: string;
let store: LocalMediaStore;
const clips: Record<'portrait' | 'rotated' | 'fourK' | 'landscape', string> = {
  portrait: '',
  rotated: '',
  fourK: '',
  landscape: '',
};
let photo: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-footage-'));
  store = new LocalMediaStore(path.join(dir, 'media'));
  const make = async (name: string, args: string[]) => {
    const file = path.join(dir, name);
    await runFfmpeg([...args, '-y', file]);
    return file;
  };
  // A phone clip held upright, with its own sound (a 330 Hz tone).
  clips.portrait = await make('portrait.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc2=s=720x1280:r=30', '-f', 'lavfi', '-i', 'sine=f=330:sample_rate=44100'],
    ...['-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  ]);
  // HEVC stored landscape (red above, blue below) with rotation 90 and no sound track: shown upright
  // it is portrait, red and blue side by side.
  const stored = await make('stored.mp4', [
    ...['-f', 'lavfi', '-i', 'color=red:s=1280x360:r=30,split[a][b];[b]lutrgb=r=0:b=255[c];[a][c]vstack'],
    ...['-t', '3', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'],
    ...['-pix_fmt', 'yuv420p'],
  ]);
  // ffmpeg 5.1 writes the rotation as a display matrix only when copying the stream.
  clips.rotated = await make('rotated.mp4', ['-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90']);
  // 4K at 60 fps, with sound that the request mutes.
  clips.fourK = await make('fourk.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc2=s=3840x2160:r=60', '-f', 'lavfi', '-i', 'sine=f=880:sample_rate=44100'],
    ...['-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  ]);
  photo = path.join(dir, 'photo.jpg');
  await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#3a7a4a' } })
    .jpeg()
    .toFile(photo);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A clip as the intake records it: probed, its size as shown (rotation applied). */
async function clipItem(file: string, sound: 'keep' | 'mute', inS = 0, outS?: number): Promise<FootageItem> {
  const facts = await probe(file);
  const video = facts.streams.find((s) => s.type === 'video');
  const turned = video?.rotation === 90 || video?.rotation === 270;
  return {
    kind: 'clip',
    file,
    name: path.basename(file),
    width: (turned ? video?.height : video?.width) ?? 0,
    height: (turned ? video?.width : video?.height) ?? 0,
    durationS: facts.durationS,
    inS,
    outS,
    sound,
    hasAudio: facts.streams.some((s) => s.type === 'audio'),
  };
}

let renders = 0;
const render = (
  template: string,
  jobs: ReturnType<typeof samplePosterJob>[],
  extra: { footage?: FootageItem[]; explainer?: { title: string; points: string[]; images: string[] } },
) => renderNarrated(dir, store, template, jobs, { ...extra, music: 'builtin-calm' });

describe('a site-visit video from phone clips and a photo', () => {
  it('plays each clip upright in the frame under the job card, narrated and captioned, keeping or muting each clip’s sound', async () => {
    const footage = [
      await clipItem(clips.portrait, 'keep', 0, 3),
      await clipItem(clips.rotated, 'keep'),
      await clipItem(clips.fourK, 'mute'),
      {
        kind: 'photo' as const,
        file: photo,
        name: 'photo.jpg',
        width: 8000,
        height: 6000,
        durationS: null,
        inS: 0,
        sound: 'keep' as const,
        hasAudio: false,
      },
    ];
    expect(footage[1]).toMatchObject({ width: 720, height: 1280, hasAudio: false });
    const video = await render('site-visit', [samplePosterJob()], { footage });
    // Loudness, the voice under every caption, the captions read back by OCR over the footage, the AI labels.
    await expectPublishable(video);
    expect(video.aiComponents).toEqual([expect.objectContaining({ kind: 'voice', provider: 'espeak' })]);
    expect(JSON.parse((await probe(video.output)).tags.AIGC ?? '{}')).toMatchObject({ Label: '1' });

    // Scenes in order: the four pieces of footage, then the end card.
    const paragraphs = (video.script ?? '').split('\n\n');
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[0]).toContain('骨干操作工');
    expect(paragraphs[4]).toContain('0791-88886666');

    // The clips' own sound: the first clip's tone is under its scene; the muted 4K clip and the clip
    // without a sound track add nothing.
    const ambience = path.join(video.workDir, 'ambience.wav');
    expect((await measureLoudness(ambience, { from: 0.5, seconds: 1.5 })).integrated).toBeGreaterThan(-30);
    const starts = sceneStarts(video.sceneSeconds, 0.4);
    const quiet = await measureLoudness(ambience, { from: (starts[1] as number) + 0.5, seconds: 1.5 });
    expect(quiet.integrated).toBeLessThan(-60);

    // The rotated HEVC clip is upright: filling the frame, red beside blue (not a letterboxed
    // landscape with red above blue).
    const rotatedFrame = await frameAt(video.output, (starts[1] as number) + 1);
    const { data, info } = await sharp(rotatedFrame).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => {
      const at = (y * info.width + x) * info.channels;
      return { r: data[at] as number, b: data[at + 2] as number };
    };
    const left = pixel(100, 1000);
    const right = pixel(980, 1000);
    expect(Math.abs(left.r - right.r)).toBeGreaterThan(150);
    expect(Math.abs(left.b - right.b)).toBeGreaterThan(150);

    // The job card over the footage and the captions under it read back from the frames.
    const first = await frameAt(video.output, 2);
    expect(found('骨干操作工', await readText(first, { top: 430, height: 220 }, 'light'))).toBeGreaterThanOrEqual(0.8);

    // The photo fills its scene (not black), and the cover is a frame of the video itself.
    const photoFrame = await frameAt(video.output, (starts[3] as number) + 1);
    const stats = await sharp(photoFrame).stats();
    expect(stats.channels[1]?.mean).toBeGreaterThan(40);
    expect((await sharp(video.cover).metadata()).width).toBe(VIDEO_PROFILE.width);
  }, 240_000);

  it('refuses footage it cannot use, naming the clip or the length, before anything is encoded', async () => {
    const loaded = await loadTemplate(templatesDir, 'site-visit', 'video');
    const attempt = async (footage: FootageItem[]) => {
      const workDir = path.join(dir, `refused-${++renders}`);
      await mkdir(workDir);
      const error = await renderVideo(loaded, [samplePosterJob()], site, {
        workDir,
        output: path.join(workDir, 'video.mp4'),
        narration: null,
        music: null,
        footage,
      }).catch((e: Error) => e);
      await expect(readFile(path.join(workDir, 'video.mp4'))).rejects.toThrow();
      return error as Error & { code?: string };
    };
    const none = await attempt([]);
    expect(none).toMatchObject({ code: 'MISSING_FIELD' });
    expect(none.message).toMatch(/至少上传并选择 1 段素材/);
    const late = await attempt([await clipItem(clips.portrait, 'keep', 3.5)]);
    expect(late).toMatchObject({ code: 'FOOTAGE_UNUSABLE' });
    expect(late.message).toMatch(/portrait\.mp4.*第 3\.5 秒起只剩 0\.5 秒/);
    // Eight long clips at their full length make far more than a minute.
    const long = await clipItem(clips.portrait, 'keep', 0, 4);
    const tooLong = await attempt(Array.from({ length: 8 }, () => ({ ...long, durationS: 30, outS: 20 })));
    expect(tooLong).toMatchObject({ code: 'VIDEO_LENGTH' });
    expect(tooLong.message).toMatch(/须在 5–60 秒之间/);
  }, 60_000);
});

describe('a clip with a variable frame rate', () => {
  it('plays through its change of rate in a video of the platform’s constant 30 frames a second', async () => {
    const vfr = await makeVfrTestClip(path.join(dir, 'vfr.mp4'), { width: 720, height: 1280, seconds: 6 });
    const source = (await probe(vfr)).streams.find((s) => s.type === 'video');
    expect(source?.frameRate).not.toBe(source?.averageFrameRate);
    const loaded = await loadTemplate(templatesDir, 'site-visit', 'video');
    const workDir = path.join(dir, `vfr-${++renders}`);
    await mkdir(workDir);
    const output = path.join(workDir, 'video.mp4');
    const item = await clipItem(vfr, 'keep');
    await renderVideo(loaded, [samplePosterJob()], site, {
      workDir,
      output,
      narration: null,
      music: null,
      footage: [item],
    });
    const facts = await probeVideo(output);
    expect(profileProblems(facts, VIDEO_PROFILE)).toEqual([]);
    const made = (await probe(output)).streams.find((s) => s.type === 'video');
    expect([made?.frameRate, made?.averageFrameRate]).toEqual(['30/1', '30/1']);
    // The clip plays through its change of rate (at 3 s, from the moving pattern to colour bars): not
    // stuck on its last frame at 30 fps. Read below the job card, where only the clip shows.
    const grey = async (seconds: number) =>
      sharp(await frameAt(output, seconds))
        .extract({ left: 0, top: 800, width: VIDEO_PROFILE.width, height: 600 })
        .resize(54, 30, { fit: 'fill' })
        .greyscale()
        .raw()
        .toBuffer();
    const [before, after, later] = await Promise.all([grey(2.5), grey(3.8), grey(5)]);
    const differs = (x: Buffer, y: Buffer) =>
      x.reduce((sum, v, i) => sum + Math.abs(v - (y[i] as number)), 0) / x.length;
    expect(differs(before, after)).toBeGreaterThan(20);
    expect(differs(after, later)).toBeLessThan(5);
  }, 120_000);
});

describe('a policy explainer', () => {
  it('says its title and each point over its own card, captioned, with a photo behind the points', async () => {
    const points = [
      '补贴对象：登记失业的灵活就业人员',
      '补贴标准：每人每月最多六百元',
      '申领方式：到街道便民服务中心申报',
    ];
    const video = await render('policy-explainer', [], {
      explainer: { title: '灵活就业社保补贴申领指南', points, images: [photo] },
    });
    await expectPublishable(video);
    const paragraphs = (video.script ?? '').split('\n\n');
    expect(paragraphs).toHaveLength(points.length + 2);
    expect(paragraphs[0]).toContain('灵活就业社保补贴申领指南');
    for (const [i, point] of points.entries()) expect(paragraphs[i + 1]).toBe(`${point}。`);
    expect(paragraphs.at(-1)).toMatch(/想了解更多.*0791-88886666/);
    const starts = sceneStarts(video.sceneSeconds, 0.5);
    // The second point, in dark ink on its white card, with its number.
    const frame = await frameAt(video.output, (starts[2] as number) + 2);
    const card = await readText(frame, { top: 590, height: 300 }, 'dark');
    expect(found(points[1] as string, card), `OCR read「${card}」`).toBeGreaterThanOrEqual(0.7);
    expect(await readText(frame, { top: 440, height: 84 }, 'light')).toMatch(/2.?\/3/);
  }, 180_000);
});

/** When each scene starts, from the scenes' lengths and the transition they share. */
function sceneStarts(sceneSeconds: readonly number[], transitionS: number): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const seconds of sceneSeconds) {
    starts.push(at);
    at += seconds - transitionS;
  }
  return starts;
}

describe('an end card', () => {
  it('says 扫码报名 beside the code only when the site has a QR page, and what to do instead when it has none', async () => {
    for (const template of ['job-spotlight', 'site-visit']) {
      const loaded = await loadTemplate(templatesDir, template, 'video');
      const endCard = async (qrUrl: string | null) => {
        const { svgs } = await videoSceneSvgs(loaded, [samplePosterJob()], { ...site, qrUrl }, { clips: 1 });
        return svgs.at(-1) ?? '';
      };
      const withCode = await endCard('https://jobs.example.cn');
      expect(withCode).toContain('扫码报名');
      expect(withCode).toContain('<desc>https://jobs.example.cn</desc>');
      const without = await endCard(null);
      expect(without).not.toContain('扫码报名');
      expect(without).not.toContain('<desc>');
      expect(without).toContain('欢迎咨询报名');
    }
  });
});
