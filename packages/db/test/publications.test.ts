import { randomBytes } from 'node:crypto';
import { isJobcastError } from '@jobcast/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import { requestFlyerIssue } from '../src/flyers.ts';
import {
  calendarDate,
  deleteCoverage,
  deletePublication,
  getSiteFlyerIssue,
  listCoverage,
  listFlyerIssues,
  listPublications,
  markFlyerDistributed,
  markFlyerPrinted,
  recordCoverage,
  recordPublication,
  urlKey,
} from '../src/publications.ts';
import { claimRender, completeRender, createRender } from '../src/renders.ts';
import { ensureSite } from '../src/sites.ts';

let db: Database;
let siteId: number;
let otherSiteId: number;

const label = () => randomBytes(4).toString('hex');

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  siteId = (await ensureSite(db, { code: `pub-${label()}`, name: '测试站点' })).id;
  otherSiteId = (await ensureSite(db, { code: `pub-${label()}`, name: '另一个站点' })).id;
});
afterAll(async () => closeDatabase(db));

/** What a refused call threw: its code, message and field. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; field?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isJobcastError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

function refusalOf(call: () => unknown): { code: string; message: string; field?: unknown } {
  try {
    call();
  } catch (error) {
    if (isJobcastError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

const video = (url: string, extra: Partial<Parameters<typeof recordPublication>[1]> = {}) =>
  recordPublication(db, {
    siteId,
    platform: 'douyin',
    url,
    publishedOn: '2026-03-10',
    title: '叉车司机招聘',
    ...extra,
  });

async function doneVideo(options: { aiVideo?: boolean; site?: number } = {}): Promise<number> {
  const render = await createRender(db, {
    siteId: options.site ?? siteId,
    kind: 'video',
    template: 'job-spotlight',
    jobIds: [1],
  });
  await claimRender(db, render.id);
  await completeRender(db, render.id, {
    outputKey: `renders/${render.id}/video.mp4`,
    mimeType: 'video/mp4',
    bytes: 1000,
    durationS: 20,
    aiComponents: options.aiVideo
      ? [
          {
            kind: 'voice',
            provider: 'espeak',
            providerLabel: '离线语音',
            model: 'eSpeak NG',
            voice: 'female',
            at: '2026-03-01T00:00:00Z',
          },
        ]
      : [],
  });
  return render.id;
}

describe('urlKey', () => {
  it('takes one address written differently as the same video', () => {
    expect(urlKey('HTTPS://Example.com/v/1/')).toBe(urlKey('https://example.com/v/1#x'));
    expect(urlKey('  https://www.douyin.com/video/7 ')).toBe(urlKey('http://WWW.DOUYIN.COM/video/7/'));
    // What a share button adds, and the site with or without www., is the same video.
    expect(urlKey('https://www.douyin.com/video/7?previous_page=app_code_link')).toBe(
      urlKey('https://douyin.com/video/7'),
    );
    expect(urlKey('https://example.com/v?id=3&utm_source=wechat')).toBe(urlKey('https://example.com/v?id=3'));
  });

  it('refuses an address too long once its Chinese characters are encoded', () => {
    const long = `https://example.com/${'招聘'.repeat(200)}`;
    expect(long.length).toBeLessThan(2000);
    expect(refusalOf(() => urlKey(long))).toMatchObject({ code: 'BAD_INPUT', field: 'url' });
  });

  it('keeps the query and the path as written: other ids are other videos', () => {
    expect(urlKey('https://example.com/v?id=1')).not.toBe(urlKey('https://example.com/v?id=2'));
    expect(urlKey('https://example.com/v/AbC')).not.toBe(urlKey('https://example.com/v/abc'));
  });

  it('refuses what is not a web address, naming the field', () => {
    expect(refusalOf(() => urlKey('www.douyin.com/video/1'))).toMatchObject({ code: 'BAD_INPUT', field: 'url' });
    expect(refusalOf(() => urlKey(''))).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('不能为空'),
    });
    expect(refusalOf(() => urlKey('javascript:alert(1)'))).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('http:// 或 https://'),
    });
    expect(refusalOf(() => urlKey('ftp://example.com/v.mp4')).code).toBe('BAD_INPUT');
  });
});

describe('calendarDate', () => {
  it('takes real days only', () => {
    expect(calendarDate(' 2028-02-29 ', 'publishedOn')).toBe('2028-02-29');
    for (const day of ['2026-02-30', '2026-13-01', '2026-3-1', '昨天', '']) {
      expect(refusalOf(() => calendarDate(day, 'publishedOn'))).toMatchObject({
        code: 'BAD_INPUT',
        field: 'publishedOn',
      });
    }
  });
});

describe('recordPublication', () => {
  it('records a video made elsewhere, keeping the address a browser opens', async () => {
    const row = await video(' https://www.douyin.com/video/100 ', { title: '  春风行动   专场 ' });
    expect(row).toMatchObject({
      url: 'https://www.douyin.com/video/100',
      renderId: null,
      aiVideo: false,
      title: '春风行动 专场',
    });
  });

  it('refuses the same video written differently, saying which record has it', async () => {
    const first = await video('https://example.com/v/1', { title: '第一条' });
    const again = await refusal(video('HTTPS://Example.com/v/1/#x', { publishedOn: '2026-04-01', title: '第二条' }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('「第一条」');
    expect(again.message).toContain(first.publishedOn);
    expect(again.message).toContain(String(first.id));
    expect((await listPublications(db, siteId)).filter((p) => p.urlKey === first.urlKey)).toHaveLength(1);
  });

  it('takes addresses differing only in their query as two videos', async () => {
    await video('https://example.com/watch?id=1');
    await expect(video('https://example.com/watch?id=2')).resolves.toMatchObject({
      url: 'https://example.com/watch?id=2',
    });
  });

  it('lets another site record an address this site has', async () => {
    await video('https://example.com/shared/9');
    await expect(
      recordPublication(db, {
        siteId: otherSiteId,
        platform: 'channels',
        url: 'https://example.com/shared/9',
        publishedOn: '2026-03-10',
        title: '另一个站点的视频',
      }),
    ).resolves.toMatchObject({ siteId: otherSiteId });
  });

  it('refuses bad input, naming the field', async () => {
    expect(await refusal(video('https://example.com/p/1', { platform: 'weibo' }))).toMatchObject({
      code: 'BAD_INPUT',
      field: 'platform',
    });
    expect(await refusal(video('https://example.com/p/2', { publishedOn: '2026-02-30' }))).toMatchObject({
      code: 'BAD_INPUT',
      field: 'publishedOn',
    });
    expect(await refusal(video('https://example.com/p/3', { title: '   ' }))).toMatchObject({ field: 'title' });
    expect(await refusal(video('https://example.com/p/4', { title: '长'.repeat(201) }))).toMatchObject({
      field: 'title',
    });
    expect(await refusal(video('javascript:alert(document.cookie)'))).toMatchObject({ field: 'url' });
  });

  it('takes the AI flag from the render’s record of its AI components, whatever the form said', async () => {
    const renderId = await doneVideo({ aiVideo: true });
    const row = await video(`https://example.com/ai/${renderId}`, { renderId, aiVideo: false });
    expect(row).toMatchObject({ renderId, aiVideo: true });
    const plainId = await doneVideo();
    const plain = await video(`https://example.com/plain/${plainId}`, {
      renderId: plainId,
      aiVideo: true,
      aiTool: 'x',
    });
    expect(plain).toMatchObject({ renderId: plainId, aiVideo: false, aiTool: null });
  });

  it('an AI video made elsewhere names its tool; without one it is refused', async () => {
    expect(await refusal(video('https://example.com/ext/1', { aiVideo: true }))).toMatchObject({ field: 'aiTool' });
    expect(await refusal(video('https://example.com/ext/1', { aiVideo: true, aiTool: '   ' }))).toMatchObject({
      field: 'aiTool',
    });
    const row = await video('https://example.com/ext/2', { aiVideo: true, aiTool: ' 剪映 AI 配音 ' });
    expect(row).toMatchObject({ aiVideo: true, aiTool: '剪映 AI 配音' });
    // A tool named for a video that is not AI is not kept.
    expect(await video('https://example.com/ext/3', { aiVideo: false, aiTool: '剪映' })).toMatchObject({
      aiTool: null,
    });
  });

  it('refuses a render that is not a finished video, or is another site’s', async () => {
    const pending = await createRender(db, { siteId, kind: 'video', template: 'job-spotlight', jobIds: [1] });
    expect(await refusal(video('https://example.com/r/1', { renderId: pending.id }))).toMatchObject({
      code: 'BAD_INPUT',
      field: 'renderId',
    });
    const poster = await createRender(db, { siteId, kind: 'poster', template: 'job-poster', jobIds: [1] });
    expect((await refusal(video('https://example.com/r/2', { renderId: poster.id }))).code).toBe('BAD_INPUT');
    const foreign = await doneVideo({ site: otherSiteId });
    expect((await refusal(video('https://example.com/r/3', { renderId: foreign }))).code).toBe('NOT_FOUND');
  });

  it('lists a date range newest first, and takes back a wrong entry', async () => {
    const site = (await ensureSite(db, { code: `pub-${label()}`, name: '列表站点' })).id;
    const add = (url: string, publishedOn: string) =>
      recordPublication(db, { siteId: site, platform: 'other', url, publishedOn, title: url });
    await add('https://example.com/a', '2025-12-31');
    const b = await add('https://example.com/b', '2026-01-01');
    await add('https://example.com/c', '2026-06-30');
    await add('https://example.com/d', '2027-01-01');
    const year = await listPublications(db, site, { from: '2026-01-01', to: '2027-01-01' });
    expect(year.map((p) => p.url)).toEqual(['https://example.com/c', 'https://example.com/b']);
    await deletePublication(db, site, b.id);
    expect((await listPublications(db, site)).map((p) => p.url)).not.toContain('https://example.com/b');
    expect((await refusal(deletePublication(db, otherSiteId, year[0]?.id as number))).code).toBe('NOT_FOUND');
  });
});

describe('recordCoverage', () => {
  const report = (url: string, extra: Partial<Parameters<typeof recordCoverage>[1]> = {}) =>
    recordCoverage(db, {
      siteId,
      outlet: '人民网',
      level: 'national',
      url,
      publishedOn: '2026-05-01',
      title: '零工驿站助力就业',
      ...extra,
    });

  it('records a report and refuses its address again', async () => {
    const row = await report('https://people.com.cn/n1/2026/0501/1.html');
    expect(row).toMatchObject({ outlet: '人民网', level: 'national' });
    const again = await refusal(report('https://PEOPLE.com.cn/n1/2026/0501/1.html#top', { outlet: '江西日报' }));
    expect(again).toMatchObject({ code: 'CONFLICT', field: 'url' });
    expect(again.message).toContain('人民网');
  });

  it('refuses an unknown level, an empty outlet and a bad date', async () => {
    expect(await refusal(report('https://example.com/c/1', { level: 'city' }))).toMatchObject({ field: 'level' });
    expect(await refusal(report('https://example.com/c/2', { outlet: ' ' }))).toMatchObject({ field: 'outlet' });
    expect(await refusal(report('https://example.com/c/3', { publishedOn: '2026-04-31' }))).toMatchObject({
      field: 'publishedOn',
    });
  });

  it('lists and takes back reports of this site only', async () => {
    const row = await report('https://example.com/c/4', { level: 'provincial', outlet: '江西日报' });
    expect((await listCoverage(db, siteId)).map((r) => r.id)).toContain(row.id);
    expect((await refusal(deleteCoverage(db, otherSiteId, row.id))).code).toBe('NOT_FOUND');
    await deleteCoverage(db, siteId, row.id);
    expect((await listCoverage(db, siteId)).map((r) => r.id)).not.toContain(row.id);
  });
});

describe('flyer issues', () => {
  it('records the print run and the distribution of this site’s issue', async () => {
    const issue = await requestFlyerIssue(db, { siteId, month: '2026-03' });
    const printed = await markFlyerPrinted(db, siteId, issue.id, { copies: 1200, date: '2026-03-05' });
    expect(printed).toMatchObject({ copiesPrinted: 1200, printedAt: '2026-03-05' });
    const handed = await markFlyerDistributed(db, siteId, issue.id, {
      copies: 1100,
      place: ' 零工驿站 ',
      date: '2026-03-10',
    });
    expect(handed).toMatchObject({
      copiesDistributed: 1100,
      distributedPlace: '零工驿站',
      distributedAt: '2026-03-10',
    });
    expect(await getSiteFlyerIssue(db, siteId, issue.id)).toMatchObject({ copiesPrinted: 1200 });
    const months = await listFlyerIssues(db, siteId, { from: '2026-03-01', to: '2026-04-01' });
    expect(months.map((m) => m.id)).toEqual([issue.id]);
  });

  it('refuses copies that are not a whole number, a missing place, a bad date, another site', async () => {
    const issue = await requestFlyerIssue(db, { siteId, month: '2026-04' });
    for (const copies of [-5, Number.NaN, 1.5]) {
      const refused = await refusal(markFlyerPrinted(db, siteId, issue.id, { copies, date: '2026-04-05' }));
      expect(refused).toMatchObject({ code: 'BAD_INPUT', field: 'copies' });
      expect(refused.message).toContain('印刷份数');
    }
    expect(
      await refusal(markFlyerDistributed(db, siteId, issue.id, { copies: 10, place: '', date: '2026-04-05' })),
    ).toMatchObject({ field: 'place' });
    expect(await refusal(markFlyerPrinted(db, siteId, issue.id, { copies: 1000, date: '2026-04-31' }))).toMatchObject({
      field: 'date',
    });
    // Printing and handing out are entered once they happened: not a day after the site's today.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await refusal(markFlyerPrinted(db, siteId, issue.id, { copies: 1000, date: tomorrow }));
    expect(future).toMatchObject({ field: 'date' });
    expect(future.message).toContain('不能晚于今天');
    expect(
      await refusal(markFlyerDistributed(db, siteId, issue.id, { copies: 10, place: '驿站', date: tomorrow })),
    ).toMatchObject({ field: 'date' });
    expect(
      (await refusal(markFlyerPrinted(db, otherSiteId, issue.id, { copies: 1000, date: '2026-04-05' }))).code,
    ).toBe('NOT_FOUND');
    expect((await refusal(getSiteFlyerIssue(db, otherSiteId, issue.id))).code).toBe('NOT_FOUND');
    expect((await getSiteFlyerIssue(db, siteId, issue.id)).copiesPrinted).toBeNull();
  });
});
