import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
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
import { Producer, queues } from '@jobcast/queue';
import { requestRender } from '@jobcast/renders';
import { LocalMediaStore, type StoredMedia } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRenderWorker } from '../src/index.ts';

const { templatesDir } = loadConfig({});
const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-render-disk-${randomBytes(4).toString('hex')}` };
// A database of its own: the worker's reconciler must not take other test files' renders.
let database: { url: string; drop: () => Promise<void> };
let db: Database;
let dir: string;
let producer: Producer;

beforeAll(async () => {
  database = await createTestDatabase('storage_faults');
  db = createDatabase(database.url, 3);
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-render-disk-'));
  producer = new Producer(connection);
});
afterAll(async () => {
  await Promise.all(producer.allQueues().map((queue) => queue.obliterate({ force: true })));
  await producer.close();
  await closeDatabase(db);
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A media store on a full disk: every file it writes goes to /dev/full, where a write fails as on a
 * full disk (ENOSPC from the file system, "No space left on device" from libvips and ffmpeg).
 */
class FullDiskStore extends LocalMediaStore {
  override write(key: string, produce: (tempPath: string) => Promise<void>): Promise<StoredMedia> {
    return super.write(key, () => produce('/dev/full'));
  }
}

async function siteWithJob(): Promise<{ siteId: number; jobIds: number[] }> {
  const site = await ensureSite(db, { code: `d-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  const job = prepareJob(
    testJobRecord({ employerName: '南昌第一电子厂', title: '叉车司机', fingerprint: `fp-${site.id}` }),
  );
  await writeImportChunk(db, { siteId: site.id, batchId: batch.id, jobs: [job], rejects: [], rowsRead: 1 });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1', [site.id]);
  return { siteId: site.id, jobIds: rows.rows.map((row) => row.id) };
}

/** Every empty folder under `root` but the store's own temporary folder. */
async function emptyFolders(root: string): Promise<string[]> {
  const empty: string[] = [];
  const walk = async (folder: string) => {
    const entries = await readdir(folder, { withFileTypes: true });
    if (entries.length === 0 && folder !== path.join(root, '.tmp')) empty.push(path.relative(root, folder));
    for (const entry of entries) if (entry.isDirectory()) await walk(path.join(folder, entry.name));
  };
  await walk(root);
  return empty;
}

describe('a render on a full disk', () => {
  it('says the media folder is full and what to do, backs off for a minute, and leaves no empty folder', async () => {
    const root = path.join(dir, 'media');
    const store = new FullDiskStore(root);
    const worker = await startRenderWorker({ db, store, templatesDir }, connection);
    try {
      const { siteId, jobIds } = await siteWithJob();
      const render = await requestRender({ db, producer, templatesDir }, siteId, {
        kind: 'poster',
        template: 'job-poster',
        jobIds,
      });
      const deadline = Date.now() + 60_000;
      let row = await getRender(db, render.id);
      while (row.errorCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await getRender(db, render.id);
      }
      // Waiting for its next attempt, with the reason shown meanwhile: no libvips or errno text.
      expect(row).toMatchObject({ status: 'queued', errorCode: 'UNAVAILABLE', outputKey: null });
      expect(row.errorMessage).toMatch(
        /^媒体文件夹空间不足：请删除不再需要的文件，或为媒体文件夹（JOBCAST_MEDIA_DIR）所在的磁盘扩容；处理后制作会自动重试/,
      );
      expect(row.errorMessage).not.toMatch(/ENOSPC|\/dev\/full|No space left/);

      const queue = producer.allQueues().find((q) => q.name === queues.render.name);
      const job = await queue?.getJob(queues.render.jobId({ renderId: render.id }));
      let state = await job?.getState();
      for (let i = 0; i < 50 && state === 'active'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await job?.getState();
      }
      expect(state).toBe('delayed');
      const delayed = await queue?.getJob(queues.render.jobId({ renderId: render.id }));
      expect(delayed?.delay).toBeGreaterThanOrEqual(60_000);
      expect(delayed?.opts.attempts).toBeGreaterThan(3);

      expect(await emptyFolders(root)).toEqual([]);
    } finally {
      await worker.close();
    }
  });
});
