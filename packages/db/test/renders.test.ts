import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import {
  claimRender,
  completeRender,
  createRender,
  failRender,
  getRender,
  listRendersToReconcile,
  reportRenderProgress,
} from '../src/renders.ts';
import { ensureSite } from '../src/sites.ts';

let db: Database;
let siteId: number;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  siteId = (await ensureSite(db, { code: `render-${randomBytes(3).toString('hex')}`, name: '测试站点' })).id;
});
afterAll(async () => closeDatabase(db));

const video = () => createRender(db, { siteId, kind: 'video', template: 'job-spotlight', jobIds: [3, 1, 2] });

describe('a render row through its life', () => {
  it('is queued first, with the jobs in the order asked for', async () => {
    const render = await video();
    expect(render).toMatchObject({ status: 'queued', progress: 0, attempts: 0, jobIds: [3, 1, 2] });
  });

  it('counts each attempt, keeps progress moving forward only, and is done once', async () => {
    const render = await video();
    expect(await claimRender(db, render.id)).toMatchObject({ status: 'running', attempts: 1 });
    await reportRenderProgress(db, render.id, 60);
    await reportRenderProgress(db, render.id, 40);
    expect((await getRender(db, render.id)).progress).toBe(60);
    const output = { outputKey: `renders/${render.id}/video.mp4`, mimeType: 'video/mp4', bytes: 1234, durationS: 20 };
    expect(await completeRender(db, render.id, output)).toBe(true);
    expect(await getRender(db, render.id)).toMatchObject({ status: 'done', progress: 100, bytes: 1234 });
    // A second queue job for the same render (the reconciler raced the first run) finds nothing to do.
    expect(await claimRender(db, render.id)).toBeNull();
    expect(await completeRender(db, render.id, output)).toBe(false);
    expect((await getRender(db, render.id)).attempts).toBe(1);
  });

  it('waits queued for its retry after a passing failure, and fails for good after a final one', async () => {
    const render = await video();
    await claimRender(db, render.id);
    await failRender(db, render.id, { code: 'FFMPEG', message: 'ffmpeg exited with code 137' }, false);
    expect(await getRender(db, render.id)).toMatchObject({ status: 'queued', errorCode: 'FFMPEG' });
    expect(await claimRender(db, render.id)).toMatchObject({ status: 'running', attempts: 2, errorCode: null });
    await failRender(db, render.id, { code: 'TEXT_DOES_NOT_FIT', message: '公司名称放不下' }, true);
    expect(await getRender(db, render.id)).toMatchObject({ status: 'failed', errorCode: 'TEXT_DOES_NOT_FIT' });
    expect(await claimRender(db, render.id)).toBeNull();
  });

  it('hands the reconciler renders queued too long and running ones that stopped moving, not live ones', async () => {
    const [waiting, stalled, alive, finished] = await Promise.all([video(), video(), video(), video()]);
    for (const r of [stalled, alive, finished]) await claimRender(db, r.id);
    await completeRender(db, finished.id, { outputKey: 'renders/x/video.mp4', mimeType: 'video/mp4', bytes: 1 });
    await db.$client.query(
      "update renders set created_at = now() - interval '10 minutes', heartbeat_at = now() - interval '10 minutes' where id = any($1)",
      [[waiting.id, stalled.id, finished.id]],
    );
    const due = (await listRendersToReconcile(db, { queuedForS: 60, stalledForS: 120 })).map((r) => r.id);
    expect(due).toEqual(expect.arrayContaining([waiting.id, stalled.id]));
    expect(due).not.toContain(alive.id);
    expect(due).not.toContain(finished.id);
  });
});
