import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
import { probeVideo, profileProblems, runFfmpeg } from '@jobcast/ffmpeg';
import { VIDEO_PROFILE, type VideoTemplate, videoSeconds } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DRIFT_SCALE,
  loadTemplate,
  type RenderInputError,
  renderVideo,
  type SiteSettings,
  videoSceneSvgs,
} from '../src/index.ts';
import { failure, hostileJob, INJECTION, INJECTION_IN_SVG } from './helpers.ts';

const { templatesDir } = loadConfig({});
const site: SiteSettings = samplePosterSite;
const job = samplePosterJob;
let dir: string;
let testTemplates: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-video-'));
  testTemplates = path.join(dir, 'templates');
  // A 6.5-second cut of job-spotlight keeps the tests that need an encode quick.
  const spotlight = JSON.parse(await readFile(path.join(templatesDir, 'job-spotlight', 'template.json'), 'utf8'));
  await writeTemplate('short-video', {
    ...spotlight,
    name: 'short-video',
    music: 'none',
    duration: { min: 5, max: 10 },
    scenes: spotlight.scenes.map((s: VideoTemplate['scenes'][number]) => ({ ...s, seconds: 2 })),
  });
  const withMusic = path.join(testTemplates, 'short-music');
  await writeTemplate('short-music', {
    ...spotlight,
    name: 'short-music',
    music: 'tune.m4a',
    duration: { min: 5, max: 10 },
    scenes: spotlight.scenes.map((s: VideoTemplate['scenes'][number]) => ({ ...s, seconds: 2 })),
  });
  // Three seconds of tone, shorter than the video: the music must loop to the end.
  await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=3',
    '-c:a',
    'aac',
    path.join(withMusic, 'tune.m4a'),
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTemplate(name: string, template: unknown): Promise<void> {
  await mkdir(path.join(testTemplates, name), { recursive: true });
  await writeFile(path.join(testTemplates, name, 'template.json'), JSON.stringify(template));
}

let runs = 0;
/** Renders into a fresh work folder; returns the video's path with the result. */
async function render(templates: string, name: string, jobs = [job()], siteSettings = site) {
  const workDir = path.join(dir, `work-${++runs}`);
  await mkdir(workDir);
  const output = path.join(workDir, 'video.mp4');
  const loaded = await loadTemplate(templates, name, 'video');
  const music = /\.(?:m4a|mp3|aac|wav)$/.test(loaded.template.music)
    ? path.join(loaded.dir, loaded.template.music)
    : null;
  const result = await renderVideo(loaded, jobs, siteSettings, { workDir, output, music });
  return { ...result, output, workDir };
}

let measures = 0;

/** A frame of the video at `seconds`, shrunk to 54×96 grey, as bytes. */
async function frameAt(file: string, seconds: number): Promise<Buffer> {
  const frame = path.join(dir, `frame-${++measures}.gray`);
  await runFfmpeg([
    '-v',
    'error',
    '-ss',
    String(seconds),
    '-i',
    file,
    '-frames:v',
    '1',
    '-vf',
    'scale=54:96,format=gray',
    '-f',
    'rawvideo',
    '-y',
    frame,
  ]);
  return readFile(frame);
}

/** Mean absolute difference of two grey pictures of the same size (0 = the same, 255 = opposite). */
function difference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

/**
 * The audio's mean volume in dB (its RMS level, what volumedetect calls mean_volume), of the whole
 * file or of `seconds` from `from`. astats keeps a running level; the last one written covers it all.
 */
async function meanVolume(file: string, from?: number, seconds?: number): Promise<number> {
  const range = from === undefined ? [] : ['-ss', String(from), '-t', String(seconds)];
  const levels = path.join(dir, `levels-${++measures}.txt`);
  const filter = `astats=metadata=1:reset=0,ametadata=mode=print:key=lavfi.astats.Overall.RMS_level:file=${levels}`;
  await runFfmpeg(['-v', 'error', ...range, '-i', file, '-map', '0:a', '-af', filter, '-f', 'null', '-']);
  const last = [...(await readFile(levels, 'utf8')).matchAll(/RMS_level=(-?[\d.]+|-inf)/g)].at(-1)?.[1];
  return last === '-inf' ? Number.NEGATIVE_INFINITY : Number(last);
}

