import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureSite, findScreenByTokenHash, listFairs, listFlyerIssues, listPublications } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { loadYearReport, type YearReport } from '@jobcast/ledger';
import { listLiveSessions } from '@jobcast/live';
import { Producer } from '@jobcast/queue';
import { runRender } from '@jobcast/render-worker';
import { hashScreenToken } from '@jobcast/screens';
import { LocalMediaStore } from '@jobcast/storage';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runDemo } from '../src/commands/demo.ts';
import { CommandContext } from '../src/context.ts';

/** Mid-September on the office's clock: Jan–Aug are past months, 70% of the year is to come. */
const NOW = new Date('2026-09-15T04:00:00Z');
const API = 'http://localhost:3999';
let dir: string;
let ctx: CommandContext;
let siteCode: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-demo-year-'));
  siteCode = `demo-${randomBytes(3).toString('hex')}`;
  ctx = new CommandContext({
    ...process.env,
    DATABASE_URL: inject('databaseUrl'),
    JOBCAST_SITE: siteCode,
    JOBCAST_DATA_DIR: dir,
    JOBCAST_QUEUE_PREFIX: `test-${siteCode}`,
  });
  // What `jobcast start --demo` has done by then: migrated, which creates the configured site.
  await ensureSite(ctx.db, { code: siteCode, name: '示范区就业服务中心' });
});

