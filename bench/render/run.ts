/**
 * Render benchmark: each figure beside its ceiling or target, measured in the same run.
 *
 *   npm run bench:render [-- --runs 30 --video-runs 3 --batch 20 --only posters,videos,voice,flyer,batch]
 *
 * - posters: median and p90 of drawing one poster (PNG and JPEG), against the 60 ms target;
 * - videos: the narrated one-job 30 s video (offline voice, captions, music ducked and normalised),
 *   a narrated 6-job video, and the one-job video without voice or music, each against ffmpeg
 *   encoding one static 1080×1920 still (the video's own cover) for the same number of frames with
 *   the same encoder settings; runs alternate (video, ceiling, video, …) so the machine's drift hits
 *   both alike; the stages' medians (draw and speak, sound, encode, checks) beside them; the
 *   narrated 60-second site visit from three 1080p clips is also set beside its footage floor (the
 *   same parts of the clips decoded, cropped and encoded alone, nothing composed);
 * - the offline voice's real-time factor: synthesis time ÷ speech duration for a 30-second script,
 *   nothing cached;
 * - the flyer PDF (24 jobs, two sides), against the 1.5 s target;
 * - 20 one-job videos through the real queue (Redis, PostgreSQL) with 2 workers, against the sum of
 *   the same 20 rendered one at a time, divided by 2.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import type { JobView } from '@jobcast/core';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  type Database,
  ensureSite,
  getRender,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { createTestDatabase, testJobRecord } from '@jobcast/db/testing';
import { PLATFORM_H264_OPTIONS, runFfmpeg } from '@jobcast/ffmpeg';
import { Producer } from '@jobcast/queue';
import {
  builtinBedFile,
  type FootageItem,
  loadTemplate,
  type RenderWorker,
  renderFlyer,
  renderPoster,
  renderVideo,
  type SiteSettings,
  startRenderWorker,
  stopFlyerThread,
} from '@jobcast/render-worker';
import { requestRender, videoScenes } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { espeakProvider, narrate, writeSceneScript } from '@jobcast/speech';
import { LocalMediaStore } from '@jobcast/storage';
import { Redis } from 'ioredis';

const run = promisify(execFile);
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > -1 ? Number(process.argv[i + 1]) : fallback;
};
const runs = flag('runs', 30);
const videoRuns = flag('video-runs', 3);
const batchSize = flag('batch', 20);
const config = loadConfig();
const { templatesDir } = config;

const job = (i: number, title: string) =>
  samplePosterJob({
    id: i,
    employer: `南昌洪城第${i}电子科技有限公司`,
    title,
    pay: { min: 4000 + i * 100, max: 6000 + i * 100, unit: 'month', negotiable: false, months: null, text: null },
    description: '吃苦耐劳，能适应两班倒，有叉车证者优先。',
    category: i % 4 === 0 ? 'gig' : 'full-time',
  });
const site: SiteSettings = samplePosterSite;
type VideoStageTimes = Awaited<ReturnType<typeof renderVideo>>['timings'];
const titles = ['叉车司机', '电工', '缝纫工', '收银员', '保洁员', '厨师'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const clockTicks = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
const scratch = await mkdtemp(path.join(tmpdir(), 'jobcast-bench-render-'));
console.log(`render benchmark on ${cpus().length} cores; ffmpeg encoder: ${PLATFORM_H264_OPTIONS.join(' ')}\n`);

const onlyArg = process.argv.indexOf('--only');
const only =
  onlyArg > -1 ? (process.argv[onlyArg + 1] ?? '').split(',') : ['posters', 'videos', 'voice', 'flyer', 'batch'];
try {
  if (only.includes('posters')) await posters();
  if (only.includes('videos')) await videos();
  if (only.includes('voice')) await voice();
  if (only.includes('flyer')) await flyer();
  if (only.includes('batch')) await batch();
} finally {
  await stopFlyerThread();
  await rm(scratch, { recursive: true, force: true });
}

async function posters() {
  const cases = [
    { template: 'job-poster', jobs: [job(1, '骨干操作工（包吃住）')] },
    { template: 'multi-job-poster', jobs: titles.map((t, i) => job(i + 1, t)) },
  ];
  const rows = [];
  for (const c of cases) {
    const loaded = await loadTemplate(templatesDir, c.template, 'poster');
    for (let i = 0; i < 3; i++) await renderPoster(loaded, c.jobs, site);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timed(() => renderPoster(loaded, c.jobs, site)));
    const m = median(times);
    rows.push({
      poster: c.template,
      jobs: c.jobs.length,
      runs,
      'median ms': m.toFixed(1),
      'p90 ms': percentile(times, 0.9).toFixed(1),
      'target ms': 60,
      'median / target': (m / 60).toFixed(2),
    });
  }
  console.log('Posters');
  console.table(rows);
}

/** ffmpeg encoding one still for `frames` frames: the decoded still is repeated, never re-read. */
async function staticCeiling(still: string, frames: number, output: string): Promise<number> {
  return timed(() =>
    runFfmpeg([
      '-v',
      'error',
      '-y',
      '-i',
      still,
      '-filter_complex',
      `[0:v]format=yuv420p,loop=loop=${frames - 1}:size=1:start=0,settb=1/30,setpts=N[video]`,
      '-map',
      '[video]',
      ...PLATFORM_H264_OPTIONS,
      '-frames:v',
      String(frames),
      output,
    ]),
  );
}

