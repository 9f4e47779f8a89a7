import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, createDatabase, type Database } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { closeSegment, openSegment } from '@jobcast/live';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseStart } from '../src/commands/live.ts';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
let dir: string;
let site: string;
let db: Database;
/** Job ids by title (普工0 … 普工20), as imported. */
let jobs: Map<string, number>;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function jobcast(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site, JOBCAST_DATA_DIR: dir, ...env },
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

const jobIds = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => jobs.get(`普工${from + i}`) as number).join(',');

/** Slots an hour from now: the tests do not depend on the stream service's clock, only on booking's. */
const soon = () => new Date(Date.now() + 3_600_000).toISOString();

async function book(
  args: string[],
  options: { start?: string; env?: Record<string, string> } = {},
): Promise<{ sessionId: number; streamKey: string }> {
  const start = options.start ?? soon();
  const booked = await jobcast(
    ['live', 'book', '--title', '春风行动·直播带岗', '--start', start, ...args, '--json'],
    options.env,
  );
  expect(booked.stderr).toBe('');
  expect(booked.code).toBe(0);
  return JSON.parse(booked.stdout);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-live-'));
  site = `live-${randomBytes(3).toString('hex')}`;
  db = createDatabase(inject('databaseUrl'), 2);
  expect((await jobcast(['sites', 'add', site, '--name', '直播测试站点'])).code).toBe(0);
  const file = path.join(dir, '直播岗位.csv');
  const rows = Array.from({ length: 21 }, (_, i) => `南昌第${i}电子厂,普工${i},4000-6000元/月`);
  await writeFile(file, `单位名称,岗位名称,薪资待遇\n${rows.join('\n')}\n`);
  expect((await jobcast(['import', file])).code).toBe(0);
  const listed = JSON.parse((await jobcast(['jobs', 'list', '--json', '--limit', '100'])).stdout) as {
    id: number;
    title: string;
  }[];
  jobs = new Map(listed.map((job) => [job.title, job.id]));
  expect(jobs.size).toBe(21);
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

describe('jobcast live book', () => {
  it('refuses a job livestream with 19 jobs: exit 2 and the rule in Chinese', async () => {
    const result = await jobcast([
      'live',
      'book',
      '--type',
      'job',
      '--title',
      'T',
      '--start',
      soon(),
      '--jobs',
      jobIds(0, 19),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/RULE_VIOLATED.*直播带岗的节目单至少需要 20 个岗位，现在只有 19 个/);
    expect(result.stdout).toBe('');
  });

  it('books one with 20 jobs: the addresses and the stream key, once; the relay address nowhere', async () => {
    const relay = 'rtmp://push.example.cn/live/secret-stream-name?auth_key=deadbeef';
    const result = await jobcast(
      [
        'live',
        'book',
        '--type',
        'job',
        '--title',
        '春风行动',
        '--start',
        soon(),
        '--jobs',
        jobIds(0, 20),
        '--relay',
        relay,
        '--json',
      ],
      { JOBCAST_RELAY_HOSTS: 'push.example.cn' },
    );
    expect(result.code).toBe(0);
    const booking = JSON.parse(result.stdout);
    expect(Object.keys(booking).sort()).toEqual(
      ['consoleUrl', 'overlayUrl', 'previewUrl', 'rtmpUrl', 'sessionId', 'streamKey'].sort(),
    );
    expect(booking).toMatchObject({
      sessionId: expect.any(Number),
      rtmpUrl: 'rtmp://localhost:1935/live',
      streamKey: expect.stringMatching(/^live_[A-Za-z0-9_-]{24,}$/),
      consoleUrl: `http://localhost:3000/console/live/${booking.sessionId}`,
    });
    expect(result.stdout + result.stderr).not.toContain('secret-stream-name');
    // The relay was sealed with a key made on first use, readable by its owner only.
    expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);

    const status = await jobcast(['live', 'status', String(booking.sessionId), '--json']);
    expect(status.stdout).not.toContain(booking.streamKey);
    expect(status.stdout).not.toContain('secret-stream-name');
    expect(JSON.parse(status.stdout).relays).toEqual([expect.objectContaining({ label: 'rtmp://push.example.cn' })]);

    // A lost key is replaced: a new one, printed once, and the overlay address stays.
    const replaced = await jobcast(['live', 'key', String(booking.sessionId)]);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('串流密钥已更换');
    const newKey = /串流密钥：\s+(\S+)/.exec(replaced.stdout)?.[1];
    expect(newKey).toMatch(/^live_/);
    expect(newKey).not.toBe(booking.streamKey);
    expect(replaced.stdout).toContain(booking.overlayUrl);
  });

  it('prints the booking for a person, and refuses a bad start or relay without echoing the relay', async () => {
    const human = await jobcast(['live', 'book', '--type', 'policy', '--title', '就业政策讲解', '--start', soon()]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/已预约直播 #\d+「就业政策讲解」/);
    expect(human.stdout).toMatch(/串流密钥： +live_[A-Za-z0-9_-]+/);
    expect(human.stdout).toMatch(/OBS 浏览器来源： +http\S+\/overlay\//);

    const start = await jobcast(['live', 'book', '--type', 'policy', '--title', 'T', '--start', '明天晚上']);
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(/--start 须为日期和时间/);

    const relay = await jobcast([
      ...['live', 'book', '--type', 'visit', '--title', 'T', '--start', soon()],
      ...['--relay', 'https://push.example.cn/live/hidden-key'],
    ]);
    expect(relay.code).toBe(2);
    expect(relay.stderr).toMatch(/第 1 个转推地址不是有效的 rtmp:\/\/ 地址/);
    expect(relay.stderr).not.toContain('hidden-key');
  });
});

describe('jobcast live status, present, next and end', () => {
  it('shows the guard, puts rundown jobs on screen, and ends an unqualified job livestream only when forced', async () => {
    const { sessionId } = await book(['--type', 'job', '--jobs', jobIds(0, 20), '--anchor', '李主播']);
    const id = String(sessionId);

    const status = await jobcast(['live', 'status', id, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      status: 'booked',
      anchor: '李主播',
      liveSeconds: 0,
      presentedJobs: 0,
      guard: {
        qualified: false,
        needSeconds: 3600,
        needJobs: 20,
        reasons: ['直播时长 0 秒，不足 60 分钟', '讲解岗位 0 个，不足 20 个'],
      },
    });
    const human = await jobcast(['live', 'status', id]);
    expect(human.stdout).toMatch(/已预约/);
    expect(human.stdout).toMatch(/未达标：还需直播 60 分钟，讲解 20 个岗位/);

    const outside = await jobcast(['live', 'present', id, String(jobs.get('普工20'))]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/RULE_VIOLATED.*不在本场节目单里/);

    const shown = await jobcast(['live', 'present', id, String(jobs.get('普工4')), '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ position: 5, jobId: jobs.get('普工4') });
    const next = await jobcast(['live', 'next', id]);
    expect(next.stdout).toMatch(/正在展示：第 6 个 #\d+ 普工5 · 南昌第5电子厂/);

    const refused = await jobcast(['live', 'end', id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/本场尚未达标：直播时长 0 秒，不足 60 分钟；讲解岗位 0 个，不足 20 个.*--force/);
    expect(JSON.parse((await jobcast(['live', 'status', id, '--json'])).stdout).status).toBe('booked');

    const forced = await jobcast(['live', 'end', id, '--force', '--json']);
    expect(forced.code).toBe(0);
    const ended = JSON.parse(forced.stdout);
    expect(ended).toMatchObject({ status: 'ended', forced: true, endReason: 'forced', verdict: { qualified: false } });
    // Ending again answers with the first end.
    const again = await jobcast(['live', 'end', id, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(ended);
    expect((await jobcast(['live', 'end', id])).stdout).toMatch(/结论：未达标，强制结束/);

    const late = await jobcast(['live', 'next', id]);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/已经结束/);
  });

  it('says so for a session of another site or a bad id', async () => {
    const { sessionId } = await book(['--type', 'other']);
    expect((await jobcast(['sites', 'add', `${site}-b`, '--name', '另一个站点'])).code).toBe(0);
    const foreign = await jobcast(['live', 'status', String(sessionId), '--site', `${site}-b`]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(new RegExp(`直播场次 ${sessionId} 不存在`));
    const bad = await jobcast(['live', 'status', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/直播场次编号须为正整数/);
  });
});

describe('jobcast live list', () => {
  it("lists a year's sessions and counts the qualified ones against 48 and 12", async () => {
    // Rules of seconds, so that a session can qualify within the test.
    const quick = {
      JOBCAST_PRESENT_MIN_SECONDS: '1',
      JOBCAST_GUARD_MIN_LIVE_SECONDS: '1',
      JOBCAST_GUARD_MIN_JOBS: '1',
      JOBCAST_OTHER_MIN_LIVE_SECONDS: '1',
    };
    const job = await book(['--type', 'job', '--jobs', jobIds(0, 1)], { start: '2030-03-01T19:00', env: quick });
    const training = await book(['--type', 'training'], { start: '2030-06-01T19:00', env: quick });
    const forced = await book(['--type', 'job', '--jobs', jobIds(1, 1)], { start: '2030-09-01T19:00', env: quick });
    const visit = await book(['--type', 'visit'], { start: '2030-12-31T23:59', env: quick });
    // Beijing time: the first minute of 2031 is not in 2030.
    await book(['--type', 'other'], { start: '2031-01-01T00:00', env: quick });

    // What the stream service records for a publisher that sent two seconds of media.
    const broadcast = async (sessionId: number, from: Date) => {
      const to = new Date();
      const segment = await openSegment(db, sessionId, {
        clientAddress: '203.0.113.7',
        startedAt: from,
        recordingKey: () => 'k',
      });
      const report = {
        mediaMs: 2000,
        bytes: 1,
        hasVideo: true,
        hasAudio: true,
        lastSeenAt: to,
        reason: 'publisher-left',
      };
      await closeSegment(db, { id: segment.id, sessionId }, report);
    };
    const liveFrom = new Date();
    expect((await jobcast(['live', 'next', String(job.sessionId)], quick)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await broadcast(job.sessionId, liveFrom);
    await broadcast(training.sessionId, new Date(Date.now() - 2000));
    // Its publisher left and has not come back: interrupted, not ended.
    await broadcast(visit.sessionId, new Date(Date.now() - 2000));
    for (const { sessionId } of [job, training]) {
      const ended = await jobcast(['live', 'end', String(sessionId), '--json'], quick);
      expect(ended.code).toBe(0);
      expect(JSON.parse(ended.stdout).verdict.qualified).toBe(true);
    }
    expect((await jobcast(['live', 'end', String(forced.sessionId), '--force'], quick)).code).toBe(0);
    // A session counts on the day it went live: these went live now, as if at their 2030 slots.
    await db.$client.query('update live_sessions set started_at = slot_start where id = any($1)', [
      [job.sessionId, training.sessionId, visit.sessionId],
    ]);

    const listed = await jobcast(['live', 'list', '--year', '2030', '--json']);
    expect(listed.code).toBe(0);
    const year = JSON.parse(listed.stdout);
    expect(year.counts).toEqual({ job: { qualified: 1, target: 48 }, other: { qualified: 1, target: 12 } });
    expect(year.sessions.map((s: { type: string }) => s.type)).toEqual(['job', 'training', 'job', 'visit']);

    const human = await jobcast(['live', 'list', '--year', '2030']);
    expect(human.stdout).toMatch(/2030-03-01 19:00 {2}直播带岗 {2}春风行动·直播带岗 {2}主播 {2}达标/);
    expect(human.stdout).toMatch(/未达标（强制结束）/);
    // The console's word for it, not a word of the command's own.
    expect(human.stdout).toMatch(/2030-12-31 23:59 {2}访企探岗 .* {2}中断$/m);
    expect(human.stdout).toMatch(/直播带岗 1\/48，其他直播 1\/12/);
    expect((await jobcast(['live', 'list', '--year', '1999'])).code).toBe(2);
  });
});

describe('--start', () => {
  it.each([
    ['2026-12-01T19:00', 'Asia/Shanghai', '2026-12-01T11:00:00.000Z'],
    ['2026-12-01 19:00:30', 'Asia/Shanghai', '2026-12-01T11:00:30.000Z'],
    ['2027-01-01T00:00', 'Asia/Shanghai', '2026-12-31T16:00:00.000Z'],
    ['2026-12-01T19:00Z', 'Asia/Shanghai', '2026-12-01T19:00:00.000Z'],
    ['2026-12-01T19:00:00.250Z', 'Asia/Shanghai', '2026-12-01T19:00:00.250Z'],
    ['2026-12-01T19:00+0800', 'UTC', '2026-12-01T11:00:00.000Z'],
    ['2026-12-01T19:00-05:00', 'Asia/Shanghai', '2026-12-02T00:00:00.000Z'],
    ['2026-07-01T12:00', 'America/New_York', '2026-07-01T16:00:00.000Z'],
    ['2026-01-15T12:00', 'America/New_York', '2026-01-15T17:00:00.000Z'],
  ])('%s on a site in %s is %s', (text, timeZone, instant) => {
    expect(parseStart(text, timeZone).toISOString()).toBe(instant);
  });

  it.each(['2026-02-30T10:00', '2026-12-01T24:00', '2026-12-01', 'tomorrow 19:00', ''])('refuses %j', (text) => {
    expect(() => parseStart(text, 'Asia/Shanghai')).toThrow(/--start 须为日期和时间/);
  });
});
