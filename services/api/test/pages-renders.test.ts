import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RenderKind, type UserRole, userRoles } from '@jobcast/core';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  failRender,
  getRender,
  prepareJob,
  type RenderOutput,
  schema,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { siteDayAndTime, siteToday } from '@jobcast/ledger';
import { LocalMediaStore } from '@jobcast/storage';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderView } from '../src/routes/renders/view.ts';
import { type ApiFixture, type BrowserSession, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
let mediaDir: string;
let sessions: Record<UserRole, BrowserSession>;
const jobIds = new Map<string, number>();

beforeAll(async () => {
  fx = await openFixture();
  mediaDir = await mkdtemp(path.join(tmpdir(), 'jobcast-pages-media-'));
  sessions = Object.fromEntries(
    await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
  ) as Record<UserRole, BrowserSession>;
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  const records = [
    { employerName: '南昌洪城物流有限公司', title: '叉车司机' },
    { employerName: '南昌瑶湖家政服务有限公司', title: '钟点保洁', category: 'gig' as const },
    { employerName: '南昌象湖餐饮管理有限公司', title: '帮厨', category: 'gig' as const },
  ];
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: records.length,
    rejects: [],
    jobs: records.map((record, i) => prepareJob(testJobRecord({ rowNumber: i + 2, ...record }))),
  });
  const rows = await fx.db
    .select({ id: schema.jobs.id, title: schema.jobs.title })
    .from(schema.jobs)
    .where(eq(schema.jobs.siteId, fx.site.id));
  for (const row of rows) jobIds.set(row.title, row.id);
});
afterAll(async () => {
  await fx.close();
  await rm(mediaDir, { recursive: true, force: true });
});

const app = () => fx.app({ env: { JOBCAST_MEDIA_DIR: mediaDir } });

async function page(pathname: string, role: UserRole, after?: Response): Promise<{ status: number; html: string }> {
  const flash = /jc_flash=[^;]*/.exec(after?.headers.get('set-cookie') ?? '')?.[0];
  const cookie = flash ? `${sessions[role].cookie}; ${flash}` : sessions[role].cookie;
  const response = await app().request(pathname, { headers: { cookie } });
  return { status: response.status, html: await response.text() };
}

function queue(role: UserRole, fields: Record<string, string>) {
  return app().request('/renders', sessions[role].form({ template: '', jobIds: '', limit: '6', ...fields }));
}

/** The list row of a render: its status badge and progress as the page shows them. */
function row(html: string, renderId: number): string {
  return new RegExp(`<tr data-render-id="${renderId}"[^>]*>.*?</tr>`).exec(html)?.[0] ?? '';
}

/** A render the worker finished, with its files named as the worker names them. */
async function finished(kind: RenderKind, template: string, output: RenderOutput): Promise<number> {
  const render = await createRender(fx.db, {
    siteId: fx.site.id,
    kind,
    template,
    jobIds: [jobIds.get('叉车司机') as number],
    request: kind === 'flyer' ? { kind, template, month: '2026-11', copies: 1200 } : { kind, template },
    createdBy: fx.userIds.media,
  });
  await claimRender(fx.db, render.id);
  await completeRender(fx.db, render.id, output);
  return render.id;
}

async function failed(message: string): Promise<number> {
  const render = await createRender(fx.db, {
    siteId: fx.site.id,
    kind: 'poster',
    template: 'job-poster',
    jobIds: [jobIds.get('帮厨') as number],
    request: { kind: 'poster', template: 'job-poster', jobIds: [jobIds.get('帮厨')] },
  });
  await claimRender(fx.db, render.id);
  await failRender(fx.db, render.id, { code: 'TEXT_DOES_NOT_FIT', message }, true);
  return render.id;
}

/** One more job of the site, imported as a file would import it; its id. */
async function seedJob(employerName: string, title: string): Promise<number> {
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: `${title}.csv` });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ employerName, title }))],
  });
  const [job] = await fx.db
    .select({ id: schema.jobs.id })
    .from(schema.jobs)
    .where(and(eq(schema.jobs.siteId, fx.site.id), eq(schema.jobs.title, title)));
  return job?.id as number;
}

