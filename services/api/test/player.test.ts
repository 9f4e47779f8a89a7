import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createFair,
  ensureScreenGroup,
  insertLiveSession,
  listScreens,
  revokeScreen,
  type Screen,
  setFairEmployers,
  setScreenGroupLive,
  updateScreen,
} from '@jobcast/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, openFixture } from './fixture.ts';
import { addJobs, addVideo, makeClip, pairScreen, playerTokenForTest } from './player-support.ts';

let fx: ApiFixture;
let app: ReturnType<ApiFixture['app']>;
let clips: string;
let mediaDir: string;
let red: Buffer;
let jobs: Map<string, number>;
let openVideo: number;
let expiredVideo: number;
let secondVideo: number;

beforeAll(async () => {
  fx = await openFixture();
  app = fx.app();
  mediaDir = fx.config().mediaDir;
  clips = await mkdtemp(path.join(os.tmpdir(), 'jobcast-player-'));
  red = await makeClip(clips, 'red', 2);
  const blue = await makeClip(clips, 'blue', 2);
  jobs = await addJobs(fx.db, fx.site.id, [
    { title: '叉车司机', employer: '洪城物流' },
    { title: '仓库管理员', employer: '洪城物流', validUntil: '2020-01-31' },
    { title: '收银员', employer: '万达超市' },
  ]);
  openVideo = await addVideo(fx.db, mediaDir, {
    siteId: fx.site.id,
    jobIds: [jobs.get('叉车司机') as number],
    file: red,
    durationS: 2,
  });
  expiredVideo = await addVideo(fx.db, mediaDir, {
    siteId: fx.site.id,
    jobIds: [jobs.get('仓库管理员') as number],
    file: blue,
    durationS: 2,
  });
  secondVideo = await addVideo(fx.db, mediaDir, {
    siteId: fx.site.id,
    jobIds: [jobs.get('收银员') as number],
    file: blue,
    durationS: 2,
  });
});

