import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '@jobcast/api/testing';
import { addUser, createToken } from '@jobcast/auth';
import { createImportBatch, ensureSite, prepareJob, writeImportChunk } from '@jobcast/db';
import { createTestDatabase, testJobRecord } from '@jobcast/db/testing';
import { publishFileArgs, runFfmpeg, testStreamArgs } from '@jobcast/ffmpeg';
import { freePort } from '@jobcast/stream';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServices } from '../src/commands/services.ts';
import { CommandContext } from '../src/context.ts';

// The API and the stream service together, on a database of their own: the stream service takes
// over every live session of its database when it starts.
let database: { url: string; drop: () => Promise<void> };
let dir: string;
let ctx: CommandContext;
let running: Running | undefined;
let browser: Browser | undefined;
let jobId: number;
let token: string;
let username: string;
const prefix = `test-preview-${randomBytes(3).toString('hex')}`;
const password = 'long enough password';

beforeAll(async () => {
  database = await createTestDatabase('preview');
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-preview-'));
  const [port, rtmpPort, streamPort] = [await freePort(), await freePort(), await freePort()];
  ctx = new CommandContext({
    DATABASE_URL: database.url,
    PORT: String(port),
    JOBCAST_DATA_DIR: dir,
    JOBCAST_QUEUE_PREFIX: prefix,
    JOBCAST_RTMP_PORT: String(rtmpPort),
    JOBCAST_STREAM_HTTP_PORT: String(streamPort),
    JOBCAST_GUARD_MIN_JOBS: '1',
  });
  const site = await ensureSite(ctx.db, { code: ctx.config.siteCode, name: '预览测试' });
  username = `anchor-${prefix}`;
  await addUser(ctx.db, { siteId: site.id, username, password, role: 'anchor' });
  token = (await createToken(ctx.db, { username, name: 'preview' })).token;
  const batch = await createImportBatch(ctx.db, { siteId: site.id, fileName: 'jobs.csv' });
  await writeImportChunk(ctx.db, {
    siteId: site.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: 1,
    jobs: [prepareJob(testJobRecord({ employerName: '南昌洪城电子科技有限公司', title: '普工' }))],
  });
  jobId = (await ctx.db.$client.query<{ id: number }>('select id from jobs where site_id = $1', [site.id])).rows[0]
    ?.id as number;
  running = await startServices(ctx, { api: true, ingest: false, render: false, stream: true });
  // The preview starts playing without a click, as the anchor's console does after sign-in.
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await ctx.close();
  await database.drop();
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe("the anchor console's preview", () => {
  it('plays the live stream in the browser while OBS publishes', async () => {
    const api = running?.urls.api as string;
    const answer = await fetch(`${api}/api/live`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'job', title: '预览测试', start: new Date().toISOString(), jobIds: [jobId] }),
    });
    expect(answer.status).toBe(201);
    const booking = (await answer.json()) as { sessionId: number; rtmpUrl: string; streamKey: string };

    const sample = path.join(dir, 'sample.flv');
    await runFfmpeg(testStreamArgs(sample, { width: 320, height: 240, seconds: 4 }));
    const rtmp = booking.rtmpUrl.replace('localhost', '127.0.0.1');
    const publisher = new AbortController();
    const publishing = runFfmpeg(publishFileArgs(sample, `${rtmp}/${booking.streamKey}`, 30), {
      signal: publisher.signal,
    }).catch(() => {});
    try {
      const page = await (browser as Browser).newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (/Content Security Policy/.test(message.text())) problems.push(message.text());
      });
      await page.goto(`${api}/console/live/${booking.sessionId}`);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#status', { hasText: '直播中' }).waitFor({ timeout: 20_000 });
      const video = page.locator('#preview');
      await video.waitFor({ state: 'visible' });
      const deadline = Date.now() + 20_000;
      let played = 0;
      while (Date.now() < deadline && played < 1) {
        played = await video.evaluate((element) => (element as unknown as { currentTime: number }).currentTime);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(played).toBeGreaterThanOrEqual(1);
      expect(await video.evaluate((element) => (element as unknown as { videoWidth: number }).videoWidth)).toBe(320);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      publisher.abort();
      await publishing;
    }
  });
});
