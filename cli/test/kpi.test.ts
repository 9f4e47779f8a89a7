import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '@jobcast/api';
import { addUser, createToken } from '@jobcast/auth';
import { loadConfig } from '@jobcast/config';
import {
  closeDatabase,
  createDatabase,
  type Database,
  getSiteByCode,
  markFlyerPrinted,
  recordCoverage,
  recordPublication,
  requestFlyerIssue,
  type Site,
} from '@jobcast/db';
import { insertTestFair } from '@jobcast/db/testing';
import { Producer } from '@jobcast/queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Outcome, runJobcast } from './run-cli.ts';

let dir: string;
let site: string;
let db: Database;

function jobcast(args: string[]): Promise<Outcome> {
  return runJobcast(args, { site, env: { JOBCAST_DATA_DIR: dir } });
}

/** What `GET /api/kpi` answers the site's manager. */
async function apiKpi(query: string): Promise<unknown> {
  const row = await getSiteByCode(db, site);
  const username = `manager-${site}`;
  await addUser(db, { siteId: row.id, username, password: 'correct-horse-battery', role: 'manager' });
  const { token } = await createToken(db, { username, name: 'test' });
  const config = loadConfig({ DATABASE_URL: inject('databaseUrl'), JOBCAST_DATA_DIR: dir, JOBCAST_SITE: site });
  const producer = new Producer({ redisUrl: config.redisUrl, prefix: `test-cli-kpi-${site}` });
  try {
    const response = await createApp({ db, producer, config, log: () => {} }).request(`/api/kpi${query}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  } finally {
    await producer.close();
  }
}

let urls = 0;
const nextUrl = () => `https://channels.weixin.qq.com/v/${site}-${++urls}`;

/**
 * Service year 2024 from 1 March: 3 videos (1 AI), 1 national report, 1 flyer issue, 1 job livestream,
 * 1 qualified AI fair (and one of 11 employers), 1 qualified on-site fair.
 */
async function seed(row: Site): Promise<void> {
  const base = { siteId: row.id, platform: 'channels', title: '招聘快讯' };
  await recordPublication(db, {
    ...base,
    url: nextUrl(),
    publishedOn: '2024-03-01',
    aiVideo: true,
    aiTool: '剪映 AI 配音',
  });
  await recordPublication(db, { ...base, url: nextUrl(), publishedOn: '2024-10-08' });
  await recordPublication(db, { ...base, url: nextUrl(), publishedOn: '2025-02-28' });
  await recordPublication(db, { ...base, url: nextUrl(), publishedOn: '2024-02-29' });
  await recordCoverage(db, {
    siteId: row.id,
    outlet: '人民网',
    level: 'national',
    url: nextUrl(),
    publishedOn: '2024-05-01',
    title: '就业服务进社区',
  });
  const issue = await requestFlyerIssue(db, { siteId: row.id, month: '2024-04' });
  await markFlyerPrinted(db, row.id, issue.id, { copies: 1000, date: '2024-04-03' });
  await db.$client.query(
    `insert into live_sessions (site_id, type, title, anchor_name, slot_start, slot_end, status, stream_key_hash,
                                overlay_token, started_at, ended_at, qualified)
     values ($1, 'job', '直播带岗', '主播', '2024-06-01T11:00:00Z', '2024-06-01T13:00:00Z', 'ended', $2, $3,
             '2024-06-01T11:00:00Z', '2024-06-01T12:30:00Z', true)`,
    [row.id, randomBytes(16).toString('hex'), randomBytes(16).toString('hex')],
  );
  await insertTestFair(db, row.id, {
    kind: 'ai',
    startsAt: '2024-09-10T09:00:00+08:00',
    employers: 6,
    plays: { completed: 4 },
  });
  await insertTestFair(db, row.id, {
    kind: 'ai',
    startsAt: '2024-09-11T09:00:00+08:00',
    employers: 11,
    plays: { completed: 4 },
  });
  await insertTestFair(db, row.id, { kind: 'onsite', startsAt: '2024-10-01T09:00:00+08:00', employers: 15 });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-kpi-'));
  site = `kpi-${randomBytes(3).toString('hex')}`;
  db = createDatabase(inject('databaseUrl'), 2);
  expect((await jobcast(['sites', 'add', site, '--name', '指标测试站点'])).code).toBe(0);
  const set = await jobcast(['sites', 'set', site, '--service-year-start', '03-01']);
  expect(set.stderr).toBe('');
  expect(set.code).toBe(0);
  await seed(await getSiteByCode(db, site));
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

describe('jobcast sites set --service-year-start', () => {
  it('sets the day the service year starts and says which year runs now', async () => {
    const set = await jobcast(['sites', 'set', site, '--service-year-start', '03-01']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/服务年度自每年 03-01 起，本服务年度为 \d{4}-03-01 至 \d{4}-02-2[89]/);
    expect((await getSiteByCode(db, site)).serviceYearStart).toBe('03-01');
  });

  it('refuses 02-29, days that do not exist, other shapes and unknown sites, keeping the old value', async () => {
    for (const value of ['02-29', '02-30', '13-01', '3-1', '03/01']) {
      const refused = await jobcast(['sites', 'set', site, '--service-year-start', value]);
      expect(refused.code, value).toBe(2);
      expect(refused.stderr).toContain(`服务年度开始日须写作 月-日，如 01-01 或 03-01，且不能是 02-29：${value}`);
    }
    const unknown = await jobcast(['sites', 'set', 'no-such-site', '--service-year-start', '03-01']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('站点 no-such-site 不存在');
    expect((await jobcast(['sites', 'set', site])).code).toBe(2);
    expect((await getSiteByCode(db, site)).serviceYearStart).toBe('03-01');
  });
});

describe('jobcast kpi', () => {
  it('prints with --json exactly what GET /api/kpi answers', async () => {
    const printed = await jobcast(['kpi', '--year', '2024', '--json']);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    const kpi = JSON.parse(printed.stdout);
    expect(kpi).toEqual(await apiKpi('?year=2024'));
    expect(kpi.serviceYear).toEqual({ start: '2024-03-01', lastDay: '2025-02-28', days: 365 });
    expect(kpi.lines.map((line: { done: number }) => line.done)).toEqual([3, 1, 1, 1, 1, 1]);
    expect(kpi.total).toEqual({ points: 0.7, maxPoints: 37, pointsIfProjected: 0.7 });
  });

  it('prints a table of done, pace, projection and points, the total and the alerts', async () => {
    const printed = await jobcast(['kpi', '--year', '2024']);
    expect(printed.code).toBe(0);
    const out = printed.stdout;
    expect(out).toContain(`指标测试站点（${site}）2024 服务年度：2024-03-01 至 2025-02-28`);
    expect(out).toMatch(/^项目 +完成\/目标 +按进度应完成 +预计全年 +得分\/满分$/m);
    // 97 videos short: 8 − 19.4 is below zero; 11 reports short: 6 − 11 too; 11 flyers missing: 3 − 5.5.
    expect(out).toMatch(/^短视频 +3\/100 条 +100 +3 +0\/8$/m);
    expect(out).toMatch(/^ {2}其中AI 视频 +1\/12 +12 +1$/m);
    expect(out).toMatch(/^媒体宣传 +1\/12 篇 +12 +1 +0\/6$/m);
    expect(out).toMatch(/^招工小报 +1\/12 期 +12 +1 +0\/3$/m);
    expect(out).toMatch(/^直播 +1\/60 场 +60 +1 +0\.1\/6$/m);
    expect(out).toMatch(/^ {2}其中直播带岗 +1\/48 +48 +1$/m);
    expect(out).toMatch(/^AI数智招聘会 +1\/80 场 +80 +1 +0\.1\/8$/m);
    expect(out).toMatch(/^线下招聘会 +1\/12 场 +12 +1 +0\.5\/6$/m);
    expect(out).toContain('合计得分：0.7/37');
    expect(out).toContain('  ! 服务期内短视频差 97 条未完成（目标 100 条）');
    expect(out).toContain('  ! 11 个月没有达标的线下招聘会（每月至少 1 场）：2024年3月、2024年4月');
    expect(out).toContain('  · 服务期已结束（2024-03-01 至 2025-02-28），共得 0.7 分（满分 37 分）');
  });

  it('reads the service year today falls in by default, and refuses a bad --year', async () => {
    const printed = await jobcast(['kpi', '--json']);
    expect(printed.code).toBe(0);
    const kpi = JSON.parse(printed.stdout);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const calendarYear = Number(today.slice(0, 4));
    expect(kpi.year).toBe(today.slice(5) >= '03-01' ? calendarYear : calendarYear - 1);

    for (const year of ['1999', '26', 'next']) {
      const refused = await jobcast(['kpi', '--year', year]);
      expect(refused.code, year).toBe(2);
      expect(refused.stderr).toContain(`年份须为 2000 到 2100 之间的四位数字，如 2026：${year}`);
    }
  });
});