/**
 * The least any video of these clips costs: the same part of each clip decoded, cropped to the frame
 * and encoded with the same settings, one after another, for the same number of frames; nothing
 * composed over it, no transitions, no sound. A static still encodes far faster than moving footage:
 * this shows what of a footage video's time is the footage itself.
 */
async function footageFloor(clips: readonly FootageItem[], frames: number, output: string): Promise<number> {
  const inputs = clips.flatMap((c) => ['-ss', String(c.inS), '-t', String((c.outS ?? 0) - c.inS), '-i', c.file]);
  const chains = clips.map(
    (_, i) =>
      `[${i}:v]fps=30,scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,format=yuv420p[c${i}]`,
  );
  const joined = `${clips.map((_, i) => `[c${i}]`).join('')}concat=n=${clips.length}:v=1:a=0,tpad=stop_mode=clone:stop=${frames}[video]`;
  return timed(() =>
    runFfmpeg([
      ...['-v', 'error', '-y', ...inputs, '-filter_complex', `${chains.join(';')};${joined}`, '-map', '[video]'],
      ...PLATFORM_H264_OPTIONS,
      ...['-frames:v', String(frames), output],
    ]),
  );
}

/**
 * Three 20-second 1080p phone clips with their own sound (two held upright, one landscape), each
 * used from 1 s to 18.5 s: with the end card the site visit lasts about 59 s.
 */
