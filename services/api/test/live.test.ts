import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { UserRole } from '@jobcast/core';
import { createImportBatch, type Database, prepareJob, schema, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { type Booking, loadSecretBox, presentJob, saveFinalization } from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/context.ts';
import type { ErrorEnvelope } from '../src/errors.ts';
import { startApiServer } from '../src/index.ts';
import type { LiveSessionView } from '../src/routes/live/view.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture, type SiteStaff } from './fixture.ts';

/** The contract's 20 jobs; times small enough to simulate with a segment row or two. */
const env = {
  JOBCAST_GUARD_MIN_JOBS: '20',
  JOBCAST_GUARD_MIN_LIVE_SECONDS: '60',
  JOBCAST_OTHER_MIN_LIVE_SECONDS: '30',
  JOBCAST_PRESENT_MIN_SECONDS: '1',
  JOBCAST_PUBLIC_URL: 'https://jobcast.example.cn',
  JOBCAST_RELAY_HOSTS: 'push.example.cn',
};

const injection = {
  title: `<script>alert("title")</script> & 'quoted' {{title}}`,
  employer: '</script><img src=x onerror=alert(1)>',
};

const relayUrl = 'rtmp://push.example.cn/live/stream-ABC123?auth_key=1767225600-0-0-5f4dcc3b5aa765d61d8327deb882cf99';

let fx: ApiFixture;
let app: OpenAPIHono<AppEnv>;
let mediaDir: string;
let jobIds: number[];
let injectionJobId: number;
/** Job ids follow the import's order of employers, not the file's rows: tests name jobs by their card. */
let cards: Map<number, { title: string; employer: string }>;

async function addJobs(db: Database, siteId: number, count: number, label: string): Promise<number[]> {
  const batch = await createImportBatch(db, { siteId, fileName: `${label}.csv` });
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rejects: [],
    rowsRead: count,
    jobs: Array.from({ length: count }, (_, i) =>
      prepareJob(
        testJobRecord({ rowNumber: i + 2, employerName: `${label}企业${i + 1}`, title: `${label}岗位${i + 1}` }),
      ),
    ),
  });
  const rows = await db
    .select({ id: schema.jobs.id })
    .from(schema.jobs)
    .where(eq(schema.jobs.siteId, siteId))
    .orderBy(schema.jobs.id);
  return rows.map((row) => row.id).slice(-count);
}

function post(path: string, role: UserRole, payload?: unknown, staff: SiteStaff = fx) {
  return app.request(path, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${staff.tokens[role]}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  });
}

function get(path: string, role: UserRole, staff: SiteStaff = fx) {
  return app.request(path, { headers: { Authorization: `Bearer ${staff.tokens[role]}` } });
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

async function book(payload: Record<string, unknown>, staff: SiteStaff = fx): Promise<Booking> {
  const response = await post('/api/live', 'anchor', { start: inAnHour(), ...payload }, staff);
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return body<Booking>(response);
}

async function session(sessionId: number, role: UserRole = 'anchor', staff: SiteStaff = fx): Promise<LiveSessionView> {
  const response = await get(`/api/live/${sessionId}`, role, staff);
  expect(response.status).toBe(200);
  return body<LiveSessionView>(response);
}

/** What the stream service records while media arrives: one closed segment of `seconds` received, by default ending now. */
async function receivedMedia(sessionId: number, seconds: number, startedAt = new Date(Date.now() - seconds * 1000)) {
  const endedAt = new Date(startedAt.getTime() + seconds * 1000);
  await fx.db.insert(schema.liveSegments).values({
    sessionId,
    seq: 1,
    startedAt,
    lastSeenAt: endedAt,
    endedAt,
    mediaMs: seconds * 1000,
    bytes: seconds * 250_000,
    clientAddress: '127.0.0.1',
    hasVideo: true,
    hasAudio: true,
    recordingKey: `live/${sessionId}/segment-1.flv`,
    endReason: 'publisher-left',
  });
}

beforeAll(async () => {
  fx = await openFixture();
  mediaDir = await mkdtemp(path.join(tmpdir(), 'jobcast-api-live-'));
  app = fx.app({ env: { ...env, JOBCAST_MEDIA_DIR: mediaDir } });
  jobIds = await addJobs(fx.db, fx.site.id, 21, '直播');
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'injection.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: 1,
    jobs: [prepareJob(testJobRecord({ employerName: injection.employer, title: injection.title }))],
  });
  const [row] = await fx.db
    .select({ id: schema.jobs.id })
    .from(schema.jobs)
    .where(eq(schema.jobs.title, injection.title));
  injectionJobId = row?.id as number;
  const jobs = await fx.db
    .select({ id: schema.jobs.id, title: schema.jobs.title, employer: schema.employers.name })
    .from(schema.jobs)
    .innerJoin(schema.employers, eq(schema.employers.id, schema.jobs.employerId))
    .where(eq(schema.jobs.siteId, fx.site.id));
  cards = new Map(jobs.map(({ id, title, employer }) => [id, { title, employer }]));
});
afterAll(async () => {
  await fx.close();
  await rm(mediaDir, { recursive: true, force: true });
});

