import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  createRender,
  type Database,
  ensureSite,
  getRender,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { measureLoudness, probe } from '@jobcast/ffmpeg';
import { Producer } from '@jobcast/queue';
import { addMediaAsset, requestRender } from '@jobcast/renders';
import { makeTestTone } from '@jobcast/renders/testing';
import { LocalMediaStore } from '@jobcast/storage';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RenderDeps, runRender } from '../src/index.ts';

const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-music-${randomBytes(4).toString('hex')}` };
let db: Database;
let dir: string;
let deps: RenderDeps;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 2);
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-library-music-'));
  // A short cut of the spotlight (2 s scenes): the test is about the sound, not the picture.
  const { templatesDir } = loadConfig({});
  const spotlight = JSON.parse(await readFile(path.join(templatesDir, 'job-spotlight', 'template.json'), 'utf8'));
  const scenes = spotlight.scenes.map((scene: { seconds: number }) => ({ ...scene, seconds: 2 }));
  const short = { ...spotlight, name: 'short-spotlight', duration: { min: 5, max: 10 }, scenes };
  await mkdir(path.join(dir, 'templates', 'short-spotlight'), { recursive: true });
  await writeFile(path.join(dir, 'templates', 'short-spotlight', 'template.json'), JSON.stringify(short));
  deps = {
    db,
    producer: new Producer(connection),
    store: new LocalMediaStore(path.join(dir, 'media')),
    templatesDir: path.join(dir, 'templates'),
  };
});
afterAll(async () => {
  await deps.producer.close();
  await closeDatabase(db);
  const redis = new Redis(connection.redisUrl);
  const keys = await redis.keys(`${connection.prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

async function siteWithJob(): Promise<{ siteId: number; jobId: number }> {
  const site = await ensureSite(db, { code: `lm-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  const job = prepareJob(testJobRecord({ employerName: '南昌音乐厂', title: '调音师', fingerprint: `fp-${site.id}` }));
  await writeImportChunk(db, { siteId: site.id, batchId: batch.id, jobs: [job], rejects: [], rowsRead: 1 });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1', [site.id]);
  return { siteId: site.id, jobId: rows.rows[0]?.id as number };
}

describe("a video with a track of the site's music library", () => {
  it('plays the track under a video without a voice', async () => {
    const { siteId, jobId } = await siteWithJob();
    const tone = await makeTestTone(path.join(dir, '厂歌.mp3'), { seconds: 6 });
    const track = await addMediaAsset(
      { db, store: deps.store },
      { siteId, kind: 'music', file: tone, displayName: '厂歌.mp3', uploadedBy: null, take: 'copy' },
    );
    const render = await requestRender(deps, siteId, {
      kind: 'video',
      template: 'short-spotlight',
      jobIds: [jobId],
      silent: true,
      music: `library-${track.id}`,
    });
    const done = await runRender(deps, render.id, true);
    expect(done).toMatchObject({ status: 'done', aiVideo: false });
    const output = deps.store.localPath(done?.outputKey as string);
    expect((await probe(output)).audio?.codec).toBe('aac');
    // Silence would meter -inf; the track, brought to the platforms' loudness, is near -14 LUFS.
    const loudness = await measureLoudness(output);
    expect(loudness.integrated).toBeGreaterThan(-20);
  }, 180_000);

  it("fails a render whose track is another site's, naming the music", async () => {
    const mine = await siteWithJob();
    const theirs = await siteWithJob();
    const tone = await makeTestTone(path.join(dir, 'other.mp3'), { seconds: 6 });
    const track = await addMediaAsset(
      { db, store: deps.store },
      { siteId: theirs.siteId, kind: 'music', file: tone, displayName: 'other.mp3', uploadedBy: null, take: 'copy' },
    );
    const asked = { kind: 'video' as const, template: 'short-spotlight', jobIds: [mine.jobId], silent: true };
    await expect(requestRender(deps, mine.siteId, { ...asked, music: `library-${track.id}` })).rejects.toThrow(
      `音乐库里没有编号 ${track.id} 的音乐`,
    );
    // Recorded past the request's check (as a row written before the check existed would be).
    const render = await createRender(db, {
      siteId: mine.siteId,
      kind: 'video',
      template: 'short-spotlight',
      jobIds: [mine.jobId],
      request: { ...asked, music: `library-${track.id}` },
    });
    await expect(runRender(deps, render.id, true)).rejects.toThrow(`音乐库里没有 library-${track.id} 这首音乐`);
    expect(await getRender(db, render.id)).toMatchObject({ status: 'failed', errorCode: 'MUSIC_NOT_FOUND' });
  });
});