describe('the job-spotlight template', () => {
  it('makes a 30-second 1080×1920 H.264 High / AAC video that passes the platform profile, with a cover', async () => {
    const video = await render(templatesDir, 'job-spotlight');
    const facts = await probeVideo(video.output);
    expect(profileProblems(facts, VIDEO_PROFILE)).toEqual([]);
    expect(facts).toMatchObject({
      videoCodec: 'h264',
      profile: 'High',
      pixelFormat: 'yuv420p',
      width: 1080,
      height: 1920,
      fps: 30,
      audioCodec: 'aac',
      faststart: true,
    });
    expect(facts.durationS).toBeCloseTo(30, 1);
    const cover = await sharp(video.cover).metadata();
    expect([cover.format, cover.width, cover.height]).toEqual(['jpeg', 1080, 1920]);

    // The scenes come in the template's order: the middle of the pay scene looks like the cover
    // (drawn from that scene), the opening does not.
    const coverGrey = await sharp(video.cover).resize(54, 96, { fit: 'fill' }).grayscale().raw().toBuffer();
    expect(difference(await frameAt(video.output, 10.5), coverGrey)).toBeLessThan(12);
    expect(difference(await frameAt(video.output, 2), coverGrey)).toBeGreaterThan(40);
  });

  it('binds every scene to the job and the office', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const { svgs } = await videoSceneSvgs(loaded, [job()], site);
    expect(svgs).toHaveLength(4);
    const all = svgs.join('\n');
    for (const text of [
      '好岗推荐',
      '骨干操作工',
      '4000-6000元/月',
      '招聘人数',
      '5人',
      '高中',
      '1年以上',
      '张先生 13800000000',
      '服务热线',
      '0791-88886666',
      '南昌市青山湖区民营科技园就业服务大厅一楼',
    ]) {
      expect(all).toContain(text);
    }
  });

  it('ends on the office, its address and the job’s phone when the site has no hotline or QR page', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const { svgs } = await videoSceneSvgs(loaded, [job()], { ...site, hotline: null, qrUrl: null });
    const end = svgs.at(-1) as string;
    for (const text of ['欢迎咨询报名', '报名电话', '张先生 13800000000', '示范区就业服务中心', '民营科技园']) {
      expect(end).toContain(text);
    }
    expect(end).not.toContain('服务热线');
    expect(end).not.toContain('扫码报名');
  });

  it('breaks the office’s address on the end card after a part of it, not inside a word', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const address = '南昌市示范区民营科技园就业服务大厅一楼';
    const { svgs } = await videoSceneSvgs(loaded, [job()], { ...site, qrUrl: null, address });
    const lines = [...(svgs.at(-1) as string).matchAll(/<text [^>]*>([^<]*)<\/text>/g)]
      .map((m) => m[1] as string)
      .filter((line) => address.includes(line) && line.length > 3);
    expect(lines).toEqual(['南昌市示范区民营科技园', '就业服务大厅一楼']);
  });

  it('keeps every scene’s text below the AI label and above the captions, and centres a job’s facts in their card', async () => {
    // A job with few facts: no location, headcount or description.
    const sparse = job({ location: null, headcount: null, headcountText: null, description: null });
    const picks = ['叉车司机', '电工', '缝纫工'].map((title, i) => job({ id: i + 1, title }));
    for (const [template, jobs] of [
      ['job-spotlight', [job()]],
      ['job-spotlight', [sparse]],
      ['weekly-picks', picks],
      ['weekly-picks', [sparse, ...picks.slice(1)]],
    ] as const) {
      const loaded = await loadTemplate(templatesDir, template, 'video');
      const { svgs, planned } = await videoSceneSvgs(loaded, jobs, site);
      for (const [i, svg] of svgs.entries()) {
        // A drifting scene is shown DRIFT_SCALE larger, centred in height.
        const scale = planned[i]?.scene.motion === 'drift' ? DRIFT_SCALE : 1;
        const lines = drawnLines(svg).map((l) => ({
          ...l,
          top: l.top * scale - (1920 * (scale - 1)) / 2,
          bottom: l.bottom * scale - (1920 * (scale - 1)) / 2,
        }));
        // The label's box ends at y 297; two lines of captions start at y 1317.
        expect(Math.min(...lines.map((l) => l.top))).toBeGreaterThanOrEqual(330);
        expect(Math.max(...lines.map((l) => l.bottom))).toBeLessThanOrEqual(1290);
      }
      // The facts card (y 530–1280) of the second scene: no empty half, however few facts the job has.
      const card = drawnLines(svgs[1] as string).filter((l) => l.top > 530);
      const above = Math.min(...card.map((l) => l.top)) - 530;
      const below = 1280 - Math.max(...card.map((l) => l.bottom));
      expect(Math.abs(above - below)).toBeLessThan(40);
    }
  });
});

