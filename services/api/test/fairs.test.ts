import { randomBytes } from 'node:crypto';
import type { UserRole } from '@jobcast/core';
import {
  createImportBatch,
  createScreenGroup,
  employerNameKey,
  insertScreenPlays,
  prepareJob,
  schema,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import type { FairDetailView } from '../src/routes/fairs/view.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture, type SiteStaff } from './fixture.ts';

let fx: ApiFixture;
let other: SiteStaff;
let groupId: number;

const EMPLOYERS = Array.from({ length: 12 }, (_, i) => `南昌会展测试${i + 1}有限公司`);

beforeAll(async () => {
  fx = await openFixture();
  other = await addSiteWithStaff(fx.db);
  groupId = (await createScreenGroup(fx.db, { siteId: fx.site.id, name: '招聘会场' })).id;
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: EMPLOYERS.length,
    jobs: EMPLOYERS.map((employerName, i) =>
      prepareJob(
        testJobRecord({ rowNumber: i + 2, employerName, employerKey: employerNameKey(employerName), title: '普工' }),
      ),
    ),
  });
});
afterAll(async () => {
  await fx.close();
});

function send(method: string, path: string, role: UserRole, payload?: unknown, staff: SiteStaff = fx, headers = {}) {
  return fx.app().request(path, {
    method,
    headers: {
      Authorization: `Bearer ${staff.tokens[role]}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  });
}

let fairDays = 0;

/** An AI fair on the group, each on a day of its own in June 2026 (AI fairs on one group may not overlap). */
const aiFair = (employers: number, extra: Record<string, unknown> = {}) => {
  const day = `2026-06-${String(1 + (fairDays++ % 30)).padStart(2, '0')}`;
  return aiFairAt(day, employers, extra);
};

const aiFairAt = (day: string, employers: number, extra: Record<string, unknown> = {}) => ({
  kind: 'ai',
  title: `AI 数智招聘会 ${randomBytes(2).toString('hex')}`,
  startsAt: `${day} 09:00`,
  endsAt: `${day} 11:30`,
  venue: '人力资源市场一楼大厅',
  groupId,
  jobSeekers: 120,
  offers: 35,
  employers: EMPLOYERS.slice(0, employers).map((name) => ({ name })),
  ...extra,
});

async function created(payload: unknown, role: UserRole = 'media'): Promise<FairDetailView & { notice: string }> {
  const response = await send('POST', '/api/fairs', role, payload);
  expect(response.status, await response.clone().text()).toBe(201);
  return body(response);
}

function upload(fairId: number, data: Uint8Array, name: string, role: UserRole = 'media') {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  return fx.app().request(`/api/fairs/${fairId}/photos`, { method: 'POST', headers: fx.bearer(role), body: form });
}

describe('who may do what with fairs', () => {
  it('lets every role read and only media and admin record; only an admin deletes', async () => {
    const fair = await created(aiFair(6));
    for (const role of ['admin', 'media', 'anchor', 'manager'] as const) {
      expect((await send('GET', '/api/fairs?year=2026', role)).status).toBe(200);
      expect((await send('GET', `/api/fairs/${fair.id}`, role)).status).toBe(200);
    }
    expect((await send('POST', '/api/fairs', 'manager', aiFair(6))).status).toBe(403);
    expect((await send('POST', '/api/fairs', 'anchor', aiFair(6))).status).toBe(403);
    expect((await send('PATCH', `/api/fairs/${fair.id}`, 'manager', { offers: 1 })).status).toBe(403);
    expect((await send('PUT', `/api/fairs/${fair.id}/employers`, 'manager', { employers: [] })).status).toBe(403);
    expect((await upload(fair.id, new Uint8Array([1, 2, 3]), 'a.jpg', 'manager')).status).toBe(403);
    expect((await send('DELETE', `/api/fairs/${fair.id}`, 'media')).status).toBe(403);
    // Another site sees nothing of it.
    expect((await send('GET', `/api/fairs/${fair.id}`, 'admin', undefined, other)).status).toBe(404);
    expect((await send('DELETE', `/api/fairs/${fair.id}`, 'admin')).status).toBe(204);
    expect((await send('GET', `/api/fairs/${fair.id}`, 'manager')).status).toBe(404);
  });
});

describe('recording a fair', () => {
  it('reads times on the site’s clock and answers the record with its verdict', async () => {
    const fair = await created(aiFairAt('2026-05-10', 6));
    expect(fair).toMatchObject({
      kind: 'ai',
      kindLabel: 'AI数智招聘会',
      startsAt: '2026-05-10T01:00:00.000Z',
      day: '2026-05-10',
      group: { id: groupId, name: '招聘会场' },
      employerCount: 6,
      jobCount: 6,
      jobSeekers: 120,
      offers: 35,
    });
    // Six employers but no plays yet: not qualified, and it says why.
    expect(fair.verdict.qualified).toBe(false);
    expect(fair.verdict.reasons).toContain('招聘会期间职播机没有完整播放过带岗视频');
    const list = await body<{ fairs: { id: number }[]; counts: { ai: { held: number; target: number } } }>(
      await send('GET', '/api/fairs?year=2026', 'manager'),
    );
    expect(list.fairs.map((f) => f.id)).toContain(fair.id);
    expect(list.counts.ai.target).toBe(80);
  });

  it('an AI fair with 5 or 11 employers is not qualified, and the reason says so', async () => {
    const five = await created(aiFair(5));
    expect(five.verdict.qualified).toBe(false);
    expect(five.verdict.reasons).toContain('用人单位 5 家，少于 6 家');
    const response = await send('PUT', `/api/fairs/${five.id}/employers`, 'media', {
      employers: EMPLOYERS.slice(0, 11).map((name) => ({ name })),
    });
    expect(response.status).toBe(200);
    const eleven = await body<FairDetailView>(response);
    expect(eleven.verdict.reasons).toContain('用人单位 11 家，多于 10 家');
  });

  it('merges the same employer listed twice and says so', async () => {
    const name = EMPLOYERS[0] as string;
    const fair = await created(
      aiFair(6, { employers: [...EMPLOYERS.slice(0, 6), ` ${name} `].map((n) => ({ name: n })) }),
    );
    expect(fair.employerCount).toBe(6);
    expect(fair.notice).toBe(`重复的单位已合并：${name}`);
  });

  it('refuses an unknown employer by name and leaves no fair behind', async () => {
    const before = (await body<{ fairs: unknown[] }>(await send('GET', '/api/fairs?year=2026', 'media'))).fairs.length;
    const response = await send('POST', '/api/fairs', 'media', {
      ...aiFair(6),
      employers: [{ name: EMPLOYERS[0] }, { name: '查无此单位有限公司' }],
    });
    expect(response.status).toBe(400);
    expect((await body<ErrorEnvelope>(response)).message).toContain('查无此单位有限公司');
    const after = (await body<{ fairs: unknown[] }>(await send('GET', '/api/fairs?year=2026', 'media'))).fairs.length;
    expect(after).toBe(before);
  });

  it('refuses an AI fair without a screen group, and a fair of more than three days', async () => {
    const noGroup = await send('POST', '/api/fairs', 'media', aiFair(6, { groupId: null }));
    expect(noGroup.status).toBe(400);
    expect((await body<ErrorEnvelope>(noGroup)).message).toContain('屏幕分组');
    const long = await send('POST', '/api/fairs', 'media', aiFair(6, { endsAt: '2026-07-20 11:00' }));
    expect(long.status).toBe(400);
  });

  it('makes one fair of a create sent twice with the same Idempotency-Key', async () => {
    const payload = aiFair(6);
    const headers = { 'Idempotency-Key': `fair-${randomBytes(6).toString('hex')}` };
    const first = await send('POST', '/api/fairs', 'media', payload, fx, headers);
    const second = await send('POST', '/api/fairs', 'media', payload, fx, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect((await body<{ id: number }>(second)).id).toBe((await body<{ id: number }>(first)).id);
  });

  it('takes only finished videos of the site for the fair’s playlist', async () => {
    const fair = await created(aiFair(6));
    const response = await send('PUT', `/api/fairs/${fair.id}/playlist`, 'media', { renderIds: [123456] });
    expect(response.status).toBe(400);
    expect((await body<ErrorEnvelope>(response)).message).toContain('123456');
  });
});

describe('AI fairs sharing a screen group', () => {
  it('refuses an AI fair at a time another AI fair holds the group, naming it and its time', async () => {
    const first = await created(aiFairAt('2026-07-08', 6, { title: '七月上午场' }));
    const overlapping = await send(
      'POST',
      '/api/fairs',
      'media',
      aiFairAt('2026-07-08', 6, { title: '七月加开场', startsAt: '2026-07-08 11:00', endsAt: '2026-07-08 13:00' }),
    );
    expect(overlapping.status).toBe(409);
    const refused = await body<ErrorEnvelope>(overlapping);
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('「七月上午场」（2026-07-08 09:00–11:30）');
    // Once it starts after the first ends, it is taken; moving it back onto the first is refused.
    const later = await created(
      aiFairAt('2026-07-08', 6, { title: '七月下午场', startsAt: '2026-07-08 11:30', endsAt: '2026-07-08 13:00' }),
    );
    const moved = await send('PATCH', `/api/fairs/${later.id}`, 'media', { startsAt: '2026-07-08 11:00' });
    expect(moved.status).toBe(409);
    expect((await body<ErrorEnvelope>(moved)).message).toContain('七月上午场');
    expect((await send('PATCH', `/api/fairs/${first.id}`, 'media', { offers: 40 })).status).toBe(200);
  });
});

describe('fairs not over yet', () => {
  interface FairYear {
    counts: Record<'ai' | 'onsite', { held: number; qualified: number; upcoming: number }>;
    months: { month: string; fairs: number; qualified: number; upcoming: number; met: boolean }[];
    fairs: (FairDetailView & { status: string; statusLabel: string })[];
  }
  interface Kpi {
    year: number;
    lines: { line: string; done: number }[];
    months: { month: string; onsiteFairs: number; aiFairs: number }[];
  }

  it('do not count, on the list or its months, until they end: the counts equal the score’s', async () => {
    const hour = 3_600_000;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    // An AI fair over an hour ago and one running now, back to back on the group, each with six
    // employers and its screen playing a job video: only the one over counts.
    const held = await created(aiFair(6, { title: '已结束的 AI 场', startsAt: at(-4 * hour), endsAt: at(-hour) }));
    const running = await created(aiFair(6, { title: '进行中的 AI 场', startsAt: at(-hour), endsAt: at(2 * hour) }));
    const [screen] = await fx.db
      .insert(schema.screens)
      .values({ siteId: fx.site.id, groupId, name: '会场屏', tokenHash: `fairs-${randomBytes(6).toString('hex')}` })
      .returning();
    const play = (id: string, startedAt: number) => ({
      playId: id,
      renderId: 1,
      jobIds: [1],
      startedAt: new Date(Date.now() + startedAt),
      endedAt: new Date(Date.now() + startedAt + 30_000),
      playedMs: 30_000,
      completed: true,
      clockOffsetMs: 0,
    });
    await insertScreenPlays(fx.db, { id: screen?.id as number, siteId: fx.site.id, groupId }, [
      play(`held-${held.id}`, -3 * hour),
      play(`running-${running.id}`, -hour / 2),
    ]);
    // An on-site fair still to come with ten employers: it would qualify, but has not happened.
    const coming = await created({
      ...aiFair(10, { title: '将要举办的线下场', startsAt: at(2 * hour), endsAt: at(5 * hour) }),
      kind: 'onsite',
      groupId: null,
    });

    const list = await body<FairYear>(await send('GET', '/api/fairs', 'manager'));
    const kpi = await body<Kpi>(await send('GET', '/api/kpi', 'manager'));
    const done = (line: string) => kpi.lines.find((entry) => entry.line === line)?.done;
    expect(list.counts.ai.qualified).toBeGreaterThanOrEqual(1);
    expect(list.counts.ai.qualified).toBe(done('aiFairs'));
    expect(list.counts.onsite.qualified).toBe(done('onsiteFairs'));
    expect(list.counts.ai.upcoming).toBeGreaterThanOrEqual(1);
    expect(list.counts.onsite).toMatchObject({ qualified: 0, upcoming: 1 });
    const byId = (id: number) => list.fairs.find((fair) => fair.id === id);
    expect(byId(held.id)).toMatchObject({ status: 'held', statusLabel: '已举办', verdict: { qualified: true } });
    expect(byId(running.id)).toMatchObject({ status: 'ongoing', statusLabel: '进行中', verdict: { qualified: false } });
    expect(byId(running.id)?.verdict.reasons[0]).toContain('正在举办，结束后才计入考核');
    expect(byId(coming.id)).toMatchObject({ status: 'upcoming', statusLabel: '未举办', verdict: { qualified: false } });
    expect(byId(coming.id)?.verdict.reasons).toEqual([
      '已登记，尚未举办，结束后才计入考核；按当前登记：用人单位 10 家（要求至少 10 家）',
    ]);
    // The answer to a create says the same.
    expect(coming.status).toBe('upcoming');

    // Month by month too; the month of the fair to come is not met by it.
    expect(list.months.map((m) => [m.month, m.qualified])).toEqual(kpi.months.map((m) => [m.month, m.onsiteFairs]));
    expect(list.months.find((m) => m.month === coming.day.slice(0, 7))).toMatchObject({ upcoming: 1, met: false });
  });
});

describe('a fair’s photos and files', () => {
  let fairId: number;
  beforeAll(async () => {
    fairId = (await created(aiFair(6))).id;
  });

  it('refuses a file that is not an image, naming it', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');
    const renamed = await upload(fairId, pdf, '现场照片.jpg');
    expect(renamed.status).toBe(422);
    const message = (await body<ErrorEnvelope>(renamed)).message;
    expect(message).toContain('现场照片.jpg');
    expect(message).toContain('不是图片');
    const noise = await upload(fairId, randomBytes(4096), 'random.png');
    expect(noise.status).toBe(422);
    expect((await body<ErrorEnvelope>(noise)).message).toContain('random.png');
    const detail = await body<FairDetailView>(await send('GET', `/api/fairs/${fairId}`, 'manager'));
    expect(detail.photos).toEqual([]);
  });

  it('stores a phone photo upright, at most 2560 px, with its EXIF and GPS gone', async () => {
    // A 3000×2000 picture a phone held upright (orientation 6) and tagged with where it was taken.
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a7' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'TestPhone', Model: 'Fair Cam' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '28/1 41/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '115/1 53/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const sent = await sharp(photo).metadata();
    // The GPS IFD pointer (tag 0x8825) is in what is sent.
    expect(sent.exif?.indexOf(Buffer.from([0x25, 0x88]))).toBeGreaterThan(0);
    expect(sent.orientation).toBe(6);

    const response = await upload(fairId, photo, '现场.jpg');
    expect(response.status, await response.clone().text()).toBe(201);
    const view = await body<{ id: number; url: string; thumbnailUrl: string; width: number; height: number }>(response);
    expect([view.width, view.height]).toEqual([1707, 2560]);

    const file = await fx.app().request(view.url, { headers: fx.bearer('manager') });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    const stored = Buffer.from(await file.arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([1707, 2560]);
    expect(stored.includes('TestPhone')).toBe(false);

    const thumb = await fx.app().request(view.thumbnailUrl, { headers: fx.bearer('anchor') });
    expect(thumb.status).toBe(200);
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(thumbMeta.width ?? 0, thumbMeta.height ?? 0)).toBe(480);
    expect(thumbMeta.exif).toBeUndefined();

    const detail = await body<FairDetailView>(await send('GET', `/api/fairs/${fairId}`, 'manager'));
    expect(detail.photos.map((p) => p.id)).toEqual([view.id]);
    expect(detail.photoCount).toBe(1);
  });

  it('keeps a plan as a PDF, and refuses a text file given as one', async () => {
    const form = (data: Uint8Array, name: string) => {
      const f = new FormData();
      f.append('file', new Blob([data]), name);
      return f;
    };
    const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
    const ok = await fx.app().request(`/api/fairs/${fairId}/files/plan`, {
      method: 'PUT',
      headers: fx.bearer('media'),
      body: form(pdf, '活动方案.pdf'),
    });
    expect(ok.status).toBe(200);
    expect((await body<FairDetailView>(ok)).planFile).toEqual({
      name: '活动方案.pdf',
      url: `/api/fairs/${fairId}/files/plan`,
    });
    const back = await fx.app().request(`/api/fairs/${fairId}/files/plan`, { headers: fx.bearer('manager') });
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('application/pdf');
    const text = await fx.app().request(`/api/fairs/${fairId}/files/summary`, {
      method: 'PUT',
      headers: fx.bearer('media'),
      body: form(new TextEncoder().encode('just text'), '总结.docx'),
    });
    expect(text.status).toBe(422);
    expect((await body<ErrorEnvelope>(text)).message).toContain('总结.docx');
  });
});
