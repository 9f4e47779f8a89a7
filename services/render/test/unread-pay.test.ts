import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
import { type Pay, printablePay } from '@jobcast/core';
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
import { testJobRecord } from '@jobcast/db/testing';
import type { Producer } from '@jobcast/queue';
import { requestRender } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  loadTemplate,
  posterSvg,
  renderFlyer,
  renderPoster,
  renderVideo,
  runRender,
  type SiteSettings,
  stopFlyerThread,
  videoSceneSvgs,
} from '../src/index.ts';
import { expectUnreadPayRefusal, failure, UNREAD_PAY, unreadPayJob } from './helpers.ts';

const { templatesDir } = loadConfig({});
const site: SiteSettings = samplePosterSite;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-unread-pay-'));
});
afterAll(async () => {
  await stopFlyerThread();
  await rm(dir, { recursive: true, force: true });
});

const pay = (p: Partial<Pay>): Pay => ({
  min: null,
  max: null,
  unit: null,
  negotiable: false,
  months: null,
  text: null,
  ...p,
});

describe('pay as a video, poster or flyer prints it', () => {
  it.each([
    ['a range read from the posting', pay({ min: 4000, max: 6000, unit: 'month', text: '4-6千/月' }), '4000-6000元/月'],
    [
      'a read range with words after it',
      pay({ min: 4000, max: 6000, unit: 'month', text: '4000-6000+提成' }),
      '4000-6000元/月',
    ],
    ['a day rate', pay({ min: 150, max: 200, unit: 'day', text: null }), '150-200元/天'],
    ['negotiable only', pay({ negotiable: true, text: '薪资面议' }), '面议'],
    ['piecework without figures', pay({ unit: 'piece', text: '按件计酬' }), '计件'],
    ['no pay at all', pay({}), ''],
    ['only blank words', pay({ text: '  ' }), ''],
    ['words the importer could not read', pay({ text: UNREAD_PAY }), null],
    ['a figure it could not place', pay({ text: '试用期3000，转正后面议' }), null],
  ])('%s → %j', (_, given, printed) => {
    expect(printablePay(given)).toBe(printed);
  });
});

describe('a single-job video or poster with pay the importer could not read', () => {
  it('job-spotlight fails while binding, before anything is drawn or encoded, naming the job, its words and the fix', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const job = unreadPayJob();
    expectUnreadPayRefusal(await failure(videoSceneSvgs(loaded, [job], site)), job);
    const workDir = path.join(dir, 'spotlight');
    await mkdir(workDir);
    const error = await failure(renderVideo(loaded, [job], site, { workDir, output: path.join(workDir, 'video.mp4') }));
    expectUnreadPayRefusal(error, job);
    expect(error.message).toContain('「单岗位竖版短视频（30 秒）」不会把它原样印出');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('site-visit fails the same way (its clip cards print pay)', async () => {
    const loaded = await loadTemplate(templatesDir, 'site-visit', 'video');
    const job = unreadPayJob({ id: 7, title: '包装工' });
    expectUnreadPayRefusal(await failure(videoSceneSvgs(loaded, [job], site, { clips: 2 })), job);
  });

  it('job-poster fails the same way, though its pay line is optional', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const job = unreadPayJob();
    expectUnreadPayRefusal(await failure(renderPoster(loaded, [job], site)), job);
  });

  it('the words never reach a drawing of a job whose pay was read', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-spotlight', 'video');
    const read = samplePosterJob({ pay: pay({ min: 4500, max: 6000, unit: 'month', text: UNREAD_PAY }) });
    const { svgs } = await videoSceneSvgs(loaded, [read], site);
    expect(svgs.join('')).toContain('4500-6000元/月');
    expect(svgs.join('')).not.toContain('4千5');
  });
});