/** The text lines an SVG draws, with the top and bottom of their glyphs (about one em from 0.88 em above the baseline). */
function drawnLines(svg: string): { text: string; size: number; top: number; bottom: number }[] {
  return [...svg.matchAll(/<text [^>]*y="([\d.]+)"[^>]*font-size="(\d+)"[^>]*>([^<]*)<\/text>/g)].map(
    ([, y, size, text]) => ({
      text: text as string,
      size: Number(size),
      top: Number(y) - 0.88 * Number(size),
      bottom: Number(y) + 0.12 * Number(size),
    }),
  );
}

describe('the weekly-picks template', () => {
  it('gives each of 3 jobs a scene in a 30.2-second video, and 8 jobs stay within 60 s', async () => {
    const jobs = ['叉车司机', '电工', '缝纫工'].map((title, i) => job({ id: i + 1, title }));
    const video = await render(templatesDir, 'weekly-picks', jobs);
    const facts = await probeVideo(video.output);
    expect(profileProblems(facts, VIDEO_PROFILE)).toEqual([]);
    expect(facts.durationS).toBeCloseTo(30.2, 1);
    const loaded = await loadTemplate(templatesDir, 'weekly-picks', 'video');
    const { svgs } = await videoSceneSvgs(loaded, jobs, site);
    expect(svgs).toHaveLength(5);
    jobs.forEach((j, i) => {
      expect(svgs[i + 1]).toContain(j.title);
    });
    // The first two seconds hook with the lead job's title and pay, under a smaller 本周好岗 label.
    const hook = drawnLines(svgs[0] as string);
    const size = (text: string) => hook.find((l) => l.text === text)?.size ?? 0;
    expect(hook.map((l) => l.text)).toEqual(expect.arrayContaining(['本周好岗推荐', '叉车司机', '4000-6000元/月']));
    expect(size('叉车司机')).toBeGreaterThanOrEqual(120);
    expect(size('4000-6000元/月')).toBeGreaterThanOrEqual(90);
    expect(size('本周好岗推荐')).toBeLessThan(60);
    expect(videoSeconds(loaded.template, 8)).toBeCloseTo(59.7, 5);
    await expect(videoSceneSvgs(loaded, jobs.slice(0, 2), site)).rejects.toThrow(
      /「本周精选岗位竖版短视频（3–8 个岗位）」需要 3 到 8 个岗位，给了 2 个/,
    );
  });
});

