import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { confirmScreenPairing, ensureScreenGroup } from '@jobcast/db';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../src/index.ts';
import { launchChromium } from '../src/testing.ts';
import { type ApiFixture, openFixture } from './fixture.ts';
import { addJobs, addVideo, makeClip } from './player-support.ts';

const shots = fileURLToPath(new URL('../../../data/test-results/screenshots/player/', import.meta.url));
const CLIP_SECONDS = 3;

let fx: ApiFixture;
let server: ApiServer | undefined;
let port: number;
let browser: Browser;
let clips: string;

async function startServer(): Promise<void> {
  server = await startApiServer({
    db: fx.db,
    producer: fx.producer,
    config: fx.config(),
    port,
    hostname: '127.0.0.1',
  });
  port = Number(new URL(server.url).port);
}

beforeAll(async () => {
  fx = await openFixture();
  clips = await mkdtemp(path.join(os.tmpdir(), 'jobcast-player-browser-'));
  await mkdir(shots, { recursive: true });
  const jobs = await addJobs(fx.db, fx.site.id, [
    { title: '叉车司机', employer: '南昌洪城物流有限公司' },
    { title: '超市收银员', employer: '万达超市青山湖店' },
  ]);
  const mediaDir = fx.config().mediaDir;
  for (const [color, title] of [
    ['orange', '叉车司机'],
    ['teal', '超市收银员'],
  ] as const) {
    await addVideo(fx.db, mediaDir, {
      siteId: fx.site.id,
      jobIds: [jobs.get(title) as number],
      file: await makeClip(clips, color, CLIP_SECONDS),
      durationS: CLIP_SECONDS,
    });
  }
  await fx.db.$client.query(
    `update sites set hotline = '0791-88886666', qr_url = 'https://jobs.example.cn/site/demo' where id = $1`,
    [fx.site.id],
  );
  port = 0;
  await startServer();
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fx?.close();
  if (clips) await rm(clips, { recursive: true, force: true });
});

interface Recorded {
  playId: string;
  startedAt: string;
}

/** The player logs each play it records (`play recorded <id> <start>`); the test keeps them. */
function recordedPlays(page: Page): Recorded[] {
  const plays: Recorded[] = [];
  page.on('console', (message) => {
    const match = /^play recorded (\S+) (\S+)$/.exec(message.text());
    if (match) plays.push({ playId: match[1] as string, startedAt: match[2] as string });
  });
  return plays;
}

