import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createImportBatch, getRender, prepareJob, schema, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { makeTestClip, makeTestTone } from '@jobcast/renders/testing';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetView } from '../src/routes/assets/view.ts';
import { type ApiFixture, type BrowserSession, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
let dir: string;
let media: BrowserSession;
let jobId: number;
const uploaded: Record<'clip' | 'photo' | 'music', AssetView> = {} as never;

beforeAll(async () => {
  fx = await openFixture();
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-pages-media-'));
  media = await fx.signIn('media');
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ employerName: '南昌探岗电子厂', title: '装配工' }))],
  });
  const [job] = await fx.db.select({ id: schema.jobs.id }).from(schema.jobs).where(eq(schema.jobs.siteId, fx.site.id));
  jobId = job?.id as number;
  const photo = path.join(dir, '车间.jpg');
  await sharp({ create: { width: 800, height: 600, channels: 3, background: '#789' } })
    .jpeg()
    .toFile(photo);
  const files = {
    clip: await makeTestClip(path.join(dir, '探岗.mp4'), { width: 360, height: 640, seconds: 3 }),
    photo,
    music: await makeTestTone(path.join(dir, '厂歌.mp3'), { seconds: 6 }),
  };
  for (const kind of ['clip', 'photo', 'music'] as const) {
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', new Blob([await readFile(files[kind])]), path.basename(files[kind]));
    const response = await fx.app().request('/api/assets', { method: 'POST', headers: fx.bearer('media'), body: form });
    expect(response.status).toBe(201);
    uploaded[kind] = await body<AssetView>(response);
  }
});
afterAll(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

async function page(role: 'media' | 'anchor' = 'media', after?: Response): Promise<string> {
  const session = role === 'media' ? media : await fx.signIn(role);
  const flash = /jc_flash=[^;]*/.exec(after?.headers.get('set-cookie') ?? '')?.[0];
  const response = await fx.app().request('/renders', {
    headers: { cookie: flash ? `${session.cookie}; ${flash}` : session.cookie },
  });
  return response.text();
}

/** The queue form posted with repeated fields (one clipAsset, clipIn, clipOut and clipSound per pick row). */
function post(fields: [string, string][]) {
  return fx.app().request('/renders', {
    method: 'POST',
    headers: { cookie: media.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    body: new URLSearchParams([['_csrf', media.csrf], ['limit', '6'], ...fields]).toString(),
  });
}

describe('the media on the 制作 page', () => {
  it('shows the clips and photos with thumbnails and what they are, and the music library with its length', async () => {
    const html = await page();
    const { clip, photo, music } = uploaded;
    expect(html).toContain('<input type="file" accept="video/*,image/*" multiple="" data-upload="footage"/>');
    expect(html).toMatch(
      new RegExp(
        `<li class="asset-card" data-asset-id="${clip.id}"><img src="/api/assets/${clip.id}/thumbnail" alt="" loading="lazy"/>` +
          `<span class="asset-name">#${clip.id} 探岗\\.mp4</span><span class="muted">视频 · 竖屏 · 3 秒 · 有原声</span></li>`,
      ),
    );
    expect(html).toContain(`<span class="muted">照片 · 横屏</span>`);
    expect(html).toMatch(
      new RegExp(`<tr data-asset-id="${music.id}"><td>厂歌\\.mp3</td><td class="num">6(\\.\\d)? 秒</td>`),
    );
    // The music select offers the library beside the built-in beds; the pickers offer the clip and the photo.
    expect(html).toMatch(
      new RegExp(
        `<optgroup label="音乐库" data-library-music="true"><option value="library-${music.id}">厂歌\\.mp3（6(\\.\\d)? 秒）</option>`,
      ),
    );
    expect(html).toContain(`<option value="${clip.id}">#${clip.id} 探岗.mp4（视频 · 竖屏 · 3 秒 · 有原声）</option>`);
    expect(html).toContain(`<input type="checkbox" name="explainerImage" value="${photo.id}"/>`);
    // Templates say what they take, for the script that shows the fields they use.
    expect(html).toMatch(/<option value="job-spotlight" data-jobs-max="1">/);
    // Someone who does not upload sees the media, without the uploads.
    const anchor = await page('anchor');
    expect(anchor).toContain(`data-asset-id="${clip.id}"`);
    expect(anchor).not.toContain('data-upload=');
  });

  it('queues a video with the clips picked in order, their in and out seconds and sound, and a library track', async () => {
    const { clip, photo, music } = uploaded;
    const response = await post([
      ['kind', 'video'],
      ['template', 'job-spotlight'],
      ['jobIds', String(jobId)],
      ['music', music.music as string],
      ['clipAsset', String(clip.id)],
      ['clipIn', '0.5'],
      ['clipOut', '2'],
      ['clipSound', 'mute'],
      ['clipAsset', String(photo.id)],
      ['clipIn', ''],
      ['clipOut', ''],
      ['clipSound', 'keep'],
      // The blank row the page always offers for one more pick.
      ['clipAsset', ''],
      ['clipIn', ''],
      ['clipOut', ''],
      ['clipSound', 'keep'],
    ]);
    expect(response.status).toBe(303);
    const renderId = Number(/已加入制作队列：短视频 #(\d+)/.exec(await page('media', response))?.[1]);
    expect((await getRender(fx.db, renderId)).request).toMatchObject({
      music: `library-${music.id}`,
      clips: [
        { asset: clip.id, inS: 0.5, outS: 2, sound: 'mute' },
        { asset: photo.id, sound: 'keep' },
      ],
    });
  });

  it('says which pick is wrong, and keeps what was typed', async () => {
    const { clip } = uploaded;
    const response = await post([
      ['kind', 'video'],
      ['template', 'job-spotlight'],
      ['jobIds', String(jobId)],
      ['clipAsset', String(clip.id)],
      ['clipIn', '1.5'],
      ['clipOut', '2'],
      ['clipSound', 'keep'],
    ]);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('第 1 个片段的结束秒：结束点须比开始点晚至少 1 秒');
    expect(html).toContain('name="clipIn" type="number" min="0" step="0.1" inputmode="decimal" value="1.5"');
    const late = await post([
      ['kind', 'video'],
      ['template', 'job-spotlight'],
      ['jobIds', String(jobId)],
      ['clipAsset', String(clip.id)],
      ['clipIn', '2.5'],
      ['clipOut', ''],
      ['clipSound', 'keep'],
    ]);
    expect(await late.text()).toContain('第 1 个片段：开始点 2.5 秒太靠后');
  });

  it("takes a policy explainer's title, one point per line and photos, and picks no jobs for it by a filter", async () => {
    const { photo } = uploaded;
    const explainer: [string, string][] = [
      ['explainerTitle', '灵活就业社保补贴'],
      ['explainerPoints', '谁能领：灵活就业的本区居民\r\n\r\n领多少：按缴费额的一半\r\n怎么领：到就业之家窗口申请'],
      ['explainerImage', String(photo.id)],
    ];
    const withJob = await post([
      ['kind', 'video'],
      ['template', 'job-spotlight'],
      ['jobIds', String(jobId)],
      ...explainer,
    ]);
    expect(withJob.status).toBe(303);
    const renderId = Number(/已加入制作队列：短视频 #(\d+)/.exec(await page('media', withJob))?.[1]);
    expect((await getRender(fx.db, renderId)).request).toMatchObject({
      explainer: {
        title: '灵活就业社保补贴',
        points: ['谁能领：灵活就业的本区居民', '领多少：按缴费额的一半', '怎么领：到就业之家窗口申请'],
        images: [photo.id],
      },
    });
    // Without job ids an explainer asks for none (a template that needs a job says so, not a filter's count).
    const noJobs = await post([['kind', 'video'], ['template', 'job-spotlight'], ['jobIds', ''], ...explainer]);
    expect(await noJobs.text()).toContain('「单岗位竖版短视频（30 秒）」只能选 1 个岗位，选了 0 个');
  });
});
