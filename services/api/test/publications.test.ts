import type { UserRole } from '@jobcast/core';
import { requestFlyerIssue } from '@jobcast/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlyerView } from '../src/routes/flyers/view.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

function post(role: UserRole, path: string, json: unknown) {
  return fx.app().request(path, {
    method: 'POST',
    headers: { ...fx.bearer(role), 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
}

const get = (role: UserRole, path: string) => fx.app().request(path, { headers: fx.bearer(role) });

const publication = (url: string, publishedOn = '2026-03-10') => ({
  platform: 'channels',
  url,
  publishedOn,
  title: '洪城物流招聘叉车司机',
});

interface PublicationList {
  serviceYear: { year: number; start: string; lastDay: string };
  count: number;
  aiCount: number;
  items: { id: number; url: string; aiVideo: boolean }[];
}

describe('/api/publications', () => {
  it('lets media and admin record a video, and refuses the other roles', async () => {
    const created = await post('media', '/api/publications', publication('https://channels.weixin.qq.com/v/1'));
    expect(created.status).toBe(201);
    expect(await body(created)).toMatchObject({ platform: 'channels', aiVideo: false, renderId: null });
    expect((await post('admin', '/api/publications', publication('https://channels.weixin.qq.com/v/2'))).status).toBe(
      201,
    );
    for (const role of ['manager', 'anchor'] as const) {
      const refused = await post(role, '/api/publications', publication(`https://channels.weixin.qq.com/v/${role}`));
      expect(refused.status).toBe(403);
    }
  });

  it('answers 409 naming the record for an address already recorded, written differently', async () => {
    const first = await post('media', '/api/publications', {
      ...publication('https://www.douyin.com/video/77'),
      title: '第一次登记',
    });
    expect(first.status).toBe(201);
    const again = await post('admin', '/api/publications', publication('HTTPS://WWW.DOUYIN.COM/video/77/#comments'));
    expect(again.status).toBe(409);
    const error = await body<{ code: string; message: string }>(again);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('「第一次登记」');
  });

  it('answers 400 naming the field for a bad address, date or platform', async () => {
    const bad = async (json: Record<string, unknown>) => {
      const response = await post('media', '/api/publications', { ...publication('https://example.com/x'), ...json });
      expect(response.status).toBe(400);
      return (await body<{ message: string }>(response)).message;
    };
    expect(await bad({ url: 'javascript:alert(1)' })).toContain('http:// 或 https://');
    expect(await bad({ publishedOn: '2026-02-30' })).toBe(
      '发布日期：日期有误：2026-02-30，请写作“年-月-日”，如 2026-03-10',
    );
    expect(await bad({ platform: 'weibo' })).toContain('平台：');
  });

  it('lists the service year asked for to every role, with its counts', async () => {
    await post('media', '/api/publications', publication('https://example.com/year/2025', '2025-12-31'));
    await post('media', '/api/publications', publication('https://example.com/year/2026', '2026-01-01'));
    for (const role of ['manager', 'anchor'] as const) {
      const response = await get(role, '/api/publications?year=2026');
      expect(response.status).toBe(200);
      const list = await body<PublicationList>(response);
      expect(list.serviceYear).toEqual({ year: 2026, start: '2026-01-01', lastDay: '2026-12-31' });
      expect(list.items.map((item) => item.url)).toContain('https://example.com/year/2026');
      expect(list.items.map((item) => item.url)).not.toContain('https://example.com/year/2025');
      expect(list.count).toBe(list.items.length);
    }
    const earlier = await body<PublicationList>(await get('manager', '/api/publications?year=2025'));
    expect(earlier.items.map((item) => item.url)).toEqual(['https://example.com/year/2025']);
    expect((await get('manager', '/api/publications?year=1999')).status).toBe(400);
  });
});

describe('/api/coverage', () => {
  const report = (url: string, level = 'national') => ({
    outlet: '人民网',
    level,
    url,
    publishedOn: '2026-05-01',
    title: '零工驿站助力就业',
  });

  it('records reports for media, counts the national ones, and refuses an address twice', async () => {
    expect((await post('media', '/api/coverage', report('https://people.com.cn/a/1'))).status).toBe(201);
    expect((await post('admin', '/api/coverage', report('https://jxnews.com.cn/a/2', 'provincial'))).status).toBe(201);
    expect((await post('manager', '/api/coverage', report('https://example.com/a/3'))).status).toBe(403);
    const again = await post('media', '/api/coverage', report('https://PEOPLE.com.cn/a/1/'));
    expect(again.status).toBe(409);
    expect((await body<{ message: string }>(again)).message).toContain('人民网');
    const list = await body<{ count: number; nationalCount: number }>(await get('anchor', '/api/coverage?year=2026'));
    expect(list).toMatchObject({ count: 2, nationalCount: 1 });
  });
});

describe('/api/flyers', () => {
  it('lists twelve months, and counts an issue once 1000 copies are printed', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-04' });
    const printed = await post('media', `/api/flyers/${issue.id}/printed`, { copies: 999, date: '2026-04-05' });
    expect(printed.status).toBe(200);
    expect(await body<FlyerView>(printed)).toMatchObject({ copiesPrinted: 999, counts: false });
    expect(
      await body<FlyerView>(
        await post('admin', `/api/flyers/${issue.id}/printed`, { copies: 1000, date: '2026-04-06' }),
      ),
    ).toMatchObject({ copiesPrinted: 1000, printedAt: '2026-04-06', counts: true });
    const handed = await post('media', `/api/flyers/${issue.id}/distributed`, {
      copies: 1000,
      place: '零工驿站',
      date: '2026-04-10',
    });
    expect(await body<FlyerView>(handed)).toMatchObject({ distributedPlace: '零工驿站', copiesDistributed: 1000 });

    const year = await body<{ countedIssues: number; months: { month: string; issue: FlyerView | null }[] }>(
      await get('manager', '/api/flyers?year=2026'),
    );
    expect(year.months.map((m) => m.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(year.months[3]?.issue).toMatchObject({ id: issue.id, counts: true });
    expect(year.months[0]?.issue).toBeNull();
    expect(year.countedIssues).toBe(1);
  });

  it('refuses other roles, bad copies and dates, and another site’s issue', async () => {
    const issue = await requestFlyerIssue(fx.db, { siteId: fx.site.id, month: '2026-05' });
    const path = `/api/flyers/${issue.id}/printed`;
    expect((await post('manager', path, { copies: 1000, date: '2026-05-05' })).status).toBe(403);
    expect(
      (await post('anchor', `/api/flyers/${issue.id}/distributed`, { copies: 1, place: 'x', date: '2026-05-05' }))
        .status,
    ).toBe(403);
    expect((await post('media', path, { copies: -5, date: '2026-05-05' })).status).toBe(400);
    const badDate = await post('media', path, { copies: 1000, date: '2026-05-32' });
    expect(badDate.status).toBe(400);
    expect((await body<{ message: string }>(badDate)).message).toMatch(/^日期有误：2026-05-32/);
    const other = await openFixture();
    try {
      const response = await other.app().request(path, {
        method: 'POST',
        headers: { ...other.bearer('media'), 'content-type': 'application/json' },
        body: JSON.stringify({ copies: 1000, date: '2026-05-05' }),
      });
      expect(response.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