describe('video input that must not break a render', () => {
  it('plays the template music, looped to the end, and silence when the template has none', async () => {
    const tuned = await render(testTemplates, 'short-music');
    const silent = await render(testTemplates, 'short-video');
    expect((await probeVideo(tuned.output)).audioCodec).toBe('aac');
    expect(await meanVolume(tuned.output)).toBeGreaterThan(-30);
    // The tone is 3 s long and the video 6.5 s: the last second before the fade still has sound.
    expect(await meanVolume(tuned.output, 4, 0.8)).toBeGreaterThan(-30);
    expect(await meanVolume(silent.output)).toBeLessThan(-80);
  });

  it('draws injection strings in every field literally and still encodes', async () => {
    const evil = INJECTION;
    const hostile = hostileJob();
    const hostileSite = { ...site, name: evil, hotline: evil, address: evil };
    const loaded = await loadTemplate(testTemplates, 'short-video', 'video');
    const { svgs } = await videoSceneSvgs(loaded, [hostile], hostileSite);
    const all = svgs.join('\n');
    expect(all).not.toContain('<script>');
    expect(all.match(INJECTION_IN_SVG)?.length).toBeGreaterThanOrEqual(8);
    const video = await render(testTemplates, 'short-video', [hostile], hostileSite);
    expect(profileProblems(await probeVideo(video.output), VIDEO_PROFILE)).toEqual([]);
  });

  it('fits a 60-character company name, smaller but whole', async () => {
    const employer =
      '南昌市青山湖区洪城大市场电子科技产业园区第三分园智能制造装备研发生产销售服务一体化有限责任公司'.padEnd(60, '司');
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const { svgs } = await videoSceneSvgs(loaded, [job({ employer })], site);
    for (const svg of [svgs[0], svgs[1]]) {
      const lines = [...(svg as string).matchAll(/>([^<]*)<\/text>/g)].map(([, text]) => text as string);
      expect(lines.filter((line) => employer.includes(line) && line.length > 8).join('')).toBe(employer);
    }
  });

  it('refuses a character the font lacks before anything is drawn or encoded', async () => {
    const workDir = path.join(dir, 'glyphs');
    await mkdir(workDir);
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const error = await failure(
      renderVideo(loaded, [job({ employer: '南昌𪛖记餐饮有限公司' })], site, {
        workDir,
        output: path.join(workDir, 'video.mp4'),
      }),
    );
    expect(error.code).toBe('MISSING_GLYPHS');
    expect(error.message).toMatch(/岗位“骨干操作工”的“公司名称”含有字体里没有的字 “𪛖”/);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('refuses a template whose music file is missing, or with a scene shorter than its transition', async () => {
    const spotlight = JSON.parse(await readFile(path.join(templatesDir, 'job-spotlight', 'template.json'), 'utf8'));
    await writeTemplate('no-music', { ...spotlight, name: 'no-music', music: 'missing.mp3' });
    const missing = await loadTemplate(testTemplates, 'no-music', 'video').catch((e: RenderInputError) => e);
    expect(missing).toMatchObject({ code: 'MISSING_ASSET' });
    expect((missing as Error).message).toContain(path.join('no-music', 'missing.mp3'));

    const scenes = structuredClone(spotlight.scenes);
    scenes[1].seconds = 0.4;
    await writeTemplate('bad-scene', { ...spotlight, name: 'bad-scene', scenes });
    const bad = await loadTemplate(testTemplates, 'bad-scene', 'video').catch((e: RenderInputError) => e);
    expect(bad).toMatchObject({ code: 'BAD_TEMPLATE' });
    expect((bad as Error).message).toMatch(/scenes\.1：每屏的时长须大于转场时长的两倍/);

    await writeTemplate('too-long', { ...spotlight, name: 'too-long', jobs: { min: 1, max: 3 } });
    const long = await loadTemplate(testTemplates, 'too-long', 'video').catch((e: RenderInputError) => e);
    expect((long as Error).message).toMatch(/3 个岗位时视频长 66\.0 秒，不在 15–40 秒之间/);
  });
});