describe('a multi-job video, poster or flyer given such a job by name', () => {
  const named = () => [
    samplePosterJob({ id: 1, title: '叉车司机' }),
    unreadPayJob({ id: 2, title: '电工' }),
    samplePosterJob({ id: 3, title: '缝纫工' }),
  ];

  it('weekly-picks fails naming that job, not the others', async () => {
    const loaded = await loadTemplate(templatesDir, 'weekly-picks', 'video');
    const error = await failure(videoSceneSvgs(loaded, named(), site));
    expectUnreadPayRefusal(error, { id: 2, title: '电工' });
    expect(error.message).not.toContain('叉车司机');
  });

  it('the multi-job poster fails naming that job', async () => {
    const loaded = await loadTemplate(templatesDir, 'multi-job-poster', 'poster');
    expectUnreadPayRefusal(await failure(posterSvg(loaded, named(), site)), { id: 2, title: '电工' });
  });

  it('the monthly flyer fails naming that job', async () => {
    const loaded = await loadTemplate(templatesDir, 'monthly-flyer', 'flyer');
    const error = await failure(
      renderFlyer(loaded, { jobs: named(), issue: { number: 1, month: '2026-11', revision: 1 }, site }),
    );
    expectUnreadPayRefusal(error, { id: 2, title: '电工' });
  });
});

describe('jobs picked for a render rather than named', () => {
  let db: Database;
  let siteId: number;
  let jobs: Map<string, number>;
  const deps = () => ({ db, producer: {} as Producer, templatesDir });

  beforeAll(async () => {
    db = createDatabase(inject('databaseUrl'), 2);
    siteId = (await ensureSite(db, { code: `up-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' })).id;
    const batch = await createImportBatch(db, { siteId, fileName: 'jobs.csv' });
    const titles = ['叉车司机', '电工', '缝纫工', '收银员'];
    const records = titles.map((title, i) =>
      prepareJob(
        testJobRecord({
          rowNumber: i + 2,
          employerName: `南昌第${i}电子厂`,
          title,
          fingerprint: `fp-${siteId}-${i}`,
          // 电工's pay is only the posting's words: the importer could not read them.
          ...(title === '电工' ? { payMin: null, payMax: null, payUnit: null, payText: UNREAD_PAY, warnings: [] } : {}),
        }),
      ),
    );
    await writeImportChunk(db, { siteId, batchId: batch.id, jobs: records, rejects: [], rowsRead: titles.length });
    const rows = await db.$client.query<{ id: number; title: string }>(
      'select id, title from jobs where site_id = $1',
      [siteId],
    );
    jobs = new Map(rows.rows.map((r) => [r.title, r.id]));
  });
  afterAll(async () => {
    await closeDatabase(db);
  });

  it('the month’s flyer leaves the job out of the jobs it picks, and renders', async () => {
    const render = await requestRender(deps(), siteId, {
      kind: 'flyer',
      template: 'monthly-flyer',
      month: '2026-11',
      copies: 100,
    });
    expect([...render.jobIds].sort()).toEqual(
      ['叉车司机', '缝纫工', '收银员'].map((t) => jobs.get(t) as number).sort(),
    );
    const store = new LocalMediaStore(path.join(dir, 'media'));
    expect((await runRender({ ...deps(), store }, render.id, false))?.status).toBe('done');
  });

  it('a poster by filter passes over the job; naming it fails the render, naming the job', async () => {
    const picked = await requestRender(deps(), siteId, {
      kind: 'poster',
      template: 'multi-job-poster',
      filter: { limit: 6 },
    });
    expect(picked.jobIds).toHaveLength(3);
    expect(picked.jobIds).not.toContain(jobs.get('电工'));

    const named = await requestRender(deps(), siteId, {
      kind: 'poster',
      template: 'job-poster',
      jobIds: [jobs.get('电工') as number],
    });
    const store = new LocalMediaStore(path.join(dir, 'media'));
    await expect(runRender({ ...deps(), store }, named.id, false)).rejects.toThrow(/电工/);
    const failed = await getRender(db, named.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'PAY_NOT_NORMALISED' });
    expect(failed.errorMessage).toContain(`岗位“电工”（编号 ${jobs.get('电工')}）的薪资“${UNREAD_PAY}”`);
  });
});
