import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import { probe, probeVideo, profileProblems } from '@jobcast/ffmpeg';
import { VIDEO_PROFILE } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { espeakProvider } from '@jobcast/speech';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, renderVideo, type SiteSettings } from '../src/index.ts';
import { expectPublishable, renderNarrated } from './publishable.ts';

const _run = promisify(execFile);
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

const narrated = (template: string, jobs = [samplePosterJob()]) => renderNarrated(dir, store, template, jobs);

describe('a narrated job video', () => {
  it('speaks the job over ducked music at the platforms’ loudness, with captions burned in and the AI labels', async () => {
    const video = await narrated('job-spotlight');
    // Loudness, the voice under every caption, the captions read back by OCR, both AI labels.
    const cues = await expectPublishable({ ...video, minCues: 6 });
    expect(cues[0]?.text).toContain('骨干操作工');
    const aigc = JSON.parse((await probe(video.output)).tags.AIGC ?? '{}');
    expect(aigc).toMatchObject({ Label: '1', ContentProducer: 'JobCast/default', ReservedCode1: 'voice:espeak' });
    expect(video.aiComponents).toEqual([expect.objectContaining({ kind: 'voice', provider: 'espeak' })]);
  });

  it('renders weekly picks with a paragraph per job, each job spoken while it is on screen', async () => {
    const titles = ['仓库管理员', '餐厅服务员', '会计'];
    const jobs = titles.map((title, i) => samplePosterJob({ id: i + 1, title }));
    const video = await narrated('weekly-picks', jobs);
    await expectPublishable(video);
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
