import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import { LOUDNESS_TARGET, measureLoudness, probe, probeVideo, profileProblems, runFfmpeg } from '@jobcast/ffmpeg';
import { VIDEO_PROFILE } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { espeakProvider } from '@jobcast/speech';
import { LocalMediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinBedFile } from '../src/audio/sound.ts';
import { loadTemplate, renderVideo, type SiteSettings } from '../src/index.ts';
import { CAPTION_STYLE } from '../src/video/captions.ts';
import { speechCache } from '../src/video/produce-video.ts';

const run = promisify(execFile);
const { templatesDir } = loadConfig({});
const site: SiteSettings = samplePosterSite;
let dir: string;
let store: LocalMediaStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-narrated-'));
  store = new LocalMediaStore(path.join(dir, 'media'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let renders = 0;
async function narrated(template: string, jobs = [samplePosterJob()]) {
  const workDir = path.join(dir, `work-${++renders}`);
  await mkdir(workDir);
  const output = path.join(workDir, 'video.mp4');
  const loaded = await loadTemplate(templatesDir, template, 'video');
  const result = await renderVideo(loaded, jobs, site, {
    workDir,
    output,
    narration: { provider: espeakProvider(), cache: speechCache(store) },
    music: await builtinBedFile('builtin-bright', store),
    aigc: { producer: 'JobCast/default', produceId: `test-${renders}` },
  });
  return { ...result, output, workDir };
}

/**
 * What tesseract reads in a band of a frame: white text with a dark outline, isolated by keeping only
 * near-white pixels (then shown black on white, as OCR wants it).
 */
async function readText(
  video: string,
  seconds: number,
  band: { top: number; height: number; left?: number; width?: number },
) {
  const frame = path.join(dir, `frame-${seconds}-${band.top}-${++renders}.png`);
  await runFfmpeg(['-ss', seconds.toFixed(2), '-i', video, '-frames:v', '1', '-y', frame]);
  const clean = `${frame}.ocr.png`;
  await sharp(frame)
    .extract({ left: band.left ?? 0, top: band.top, width: band.width ?? VIDEO_PROFILE.width, height: band.height })
    .greyscale()
    .threshold(235)
    .negate()
    .toFile(clean);
  const { stdout } = await run('tesseract', [clean, 'stdout', '-l', 'chi_sim', '--psm', '6']);
  return stdout.replace(/\s+/g, '');
}

/** The share of a cue's characters that OCR found, in order or not (OCR drops or misreads a few). */
function found(cue: string, read: string): number {
  const chars = [...cue.replace(/[，。！？、\s]/g, '')];
  return chars.filter((c) => read.includes(c)).length / chars.length;
}

describe('a narrated job video', () => {
  it('speaks the job over ducked music at the platforms’ loudness, with captions burned in and the AI labels', async () => {
    const video = await narrated('job-spotlight');
    expect(profileProblems(await probeVideo(video.output), VIDEO_PROFILE)).toEqual([]);

    // Loudness as the platforms measure it, read again from the file.
    const loudness = await measureLoudness(video.output);
    expect(Math.abs(loudness.integrated - LOUDNESS_TARGET.integrated)).toBeLessThanOrEqual(1.5);
    expect(loudness.truePeak).toBeLessThanOrEqual(-1);

    // The voice is there for every cue: its own track is well above silence while each cue is shown.
    const cues = [
      ...(video.srt ?? '').matchAll(
        /(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n([^\n]+(?:\n[^\n]+)?)/g,
      ),
    ].map((m) => ({
      start: Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000,
      end: Number(m[6]) * 60 + Number(m[7]) + Number(m[8]) / 1000,
      text: (m[9] as string).replace(/\n/g, ''),
    }));
    expect(cues.length).toBeGreaterThanOrEqual(6);
    for (const cue of cues) {
      const voice = await measureLoudness(path.join(video.workDir, 'voice.wav'), {
        from: cue.start,
        seconds: Math.max(0.4, cue.end - cue.start),
      });
      expect(voice.integrated, `voice during「${cue.text}」`).toBeGreaterThan(-40);
    }

    // The first cue and the last, read back from the frames: the caption band is over a plain colour there.
    const bandTop = VIDEO_PROFILE.height - CAPTION_STYLE.marginBottom - 2 * 100;
    for (const cue of [cues[0], cues.at(-1)]) {
      if (!cue) continue;
      const read = await readText(video.output, (cue.start + cue.end) / 2, { top: bandTop, height: 200 });
      expect(found(cue.text, read), `OCR read「${read}」for「${cue.text}」`).toBeGreaterThanOrEqual(0.6);
    }

    // The visible AIGC label, top left below the apps' bar, and the implicit one in the file.
    const label = await readText(video.output, 10, { top: 255, height: 60, left: 40, width: 480 });
    expect(found('本视频含AI生成内容', label), `OCR read「${label}」`).toBeGreaterThanOrEqual(0.7);
    const aigc = JSON.parse((await probe(video.output)).tags.AIGC ?? '{}');
    expect(aigc).toMatchObject({ Label: '1', ContentProducer: 'JobCast/default', ReservedCode1: 'voice:espeak' });
    expect(video.aiComponents).toEqual([expect.objectContaining({ kind: 'voice', provider: 'espeak' })]);
  });

  it('renders weekly picks with a paragraph per job, each job spoken while it is on screen', async () => {
    const titles = ['仓库管理员', '餐厅服务员', '会计'];
    const jobs = titles.map((title, i) => samplePosterJob({ id: i + 1, title }));
    const video = await narrated('weekly-picks', jobs);
    expect(profileProblems(await probeVideo(video.output), VIDEO_PROFILE)).toEqual([]);
    const paragraphs = (video.script ?? '').split('\n\n');
    expect(paragraphs).toHaveLength(titles.length + 2);
    for (const [i, title] of titles.entries()) expect(paragraphs[i + 1]).toContain(`第${i + 1}个，${title}`);
  });

  it('fails a script too long for its video, naming the length, before anything is encoded', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const workDir = path.join(dir, 'too-long');
    await mkdir(workDir);
    const script = '南昌洪城电子科技有限公司招聘骨干操作工，包吃包住，长白班。'.repeat(15);
    const error = await renderVideo(loaded, [samplePosterJob()], site, {
      workDir,
      output: path.join(workDir, 'video.mp4'),
      narration: { provider: espeakProvider(), script },
    }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'SCRIPT_TOO_LONG' });
    expect((error as Error).message).toMatch(/超过这个视频.*40 秒/);
    await expect(readFile(path.join(workDir, 'video.mp4'))).rejects.toThrow();
  });

  it('keeps the media team’s edited script, paragraph by paragraph, with awkward characters captioned as written', async () => {
    // A short cut of job-spotlight that may grow to its script: the test needs the script, not 30 s.
    const spotlight = JSON.parse(await readFile(path.join(templatesDir, 'job-spotlight', 'template.json'), 'utf8'));
    const shortDir = path.join(dir, 'templates', 'short-narrated');
    await mkdir(shortDir, { recursive: true });
    await writeFile(
      path.join(shortDir, 'template.json'),
      JSON.stringify({
        ...spotlight,
        name: 'short-narrated',
        duration: { min: 5, max: 30 },
        scenes: spotlight.scenes.map((scene: { seconds: number }) => ({ ...scene, seconds: 2 })),
      }),
    );
    const loaded = await loadTemplate(path.join(dir, 'templates'), 'short-narrated', 'video');
    const workDir = path.join(dir, 'edited');
    await mkdir(workDir);
    const script = ['𠮷野家招人啦🔥', '-', '<script>alert(1)</script>，%{x}，{{y}}', "报名热线0791-88886666，'\\"].join(
      '\n\n',
    );
    await writeFile(path.join(workDir, 'note.txt'), script);
    const video = await renderVideo(loaded, [samplePosterJob()], site, {
      workDir,
      output: path.join(workDir, 'video.mp4'),
      narration: { provider: espeakProvider(), script },
      music: null,
    });
    expect(video.script).toBe(script);
    const captions = (video.srt ?? '').replace(/\n(?!\n|\d+\n)/g, '');
    expect(captions).toContain('𠮷野家招人啦');
    expect(captions).not.toContain('🔥');
    expect(captions).toContain('报名热线0791-88886666');
    expect(profileProblems(await probeVideo(path.join(workDir, 'video.mp4')), VIDEO_PROFILE)).toEqual([]);
  });
});