async function phoneClips(): Promise<FootageItem[]> {
  const clips: FootageItem[] = [];
  for (const [i, size] of ['1080x1920', '1920x1080', '1080x1920'].entries()) {
    const file = path.join(scratch, `clip-${i}.mp4`);
    await runFfmpeg([
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=30`, '-f', 'lavfi'],
      ...['-i', `sine=f=${220 * (i + 1)}:sample_rate=48000`, '-t', '20', '-c:v', 'libx264', '-preset', 'veryfast'],
      ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
    ]);
    const [width, height] = size.split('x').map(Number) as [number, number];
    clips.push({
      kind: 'clip',
      file,
      name: `clip-${i}.mp4`,
      width,
      height,
      durationS: 20,
      inS: 1,
      outS: 18.5,
      sound: 'keep',
      hasAudio: true,
    });
  }
  return clips;
}

async function videos() {
  const store = new LocalMediaStore(path.join(scratch, 'media'));
  const music = await builtinBedFile('builtin-bright', store);
  // No cache: every run synthesises its voice, as a render of a new job does.
  const narration = { provider: espeakProvider() };
  const cases = [
    {
      name: 'narrated one-job video',
      template: 'job-spotlight',
      jobs: [job(1, '骨干操作工（包吃住）')],
      sound: { narration, music },
    },
    {
      name: 'narrated 6-job video',
      template: 'weekly-picks',
      jobs: titles.map((t, i) => job(i + 1, t)),
      sound: { narration, music },
    },
    {
      name: 'one-job video, no voice or music',
      template: 'job-spotlight',
      jobs: [job(1, '骨干操作工（包吃住）')],
      sound: { narration: null, music: null },
    },
    {
      name: 'narrated site visit, three 1080p clips',
      template: 'site-visit',
      jobs: [job(1, '骨干操作工（包吃住）')],
      sound: { narration, music, footage: await phoneClips() },
    },
  ];
  const rows = [];
  const stages = [];
  for (const c of cases) {
    const loaded = await loadTemplate(templatesDir, c.template, 'video');
    const videoTimes: number[] = [];
    const ceilingTimes: number[] = [];
    const floorTimes: number[] = [];
    let facts = { durationS: 0, frames: 0, bytes: 0 };
    const stageTimes: VideoStageTimes[] = [];
    // One warm-up of each, then alternate.
    for (let i = -1; i < videoRuns; i++) {
      const workDir = path.join(scratch, `${c.template}-${i + 1}`);
      await mkdir(workDir, { recursive: true });
      const output = path.join(workDir, 'video.mp4');
      let result: Awaited<ReturnType<typeof renderVideo>> | undefined;
      const videoMs = await timed(async () => {
        result = await renderVideo(loaded, c.jobs, site, { workDir, output, ...c.sound });
      });
      if (!result) throw new Error('no video');
      if (i >= 0) stageTimes.push(result.timings);
      facts = { durationS: result.facts.durationS, frames: result.frames, bytes: result.facts.bytes };
      const still = path.join(workDir, 'cover.jpg');
      await writeFile(still, result.cover);
      const ceilingMs = await staticCeiling(still, result.frames, path.join(workDir, 'static.mp4'));
      const footage = 'footage' in c.sound ? c.sound.footage : undefined;
      const floorMs = footage ? await footageFloor(footage, result.frames, path.join(workDir, 'floor.mp4')) : 0;
      if (i >= 0) {
        videoTimes.push(videoMs);
        ceilingTimes.push(ceilingMs);
        if (footage) floorTimes.push(floorMs);
      }
      await rm(workDir, { recursive: true, force: true });
    }
    const v = median(videoTimes);
    const s = median(ceilingTimes);
    rows.push({
      video: `${c.name} (${c.template})`,
      length: `${facts.durationS.toFixed(1)} s, ${facts.frames} frames`,
      MB: (facts.bytes / 1e6).toFixed(2),
      runs: videoRuns,
      'median s': seconds(v),
      'static-encode ceiling s': seconds(s),
      'video / ceiling': (v / s).toFixed(2),
      'each run s': videoTimes.map(seconds).join(' '),
      'each ceiling s': ceilingTimes.map(seconds).join(' '),
      'footage floor s': floorTimes.length > 0 ? seconds(median(floorTimes)) : '—',
      'video / footage floor': floorTimes.length > 0 ? (v / median(floorTimes)).toFixed(2) : '—',
    });
    const stage = (key: keyof VideoStageTimes) => seconds(median(stageTimes.map((t) => t[key])));
    stages.push({
      video: c.name,
      'draw + speak s': stage('drawAndSpeak'),
      'sound s': stage('sound'),
      'encode s': stage('encode'),
      'checks s': stage('check'),
    });
  }
  console.log(
    '\nVideos (targets: the narrated one-job video within 2× its ceiling, aim 1.5×; the site visit within 3×)',
  );
  console.table(rows);
  console.log('Stages (medians)');
  console.table(stages);
}

/** The offline voice's real-time factor: seconds of synthesis per second of speech, nothing cached. */
async function voice() {
  const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
  const script = videoScenes(loaded.template, 1).flatMap(({ scene }) => scene.say);
  const text = writeSceneScript({
    scenes: [{ say: script, job: null, seconds: 60 }],
    jobs: [job(1, '骨干操作工（包吃住）')],
    site,
  }).paragraphs.join('');
  const provider = espeakProvider();
  const rows = [];
  for (let i = 0; i < 5; i++) {
    let spoken = 0;
    const ms = await timed(async () => {
      spoken = (await narrate(text, { provider })).seconds;
    });
    rows.push({
      run: i + 1,
      'speech s': spoken.toFixed(2),
      'synthesis s': seconds(ms),
      'real-time factor': (ms / 1000 / spoken).toFixed(3),
    });
  }
  console.log(`\nOffline voice (eSpeak NG), ${[...text].length} characters (aim: real-time factor ≤ 0.1)`);
  console.table(rows);
}

async function flyer() {
  const loaded = await loadTemplate(templatesDir, 'monthly-flyer', 'flyer');
  const jobs: JobView[] = Array.from({ length: 24 }, (_, i) => job(i + 1, `${titles[i % titles.length]}${i + 1}号`));
  const input = { jobs, issue: { number: 12, month: '2026-11', revision: 1 }, site };
  // Cold: the first flyer after the flyer thread was stopped (it starts on demand, ends when idle).
  const cold: number[] = [];
  for (let i = 0; i < 3; i++) {
    await stopFlyerThread();
    cold.push(await timed(() => renderFlyer(loaded, input)));
  }
  const times: number[] = [];
  let pages = 0;
  let bytes = 0;
  for (let i = 0; i < 7; i++) {
    times.push(
      await timed(async () => {
        const pdf = await renderFlyer(loaded, input);
        pages = pdf.pages;
        bytes = pdf.pdf.length;
      }),
    );
  }
  const m = median(times);
  console.log('\nFlyer PDF (built on the flyer thread; target under 1.5 s)');
  console.table([
    {
      flyer: 'monthly-flyer',
      jobs: jobs.length,
      pages,
      KB: (bytes / 1024).toFixed(0),
      runs: times.length,
      'median s': seconds(m),
      'target s': 1.5,
      'median / target': (m / 1500).toFixed(2),
      'cold start (new thread) s': cold.map(seconds).join(' '),
    },
  ]);
}

/** CPU seconds this process and its finished children (ffmpeg, ffprobe) have used so far. */
async function cpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // utime, stime, cutime, cstime: fields 14–17 of proc(5), 11–14 here (this list starts at field 3).
  return ((fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0)) / clockTicks;
}

/** `count` one-job videos through the queue, waiting for all of them; returns the wall time. */
async function throughQueue(
  db: Database,
  deps: { producer: Producer; store: LocalMediaStore },
  siteId: number,
  jobIds: number[],
  workers: RenderWorker[],
): Promise<number> {
  const ids: number[] = [];
  const ms = await timed(async () => {
    for (const id of jobIds) {
      const render = await requestRender({ db, producer: deps.producer, templatesDir }, siteId, {
        kind: 'video',
        template: 'job-spotlight',
        jobIds: [id],
      });
      ids.push(render.id);
    }
    for (const id of ids) {
      for (;;) {
        const render = await getRender(db, id);
        if (render.status === 'failed') throw new Error(`render ${id} failed: ${render.errorMessage}`);
        if (render.status === 'done') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  await Promise.all(workers.map((w) => w.close()));
  return ms;
}

async function batch() {
  const database = await createTestDatabase('bench');
  const db = createDatabase(database.url, 6);
  const connection = { redisUrl: config.redisUrl, prefix: `bench-render-${randomBytes(4).toString('hex')}` };
  const store = new LocalMediaStore(path.join(scratch, 'media'));
  const producer = new Producer(connection);
  try {
    const siteRow = await ensureSite(db, { code: 'bench', name: '示范区就业服务中心' });
    await db.$client.query(
      "update sites set hotline = '0791-88886666', address = '南昌市青山湖区民营科技园', qr_url = 'https://jobs.example.cn' where id = $1",
      [siteRow.id],
    );
    const batchRow = await createImportBatch(db, { siteId: siteRow.id, fileName: 'bench.csv' });
    const records = Array.from({ length: batchSize * 2 }, (_, i) =>
      prepareJob(
        testJobRecord({
          rowNumber: i + 2,
          employerName: `南昌第${i}电子厂`,
          title: `${titles[i % titles.length]}（${i + 1}）`,
          fingerprint: `bench-${i}`,
        }),
      ),
    );
    await writeImportChunk(db, {
      siteId: siteRow.id,
      batchId: batchRow.id,
      jobs: records,
      rejects: [],
      rowsRead: records.length,
    });
    const { rows } = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1 order by id', [
      siteRow.id,
    ]);
    const ids = rows.map((r) => r.id);
    const deps = { db, store, templatesDir };
    // One at a time: one worker taking one render at a time.
    const cpuBefore = await cpuSeconds();
    const singles = await throughQueue(db, { producer, store }, siteRow.id, ids.slice(0, batchSize), [
      await startRenderWorker(deps, connection, undefined, { concurrency: 1 }),
    ]);
    const singlesCpu = (await cpuSeconds()) - cpuBefore;
    // Two workers, one render each at a time.
    const workers = [
      await startRenderWorker(deps, connection, undefined, { concurrency: 1 }),
      await startRenderWorker(deps, connection, undefined, { concurrency: 1 }),
    ];
    const parallel = await throughQueue(db, { producer, store }, siteRow.id, ids.slice(batchSize), workers);
    const ceiling = singles / 2;
    // A single render already keeps more than one core busy (ffmpeg's threads), so two at a time
    // cannot take half as long: the CPU the singles used, spread over every core, is a floor.
    const cpuFloor = singlesCpu / cpus().length;
    console.log('\nBatch through the queue (target: within 1.25× of the ceiling)');
    console.table([
      {
        videos: batchSize,
        'one at a time s': seconds(singles),
        'per video s': seconds(singles / batchSize),
        '2 workers s': seconds(parallel),
        'ceiling (one at a time / 2) s': seconds(ceiling),
        '2 workers / ceiling': (parallel / ceiling).toFixed(2),
        'singles CPU s': singlesCpu.toFixed(1),
        'CPU floor (singles CPU / cores) s': seconds(cpuFloor * 1000),
        '2 workers / CPU floor': (parallel / (cpuFloor * 1000)).toFixed(2),
      },
    ]);
  } finally {
    await producer.close();
    await closeDatabase(db);
    const redis = new Redis(connection.redisUrl);
    const keys = await redis.keys(`${connection.prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await database.drop();
  }
}