async function storedPlays(): Promise<{ play_id: string; started_at: Date }[]> {
  const { rows } = await fx.db.$client.query<{ play_id: string; started_at: Date }>(
    'select play_id, started_at from screen_plays where site_id = $1 order by started_at',
    [fx.site.id],
  );
  return rows;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a hall screen in Chromium', () => {
  it('pairs, plays its playlist, keeps playing from its cache with the server down, and every play arrives once', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const plays = recordedPlays(page);

    // 1. The player shows a code; staff enter it (as the console does) with a group and a name.
    await page.goto(`http://127.0.0.1:${port}/player/?beat=2&upload=2`);
    const code = page.locator('#code');
    await until('a pairing code', async () => /^\d{6}$/.test((await code.textContent()) ?? ''), 15_000);
    await page.screenshot({ path: path.join(shots, 'pairing-1280.png') });
    const group = await ensureScreenGroup(fx.db, fx.site.id, '大厅');
    await confirmScreenPairing(fx.db, {
      siteId: fx.site.id,
      code: (await code.textContent()) as string,
      groupId: group.id,
      name: '大厅1号屏',
      userId: fx.userIds.admin,
    });

    // 2. It plays the group's videos, and the plays reach the server.
    await until('two plays stored', async () => (await storedPlays()).length >= 2, 60_000);
    await page.locator('.job-title').first().waitFor({ timeout: 5_000 });
    await page.screenshot({ path: path.join(shots, 'playing-1280.png') });
    const jobShown = await page.locator('.job-title').first().textContent();
    expect(['叉车司机', '超市收银员']).toContain(jobShown);
    expect(await page.locator('#qr').isVisible()).toBe(true);
    expect(await page.locator('#hotline').textContent()).toBe('咨询电话 0791-88886666');

    // The hall staff's view of it: the 屏幕 page lists the screen as online, playing, at 1280 and 375 px.
    const session = await fx.signIn('admin');
    for (const width of [1280, 375]) {
      const staff = await browser.newContext({ viewport: { width, height: 900 } });
      await staff.addCookies([
        { name: 'jc_session', value: session.cookie.split('=')[1] ?? '', url: server?.url ?? '' },
      ]);
      const screensPage = await staff.newPage();
      await screensPage.goto(`http://127.0.0.1:${port}/screens`);
      const row = screensPage.locator('[data-screen-id]', { hasText: '大厅1号屏' }).first();
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain('在线');
      const fits = await screensPage.evaluate(() => {
        const view = globalThis as unknown as {
          innerWidth: number;
          document: { documentElement: { scrollWidth: number } };
        };
        return view.document.documentElement.scrollWidth <= view.innerWidth;
      });
      expect(fits, `the 屏幕 page fits ${width} px`).toBe(true);
      await screensPage.screenshot({ path: path.join(shots, `screens-page-${width}.png`), fullPage: true });
      await staff.close();
    }

    // 3. The server goes away for longer than a video, and the page is even reloaded meanwhile:
    // the service worker serves the player, the cache the videos; plays wait on the screen.
    await server?.close();
    server = undefined;
    const before = plays.length;
    await until('two plays while the server is down', async () => plays.length >= before + 2, 30_000);
    await page.reload();
    await until('a play after reloading offline', async () => plays.length >= before + 3, 30_000);
    expect(await page.locator('#status').textContent()).toContain('正在播放本机缓存');
    await page.screenshot({ path: path.join(shots, 'offline-1280.png') });
    const offlineIds = plays.slice(before).map((p) => p.playId);
    const stored = new Set((await storedPlays()).map((row) => row.play_id));
    expect(offlineIds.filter((id) => stored.has(id))).toEqual([]);

    // 4. The server comes back: the waiting plays arrive, each once, with the time it happened.
    await startServer();
    await until(
      'the offline plays uploaded',
      async () => {
        const ids = new Set((await storedPlays()).map((row) => row.play_id));
        return offlineIds.every((id) => ids.has(id));
      },
      30_000,
    );
    // Every play the screen recorded is on the server once, at the time it happened (a play under
    // way when the page reloaded was never finished, so never recorded, and is not there either).
    const recordedNow = plays.map((p) => p.playId);
    await until(
      'every recorded play uploaded',
      async () => {
        const ids = new Set((await storedPlays()).map((row) => row.play_id));
        return recordedNow.every((id) => ids.has(id));
      },
      30_000,
    );
    await context.close();
    const rows = await storedPlays();
    const recordedById = new Map(plays.map((p) => [p.playId, p]));
    expect(recordedById.size).toBe(plays.length);
    expect(rows.length).toBe(plays.length);
    for (const row of rows) {
      const recorded = recordedById.get(row.play_id);
      expect(recorded, `play ${row.play_id} was recorded by the screen`).toBeDefined();
      expect(row.started_at.toISOString()).toBe(recorded?.startedAt);
    }
    expect(problems).toEqual([]);
  });

  it('on a portrait 职播机 the video fills the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 540, height: 960 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/player/`);
    const code = page.locator('#code');
    await until('a pairing code', async () => /^\d{6}$/.test((await code.textContent()) ?? ''), 15_000);
    await page.screenshot({ path: path.join(shots, 'pairing-portrait.png') });
    const group = await ensureScreenGroup(fx.db, fx.site.id, '零工驿站');
    await confirmScreenPairing(fx.db, {
      siteId: fx.site.id,
      code: (await code.textContent()) as string,
      groupId: group.id,
      name: '驿站竖屏',
      userId: fx.userIds.admin,
    });
    await until(
      'the video playing',
      async () =>
        (await page.locator('#video').evaluate((video) => (video as unknown as { currentTime: number }).currentTime)) >
        0.5,
      30_000,
    );
    const box = await page.locator('#video').boundingBox();
    expect(box?.height).toBeGreaterThan(900);
    expect(await page.locator('.side').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(shots, 'playing-portrait.png') });
    await context.close();
  });

  it('skips a video whose file is gone and one whose checksum does not match, says so in its heartbeat, and plays the rest', async () => {
    const other = await openFixture();
    try {
      const jobs = await addJobs(other.db, other.site.id, [
        { title: '电工', employer: '赣电安装' },
        { title: '保洁员', employer: '洁美物业' },
        { title: '厨师', employer: '滕王阁酒家' },
      ]);
      const mediaDir = fx.config().mediaDir;
      const ids: Record<string, number> = {};
      for (const [color, title] of [
        ['purple', '电工'],
        ['green', '保洁员'],
        ['navy', '厨师'],
      ] as const) {
        ids[title] = await addVideo(other.db, mediaDir, {
          siteId: other.site.id,
          jobIds: [jobs.get(title) as number],
          file: await makeClip(clips, color, CLIP_SECONDS),
          durationS: CLIP_SECONDS,
        });
      }
      // One file vanishes after its checksum was taken; another's recorded checksum is not the file's.
      await other.db.$client.query(`update renders set output_sha256 = $2 where id = $1`, [
        ids['保洁员'],
        'f'.repeat(64),
      ]);
      await other.db.$client.query(`update renders set output_sha256 = $2 where id = $1`, [
        ids['厨师'],
        'e'.repeat(64),
      ]);
      await rm(path.join(mediaDir, 'renders', String(ids['厨师'])), { recursive: true, force: true });

      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/player/?beat=2&upload=2`);
      const code = page.locator('#code');
      await until('a pairing code', async () => /^\d{6}$/.test((await code.textContent()) ?? ''), 15_000);
      const group = await ensureScreenGroup(other.db, other.site.id, '招聘会场');
      const screen = await confirmScreenPairing(other.db, {
        siteId: other.site.id,
        code: (await code.textContent()) as string,
        groupId: group.id,
        name: '会场屏',
        userId: other.userIds.media,
      });
      const beatProblems = async () => {
        const { rows } = await other.db.$client.query<{
          last_beat: { problems: { renderId: number; reason: string }[] } | null;
        }>('select last_beat from screens where id = $1', [screen.id]);
        return rows[0]?.last_beat?.problems ?? [];
      };
      await until('both problems reported in a heartbeat', async () => (await beatProblems()).length >= 2, 40_000);
      const problems = await beatProblems();
      expect(problems).toEqual(
        expect.arrayContaining([
          { renderId: ids['保洁员'], reason: expect.stringContaining('校验不符') },
          { renderId: ids['厨师'], reason: expect.stringContaining('不在服务器上') },
        ]),
      );
      await until(
        'a play of the good video',
        async () =>
          (await other.db.$client.query('select 1 from screen_plays where screen_id = $1', [screen.id])).rows.length >
          0,
        30_000,
      );
      const played = (
        await other.db.$client.query<{ render_id: number }>(
          'select distinct render_id from screen_plays where screen_id = $1',
          [screen.id],
        )
      ).rows.map((r) => r.render_id);
      expect(played).toEqual([ids['电工']]);
      await context.close();
    } finally {
      await other.close();
    }
  });
});
