/**
 * A job file uploaded in the console, imported by the import worker through the queue, as a
 * deployment runs it: the import's page follows it to its report, and the job's page shows the file
 * row it came from.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser, createWebSession, csrfTokenFor } from '@jobcast/auth';
import { ensureSite } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import { freePort } from '@jobcast/stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServices } from '../src/commands/services.ts';
import { CommandContext } from '../src/context.ts';

const prefix = `test-import-pages-${randomBytes(3).toString('hex')}`;
let database: { url: string; drop: () => Promise<void> };
let dir: string;
let ctx: CommandContext;
let running: Running | undefined;
let baseUrl: string;
const sessions = {} as Record<'media' | 'manager' | 'anchor', { cookie: string; csrf: string }>;

const csv = [
  '单位名称,岗位名称,薪资待遇,招聘人数,工作地点,联系人,联系电话,截止日期,岗位类型',
  '南昌上传物流有限公司,理货员,4000-6000元/月,3人,南昌市青山湖区,李女士,13912345678,2099-12-31,全职',
  ',搬运工,4500元/月,2人,南昌市,,,,全职',
  '南昌上传餐饮有限公司,帮厨,20-25元/时,2人,南昌市西湖区,王先生,0791-88886666,,零工',
].join('\n');

beforeAll(async () => {
  database = await createTestDatabase('importpages');
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-import-pages-'));
  ctx = new CommandContext({
    DATABASE_URL: database.url,
    PORT: String(await freePort()),
    JOBCAST_DATA_DIR: dir,
    JOBCAST_QUEUE_PREFIX: prefix,
  });
  const site = await ensureSite(ctx.db, { code: ctx.config.siteCode, name: '导入测试' });
  for (const role of ['media', 'manager', 'anchor'] as const) {
    const user = await addUser(ctx.db, {
      siteId: site.id,
      username: `${role}-${prefix}`,
      password: 'long enough',
      role,
    });
    const { secret } = await createWebSession(ctx.db, user.id);
    sessions[role] = { cookie: `jc_session=${secret}`, csrf: csrfTokenFor(secret) };
  }
  running = await startServices(ctx, { api: true, ingest: true, render: false, stream: false });
  baseUrl = running.urls.api ?? '';
});

afterAll(async () => {
  await running?.stop();
  await ctx.close();
  await database.drop();
  const redis = new Redis(ctx.config.redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

async function page(location: string, role: keyof typeof sessions = 'manager'): Promise<string> {
  const response = await fetch(`${baseUrl}${location}`, { headers: { cookie: sessions[role].cookie } });
  expect(response.status, location).toBe(200);
  return response.text();
}

/** Uploads through the console's form; answers the import's page address. */
async function upload(text: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('_csrf', sessions.media.csrf);
  form.append('file', new Blob([text], { type: 'text/csv' }), name);
  const response = await fetch(`${baseUrl}/jobs/import`, {
    method: 'POST',
    headers: { cookie: sessions.media.cookie, origin: baseUrl },
    body: form,
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

/** The import's page once the worker has finished it (the page itself refreshes every few seconds). */
async function finished(location: string): Promise<string> {
  let html = '';
  await expect
    .poll(
      async () => {
        html = await page(location);
        return html.includes('http-equiv="refresh"');
      },
      { timeout: 60_000, interval: 200 },
    )
    .toBe(false);
  return html;
}

describe('importing a job file from the console', () => {
  it('reports the rows with the rejected one listed once the importer has run', async () => {
    const location = await upload(csv, '四月岗位.csv');
    expect(location).toMatch(/^\/imports\/\d+$/);
    const done = await finished(location);
    expect(done).toContain('已完成');
    const count = (label: string) => new RegExp(`<th>${label}</th><td>(\\d+)</td>`).exec(done)?.[1];
    expect([
      count('读取行数'),
      count('新增岗位'),
      count('更新岗位'),
      count('重复（未改变）'),
      count('拒绝行数'),
    ]).toEqual(['3', '2', '0', '0', '1']);
    expect(done).toContain('被拒绝的行（1）');
    expect(done).toMatch(/<td class="num">3<\/td><td>单位名称<\/td><td>[^<]*缺少公司名称/);
  });

  it('shows a job with every field and the file row it came from', async () => {
    const location = await upload(csv.replace('理货员', '分拣员'), '五月岗位.csv');
    await finished(location);
    const batchId = location.split('/').pop();
    const jobs = await page(`/jobs?q=${encodeURIComponent('分拣员')}`);
    const id = /href="\/jobs\/(\d+)"/.exec(jobs)?.[1];
    const html = await page(`/jobs/${id}`, 'anchor');
    for (const text of [
      '南昌上传物流有限公司',
      '分拣员',
      '全职',
      '4000-6000元/月',
      '南昌市青山湖区',
      '李女士',
      '13912345678',
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).toContain('<th>有效期</th><td>不限 至 2099-12-31</td>');
    expect(html).toContain(`href="/imports/${batchId}"`);
    expect(html).toContain('第 2 行');
    // The row as the file had it, by the file's own column names.
    expect(html).toContain('<th>招聘人数</th><td>3人</td>');
  });
});