afterAll(async () => {
  await fx?.close();
  if (clips) await rm(clips, { recursive: true, force: true });
});

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const json = (token: string, body: unknown) => ({
  method: 'POST',
  headers: { ...as(token), 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function pairedScreen(name: string): Promise<{ token: string; screen: Screen }> {
  const token = playerTokenForTest();
  const screen = await pairScreen(fx.db, { siteId: fx.site.id, group: '大厅', name, token });
  return { token, screen };
}

describe('pairing a player', () => {
  it('a new player gets a six-digit code, waits, and learns it is paired once someone enters the code', async () => {
    const token = playerTokenForTest();
    const started = await app.request('/player/api/pairing', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(started.status).toBe(201);
    const { code } = (await started.json()) as { code: string };
    expect(code).toMatch(/^\d{6}$/);
    const waiting = await app.request('/player/api/pairing', { headers: as(token) });
    expect(await waiting.json()).toEqual({ state: 'waiting', code });

    await pairScreen(fx.db, { siteId: fx.site.id, group: '大厅', name: '大厅1号屏', token, code });
    const paired = await app.request('/player/api/pairing', { headers: as(token) });
    expect(await paired.json()).toMatchObject({ state: 'paired', screen: { name: '大厅1号屏' } });
  });

  it('a token that is not one a player makes is refused before anything is stored', async () => {
    const response = await app.request('/player/api/pairing', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'short' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('配对凭据格式不对');
  });

  it('a revoked screen is told to pair again, and gets nothing', async () => {
    const { token, screen } = await pairedScreen('要停用的屏');
    expect((await app.request('/player/api/manifest', { headers: as(token) })).status).toBe(200);
    await revokeScreen(fx.db, fx.site.id, screen.id);
    const response = await app.request('/player/api/manifest', { headers: as(token) });
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).toContain('请重新配对');
    expect((await app.request(`/player/api/media/${openVideo}`, { headers: as(token) })).status).toBe(401);
  });
});

describe('pairing, misused', () => {
  it('one address asking for code after code is stopped after 30 in ten minutes, with the reason', async () => {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77' };
    const ask = () =>
      app.request('/player/api/pairing', {
        method: 'POST',
        headers,
        body: JSON.stringify({ token: playerTokenForTest() }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await ask()).status);
    const limited = statuses.filter((status) => status === 429).length;
    const created = statuses.filter((status) => status === 201).length;
    // Without a trusted proxy every test request comes from the same address: 30 are let through.
    expect(created + limited).toBe(31);
    expect(limited).toBeGreaterThanOrEqual(1);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(JSON.stringify(await refused.json())).toContain('请稍后再试');
  });
});

describe('the manifest', () => {
  it("lists the newest videos of open jobs with each file's SHA-256; an expired job's video is left out", async () => {
    const { token } = await pairedScreen('清单屏');
    const response = await app.request('/player/api/manifest', { headers: as(token) });
    const manifest = (await response.json()) as {
      items: { renderId: number; sha256: string; url: string; durationS: number; jobs: { title: string }[] }[];
      lists: { group: number[] };
    };
    expect(manifest.lists.group).toEqual([secondVideo, openVideo]);
    expect(manifest.lists.group).not.toContain(expiredVideo);
    const red = manifest.items.find((item) => item.renderId === openVideo);
    expect(red).toMatchObject({ durationS: 2, jobs: [{ title: '叉车司机' }] });

    const file = await app.request(red?.url as string, { headers: as(token) });
    expect(file.status).toBe(200);
    const body = Buffer.from(await file.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(red?.sha256);
  });

  it('serves a byte range of a video (players seek), and nothing of another site', async () => {
    const { token } = await pairedScreen('范围屏');
    const part = await app.request(`/player/api/media/${openVideo}`, {
      headers: { ...as(token), range: 'bytes=0-99' },
    });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const other = await openFixture();
    try {
      const stranger = playerTokenForTest();
      await pairScreen(other.db, { siteId: other.site.id, group: '大厅', name: '别站的屏', token: stranger });
      expect((await app.request(`/player/api/media/${openVideo}`, { headers: as(stranger) })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('the manifest, when things change', () => {
  it('names a video whose file is gone instead of listing it, and lists the rest', async () => {
    const lost = await addVideo(fx.db, mediaDir, {
      siteId: fx.site.id,
      jobIds: [jobs.get('叉车司机') as number, jobs.get('收银员') as number],
      file: red,
      durationS: 2,
    });
    await rm(path.join(mediaDir, 'renders', String(lost)), { recursive: true, force: true });
    const { token } = await pairedScreen('丢文件屏');
    const manifest = (await (await app.request('/player/api/manifest', { headers: as(token) })).json()) as {
      lists: { group: number[] };
      missing: { renderId: number; reason: string }[];
    };
    expect(manifest.missing).toEqual([{ renderId: lost, reason: expect.stringContaining('已不在媒体文件夹中') }]);
    expect(manifest.lists.group).not.toContain(lost);
    expect(manifest.lists.group).toContain(openVideo);
    await fx.db.$client.query(`update renders set status = 'failed' where id = $1`, [lost]);
  });

  it("a fair on the group plays its employers' job videos for the fair's time", async () => {
    const token = playerTokenForTest();
    await pairScreen(fx.db, { siteId: fx.site.id, group: '招聘会场', name: '会场屏', token });
    const group = await ensureScreenGroup(fx.db, fx.site.id, '招聘会场');
    const startsAt = new Date(Date.now() + 3_600_000);
    const fair = await createFair(fx.db, {
      siteId: fx.site.id,
      kind: 'ai',
      title: '万达超市专场',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      venue: '人力资源市场一楼',
      groupId: group.id,
    });
    // Employers that brought different numbers of jobs (one, then two).
    await setFairEmployers(fx.db, fx.site.id, fair.id, [
      { name: '万达超市' },
      { name: '洪城物流', jobIds: [jobs.get('叉车司机') as number, jobs.get('仓库管理员') as number] },
    ]);
    const manifest = (await (await app.request('/player/api/manifest', { headers: as(token) })).json()) as {
      lists: Record<string, number[]>;
      timeline: { from: string; to: string; list: string; title: string | null }[];
    };
    const segment = manifest.timeline.find((s) => s.list === `fair:${fair.id}`);
    expect(segment).toMatchObject({ from: startsAt.toISOString(), title: '万达超市专场' });
    expect(manifest.lists[`fair:${fair.id}`]).toEqual(expect.arrayContaining([secondVideo, openVideo]));
  });

  it("puts a livestream on the group's screens while it is on air, and takes it off when it ends", async () => {
    const token = playerTokenForTest();
    await pairScreen(fx.db, { siteId: fx.site.id, group: '直播大厅', name: '直播屏', token });
    const group = await ensureScreenGroup(fx.db, fx.site.id, '直播大厅');
    const session = await insertLiveSession(fx.db, {
      siteId: fx.site.id,
      type: 'job',
      title: '春风行动直播带岗',
      anchorName: '小李',
      slotStart: new Date(Date.now() - 600_000),
      slotEnd: new Date(Date.now() + 3_600_000),
      streamKeyHash: `hash-${Date.now()}`,
      overlayToken: `overlay-${Date.now()}`,
    });
    await setScreenGroupLive(fx.db, fx.site.id, group.id, session.id);
    const manifest = async () =>
      (await (await app.request('/player/api/manifest', { headers: as(token) })).json()) as {
        live: { title: string; url: string } | null;
        version: string;
      };
    const booked = await manifest();
    expect(booked.live).toBeNull();
    await fx.db.$client.query(`update live_sessions set status = 'live' where id = $1`, [session.id]);
    const onAir = await manifest();
    expect(onAir.live).toMatchObject({
      title: '春风行动直播带岗',
      url: expect.stringMatching(/\/preview\/overlay-\d+\.flv$/),
    });
    expect(onAir.version).not.toBe(booked.version);
    await fx.db.$client.query(`update live_sessions set status = 'ended' where id = $1`, [session.id]);
    expect((await manifest()).live).toBeNull();
  });
});

describe('heartbeats', () => {
  it('a beat marks the screen online with what it plays; three missed beats mark it offline', async () => {
    const { token, screen } = await pairedScreen('心跳屏');
    const response = await app.request(
      '/player/api/heartbeat',
      json(token, {
        manifestVersion: 'abc',
        playingRenderId: openVideo,
        state: 'video',
        cachedItems: 1,
        totalItems: 2,
        cachedBytes: red.length,
        problems: [{ renderId: secondVideo, reason: '视频文件校验不符，已跳过' }],
        pendingPlays: 0,
      }),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { manifestVersion: string; serverTime: string };
    expect(answer.manifestVersion).toMatch(/^[0-9a-f]{16}$/);
    const listed = (await listScreens(fx.db, fx.site.id)).find((s) => s.id === screen.id);
    expect(listed?.online).toBe(true);
    expect(listed?.lastBeat).toMatchObject({
      playingRenderId: openVideo,
      cachedItems: 1,
      problems: [{ renderId: secondVideo }],
    });

    const later = new Date(Date.now() + 3 * 60_000 + 1_000);
    expect((await listScreens(fx.db, fx.site.id, later)).find((s) => s.id === screen.id)?.online).toBe(false);
  });
});

describe('plays', () => {
  const play = (playId: string, startedAt: Date, playedMs = 2_000, renderId = openVideo) => ({
    playId,
    renderId,
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + playedMs).toISOString(),
    playedMs,
  });

  async function storedPlays(screenId: number) {
    const { rows } = await fx.db.$client.query<{
      play_id: string;
      started_at: Date;
      completed: boolean;
      job_ids: number[];
    }>('select play_id, started_at, completed, job_ids from screen_plays where screen_id = $1 order by play_id', [
      screenId,
    ]);
    return rows;
  }

  it('a batch uploaded twice is stored once; the second answer says they were already there', async () => {
    const { token, screen } = await pairedScreen('播放屏');
    const start = new Date(Date.now() - 60_000);
    const batch = {
      sentAt: new Date().toISOString(),
      plays: [play('p-aaaaaaaa', start), play('p-bbbbbbbb', start, 500)],
    };
    const first = await app.request('/player/api/plays', json(token, batch));
    expect(await first.json()).toMatchObject({ stored: ['p-aaaaaaaa', 'p-bbbbbbbb'], duplicates: [], refused: [] });
    const again = await app.request('/player/api/plays', json(token, { ...batch, sentAt: new Date().toISOString() }));
    expect(await again.json()).toMatchObject({ stored: [], duplicates: ['p-aaaaaaaa', 'p-bbbbbbbb'] });
    const rows = await storedPlays(screen.id);
    expect(rows.map((r) => [r.play_id, r.completed, r.job_ids])).toEqual([
      ['p-aaaaaaaa', true, [jobs.get('叉车司机')]],
      ['p-bbbbbbbb', false, [jobs.get('叉车司机')]],
    ]);
  });

  it('a screen whose clock is 10 minutes slow records its plays at their true time', async () => {
    const { token, screen } = await pairedScreen('慢钟屏');
    const slow = 10 * 60_000;
    const trueStart = new Date(Date.now() - 30_000);
    const screenClock = (at: Date) => new Date(at.getTime() - slow);
    const response = await app.request(
      '/player/api/plays',
      json(token, {
        sentAt: screenClock(new Date()).toISOString(),
        plays: [play('slow-0001', screenClock(trueStart))],
      }),
    );
    const answer = (await response.json()) as { clockOffsetMs: number; stored: string[] };
    expect(answer.stored).toEqual(['slow-0001']);
    expect(Math.abs(answer.clockOffsetMs - slow)).toBeLessThan(2_000);
    const [row] = await storedPlays(screen.id);
    expect(Math.abs(new Date(row?.started_at ?? 0).getTime() - trueStart.getTime())).toBeLessThan(2_000);
  });

  it('plays in the future or from before the pairing are refused with their reason; the rest of the batch is kept', async () => {
    const { token, screen } = await pairedScreen('坏时间屏');
    const response = await app.request(
      '/player/api/plays',
      json(token, {
        sentAt: new Date().toISOString(),
        plays: [
          play('future-01', new Date(Date.now() + 3_600_000)),
          play('before-01', new Date(screen.pairedAt.getTime() - 3_600_000)),
          play('good-0001', new Date(Date.now() - 10_000)),
        ],
      }),
    );
    const answer = (await response.json()) as { stored: string[]; refused: { playId: string; reason: string }[] };
    expect(answer.stored).toEqual(['good-0001']);
    expect(answer.refused).toEqual([
      { playId: 'future-01', reason: expect.stringContaining('在未来') },
      { playId: 'before-01', reason: expect.stringContaining('早于这块屏幕配对的时间') },
    ]);
    expect((await storedPlays(screen.id)).map((r) => r.play_id)).toEqual(['good-0001']);
  });

  it('a play keeps the group it was played in after the screen is moved', async () => {
    const { token, screen } = await pairedScreen('搬走的屏');
    const venue = await ensureScreenGroup(fx.db, fx.site.id, '招聘会场');
    await updateScreen(fx.db, fx.site.id, screen.id, { groupId: venue.id });
    const start = new Date(Date.now() - 60_000);
    const response = await app.request(
      '/player/api/plays',
      json(token, {
        sentAt: new Date().toISOString(),
        plays: [{ ...play('moved-0001', start), groupId: screen.groupId }],
      }),
    );
    expect((await response.json()) as { stored: string[] }).toMatchObject({ stored: ['moved-0001'] });
    const { rows } = await fx.db.$client.query<{ group_id: number }>(
      'select group_id from screen_plays where screen_id = $1',
      [screen.id],
    );
    expect(rows.map((r) => r.group_id)).toEqual([screen.groupId]);
  });

  it('a TV box whose clock says 2000-01-01 has its plays stored at the true time', async () => {
    const { token, screen } = await pairedScreen('老电视盒');
    const boxNow = new Date('2000-01-01T00:10:00Z');
    const offset = Date.now() - boxNow.getTime();
    const trueStart = new Date(Date.now() - 40_000);
    const response = await app.request(
      '/player/api/plays',
      json(token, {
        sentAt: boxNow.toISOString(),
        plays: [play('y2k-00001', new Date(trueStart.getTime() - offset))],
      }),
    );
    expect(response.status).toBe(200);
    const [row] = await storedPlays(screen.id);
    expect(Math.abs(new Date(row?.started_at ?? 0).getTime() - trueStart.getTime())).toBeLessThan(2_000);
  });

  it('refuses an oversized body before reading it, naming the limit', async () => {
    const { token } = await pairedScreen('大包屏');
    const response = await app.request('/player/api/heartbeat', {
      method: 'POST',
      headers: { ...as(token), 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(100 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(JSON.stringify(await response.json())).toContain('心跳超过 64 KB 上限');
  });

  it('a revoked token cannot upload plays', async () => {
    const { token, screen } = await pairedScreen('停用后上传');
    await revokeScreen(fx.db, fx.site.id, screen.id);
    const response = await app.request(
      '/player/api/plays',
      json(token, { sentAt: new Date().toISOString(), plays: [play('late-0001', new Date(Date.now() - 5_000))] }),
    );
    expect(response.status).toBe(401);
    expect(await storedPlays(screen.id)).toEqual([]);
  });
});

describe('the player page', () => {
  it('is served with a policy that lets it run only its own scripts, and its service worker at the scope', async () => {
    const page = await app.request('/player/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('请在岗播控制台的「屏幕」页输入下面的配对码');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const worker = await app.request('/player/sw.js');
    expect(worker.headers.get('content-type')).toContain('javascript');
    expect((await app.request('/player')).headers.get('location')).toBe('/player/');
  });
});