describe('booking a livestream', () => {
  it('refuses a 直播带岗 with 19 jobs when the rule is 20, and stores nothing', async () => {
    const before = await fx.db.$client.query('select count(*)::int as n from live_sessions where site_id = $1', [
      fx.site.id,
    ]);
    const response = await post('/api/live', 'anchor', {
      type: 'job',
      title: '十九个岗位',
      start: inAnHour(),
      jobIds: jobIds.slice(0, 19),
    });
    expect(response.status).toBe(422);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('RULE_VIOLATED');
    expect(error.message).toContain('至少需要 20 个岗位，现在只有 19 个');
    const after = await fx.db.$client.query('select count(*)::int as n from live_sessions where site_id = $1', [
      fx.site.id,
    ]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a relay to a host the deployment does not allow (JOBCAST_RELAY_HOSTS)', async () => {
    for (const [relay, shown] of [
      ['rtmp://evil.example/live/secret-1', '主机 evil.example 不在允许的平台列表中（JOBCAST_RELAY_HOSTS）'],
      ['rtmp://127.0.0.1:6379/live/secret-1', '主机 127.0.0.1 不在允许的平台列表中（JOBCAST_RELAY_HOSTS）'],
    ]) {
      const response = await post('/api/live', 'anchor', {
        type: 'policy',
        title: '转推',
        start: inAnHour(),
        jobIds: [],
        relays: [relay],
      });
      expect(response.status).toBe(400);
      const error = await body<ErrorEnvelope>(response);
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toContain(shown);
      expect(error.message).not.toContain('secret-1');
    }
  });

  it('books 20 jobs: the key is shown once, only its SHA-256 is kept, the relay address only sealed', async () => {
    const response = await post('/api/live', 'anchor', {
      type: 'job',
      title: '制造业专场',
      start: inAnHour(),
      jobIds: jobIds.slice(0, 20),
      relays: [relayUrl],
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const booking = await body<Booking>(response);
    expect(booking).toMatchObject({
      rtmpUrl: expect.stringMatching(/^rtmp:\/\//),
      overlayUrl: expect.stringMatching(/^https:\/\/jobcast\.example\.cn\/overlay\/[\w-]{20,}$/),
      consoleUrl: `https://jobcast.example.cn/console/live/${booking.sessionId}`,
      previewUrl: expect.stringMatching(/\.flv$/),
    });

    // At least 128 random bits: what two keys do not share, in base64url characters of 6 bits each.
    const second = await book({ type: 'policy', title: '另一场', jobIds: [] });
    expect(booking.streamKey).toMatch(/^[\w-]+$/);
    let shared = 0;
    while (booking.streamKey[shared] === second.streamKey[shared]) shared++;
    expect((booking.streamKey.length - shared) * 6).toBeGreaterThanOrEqual(128);

    const row = await fx.db.$client.query('select to_jsonb(s) as row from live_sessions s where id = $1', [
      booking.sessionId,
    ]);
    expect(row.rows[0].row.stream_key_hash).toBe(createHash('sha256').update(booking.streamKey).digest('hex'));
    const everything = await fx.db.$client.query(
      `select (select jsonb_agg(to_jsonb(s)) from live_sessions s)::text
           || (select coalesce(jsonb_agg(to_jsonb(r)), '[]') from live_relays r)::text
           || (select coalesce(jsonb_agg(to_jsonb(a)), '[]') from live_publish_attempts a)::text as text`,
    );
    expect(everything.rows[0].text).not.toContain(booking.streamKey);

    const relays = await fx.db
      .select()
      .from(schema.liveRelays)
      .where(eq(schema.liveRelays.sessionId, booking.sessionId));
    expect(relays).toHaveLength(1);
    const [relay] = relays as [(typeof relays)[number]];
    expect(relay.label).toBe('rtmp://push.example.cn');
    expect(relay.urlEncrypted).not.toContain('push.example.cn');
    expect(relay.urlEncrypted).not.toContain('auth_key');
    expect((await loadSecretBox(fx.config(env))).open(relay.urlEncrypted)).toBe(relayUrl);

    for (const role of ['admin', 'anchor', 'media', 'manager'] as const) {
      const text = await (await get(`/api/live/${booking.sessionId}`, role)).text();
      expect(text).not.toContain(booking.streamKey);
      expect(text).not.toContain('auth_key');
      expect(text).not.toContain('stream-ABC123');
      expect(JSON.parse(text).relays).toEqual([
        { label: 'rtmp://push.example.cn', connectedSeconds: 0, connects: 0, failures: 0, lastError: null },
      ]);
    }
  });

  it('lets every role read, only anchor and admin book, present and end; the overlay address only to them', async () => {
    const { sessionId } = await book({ type: 'job', title: '角色', jobIds: jobIds.slice(0, 20) });
    for (const role of ['manager', 'media'] as const) {
      const view = await session(sessionId, role);
      expect(view.title).toBe('角色');
      expect(view.overlayUrl).toBeUndefined();
      expect(view.previewUrl).toBeUndefined();
      const refused = [
        await post('/api/live', role, { type: 'job', title: 'x', start: inAnHour(), jobIds: jobIds.slice(0, 20) }),
        await post(`/api/live/${sessionId}/present`, role, { jobId: jobIds[0] }),
        await post(`/api/live/${sessionId}/next`, role),
        await post(`/api/live/${sessionId}/end`, role, { force: true }),
      ];
      expect(refused.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    }
    expect((await get('/api/live', 'manager')).status).toBe(200);
    for (const role of ['anchor', 'admin'] as const) {
      const view = await session(sessionId, role);
      expect(view.overlayUrl).toMatch(/^https:\/\/jobcast\.example\.cn\/overlay\//);
      expect(view.previewUrl).toMatch(/\/preview\/.+\.flv$/);
    }
    expect((await session(sessionId, 'manager')).status).toBe('booked');
  });

  it("answers 404 for another site's session", async () => {
    const { sessionId } = await book({ type: 'other', title: '本站', jobIds: [] });
    const stranger = await addSiteWithStaff(fx.db);
    expect((await get(`/api/live/${sessionId}`, 'admin', stranger)).status).toBe(404);
    expect((await post(`/api/live/${sessionId}/next`, 'admin', undefined, stranger)).status).toBe(404);
  });

  it('replaces a lost key: the new one is answered once and only its SHA-256 is kept', async () => {
    const booking = await book({ type: 'other', title: '丢了密钥', jobIds: [] });
    const response = await post(`/api/live/${booking.sessionId}/key`, 'anchor');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const replaced = await body<Booking>(response);
    expect(replaced.streamKey).not.toBe(booking.streamKey);
    expect(replaced.overlayUrl).toBe(booking.overlayUrl);
    const row = await fx.db.$client.query('select stream_key_hash from live_sessions where id = $1', [
      booking.sessionId,
    ]);
    expect(row.rows[0].stream_key_hash).toBe(createHash('sha256').update(replaced.streamKey).digest('hex'));
    expect((await post(`/api/live/${booking.sessionId}/key`, 'manager')).status).toBe(403);
  });
});

describe('on screen', () => {
  it('moves the current job with present and next, and refuses a job not in the rundown', async () => {
    const rundown = jobIds.slice(0, 20);
    const { sessionId } = await book({ type: 'job', title: '上屏', jobIds: rundown });
    expect((await session(sessionId)).current).toBeNull();

    const first = await post(`/api/live/${sessionId}/next`, 'anchor');
    expect(first.status).toBe(200);
    expect(await body(first)).toMatchObject({ position: 1, jobId: rundown[0], card: cards.get(rundown[0] as number) });
    await post(`/api/live/${sessionId}/next`, 'anchor');
    expect((await session(sessionId)).current).toMatchObject({ position: 2, jobId: rundown[1] });

    const fifth = await post(`/api/live/${sessionId}/present`, 'admin', { jobId: rundown[4] });
    expect(fifth.status).toBe(200);
    const view = await session(sessionId);
    expect(view.current).toMatchObject({ position: 5, jobId: rundown[4], card: cards.get(rundown[4] as number) });
    expect(view.showings.map((showing) => showing.position)).toEqual([1, 2, 5]);

    const outside = await post(`/api/live/${sessionId}/present`, 'anchor', { jobId: jobIds[20] });
    expect(outside.status).toBe(422);
    expect((await body<ErrorEnvelope>(outside)).message).toContain(`岗位 ${jobIds[20]} 不在本场节目单里`);
    expect((await session(sessionId)).current?.jobId).toBe(rundown[4]);

    const badBody = await post(`/api/live/${sessionId}/present`, 'anchor', { jobId: 'first' });
    expect(badBody.status).toBe(400);
  });
});

describe('ending', () => {
  it('refuses to end a 直播带岗 that has not qualified, then ends it forced with the reasons in Chinese', async () => {
    const { sessionId } = await book({ type: 'job', title: '未达标', jobIds: jobIds.slice(0, 20) });
    await receivedMedia(sessionId, 20);
    await post(`/api/live/${sessionId}/next`, 'anchor');

    const refused = await post(`/api/live/${sessionId}/end`, 'anchor');
    expect(refused.status).toBe(422);
    const error = await body<ErrorEnvelope>(refused);
    expect(error.code).toBe('RULE_VIOLATED');
    expect(error.message).toContain('本场尚未达标：直播时长 20 秒，不足 1 分钟');
    expect(error.message).toContain('讲解岗位 0 个，不足 20 个');
    const still = await session(sessionId);
    expect(still.status).not.toBe('ended');
    expect(still.guard).toMatchObject({ qualified: false, needSeconds: 40, needJobs: 20 });

    const forced = await post(`/api/live/${sessionId}/end`, 'anchor', { force: true });
    expect(forced.status).toBe(200);
    const ended = await body<LiveSessionView>(forced);
    expect(ended).toMatchObject({ status: 'ended', forced: true, endReason: 'forced', current: null });
    expect(ended.verdict).toMatchObject({
      qualified: false,
      reasons: ['直播时长 20 秒，不足 1 分钟', '讲解岗位 0 个，不足 20 个'],
    });
    const row = await fx.db.$client.query('select ended_by from live_sessions where id = $1', [sessionId]);
    expect(row.rows[0].ended_by).toBe(fx.userIds.anchor);

    const late = await post(`/api/live/${sessionId}/next`, 'anchor');
    expect(late.status).toBe(409);
  });

  it('ends an 其他直播 that qualified by live time alone, without force', async () => {
    const { sessionId } = await book({ type: 'other', title: '政策宣讲', jobIds: [] });
    await receivedMedia(sessionId, 31);
    expect((await session(sessionId)).guard).toMatchObject({ qualified: true, needSeconds: 0, needJobs: 0 });
    const response = await post(`/api/live/${sessionId}/end`, 'admin', {});
    expect(response.status).toBe(200);
    const ended = await body<LiveSessionView>(response);
    expect(ended).toMatchObject({ status: 'ended', forced: false, endReason: 'anchor' });
    expect(ended.verdict).toMatchObject({ qualified: true, reasons: ['直播时长 31 秒，达到 30 秒'] });
  });
});

describe('the year', () => {
  it('counts the qualified 直播带岗 and other sessions of the site against 48 and 12', async () => {
    const site = await addSiteWithStaff(fx.db);
    const siteJobs = await addJobs(fx.db, site.site.id, 20, '年度');
    const start = new Date(Date.now() - 10 * 60_000);
    const bookAt = (payload: Record<string, unknown>) => book({ start: start.toISOString(), ...payload }, site);

    // A 直播带岗 that qualifies: 100 s received, each of its 20 jobs on screen 2 s of it.
    const qualified = await bookAt({ type: 'job', title: '达标带岗', jobIds: siteJobs });
    const from = new Date(Date.now() - 200_000);
    await receivedMedia(qualified.sessionId, 100, from);
    for (const [i, jobId] of siteJobs.entries())
      await presentJob(fx.db, qualified.sessionId, { jobId }, site.site.id, new Date(from.getTime() + i * 2000));
    const forced = await bookAt({ type: 'job', title: '强制结束', jobIds: siteJobs });
    const other = await bookAt({ type: 'training', title: '零工培训', jobIds: [] });
    await receivedMedia(other.sessionId, 40);
    const short = await bookAt({ type: 'visit', title: '访企探岗（太短）', jobIds: [] });
    await receivedMedia(short.sessionId, 5);
    await bookAt({ type: 'policy', title: '还没开始', jobIds: [] });

    expect((await post(`/api/live/${qualified.sessionId}/end`, 'anchor', {}, site)).status).toBe(200);
    expect((await post(`/api/live/${forced.sessionId}/end`, 'anchor', { force: true }, site)).status).toBe(200);
    expect((await post(`/api/live/${other.sessionId}/end`, 'anchor', {}, site)).status).toBe(200);
    expect((await post(`/api/live/${short.sessionId}/end`, 'anchor', {}, site)).status).toBe(200);

    const year = Number(new Intl.DateTimeFormat('en', { timeZone: site.site.timezone, year: 'numeric' }).format(start));
    const response = await get(`/api/live?year=${year}`, 'manager', site);
    expect(response.status).toBe(200);
    const listed = await body<{
      year: number;
      sessions: { title: string; qualified: boolean | null; forced: boolean }[];
      counts: unknown;
    }>(response);
    expect(listed.year).toBe(year);
    expect(listed.counts).toEqual({ job: { qualified: 1, target: 48 }, other: { qualified: 1, target: 12 } });
    expect(listed.sessions.map(({ title, qualified, forced }) => ({ title, qualified, forced }))).toEqual([
      { title: '达标带岗', qualified: true, forced: false },
      { title: '强制结束', qualified: false, forced: true },
      { title: '零工培训', qualified: true, forced: false },
      { title: '访企探岗（太短）', qualified: false, forced: false },
      { title: '还没开始', qualified: null, forced: false },
    ]);

    const thisYear = await body<{ year: number }>(await get('/api/live', 'media', site));
    expect(thisYear.year).toBe(
      Number(new Intl.DateTimeFormat('en', { timeZone: site.site.timezone, year: 'numeric' }).format(new Date())),
    );
    const previous = await body<{ sessions: unknown[] }>(await get(`/api/live?year=${year - 1}`, 'manager', site));
    expect(previous.sessions).toEqual([]);
  });
});

describe('the OBS overlay', () => {
  it('answers 404 for an unknown address', async () => {
    const response = await app.request('/overlay/not-a-real-token-at-all');
    expect(response.status).toBe(404);
    expect((await body<ErrorEnvelope>(response)).message).toContain('没有这个直播叠加层地址');
    expect((await app.request('/overlay/not-a-real-token-at-all/events')).status).toBe(404);
  });

  it('is a transparent 1920×1080 page; job text reaches it as data, never as markup', async () => {
    const rundown = [injectionJobId, ...jobIds.slice(0, 19)];
    const booking = await book({ type: 'job', title: '<b>标题</b>', jobIds: rundown });
    const overlayPath = new URL(booking.overlayUrl).pathname;

    const empty = await app.request(overlayPath);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toMatch(/^text\/html/);
    expect(empty.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+'/);
    expect(empty.headers.get('referrer-policy')).toBe('no-referrer');
    const emptyHtml = await empty.text();
    expect(emptyHtml).toMatch(/html, body \{[^}]*width: 1920px; height: 1080px;[^}]*background: transparent;/);
    expect(emptyHtml).toContain('"Noto Sans CJK SC"');
    expect(overlayState(emptyHtml)).toEqual({ card: null, eventsUrl: `${overlayPath}/events` });

    await fx.db
      .update(schema.sites)
      .set({ qrUrl: 'https://jobs.example.cn/site/demo' })
      .where(eq(schema.sites.id, fx.site.id));
    try {
      await post(`/api/live/${booking.sessionId}/present`, 'anchor', { jobId: injectionJobId });
      const html = await (await app.request(overlayPath)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('</script><img');
      expect(html).not.toContain('<b>标题</b>');
      const { card } = overlayState(html) as { card: Record<string, unknown> };
      expect(card).toMatchObject({
        jobId: injectionJobId,
        title: injection.title,
        employer: injection.employer,
        pay: '4000-6000元/月',
        headcount: '3人',
        location: '南昌市青山湖区',
        contact: '张先生 13800000000',
      });
      const qr = card.qr as string;
      expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(qr.split(',')[1] as string, 'base64').toString()).toMatch(/^<svg[^>]*>.*<path/s);
    } finally {
      await fx.db.update(schema.sites).set({ qrUrl: null }).where(eq(schema.sites.id, fx.site.id));
    }
    const withoutQr = overlayState(await (await app.request(overlayPath)).text()) as { card: { qr: unknown } };
    expect(withoutQr.card.qr).toBeNull();
  });

  it('streams the card at once and again on every change, and ends its streams when the server closes', async () => {
    const rundown = jobIds.slice(0, 20);
    const booking = await book({ type: 'job', title: '事件流', jobIds: rundown });
    await post(`/api/live/${booking.sessionId}/next`, 'anchor');
    const server = await startApiServer({ db: fx.db, producer: fx.producer, config: fx.config(env), port: 0 });
    let closed = false;
    try {
      const response = await fetch(`${server.url}${new URL(booking.overlayUrl).pathname}/events`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = sseCards(response.body as ReadableStream<Uint8Array>);
      expect((await events.next()).value).toMatchObject({ jobId: rundown[0], ...cards.get(rundown[0] as number) });

      await post(`/api/live/${booking.sessionId}/present`, 'anchor', { jobId: rundown[7] });
      expect((await events.next()).value).toMatchObject({ jobId: rundown[7], ...cards.get(rundown[7] as number) });

      // A dropped LISTEN loses the notifications sent meanwhile: the reconnect reads the card again.
      const dropped = await fx.db.$client.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = 'jobcast-live-listen' and datname = current_database()`,
      );
      expect(dropped.rowCount).toBe(1);
      await post(`/api/live/${booking.sessionId}/present`, 'anchor', { jobId: rundown[8] });
      expect((await events.next()).value).toMatchObject({ jobId: rundown[8], ...cards.get(rundown[8] as number) });

      await post(`/api/live/${booking.sessionId}/end`, 'anchor', { force: true });
      expect((await events.next()).value).toBeNull();

      const started = Date.now();
      await server.close();
      closed = true;
      // Well under the 4 s a client's idle keep-alive socket would hold the close for.
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await events.next()).done).toBe(true);
    } finally {
      if (!closed) await server.close();
    }
  });
});

describe('evidence', () => {
  it('answers 404 until the session is finalized, then serves its files (the recording by byte range)', async () => {
    const { sessionId } = await book({ type: 'other', title: '佐证', jobIds: [] });
    const early = await get(`/api/live/${sessionId}/evidence?file=json`, 'manager');
    expect(early.status).toBe(404);
    expect((await body<ErrorEnvelope>(early)).message).toContain('还没有佐证数据：直播结束并整理完才生成');
    expect((await get(`/api/live/${sessionId}/evidence?file=thumb-1`, 'manager')).status).toBe(404);
    expect((await session(sessionId)).evidence).toEqual({ json: null, html: null, recording: null, thumbnails: [] });

    // The stream service's part, done by hand with the same packages.
    await receivedMedia(sessionId, 31);
    await post(`/api/live/${sessionId}/end`, 'anchor', {});
    const store = new LocalMediaStore(mediaDir);
    const video = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
    await store.writeBuffer(`live/${sessionId}/recording.mp4`, video);
    await store.writeBuffer(`live/${sessionId}/evidence.json`, Buffer.from('{"qualified":true}'));
    await store.writeBuffer(`live/${sessionId}/evidence.html`, Buffer.from('<!doctype html><p>佐证</p>'));
    await store.writeBuffer(`live/${sessionId}/thumb-1.jpg`, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    await saveFinalization(fx.db, sessionId, {
      recordingKey: `live/${sessionId}/recording.mp4`,
      thumbnailKeys: [`live/${sessionId}/thumb-1.jpg`],
      evidenceJsonKey: `live/${sessionId}/evidence.json`,
      evidenceHtmlKey: `live/${sessionId}/evidence.html`,
      error: null,
    });

    const view = await session(sessionId, 'manager');
    expect(view.evidence).toEqual({
      json: `/api/live/${sessionId}/evidence?file=json`,
      html: `/api/live/${sessionId}/evidence?file=html`,
      recording: `/api/live/${sessionId}/evidence?file=recording`,
      thumbnails: [`/api/live/${sessionId}/evidence?file=thumb-1`],
    });
    const json = await get(view.evidence.json as string, 'manager');
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ qualified: true });
    const html = await get(view.evidence.html as string, 'media');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const thumb = await get(view.evidence.thumbnails[0] as string, 'manager');
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');

    const part = await app.request(view.evidence.recording as string, {
      headers: { ...fx.bearer('manager'), Range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${video.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(video.subarray(100, 200));
    expect((await get(`/api/live/${sessionId}/evidence?file=thumb-2`, 'manager')).status).toBe(404);
    expect((await get(`/api/live/${sessionId}/evidence?file=../../etc/passwd`, 'manager')).status).toBe(400);
  });
});

describe('the anchor console', () => {
  it('is a console page for the signed-in anchor: its script reads the API, no inline script runs', async () => {
    const { sessionId } = await book({ type: 'policy', title: '控制台页面', jobIds: [] });
    const { cookie } = await fx.signIn('anchor');
    const response = await app.request(`/console/live/${sessionId}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain(`data-live-console="${sessionId}"`);
    expect(html).not.toMatch(/<script>|<script nonce/);
    for (const label of ['上屏', '上一个', '下一个', '结束直播', '强制结束']) expect(html).toContain(label);
  });
});

function overlayState(html: string): unknown {
  const match = /<script type="application\/json" id="overlay-state">(.*?)<\/script>/s.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match?.[1] as string);
}

/** The `card` events of a Server-Sent Events body, one per `next()`. */
async function* sseCards(stream: ReadableStream<Uint8Array>): AsyncGenerator<Record<string, unknown> | null> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!message.split('\n').includes('event: card')) continue;
      const data = message
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      yield (JSON.parse(data) as { card: Record<string, unknown> | null }).card;
    }
  }
}
