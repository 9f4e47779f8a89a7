import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  createMediaAsset,
  type Database,
  ensureSite,
  getRender,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { probe, probeVideo, profileProblems, runFfmpeg } from '@jobcast/ffmpeg';
import { Producer } from '@jobcast/queue';
import { loadTemplate, requestRender, VIDEO_PROFILE } from '@jobcast/renders';
import { LocalMediaStore } from '@jobcast/storage';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RenderDeps, type RenderWorker, reconcileRenders, runRender, startRenderWorker } from '../src/index.ts';

const execFileAsync = promisify(execFile);
const { templatesDir } = loadConfig({});
const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-render-${randomBytes(4).toString('hex')}` };
let db: Database;
let dir: string;
let deps: RenderDeps;
let worker: RenderWorker | undefined;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-render-'));
  deps = { db, producer: new Producer(connection), store: new LocalMediaStore(path.join(dir, 'media')), templatesDir };
});
afterAll(async () => {
  await worker?.close();
  await deps.producer.close();
  await closeDatabase(db);
  const redis = new Redis(connection.redisUrl);
  const keys = await redis.keys(`${connection.prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

/** A site with jobs, written the way an import writes them. */
async function siteWithJobs(titles: [string, 'gig' | 'full-time'][]): Promise<{ siteId: number; jobIds: number[] }> {
  const site = await ensureSite(db, { code: `r-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  await db.$client.query(
    "update sites set hotline = '0791-88886666', qr_url = 'https://jobs.example.cn' where id = $1",
    [site.id],
  );
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  const jobs = titles.map(([title, category], i) =>
    prepareJob(
      testJobRecord({
        rowNumber: i + 2,
        employerName: `南昌第${i}电子厂`,
        title,
        category,
        fingerprint: `fp-${site.id}-${i}`,
      }),
    ),
  );
  await writeImportChunk(db, { siteId: site.id, batchId: batch.id, jobs, rejects: [], rowsRead: jobs.length });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1 order by source_row', [
    site.id,
  ]);
  return { siteId: site.id, jobIds: rows.rows.map((r) => r.id) };
}

async function until(renderId: number, status: 'done' | 'failed', seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const render = await getRender(db, renderId);
    if (render.status === status) return render;
    if (Date.now() > deadline)
      throw new Error(`render ${renderId} is ${render.status}, not ${status}: ${render.errorMessage}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('rendering a poster through the queue', () => {
  it('records the render, queues it, and stores a PNG and a JPEG cover named after it', async () => {
    worker ??= await startRenderWorker(deps, connection);
    const { siteId, jobIds } = await siteWithJobs([['叉车司机', 'full-time']]);
    const render = await requestRender(deps, siteId, {
      kind: 'poster',
      template: 'job-poster',
      jobIds: [jobIds[0] as number],
    });
    expect(render.status).toBe('queued');
    const done = await until(render.id, 'done');
    expect(done).toMatchObject({
      attempts: 1,
      progress: 100,
      outputKey: `renders/${render.id}/poster.png`,
      coverKey: `renders/${render.id}/poster.jpg`,
      width: 1080,
      height: 1920,
      mimeType: 'image/png',
    });
    const png = await sharp(deps.store.localPath(done.outputKey as string)).metadata();
    expect([png.width, png.height]).toEqual([1080, 1920]);
    expect(done.bytes).toBe((await deps.store.stat(done.outputKey as string))?.bytes);
  });

  it('resolves a filter to the jobs it matches when the render is asked for', async () => {
    const { siteId, jobIds } = await siteWithJobs([
      ['外卖骑手', 'gig'],
      ['会计', 'full-time'],
      ['搬运工', 'gig'],
    ]);
    const render = await requestRender(deps, siteId, {
      kind: 'poster',
      template: 'multi-job-poster',
      filter: { category: 'gig', limit: 6 },
    });
    expect([...render.jobIds].sort()).toEqual([jobIds[0], jobIds[2]].sort());
  });

  it('refuses an unknown template, missing jobs and a template of another kind before anything is queued', async () => {
    const { siteId, jobIds } = await siteWithJobs([['电工', 'full-time']]);
    await expect(requestRender(deps, siteId, { kind: 'poster', template: 'nope', jobIds })).rejects.toThrow(
      /没有名为“nope”的模板/,
    );
    await expect(
      requestRender(deps, siteId, { kind: 'poster', template: 'job-poster', jobIds: [987654] }),
    ).rejects.toThrow(/岗位不存在：987654/);
    await expect(requestRender(deps, siteId, { kind: 'video', template: 'job-poster', jobIds })).rejects.toThrow(
      /「单岗位竖版海报」是海报模板，不能用来制作短视频/,
    );
    await expect(requestRender(deps, siteId, { kind: 'video', template: 'weekly-picks', jobIds })).rejects.toThrow(
      /「本周精选岗位竖版短视频（3–8 个岗位）」要选 3 到 8 个岗位，选了 1 个/,
    );
    const rows = await db.$client.query('select count(*)::int as n from renders where site_id = $1', [siteId]);
    expect(rows.rows[0].n).toBe(0);
  });

  it('refuses a flyer whose named jobs hold more gig jobs than its gig section, before anything is queued', async () => {
    const { siteId, jobIds } = await siteWithJobs(
      Array.from({ length: 7 }, (_, i): [string, 'gig'] => [`日结搬运工${i + 1}`, 'gig']),
    );
    await expect(
      requestRender(deps, siteId, { kind: 'flyer', template: 'monthly-flyer', month: '2026-11', copies: 1000, jobIds }),
    ).rejects.toThrow(/零工专区最多放 6 个零工岗位，给了 7 个/);
    const rows = await db.$client.query('select count(*)::int as n from flyer_issues where site_id = $1', [siteId]);
    expect(rows.rows[0].n).toBe(0);
  });

  it('fails at once, without retrying, when a job was deleted after the render was asked for', async () => {
    await worker?.close();
    worker = undefined;
    const { siteId, jobIds } = await siteWithJobs([['保安', 'full-time']]);
    const render = await requestRender(deps, siteId, { kind: 'poster', template: 'job-poster', jobIds });
    await db.$client.query('delete from jobs where id = $1', [jobIds[0]]);
    worker = await startRenderWorker(deps, connection);
    const failed = await until(render.id, 'failed');
    expect(failed).toMatchObject({ errorCode: 'JOB_NOT_FOUND', attempts: 1 });
    expect(failed.errorMessage).toMatch(/已不存在/);
  });

  it('fails with a clear error when the media folder cannot be written, leaving no file behind', async () => {
    // No worker with a good store may take this render first.
    await worker?.close();
    worker = undefined;
    const blocker = path.join(dir, 'blocker');
    await writeFile(blocker, 'not a folder');
    const blocked = { ...deps, store: new LocalMediaStore(path.join(blocker, 'media')) };
    const { siteId, jobIds } = await siteWithJobs([['厨师', 'full-time']]);
    const render = await requestRender(blocked, siteId, { kind: 'poster', template: 'job-poster', jobIds });
    // Retried (the folder may come back), with the reason shown meanwhile; failed on the last attempt.
    await expect(runRender(blocked, render.id, false)).rejects.toThrow(/媒体文件夹不可写/);
    expect(await getRender(db, render.id)).toMatchObject({ status: 'queued', errorCode: 'UNAVAILABLE' });
    await expect(runRender(blocked, render.id, true)).rejects.toThrow(/媒体文件夹不可写/);
    const failed = await getRender(db, render.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'UNAVAILABLE', outputKey: null, attempts: 2 });
    expect(failed.errorMessage).toContain(path.join(blocker, 'media'));
  });

  it('completes every pending render after Redis lost them, through the reconciler', async () => {
    // No worker while Redis loses the jobs: only the reconciler can bring them back.
    await worker?.close();
    worker = undefined;
    const { siteId, jobIds } = await siteWithJobs([
      ['收银员', 'full-time'],
      ['理货员', 'full-time'],
      ['面点师', 'full-time'],
    ]);
    const renders = await Promise.all(
      jobIds.map((id) => requestRender(deps, siteId, { kind: 'poster', template: 'job-poster', jobIds: [id] })),
    );
    const redis = new Redis(connection.redisUrl);
    const keys = await redis.keys(`${connection.prefix}:render:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db.$client.query("update renders set created_at = now() - interval '5 minutes' where id = any($1)", [
      renders.map((r) => r.id),
    ]);
    expect((await reconcileRenders(deps, { queuedForS: 30, stalledForS: 300 })).sort()).toEqual(
      renders.map((r) => r.id).sort(),
    );
    worker = await startRenderWorker(deps, connection);
    for (const r of renders) expect((await until(r.id, 'done')).attempts).toBe(1);
  });
});

describe('rendering a video through the queue', () => {
  it('reports progress while ffmpeg encodes, checks the file, and stores the video and its cover', async () => {
    worker ??= await startRenderWorker(deps, connection);
    const { siteId, jobIds } = await siteWithJobs([['数控车床操作工', 'full-time']]);
    const render = await requestRender(deps, siteId, { kind: 'video', template: 'job-spotlight', jobIds });
    // Nothing is AI until the render has made something with AI.
    expect(render).toMatchObject({ kind: 'video', status: 'queued', aiVideo: false });
    const seen = new Set<number>();
    // Generous: in `npm test` every workspace runs at once on 2 cores while other tests encode too.
    const deadline = Date.now() + 300_000;
    let row = await getRender(db, render.id);
    while (row.status !== 'done' && row.status !== 'failed' && Date.now() < deadline) {
      if (row.status === 'running') seen.add(row.progress);
      await new Promise((resolve) => setTimeout(resolve, 200));
      row = await getRender(db, render.id);
    }
    expect(row).toMatchObject({
      status: 'done',
      attempts: 1,
      progress: 100,
      mimeType: 'video/mp4',
      width: 1080,
      height: 1920,
      outputKey: `renders/${render.id}/video.mp4`,
      coverKey: `renders/${render.id}/cover.jpg`,
    });
    expect(row.durationS).toBeCloseTo(30, 1);
    // The encode takes seconds: the row shows it moving, not just 0 then 100.
    expect([...seen].filter((p) => p > 10 && p < 100).length).toBeGreaterThanOrEqual(2);
    const facts = await probeVideo(deps.store.localPath(row.outputKey as string));
    expect(profileProblems(facts, VIDEO_PROFILE)).toEqual([]);
    expect(row.bytes).toBe(facts.bytes);
    expect((await sharp(deps.store.localPath(row.coverKey as string)).metadata()).format).toBe('jpeg');
    // Narrated by the offline voice: an AI video by the record, with both labels and the captions file.
    expect(row.aiVideo).toBe(true);
    expect(row.aiComponents).toEqual([
      expect.objectContaining({
        kind: 'voice',
        provider: 'espeak',
        model: 'eSpeak NG cmn-latn-pinyin',
        voice: 'female',
      }),
    ]);
    expect(row.script).toContain('数控车床操作工');
    const aigc = JSON.parse((await probe(deps.store.localPath(row.outputKey as string))).tags.AIGC ?? '{}');
    expect(aigc).toMatchObject({ Label: '1', ProduceID: expect.stringContaining(`render-${render.id}`) });
    expect(row.captionsKey).toBe(`renders/${render.id}/video.srt`);
    const srt = await readFile(deps.store.localPath(row.captionsKey as string), 'utf8');
    expect(srt).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\n数控车床操作工/);
    // The stills and ffmpeg's files were scratch: nothing of them is left.
    expect(await readdir(path.join(dir, 'media', '.tmp'))).toEqual([]);
  }, 360_000);

  it('a video without a voice is not an AI video, whatever its template is called', async () => {
    const { siteId, jobIds } = await siteWithJobs([['主播助理', 'full-time']]);
    const ai = path.join(dir, 'ai-templates');
    const spotlight = JSON.parse(await readFile(path.join(templatesDir, 'job-spotlight', 'template.json'), 'utf8'));
    await mkdir(path.join(ai, 'ai-spotlight'), { recursive: true });
    // A short cut, so the test encodes quickly; its name claims AI, and an old flag is refused.
    const short = spotlight.scenes.map((scene: { seconds: number }) => ({ ...scene, seconds: 2 }));
    const flagged = { ...spotlight, name: 'ai-spotlight', aiVideo: true, duration: { min: 5, max: 10 }, scenes: short };
    await writeFile(path.join(ai, 'ai-spotlight', 'template.json'), JSON.stringify(flagged));
    await expect(loadTemplate(ai, 'ai-spotlight', 'video')).rejects.toThrow(/aiVideo/);
    const { aiVideo: _flag, ...plain } = flagged;
    await writeFile(path.join(ai, 'ai-spotlight', 'template.json'), JSON.stringify(plain));
    const aiDeps = { ...deps, templatesDir: ai };
    // The suite's worker reads the real templates folder: this render is for a worker that reads ai/.
    await worker?.close();
    worker = undefined;
    const aiWorker = await startRenderWorker(aiDeps, connection);
    try {
      const render = await requestRender(aiDeps, siteId, {
        kind: 'video',
        template: 'ai-spotlight',
        jobIds,
        silent: true,
        music: 'none',
      });
      // Generous: in `npm test` every workspace runs at once on 2 cores while other tests encode too.
      const deadline = Date.now() + 300_000;
      let row = await getRender(db, render.id);
      while (row.status !== 'done' && row.status !== 'failed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        row = await getRender(db, render.id);
      }
      expect(row).toMatchObject({ status: 'done', aiVideo: false, aiComponents: [], script: null, captionsKey: null });
      expect((await probe(deps.store.localPath(row.outputKey as string))).tags.AIGC).toBeUndefined();
    } finally {
      await aiWorker.close();
    }
  }, 360_000);

  it('makes a site-visit video from the site’s uploaded clips, their own sound its only sound', async () => {
    worker ??= await startRenderWorker(deps, connection);
    const { siteId, jobIds } = await siteWithJobs([['数控车床操作工', 'full-time']]);
    // Two phone clips as the intake stores them: in the media store, with what ffprobe read.
    const assets = [];
    for (const [i, size] of ['720x1280', '1280x720'].entries()) {
      const key = `assets/${siteId}/clip-${i}.mp4`;
      const file = deps.store.localPath(key);
      await mkdir(path.dirname(file), { recursive: true });
      await runFfmpeg([
        ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=30`, '-f', 'lavfi', '-i', 'sine=f=440'],
        ...['-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-y', file],
      ]);
      const [width, height] = size.split('x').map(Number) as [number, number];
      assets.push(
        await createMediaAsset(db, {
          siteId,
          kind: 'clip',
          displayName: `车间-${i}.mp4`,
          storageKey: key,
          mimeType: 'video/mp4',
          bytes: 1,
          durationS: 5,
          width,
          height,
          fps: 30,
          hasAudio: true,
          codec: 'h264',
        }),
      );
    }
    const render = await requestRender(deps, siteId, {
      kind: 'video',
      template: 'site-visit',
      jobIds,
      silent: true,
      music: 'none',
      clips: assets.map((a) => ({ asset: a.id, inS: 0.5, outS: 4, sound: 'keep' as const })),
    });
    const done = await until(render.id, 'done', 300);
    // 3.5 s of each clip and the end card, less two transitions.
    expect(done.durationS).toBeCloseTo(3.5 + 3.5 + 7.5 - 0.8, 1);
    expect(done).toMatchObject({ aiVideo: false, aiComponents: [], captionsKey: null });
    const output = deps.store.localPath(done.outputKey as string);
    expect(profileProblems(await probeVideo(output), VIDEO_PROFILE)).toEqual([]);
    let stderr = '';
    await runFfmpeg(['-i', output, '-t', '6', '-af', 'volumedetect', '-f', 'null', '-'], {
      onStderr: (text) => {
        stderr += text;
      },
    });
    expect(Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1])).toBeGreaterThan(-40);
  }, 360_000);

  it('a worker stopped past its bound leaves its video queued to run again, with no ffmpeg left behind', async () => {
    await worker?.close();
    worker = undefined;
    const { siteId, jobIds } = await siteWithJobs([['冷链仓库理货员', 'full-time']]);
    // A bound of a moment: the close finds the video still being made, in its voice stage or its encode.
    const stopping = await startRenderWorker(deps, connection, () => undefined, { closeTimeoutMs: 200 });
    const render = await requestRender(deps, siteId, { kind: 'video', template: 'job-spotlight', jobIds });
    const deadline = Date.now() + 120_000;
    while ((await getRender(db, render.id)).status !== 'running') {
      if (Date.now() > deadline) throw new Error(`render ${render.id} never started`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stopping.close();
    // Once close() returns the service closes its database: the row must already say what happened.
    expect(await getRender(db, render.id)).toMatchObject({ status: 'queued', errorCode: 'INTERRUPTED' });
    const { stdout } = await execFileAsync('ps', ['-eo', 'args']).catch(() => ({ stdout: '' }));
    expect(stdout).not.toContain(`work-render-${render.id}`);
  }, 180_000);
});
