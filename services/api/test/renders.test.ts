import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claimRender, completeRender, createImportBatch, getRender, prepareJob, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { LocalMediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderView } from '../src/routes/renders/view.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

let fx: ApiFixture;
let mediaDir: string;
let jobId: number;

beforeAll(async () => {
  fx = await openFixture();
  mediaDir = await mkdtemp(path.join(tmpdir(), 'jobcast-api-media-'));
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [
      prepareJob(
        testJobRecord({
          employerName: '南昌洪城电子科技有限公司',
          title: '叉车司机',
          payMin: 6000,
          payMax: 8000,
          payText: '6-8千/月',
          fingerprint: 'fp-api-render',
        }),
      ),
    ],
  });
  const rows = await fx.db.$client.query('select id from jobs where site_id = $1', [fx.site.id]);
  jobId = rows.rows[0].id;
});
afterAll(async () => {
  await fx.close();
  await rm(mediaDir, { recursive: true, force: true });
});

describe('renders over HTTP', () => {
  it('media asks for a poster, polls it, and downloads it whole and by byte range', async () => {
    const env = { JOBCAST_MEDIA_DIR: mediaDir };
    const app = fx.app({ env });
    const created = await app.request('/api/renders', {
      method: 'POST',
      headers: { ...fx.bearer('media'), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'poster', template: 'job-poster', jobIds: [jobId] }),
    });
    expect(created.status).toBe(202);
    const render = (await created.json()) as RenderView;
    expect(render).toMatchObject({ kind: 'poster', status: 'queued', jobIds: [jobId], output: null });

    // The worker's part, done by hand with the same packages: drawing is services/render's, tested there.
    const store = new LocalMediaStore(mediaDir);
    const png = await sharp({ create: { width: 1080, height: 1920, channels: 3, background: '#0b5cad' } })
      .png()
      .toBuffer();
    await claimRender(fx.db, render.renderId);
    const stored = await store.writeBuffer(`renders/${render.renderId}/poster.png`, png);
    await store.writeBuffer(`renders/${render.renderId}/poster.jpg`, await sharp(png).jpeg().toBuffer());
    await completeRender(fx.db, render.renderId, {
      outputKey: `renders/${render.renderId}/poster.png`,
      coverKey: `renders/${render.renderId}/poster.jpg`,
      mimeType: 'image/png',
      width: 1080,
      height: 1920,
      bytes: stored.bytes,
    });
    expect((await getRender(fx.db, render.renderId)).status).toBe('done');

    const polled = (await (
      await app.request(render.statusUrl, { headers: fx.bearer('manager') })
    ).json()) as RenderView;
    const output = polled.output as NonNullable<RenderView['output']>;
    expect(polled).toMatchObject({
      status: 'done',
      progress: 100,
      output: { mimeType: 'image/png', width: 1080, height: 1920 },
    });

    const whole = await app.request(output.url, { headers: fx.bearer('anchor') });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/png');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.length).toBe(output.bytes);
    expect((await sharp(bytes).metadata()).width).toBe(1080);

    const part = await app.request(output.url, { headers: { ...fx.bearer('anchor'), Range: 'bytes=8-23' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 8-23/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(8, 24));

    const tail = await app.request(output.url, { headers: { ...fx.bearer('anchor'), Range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));

    const outside = await app.request(output.url, {
      headers: { ...fx.bearer('anchor'), Range: `bytes=${bytes.length}-` },
    });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);

    const cover = await app.request(output.coverUrl as string, { headers: fx.bearer('anchor') });
    expect(cover.headers.get('content-type')).toBe('image/jpeg');

    const list = (await (await app.request('/api/renders', { headers: fx.bearer('manager') })).json()) as RenderView[];
    expect(list.map((r) => r.renderId)).toContain(render.renderId);
  });

  it('refuses a bad request with the field named, and a job of another site as missing', async () => {
    const app = fx.app();
    const post = (body: unknown) =>
      app.request('/api/renders', {
        method: 'POST',
        headers: { ...fx.bearer('admin'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const both = await post({ kind: 'poster', template: 'job-poster', jobIds: [jobId], filter: { category: 'gig' } });
    expect(both.status).toBe(400);
    expect(((await both.json()) as { message: string }).message).toMatch(/jobIds/);
    const unknownTemplate = await post({ kind: 'poster', template: 'no-such', jobIds: [jobId] });
    expect(unknownTemplate.status).toBe(400);
    expect(((await unknownTemplate.json()) as { message: string }).message).toMatch(/没有名为“no-such”的模板/);
    const missing = await post({ kind: 'poster', template: 'job-poster', jobIds: [2_000_000_000] });
    expect(missing.status).toBe(404);
  });

  it('answers 404 for the output of a render that is not done', async () => {
    const app = fx.app();
    const created = (await (
      await app.request('/api/renders', {
        method: 'POST',
        headers: { ...fx.bearer('media'), 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'poster', template: 'job-poster', jobIds: [jobId] }),
      })
    ).json()) as RenderView;
    const early = await app.request(`/api/renders/${created.renderId}/output`, { headers: fx.bearer('media') });
    expect(early.status).toBe(404);
    expect(((await early.json()) as { message: string }).message).toMatch(/还没有成品/);
  });
});
