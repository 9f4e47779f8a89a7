import { randomBytes } from 'node:crypto';
import { loadConfig } from '@jobcast/config';
import { isJobcastError } from '@jobcast/core';
import {
  claimRender,
  closeDatabase,
  completeRender,
  createDatabase,
  createImportBatch,
  type Database,
  ensureSite,
  failRender,
  getRender,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { closeWorker, consume, PermanentJobError, Producer } from '@jobcast/queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requestRender, retryRender } from '../src/index.ts';

const { templatesDir } = loadConfig({});
const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-renders-${randomBytes(4).toString('hex')}` };
let db: Database;
let producer: Producer;
let siteId: number;
let jobId: number;
const workers: ReturnType<typeof consume>[] = [];

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  producer = new Producer(connection);
  const site = await ensureSite(db, { code: `rr-${randomBytes(3).toString('hex')}`, name: '重做测试站点' });
  siteId = site.id;
  const batch = await createImportBatch(db, { siteId, fileName: 'jobs.csv' });
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ employerName: '南昌示范电子厂', title: '普工', fingerprint: `fp-${siteId}` }))],
  });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1', [siteId]);
  jobId = rows.rows[0]?.id as number;
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => closeWorker(worker, 5000)));
  await Promise.all(producer.allQueues().map((queue) => queue.obliterate({ force: true })));
  await producer.close();
  await closeDatabase(db);
});

const deps = () => ({ db, producer, templatesDir });

function poster() {
  return requestRender(deps(), siteId, { kind: 'poster', template: 'job-poster', jobIds: [jobId] });
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.unreachable('it was retried'),
    (e: unknown) => e,
  );
  if (!isJobcastError(error)) throw error;
  return error;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('retrying a render', () => {
  it('refuses a render that is queued or done, saying only a failed one can be retried', async () => {
    const queued = await poster();
    const notFailed = await refusal(retryRender(deps(), siteId, queued.id));
    expect(notFailed.code).toBe('CONFLICT');
    expect(notFailed.message).toContain('当前排队中，只有失败的任务可以重新制作');

    await claimRender(db, queued.id);
    await completeRender(db, queued.id, { outputKey: 'renders/x/poster.png', mimeType: 'image/png', bytes: 1 });
    const done = await refusal(retryRender(deps(), siteId, queued.id));
    expect(done.code).toBe('CONFLICT');
    expect(done.message).toContain('当前已完成');
    expect((await getRender(db, queued.id)).status).toBe('done');
  });

  it("answers NOT_FOUND for another site's render", async () => {
    const render = await poster();
    const other = await ensureSite(db, { code: `ro-${randomBytes(3).toString('hex')}`, name: '别的站点' });
    expect((await refusal(retryRender(deps(), other.id, render.id))).code).toBe('NOT_FOUND');
  });

  it('queues a failed render again with the same jobs, although its failed queue job is still in BullMQ', async () => {
    const render = await poster();
    const runs: number[] = [];
    // Stands in for the render worker; renders left queued by the other tests are not its business.
    const failed = new Promise<void>((resolve) => {
      const worker = consume(connection, 'render', async ({ renderId }) => {
        if (renderId !== render.id || !(await claimRender(db, renderId))) return;
        runs.push(renderId);
        if (runs.length === 1) {
          // What the render worker does with input that can never render: fail the row for good.
          await failRender(db, renderId, { code: 'RENDER_FAILED', message: '字体缺字' }, true);
          throw new PermanentJobError('字体缺字');
        }
        await completeRender(db, renderId, {
          outputKey: `renders/${renderId}/poster.png`,
          mimeType: 'image/png',
          bytes: 1,
        });
      });
      worker.on('failed', () => resolve());
      workers.push(worker);
    });
    await failed;
    expect(await getRender(db, render.id)).toMatchObject({ status: 'failed', errorMessage: '字体缺字' });

    const retried = await retryRender(deps(), siteId, render.id);
    expect(retried).toMatchObject({
      id: render.id,
      status: 'queued',
      progress: 0,
      errorCode: null,
      errorMessage: null,
      finishedAt: null,
      jobIds: [jobId],
      request: render.request,
    });

    await until(async () => (await getRender(db, render.id)).status === 'done', 'the retried render to run');
    expect(runs).toEqual([render.id, render.id]);
    expect((await getRender(db, render.id)).attempts).toBe(2);
  });
});
