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

  it("asks for a video and the month's flyer; the same month again makes a revision, not a second issue", async () => {
    const app = fx.app();
    const post = async (body: unknown) => {
      const response = await app.request('/api/renders', {
        method: 'POST',
        headers: { ...fx.bearer('media'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      return (await response.json()) as RenderView;
    };
    const video = await post({ kind: 'video', template: 'job-spotlight', jobIds: [jobId] });
    expect(video).toMatchObject({ kind: 'video', template: 'job-spotlight', status: 'queued', aiVideo: false });

    const first = await post({ kind: 'flyer', month: '2026-11' });
    expect(first).toMatchObject({ kind: 'flyer', template: 'monthly-flyer', status: 'queued', jobIds: [jobId] });
    const again = await post({ kind: 'flyer', month: '2026-11', copies: 1200 });
    const issues = await fx.db.$client.query(
      'select issue_number, revision, copies_planned, render_id from flyer_issues where site_id = $1',
      [fx.site.id],
    );
    expect(issues.rows).toEqual([{ issue_number: 11, revision: 2, copies_planned: 1200, render_id: again.renderId }]);

    // Once done, each page's preview is served as PNG.
    await claimRender(fx.db, first.renderId);
    const store = new LocalMediaStore(mediaDir);
    const png = await sharp({ create: { width: 60, height: 85, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const previews = [1, 2].map((page) => `renders/${first.renderId}/flyer-page-${page}.png`);
    for (const key of previews) await store.writeBuffer(key, png);
    const pdf = await store.writeBuffer(`renders/${first.renderId}/flyer.pdf`, Buffer.from('%PDF-1.7\n'));
    await completeRender(fx.db, first.renderId, {
      outputKey: `renders/${first.renderId}/flyer.pdf`,
      coverKey: previews[0],
      previewKeys: previews,
      mimeType: 'application/pdf',
      pages: 2,
      bytes: pdf.bytes,
    });
    const served = fx.app({ env: { JOBCAST_MEDIA_DIR: mediaDir } });
    const done = (await (
      await served.request(`/api/renders/${first.renderId}`, { headers: fx.bearer('anchor') })
    ).json()) as RenderView;
    expect(done.output?.previewUrls).toEqual([
      `/api/renders/${first.renderId}/output?file=page-1`,
      `/api/renders/${first.renderId}/output?file=page-2`,
    ]);
    const page2 = await served.request(done.output?.previewUrls[1] as string, { headers: fx.bearer('anchor') });
    expect(page2.status).toBe(200);
    expect(page2.headers.get('content-type')).toBe('image/png');
    const whole = await served.request(done.output?.url as string, { headers: fx.bearer('anchor') });
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    const page3 = await served.request(`/api/renders/${first.renderId}/output?file=page-3`, {
      headers: fx.bearer('anchor'),
    });
    expect(page3.status).toBe(404);
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
    expect(((await both.json()) as { message: string }).message).toMatch(/^请求参数有误：岗位：/);
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
    expect(((await early.json()) as { message: string }).message).toBe(
      `制作任务 ${created.renderId} 还没有成品（状态：排队中）`,
    );
  });
});