afterAll(async () => {
  const redis = new Redis(ctx.config.redisUrl);
  const keys = await redis.keys(`${ctx.config.queuePrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the demo as `npm start` does, with the year's clock fixed; returns what it printed. */
async function demo(): Promise<string> {
  let printed = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
  try {
    await runDemo(ctx, API, NOW);
  } finally {
    write.mockRestore();
  }
  return printed;
}

/** The narrated videos the demo asked the render worker for (its AI videos, and today's one video). */
async function demoAiRenders(): Promise<{ id: number; status: string }[]> {
  const { rows } = await ctx.db.$client.query<{ id: number; status: string }>(
    `select r.id, r.status from renders r join sites s on s.id = r.site_id
      where s.code = $1 and r.template = 'job-spotlight' and r.created_by is null order by r.id`,
    [siteCode],
  );
  return rows;
}

const line = (year: YearReport, id: string) => {
  const found = year.report.lines.find((l) => l.line === id);
  if (!found) throw new Error(`no line ${id}`);
  return found;
};
const sub = (year: YearReport, lineId: string, id: string) =>
  line(year, lineId).subTargets.find((s) => s.id === id)?.done;

describe('the demo service year', () => {
  let first: YearReport;

  it('fills the year so far with believable work a manager sees on the dashboard', async () => {
    const printed = await demo();
    first = await loadYearReport(ctx.db, siteCode, 2026, NOW);

    const videos = line(first, 'videos');
    // About 70% of the pace: behind, but clearly under way.
    expect(videos.done).toBeGreaterThan(0.6 * videos.expectedByToday);
    expect(videos.done).toBeLessThan(0.8 * videos.expectedByToday);
    // The AI videos are rendered, not declared: none counts until the render worker has made it.
    expect(sub(first, 'videos', 'ai')).toBe(0);
    const asked = await demoAiRenders();
    expect(asked.length).toBeGreaterThanOrEqual(8);
    expect(asked.every((r) => r.status === 'queued')).toBe(true);
    expect(line(first, 'coverage').done).toBeGreaterThan(2);
    expect(sub(first, 'coverage', 'national')).toBe(1);
    // January to August: one month without a flyer, one printed in 800 copies only.
    expect(line(first, 'flyers').done).toBe(6);
    expect(sub(first, 'livestreams', 'job')).toBeGreaterThan(5);
    expect(sub(first, 'livestreams', 'other')).toBeGreaterThan(2);
    expect(first.report.total.points).toBeGreaterThan(0);
    expect(first.report.total.points).toBeLessThan(first.report.total.maxPoints);

    // Nothing is dated after today.
    const later = first.months.filter((m) => m.month > '2026-09');
    expect(later.every((m) => m.videos + m.coverage + m.flyers + m.livestreams === 0)).toBe(true);
    expect(first.months.filter((m) => m.month < '2026-09').every((m) => m.videos > 0)).toBe(true);

    // Verdicts came from the guard: one 直播带岗 fell short and was ended by force.
    const { sessions } = await listLiveSessions(ctx.db, first.site, 2026);
    const short = sessions.filter((s) => s.qualified === false);
    expect(short).toEqual([expect.objectContaining({ type: 'job', forced: true })]);
    expect(short[0]?.reasons.join('；')).toMatch(/不足 60 分钟/);

    expect(printed).toContain(`控制台：${API}/ — 登录 manager / jobcast-demo`);
    expect(printed).toContain(`短视频 ${videos.done}/100 条`);

    // Fairs: AI fairs through the year with their screen's plays, a few short of employers; an
    // on-site fair each month but May, August's with nine employers.
    const aiFairs = line(first, 'aiFairs');
    expect(aiFairs.done).toBeGreaterThan(25);
    expect(aiFairs.done).toBeLessThan(aiFairs.expectedByToday);
    const fairs = await listFairs(ctx.db, first.site.id, '2026-01-01', '2026-09-15');
    const shortAi = fairs.filter((f) => f.kind === 'ai' && !f.verdict.qualified);
    expect(shortAi.length).toBeGreaterThan(0);
    expect(shortAi.every((f) => f.verdict.reasons.some((r) => r.includes('少于 6 家')))).toBe(true);
    expect(fairs.filter((f) => f.kind === 'ai' && f.verdict.qualified).every((f) => f.facts.completedPlays > 0)).toBe(
      true,
    );
    expect(line(first, 'onsiteFairs').done).toBe(6);
    expect(first.alerts.map((a) => a.text).join('\n')).toContain('2026年5月');

    // A screen for this browser, paired by link: its token is printed once and works.
    const link = /\/player\/#pair=([A-Za-z0-9_-]{43})/.exec(printed);
    expect(link).not.toBeNull();
    const screen = await findScreenByTokenHash(ctx.db, hashScreenToken(link?.[1] as string));
    expect(screen?.name).toBe('演示屏（本机浏览器）');
  });

  it('records an AI video as published once its narrated render is done, from the render’s own record', async () => {
    // The first is today's video of the newest job (demoRenders); the year's AI videos follow.
    const oldest = (await demoAiRenders())[1];
    if (!oldest) throw new Error('no AI render asked for');
    const producer = new Producer({ redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix });
    try {
      const deps = {
        db: ctx.db,
        producer,
        store: new LocalMediaStore(ctx.config.mediaDir),
        templatesDir: ctx.config.templatesDir,
      };
      // What the worker does with it (the demo's own worker, in `npm start`).
      expect(await runRender(deps, oldest.id, true)).toMatchObject({ status: 'done', aiVideo: true });
    } finally {
      await producer.close();
    }
    await demo();
    first = await loadYearReport(ctx.db, siteCode, 2026, NOW);
    expect(sub(first, 'videos', 'ai')).toBe(1);
    const published = (await listPublications(ctx.db, first.site.id)).filter((p) => p.renderId === oldest.id);
    expect(published).toEqual([expect.objectContaining({ aiVideo: true, aiTool: null })]);
    // The rest are still being made: asked for once, not again.
    expect((await demoAiRenders()).filter((r) => r.status === 'queued')).toHaveLength(
      (await demoAiRenders()).length - 1,
    );
  }, 300_000);

  it('does not count anything twice when the demo starts again', async () => {
    const site = first.site.id;
    const before = {
      publications: (await listPublications(ctx.db, site)).length,
      flyers: (await listFlyerIssues(ctx.db, site)).length,
      ended: (await listLiveSessions(ctx.db, first.site, 2026)).sessions.filter((s) => s.status === 'ended').length,
    };
    await demo();
    const again = await loadYearReport(ctx.db, siteCode, 2026, NOW);
    expect(again.report).toEqual(first.report);
    expect(again.months).toEqual(first.months);
    expect({
      publications: (await listPublications(ctx.db, site)).length,
      flyers: (await listFlyerIssues(ctx.db, site)).length,
      ended: (await listLiveSessions(ctx.db, first.site, 2026)).sessions.filter((s) => s.status === 'ended').length,
    }).toEqual(before);
  });
});