describe('the render queue page', () => {
  it('opens for every role with the live-progress script; only admins and media get the form', async () => {
    for (const role of userRoles) {
      const { status, html } = await page('/renders', role);
      expect(status, role).toBe(200);
      expect(html).toContain('<script src="/assets/renders.js" defer=""></script>');
      const hasForm = html.includes('action="/renders"');
      expect(hasForm, role).toBe(role === 'admin' || role === 'media');
      if (hasForm) {
        // Templates are offered under their kind, by the title a person reads.
        expect(html).toMatch(/<optgroup label="海报" data-kind="poster">.*单岗位竖版海报.*<\/optgroup>/);
        expect(html).toMatch(/<optgroup label="短视频" data-kind="video">.*单岗位竖版短视频.*<\/optgroup>/);
      }
    }
    const script = await app().request('/assets/renders.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('/api/renders/');
  });

  it('lets media queue a poster from the form: it is listed as 排队中 and put on the queue', async () => {
    const response = await queue('media', {
      kind: 'poster',
      template: 'job-poster',
      jobIds: `${jobIds.get('叉车司机')}`,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/renders');
    const { html } = await page('/renders', 'media', response);
    const renderId = Number(/已加入制作队列：海报 #(\d+)/.exec(html)?.[1]);
    const listed = row(html, renderId);
    expect(listed).toContain('data-status="queued"');
    expect(listed).toContain('<span class="badge" data-field="status">排队中</span>');
    expect(listed).toContain('<progress max="100" value="0"');
    expect(listed).toContain('<td class="card-sub">单岗位竖版海报</td>');
    expect(listed).not.toContain('job-poster');
    // The list says what the render is about, not only its number.
    expect(listed).toContain(`<a href="/renders/${renderId}">叉车司机</a>`);
    expect(await getRender(fx.db, renderId)).toMatchObject({
      kind: 'poster',
      template: 'job-poster',
      jobIds: [jobIds.get('叉车司机')],
      createdBy: fx.userIds.media,
    });
    expect(await fx.producer.has('render', `render-${renderId}`)).toBe(true);

    // Every role follows it on the list.
    expect(row((await page('/renders', 'manager')).html, renderId)).toContain('排队中');
  });

  it('lists a policy explainer by its title, as it speaks of no job', async () => {
    const explainer = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'video',
      template: 'policy-explainer',
      jobIds: [],
      request: {
        kind: 'video',
        template: 'policy-explainer',
        explainer: { title: '灵活就业社保补贴', points: ['补贴对象', '补贴标准', '申领方式'] },
      },
      createdBy: fx.userIds.media,
    });
    expect(row((await page('/renders', 'media')).html, explainer.id)).toContain(
      `<a href="/renders/${explainer.id}">政策解读：灵活就业社保补贴</a>`,
    );
  });

  it("gives times and this month by the site's clock, not the server's", async () => {
    // The deployment's zone is Asia/Shanghai; a site 15 or 16 hours behind it reads other hours (and days).
    const timezone = 'America/Los_Angeles';
    await fx.db.update(schema.sites).set({ timezone }).where(eq(schema.sites.id, fx.site.id));
    try {
      const queued = await queue('media', { kind: 'poster', template: 'job-poster', jobIds: `${jobIds.get('帮厨')}` });
      const renderId = Number(/已加入制作队列：海报 #(\d+)/.exec((await page('/renders', 'media', queued)).html)?.[1]);
      const { createdAt } = await getRender(fx.db, renderId);
      const at = (zone: string) => {
        const { day, time } = siteDayAndTime(zone, createdAt);
        return `${day} ${time}`;
      };
      const { html } = await page('/renders', 'media');
      expect(row(html, renderId)).toContain(`>${at(timezone)}</td>`);
      expect(row(html, renderId)).not.toContain(at('Asia/Shanghai'));
      expect(html).toContain(`name="month" type="month" value="${siteToday(timezone).slice(0, 7)}"`);
      expect((await page(`/renders/${renderId}`, 'manager')).html).toContain(`<td>${at(timezone)}</td>`);
    } finally {
      await fx.db.update(schema.sites).set({ timezone: fx.site.timezone }).where(eq(schema.sites.id, fx.site.id));
    }
  });

  it('picks the jobs by a filter when no ids are given, and takes ids separated by Chinese commas', async () => {
    const byFilter = await queue('admin', { kind: 'poster', template: 'multi-job-poster', category: 'gig' });
    expect(byFilter.status).toBe(303);
    const html = (await page('/renders', 'admin', byFilter)).html;
    const filtered = await getRender(fx.db, Number(/已加入制作队列：海报 #(\d+)/.exec(html)?.[1]));
    expect([...filtered.jobIds].sort()).toEqual([jobIds.get('钟点保洁'), jobIds.get('帮厨')].sort());

    const listed = await queue('media', {
      kind: 'poster',
      template: 'multi-job-poster',
      jobIds: `${jobIds.get('帮厨')}，${jobIds.get('叉车司机')}`,
    });
    expect(listed.status).toBe(303);
    const id = Number(/#(\d+)/.exec((await page('/renders', 'media', listed)).html)?.[1]);
    expect((await getRender(fx.db, id)).jobIds).toEqual([jobIds.get('帮厨'), jobIds.get('叉车司机')]);
  });

  it('writes the script for the chosen jobs to edit, then queues the video with that script, voice and music', async () => {
    const job = `${jobIds.get('叉车司机')}`;
    const drafted = await app().request(
      '/renders/script',
      sessions.media.form({ kind: 'video', template: 'job-spotlight', jobIds: job, limit: '6', voice: 'espeak:male' }),
    );
    expect(drafted.status).toBe(200);
    const html = await drafted.text();
    const script = /<textarea name="script"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '';
    // A paragraph per scene, from the job's own fields; the choices made stay chosen.
    expect(script.split('\n\n')).toHaveLength(4);
    expect(script).toContain('叉车司机');
    expect(html).toContain('<option value="espeak:male" selected="">离线男声</option>');

    const edited = script.replace('叉车司机', '叉车司机（持证上岗）');
    const queued = await queue('media', {
      kind: 'video',
      template: 'job-spotlight',
      jobIds: job,
      voice: 'espeak:male',
      rate: '1.15',
      music: 'builtin-calm',
      script: edited,
    });
    expect(queued.status).toBe(303);
    const renderId = Number(/已加入制作队列：短视频 #(\d+)/.exec((await page('/renders', 'media', queued)).html)?.[1]);
    expect((await getRender(fx.db, renderId)).request).toMatchObject({
      script: edited.trim(),
      voice: { provider: 'espeak', voice: 'male', rate: 1.15 },
      music: 'builtin-calm',
    });
  });

  it('plays a sample of the chosen voice to media and admins, not to managers', async () => {
    const sample = await app().request('/api/voices/preview?voice=espeak:female&rate=1.15', {
      headers: { cookie: sessions.media.cookie },
    });
    expect(sample.status).toBe(200);
    expect(sample.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await sample.arrayBuffer());
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.length).toBeGreaterThan(20_000);
    const unknown = await app().request('/api/voices/preview?voice=espeak:nobody', {
      headers: { cookie: sessions.media.cookie },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('没有「nobody」这个声音');
    const manager = await app().request('/api/voices/preview', { headers: { cookie: sessions.manager.cookie } });
    expect(manager.status).toBe(403);
  });

  it('says on the form what is wrong, keeping what was typed', async () => {
    const typo = await queue('media', { kind: 'poster', template: 'job-poster', jobIds: '12, abc', search: '仓管' });
    expect(typo.status).toBe(400);
    const typoHtml = await typo.text();
    expect(typoHtml).toContain('岗位编号：“abc”不是岗位编号');
    expect(typoHtml).toContain('value="12, abc"');
    expect(typoHtml).toContain('value="仓管"');

    const wrongKind = await queue('media', { kind: 'video', template: 'job-poster', jobIds: `${jobIds.get('帮厨')}` });
    expect(wrongKind.status).toBe(400);
    expect(await wrongKind.text()).toContain('「单岗位竖版海报」是海报模板，不能用来制作短视频');

    const missing = await queue('media', { kind: 'poster', template: 'job-poster', jobIds: '2147483000' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('这些岗位不存在：2147483000');
  });

  it('shows managers no form and refuses their post; refuses a post without the security token', async () => {
    const manager = await queue('manager', { kind: 'poster', template: 'job-poster', jobIds: `${jobIds.get('帮厨')}` });
    expect(manager.status).toBe(403);
    expect(await manager.text()).toContain('无权访问');

    const forged = await app().request('/renders', {
      method: 'POST',
      headers: {
        cookie: sessions.media.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost',
      },
      body: new URLSearchParams({ kind: 'poster', template: 'job-poster', jobIds: '1' }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('表单已失效');
  });
});

describe('finding renders in the list', () => {
  /** The render ids a list page shows, in order. */
  const listed = (html: string) => [...html.matchAll(/<tr data-render-id="(\d+)"/g)].map((m) => Number(m[1]));

  it('narrows by kind, template, status, month and a job title, each named in Chinese', async () => {
    const weld = await seedJob('南昌筛选焊接有限公司', '氩弧焊工');
    const poster = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'poster',
      template: 'multi-job-poster',
      jobIds: [weld],
    });
    const video = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'video',
      template: 'job-spotlight',
      jobIds: [weld],
    });
    const march = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'flyer',
      template: 'monthly-flyer',
      jobIds: [],
      request: { kind: 'flyer', template: 'monthly-flyer', month: '2025-03', copies: 1000 },
    });
    // Asked for at 00:30 on 1 March on the site's clock (Asia/Shanghai): a March render, though UTC says 28 February.
    await fx.db
      .update(schema.renders)
      .set({ createdAt: new Date('2025-02-28T16:30:00Z') })
      .where(eq(schema.renders.id, march.id));
    await claimRender(fx.db, video.id);
    await failRender(fx.db, video.id, { code: 'X', message: '失败' }, true);

    const byTitle = await page(`/renders?q=${encodeURIComponent('氩弧焊')}`, 'manager');
    expect(listed(byTitle.html)).toEqual([video.id, poster.id]);
    expect(byTitle.html).toContain('共 2 个制作任务符合条件');
    expect(listed((await page(`/renders?q=${encodeURIComponent('筛选焊接')}`, 'manager')).html)).toEqual([
      video.id,
      poster.id,
    ]);

    const posters = await page(`/renders?type=poster&q=${encodeURIComponent('氩弧焊')}`, 'manager');
    expect(listed(posters.html)).toEqual([poster.id]);
    expect(posters.html).toMatch(/<option value="poster" selected="">海报<\/option>/);

    const byTemplate = await page('/renders?tpl=multi-job-poster', 'manager');
    expect(listed(byTemplate.html)).toContain(poster.id);
    expect(listed(byTemplate.html)).not.toContain(video.id);
    // The template is offered and chosen by its Chinese name.
    expect(byTemplate.html).toContain(
      '<option value="multi-job-poster" selected="">多岗位竖版海报（最多 6 个岗位）</option>',
    );

    const failedOnes = await page('/renders?status=failed', 'manager');
    expect(listed(failedOnes.html)).toContain(video.id);
    expect(listed(failedOnes.html)).not.toContain(poster.id);

    const inMarch = await page('/renders?made=2025-03', 'manager');
    expect(listed(inMarch.html)).toEqual([march.id]);
    expect(row(inMarch.html, march.id)).toContain('2025-03 招工小报');
    // A flyer is found by its month too.
    expect(listed((await page('/renders?q=2025-03', 'manager')).html)).toEqual([march.id]);

    const none = await page(`/renders?q=${encodeURIComponent('宇航员')}`, 'manager');
    expect(none.html).toContain('没有符合条件的制作任务');

    const badMonth = await page('/renders?made=2025-13', 'manager');
    expect(badMonth.status).toBe(400);
    expect(badMonth.html).toContain('月份“2025-13”有误');
  });

  it('splits a long list into pages of 25, the page links keeping the filters', async () => {
    const job = await seedJob('南昌分页包装有限公司', '纸箱打包工');
    const ids: number[] = [];
    for (let i = 0; i < 27; i++) {
      ids.push(
        (await createRender(fx.db, { siteId: fx.site.id, kind: 'poster', template: 'job-poster', jobIds: [job] })).id,
      );
    }
    const q = encodeURIComponent('纸箱打包');
    const first = await page(`/renders?type=poster&q=${q}`, 'media');
    expect(listed(first.html)).toEqual(ids.slice(2).reverse());
    expect(first.html).toContain('第 1 / 2 页，共 27 条');
    expect(first.html).toContain(`href="/renders?type=poster&amp;q=${q}&amp;page=2#render-list"`);

    const second = await page(`/renders?type=poster&q=${q}&page=2`, 'media');
    expect(listed(second.html)).toEqual(ids.slice(0, 2).reverse());
    expect(second.html).toContain(`href="/renders?type=poster&amp;q=${q}#render-list" rel="prev"`);
    expect(second.html).not.toContain('下一页');
  });
});

describe('a render’s page', () => {
  it('plays a finished video from the output route, which serves the cookie’s user byte ranges', async () => {
    const store = new LocalMediaStore(mediaDir);
    const bytes = Buffer.from('0123456789abcdef');
    const id = await finished('video', 'job-spotlight', {
      outputKey: 'renders/v/video.mp4',
      coverKey: 'renders/v/cover.jpg',
      mimeType: 'video/mp4',
      durationS: 30,
      bytes: bytes.length,
    });
    await store.writeBuffer('renders/v/video.mp4', bytes);

    const { html } = await page(`/renders/${id}`, 'media');
    expect(html).toContain(
      `<video controls="" preload="metadata" src="/api/renders/${id}/output" poster="/api/renders/${id}/output?file=cover">`,
    );
    expect(html).toContain(`href="/api/renders/${id}/output" download="video-${id}.mp4"`);
    expect(html).toContain(`href="/publications/new?render=${id}"`);
    expect(html).toContain('已完成');
    expect(html).toContain(`href="/jobs/${jobIds.get('叉车司机')}"`);
    // Only those who record publications are offered to.
    expect((await page(`/renders/${id}`, 'manager')).html).not.toContain('/publications/new');

    const ranged = await app().request(`/api/renders/${id}/output`, {
      headers: { cookie: sessions.anchor.cookie, range: 'bytes=4-7' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 4-7/${bytes.length}`);
    expect(await ranged.text()).toBe('4567');
  });

  it('shows a poster and each page of a flyer', async () => {
    const poster = await finished('poster', 'job-poster', {
      outputKey: 'renders/p/poster.png',
      coverKey: 'renders/p/poster.jpg',
      mimeType: 'image/png',
      bytes: 10,
    });
    const posterHtml = (await page(`/renders/${poster}`, 'anchor')).html;
    expect(posterHtml).toContain(`<img class="preview" src="/api/renders/${poster}/output" alt="海报预览"/>`);
    expect(posterHtml).not.toContain('/publications/new');

    const flyer = await finished('flyer', 'monthly-flyer', {
      outputKey: 'renders/f/flyer.pdf',
      previewKeys: ['renders/f/flyer-page-1.png', 'renders/f/flyer-page-2.png'],
      mimeType: 'application/pdf',
      pages: 2,
      bytes: 10,
    });
    const flyerHtml = (await page(`/renders/${flyer}`, 'manager')).html;
    expect(flyerHtml).toContain(`src="/api/renders/${flyer}/output?file=page-1"`);
    expect(flyerHtml).toContain(`src="/api/renders/${flyer}/output?file=page-2"`);
    expect(flyerHtml).toContain('2026-11 / 1200 份');
    expect(flyerHtml).toContain(`download="flyer-${flyer}.pdf"`);

    // On the list: the poster's cover as a thumbnail, the flyer by its month and its first page.
    const list = (await page('/renders', 'manager')).html;
    expect(row(list, poster)).toContain(`<img class="thumb" src="/api/renders/${poster}/output?file=cover"`);
    expect(row(list, flyer)).toContain(`<a href="/renders/${flyer}">2026-11 招工小报</a>`);
    expect(row(list, flyer)).toContain(`<img class="thumb" src="/api/renders/${flyer}/output?file=page-1"`);
  });

  it('shows why a render failed, and lets media retry it: it is queued again', async () => {
    const id = await failed('文字放不下：岗位名称太长');
    const managerView = await page(`/renders/${id}`, 'manager');
    expect(managerView.html).toContain('制作失败的原因：文字放不下：岗位名称太长');
    expect(managerView.html).not.toContain(`action="/renders/${id}/retry"`);

    const mediaView = await page(`/renders/${id}`, 'media');
    expect(mediaView.html).toContain(`action="/renders/${id}/retry"`);

    const retried = await app().request(`/renders/${id}/retry`, sessions.media.form({}));
    expect(retried.status).toBe(303);
    const after = await page(`/renders/${id}`, 'media', retried);
    expect(after.html).toContain(`已重新加入制作队列：#${id}`);
    expect(after.html).toContain('排队中');
    expect(after.html).not.toContain('制作失败的原因');
    expect(await fx.producer.has('render', `render-${id}`)).toBe(true);

    // Queued now: retrying again is refused, saying why.
    const again = await app().request(`/renders/${id}/retry`, sessions.media.form({}));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('只有失败的任务可以重新制作');
  });

  it('refuses a retry from a manager or without the security token', async () => {
    const id = await failed('字体缺字');
    const manager = await app().request(`/renders/${id}/retry`, sessions.manager.form({}));
    expect(manager.status).toBe(403);
    const forged = await app().request(`/renders/${id}/retry`, sessions.media.form({ _csrf: 'forged' }));
    expect(forged.status).toBe(403);
    expect((await getRender(fx.db, id)).status).toBe('failed');
  });

  it('answers 404 for a number past the database’s ids, as for any render that does not exist', async () => {
    expect((await page('/renders/99999999999', 'manager')).status).toBe(404);
    const retry = await app().request('/renders/99999999999/retry', sessions.media.form({}));
    expect(retry.status).toBe(404);
  });
});

describe('GET /api/renders', () => {
  it('narrows the list by kind, status and a job title, and pages it', async () => {
    const job = await seedJob('南昌接口筛选有限公司', '接口测试电工');
    const made = [];
    for (const kind of ['poster', 'poster', 'video'] as const) {
      const template = kind === 'poster' ? 'job-poster' : 'job-spotlight';
      made.push(await createRender(fx.db, { siteId: fx.site.id, kind, template, jobIds: [job] }));
    }
    const list = async (query: string) => {
      const response = await app().request(`/api/renders?${query}`, { headers: fx.bearer('manager') });
      expect(response.status, query).toBe(200);
      return (await body<RenderView[]>(response)).map((render) => render.renderId);
    };
    const q = `search=${encodeURIComponent('接口测试电工')}`;
    expect(await list(q)).toEqual(made.map((r) => r.id).reverse());
    expect(await list(`${q}&kind=poster`)).toEqual([made[1]?.id, made[0]?.id]);
    expect(await list(`${q}&kind=poster&limit=1&offset=1`)).toEqual([made[0]?.id]);
    expect(await list(`${q}&template=job-spotlight&status=queued`)).toEqual([made[2]?.id]);
    expect(await list(`${q}&status=done`)).toEqual([]);
    const bad = await app().request('/api/renders?status=finished', { headers: fx.bearer('manager') });
    expect(bad.status).toBe(400);
  });
});

describe('POST /api/renders/{id}/retry', () => {
  it('queues a failed render again for media, refuses a done one and a manager', async () => {
    const id = await failed('字体缺字');
    const manager = await app().request(`/api/renders/${id}/retry`, { method: 'POST', headers: fx.bearer('manager') });
    expect(manager.status).toBe(403);

    const response = await app().request(`/api/renders/${id}/retry`, { method: 'POST', headers: fx.bearer('media') });
    expect(response.status).toBe(202);
    expect(await body<RenderView>(response)).toMatchObject({ renderId: id, status: 'queued', error: null });

    const done = await finished('poster', 'job-poster', {
      outputKey: 'renders/d/poster.png',
      mimeType: 'image/png',
      bytes: 1,
    });
    const refused = await app().request(`/api/renders/${done}/retry`, { method: 'POST', headers: fx.bearer('admin') });
    expect(refused.status).toBe(409);
    expect((await body<{ message: string }>(refused)).message).toContain('当前已完成');
  });
});
