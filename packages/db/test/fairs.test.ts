import { randomBytes } from 'node:crypto';
import { isJobcastError } from '@jobcast/core';
import { serviceYear } from '@jobcast/kpi';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import {
  createFair,
  createFairWithEmployers,
  deleteFair,
  employerNameKey,
  fairTime,
  getFair,
  listFairs,
  onsiteFairMonths,
  setFairEmployers,
  setFairPlaylist,
  updateFair,
} from '../src/fairs.ts';
import { createImportBatch, writeImportChunk } from '../src/imports.ts';
import { prepareJob } from '../src/job-records.ts';
import { employers, fairs, jobs, renders, screens } from '../src/schema/index.ts';
import { createScreenGroup, insertScreenPlays, manualPlaylist, setScreenGroupItems } from '../src/screens.ts';
import { ensureSite } from '../src/sites.ts';
import { testJobRecord } from '../src/testing.ts';

let db: Database;
let siteId: number;
let otherSiteId: number;
let hallGroup: number;
let otherGroup: number;
let otherSiteGroup: number;

const label = () => randomBytes(4).toString('hex');

/** Employers 单位1 … 单位12, each with two jobs: one open, one that ended on 2026-05-09. */
const EMPLOYERS = Array.from({ length: 12 }, (_, i) => `南昌测试单位${i + 1}有限公司`);

async function addJobs(site: number, rows: { employer: string; title: string; validUntil?: string | null }[]) {
  const batch = await createImportBatch(db, { siteId: site, fileName: 'jobs.csv' });
  await writeImportChunk(db, {
    siteId: site,
    batchId: batch.id,
    rejects: [],
    rowsRead: rows.length,
    jobs: rows.map((row, i) =>
      prepareJob(
        testJobRecord({
          rowNumber: i + 2,
          employerName: row.employer,
          employerKey: employerNameKey(row.employer),
          title: row.title,
          validUntil: row.validUntil ?? null,
        }),
      ),
    ),
  });
}

async function jobId(site: number, employer: string, title: string): Promise<number> {
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .innerJoin(employers, eq(employers.id, jobs.employerId))
    .where(and(eq(jobs.siteId, site), eq(employers.name, employer), eq(jobs.title, title)));
  if (!row) throw new Error(`no job ${employer} ${title}`);
  return row.id;
}

async function employerId(name: string): Promise<number> {
  const [row] = await db
    .select({ id: employers.id })
    .from(employers)
    .where(and(eq(employers.siteId, siteId), eq(employers.name, name)));
  if (!row) throw new Error(`no employer ${name}`);
  return row.id;
}

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  siteId = (await ensureSite(db, { code: `fair-${label()}`, name: '测试站点', timezone: 'Asia/Shanghai' })).id;
  otherSiteId = (await ensureSite(db, { code: `fair-${label()}`, name: '另一个站点' })).id;
  hallGroup = (await createScreenGroup(db, { siteId, name: '招聘会场' })).id;
  otherGroup = (await createScreenGroup(db, { siteId, name: '大厅' })).id;
  otherSiteGroup = (await createScreenGroup(db, { siteId: otherSiteId, name: '招聘会场' })).id;
  await addJobs(
    siteId,
    EMPLOYERS.flatMap((employer) => [
      { employer, title: '普工' },
      { employer, title: '仓管', validUntil: '2026-05-09' },
      { employer, title: '文员', validUntil: '2026-05-10' },
    ]),
  );
  await addJobs(otherSiteId, [{ employer: '别的站点的单位', title: '司机' }]);
});
afterAll(async () => closeDatabase(db));

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; field?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isJobcastError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

/** 2026-05-10 07:00–11:00 in Nanchang: still 2026-05-09 in UTC when it opens. */
const start = new Date('2026-05-09T23:00:00Z');
const end = new Date('2026-05-10T03:00:00Z');

/** An AI fair at `start`–`end`, on a screen group of its own unless given one (AI fairs on one group may not overlap). */
async function aiFair(extra: Partial<Parameters<typeof createFair>[1]> = {}) {
  return createFair(db, {
    siteId,
    kind: 'ai',
    title: '五月 AI 数智招聘会',
    startsAt: start,
    endsAt: end,
    venue: '人力资源市场一楼大厅',
    groupId:
      extra.groupId !== undefined
        ? extra.groupId
        : (await createScreenGroup(db, { siteId, name: `会场-${label()}` })).id,
    ...extra,
  });
}

describe('a fair’s record', () => {
  it('reads a time typed on the site’s clock, and refuses a day that does not exist', async () => {
    expect((await fairTime(db, siteId, '2026-05-10 07:00', 'startsAt')).toISOString()).toBe('2026-05-09T23:00:00.000Z');
    expect((await fairTime(db, siteId, '2026-05-10T07:00+09:00', 'startsAt')).toISOString()).toBe(
      '2026-05-09T22:00:00.000Z',
    );
    const wrong = await refusal(fairTime(db, siteId, '2026-02-30 09:00', 'startsAt'));
    expect(wrong).toMatchObject({ code: 'BAD_INPUT', field: 'startsAt' });
    expect(wrong.message).toContain('2026-02-30');
  });

  it('refuses an end before the start, a fair over three days, and an AI fair without a screen group', async () => {
    expect(await refusal(aiFair({ endsAt: start }))).toMatchObject({ code: 'BAD_INPUT', field: 'endsAt' });
    const long = await refusal(aiFair({ endsAt: new Date('2026-05-14T03:00:00Z') }));
    expect(long).toMatchObject({ code: 'BAD_INPUT', field: 'endsAt' });
    expect(long.message).toContain('3 天');
    const noGroup = await refusal(aiFair({ groupId: null }));
    expect(noGroup).toMatchObject({ code: 'BAD_INPUT', field: 'groupId' });
    expect(noGroup.message).toContain('屏幕分组');
    // Another site's group is no group of this site.
    expect(await refusal(aiFair({ groupId: otherSiteGroup }))).toMatchObject({ field: 'groupId' });
    // An on-site fair needs none; turning it into an AI fair later does.
    const onsite = await createFair(db, {
      siteId,
      kind: 'onsite',
      title: '线下专场',
      startsAt: start,
      endsAt: end,
      venue: '体育馆',
    });
    expect(onsite.groupId).toBeNull();
    expect(await refusal(updateFair(db, siteId, onsite.id, { kind: 'ai' }))).toMatchObject({ field: 'groupId' });
    expect(await refusal(updateFair(db, otherSiteId, onsite.id, { title: 'x' }))).toMatchObject({ code: 'NOT_FOUND' });
    await deleteFair(db, siteId, onsite.id);
  });
});

describe('a fair’s employers', () => {
  it('refuses a name the job pool does not have, naming it', async () => {
    const fair = await aiFair();
    const refused = await refusal(
      setFairEmployers(db, siteId, fair.id, [{ name: EMPLOYERS[0] as string }, { name: '不存在的公司' }]),
    );
    expect(refused.code).toBe('BAD_INPUT');
    expect(refused.message).toContain('不存在的公司');
    // Another site's employer is not in this site's pool either.
    expect((await refusal(setFairEmployers(db, siteId, fair.id, [{ name: '别的站点的单位' }]))).message).toContain(
      '别的站点的单位',
    );
    expect((await getFair(db, siteId, fair.id)).employers).toEqual([]);
  });

  it('merges the same employer listed twice (written differently) into one and says which', async () => {
    const fair = await aiFair();
    const name = EMPLOYERS[0] as string;
    const { employers: rows, merged } = await setFairEmployers(db, siteId, fair.id, [
      { name },
      { name: ` ${name.replace('有限公司', '（有限公司）')} ` },
      { name: EMPLOYERS[1] as string },
      { employerId: await employerId(name) },
    ]);
    expect(merged).toEqual([name]);
    expect(rows.map((row) => row.name).sort()).toEqual([name, EMPLOYERS[1]].sort());
    const detail = await getFair(db, siteId, fair.id);
    expect(detail.employerIds).toHaveLength(2);
    expect(detail.verdict.employers).toBe(2);
  });

  it('takes by default each employer’s jobs open on the fair’s day in site time', async () => {
    const fair = await aiFair();
    const name = EMPLOYERS[2] as string;
    const { employers: rows } = await setFairEmployers(db, siteId, fair.id, [{ name }]);
    // The fair is on 2026-05-10 in Nanchang: the job ending 05-09 is closed, the one ending 05-10 open.
    expect(rows[0]?.jobs.map((job) => job.title).sort()).toEqual(['文员', '普工']);
  });

  it('keeps the jobs given, and refuses a job of another employer, naming it', async () => {
    const fair = await aiFair();
    const [a, b] = [EMPLOYERS[3] as string, EMPLOYERS[4] as string];
    const own = await jobId(siteId, a, '仓管');
    const { employers: rows } = await setFairEmployers(db, siteId, fair.id, [{ name: a, jobIds: [own] }]);
    expect(rows[0]?.jobs.map((job) => job.id)).toEqual([own]);
    const foreign = await jobId(siteId, b, '普工');
    const refused = await refusal(setFairEmployers(db, siteId, fair.id, [{ name: a, jobIds: [foreign] }]));
    expect(refused.code).toBe('BAD_INPUT');
    expect(refused.message).toContain(`岗位 ${foreign}`);
    expect(refused.message).toContain(a);
  });
});

describe('a fair’s verdict', () => {
  let screenId: number;
  let otherScreenId: number;

  beforeAll(async () => {
    const [hall, lobby] = await db
      .insert(screens)
      .values([
        { siteId, groupId: hallGroup, name: '会场 1 号机', tokenHash: `hash-${label()}` },
        { siteId, groupId: otherGroup, name: '大厅机', tokenHash: `hash-${label()}` },
      ])
      .returning();
    screenId = hall?.id as number;
    otherScreenId = lobby?.id as number;
  });

  function play(id: string, at: string, extra: { renderId?: number; completed?: boolean; jobIds?: number[] } = {}) {
    const startedAt = new Date(at);
    return {
      playId: id,
      renderId: extra.renderId ?? 1,
      jobIds: extra.jobIds ?? [1],
      startedAt,
      endedAt: new Date(startedAt.getTime() + 30_000),
      playedMs: 30_000,
      completed: extra.completed ?? true,
      clockOffsetMs: 0,
    };
  }

  it('counts completed plays of job videos on the fair’s group inside its window only', async () => {
    const fair = await aiFair({ title: '判定用招聘会', groupId: hallGroup });
    const names = EMPLOYERS.slice(0, 6).map((name) => ({ name }));
    await setFairEmployers(db, siteId, fair.id, names);
    expect((await getFair(db, siteId, fair.id)).verdict).toMatchObject({ qualified: false });

    await insertScreenPlays(db, { id: screenId, siteId, groupId: hallGroup }, [
      play(`${fair.id}-in-1`, '2026-05-09T23:30:00Z', { renderId: 11 }),
      play(`${fair.id}-in-2`, '2026-05-10T01:00:00Z', { renderId: 12 }),
      play(`${fair.id}-in-3`, '2026-05-10T02:00:00Z', { renderId: 11 }),
      play(`${fair.id}-half`, '2026-05-10T02:10:00Z', { renderId: 13, completed: false }),
      play(`${fair.id}-before`, '2026-05-09T22:59:00Z', { renderId: 14 }),
      play(`${fair.id}-after`, '2026-05-10T03:00:00Z', { renderId: 15 }),
      play(`${fair.id}-notjob`, '2026-05-10T01:30:00Z', { renderId: 16, jobIds: [] }),
    ]);
    await insertScreenPlays(db, { id: otherScreenId, siteId, groupId: otherGroup }, [
      play(`${fair.id}-lobby`, '2026-05-10T01:00:00Z', { renderId: 17 }),
    ]);

    const detail = await getFair(db, siteId, fair.id);
    expect(detail.facts).toMatchObject({ completedPlays: 3, videosPlayed: 2 });
    expect(detail.plays).toBe(4);
    expect(detail.verdict.qualified).toBe(true);
    expect(detail.verdict.reasons.join('；')).toContain('播放带岗视频 3 次，共 2 条');

    // 5 and 11 employers: not qualified, with the reason.
    await setFairEmployers(db, siteId, fair.id, names.slice(0, 5));
    const five = (await getFair(db, siteId, fair.id)).verdict;
    expect(five.qualified).toBe(false);
    expect(five.reasons).toContain('用人单位 5 家，少于 6 家');
    await setFairEmployers(
      db,
      siteId,
      fair.id,
      EMPLOYERS.slice(0, 11).map((name) => ({ name })),
    );
    const eleven = (await getFair(db, siteId, fair.id)).verdict;
    expect(eleven.qualified).toBe(false);
    expect(eleven.reasons).toContain('用人单位 11 家，多于 10 家');

    // Moved an hour later, the early plays fall outside it (and the one at 03:00 inside).
    await setFairEmployers(db, siteId, fair.id, names);
    await updateFair(db, siteId, fair.id, {
      startsAt: new Date('2026-05-10T02:30:00Z'),
      endsAt: new Date('2026-05-10T04:00:00Z'),
    });
    expect((await getFair(db, siteId, fair.id)).facts).toMatchObject({ completedPlays: 1, videosPlayed: 1 });
  });

  it('lists the year’s fairs by site day and shows the months with an on-site fair', async () => {
    const site = await ensureSite(db, { code: `fair-${label()}`, name: '月度站点', timezone: 'Asia/Shanghai' });
    const onsite = async (startsAt: string) => {
      const fair = await createFair(db, {
        siteId: site.id,
        kind: 'onsite',
        title: `线下招聘会 ${startsAt}`,
        startsAt: new Date(startsAt),
        endsAt: new Date(new Date(startsAt).getTime() + 3 * 3_600_000),
        venue: '体育馆',
      });
      return fair;
    };
    // 2026-01-31 23:30 UTC is 2026-02-01 in Nanchang: a February fair.
    await onsite('2026-01-31T23:30:00Z');
    await onsite('2026-03-05T01:00:00Z');
    await onsite('2025-12-31T01:00:00Z');
    const sy = serviceYear(2026, '01-01');
    const list = await listFairs(db, site.id, sy.start, sy.endExclusive);
    expect(list.map((fair) => fair.day)).toEqual(['2026-02-01', '2026-03-05']);
    expect(list[0]?.verdict.reasons).toContain('用人单位 0 家，少于 10 家');
    const months = onsiteFairMonths(sy, list);
    expect(months).toHaveLength(12);
    expect(months.find((m) => m.month === '2026-02')).toMatchObject({ fairs: 1, qualified: 0, met: false });
    expect(months.find((m) => m.month === '2026-01')).toMatchObject({ fairs: 0, met: false });
    // A qualifying one (10 employers) meets the month.
    await addJobs(
      site.id,
      Array.from({ length: 10 }, (_, i) => ({ employer: `月度单位${i + 1}`, title: '普工' })),
    );
    const march = list[1] as (typeof list)[number];
    await setFairEmployers(
      db,
      site.id,
      march.id,
      Array.from({ length: 10 }, (_, i) => ({ name: `月度单位${i + 1}` })),
    );
    const again = onsiteFairMonths(sy, await listFairs(db, site.id, sy.start, sy.endExclusive));
    expect(again.find((m) => m.month === '2026-03')).toMatchObject({ fairs: 1, qualified: 1, met: true });
  });

  it('takes only the site’s finished videos for the fair’s playlist', async () => {
    const fair = await aiFair();
    const refused = await refusal(setFairPlaylist(db, siteId, fair.id, [2_000_000]));
    expect(refused).toMatchObject({ code: 'BAD_INPUT', field: 'renderIds' });
    expect(refused.message).toContain('2000000');
    expect(await setFairPlaylist(db, siteId, fair.id, [])).toEqual([]);
  });
});

describe('a fair not over yet', () => {
  it('is not qualified until it ends, says how its registration stands, and meets no month', async () => {
    const site = await ensureSite(db, { code: `fair-${label()}`, name: '未举办站点', timezone: 'Asia/Shanghai' });
    const names = Array.from({ length: 10 }, (_, i) => `未举办单位${i + 1}`);
    await addJobs(
      site.id,
      names.map((employer) => ({ employer, title: '普工' })),
    );
    // 2026-03-05 09:00–12:00 in Nanchang, ten employers: it qualifies once held.
    const { fair } = await createFairWithEmployers(
      db,
      {
        siteId: site.id,
        kind: 'onsite',
        title: '三月线下招聘会',
        startsAt: new Date('2026-03-05T01:00:00Z'),
        endsAt: new Date('2026-03-05T04:00:00Z'),
        venue: '体育馆',
      },
      names.map((name) => ({ name })),
    );
    const sy = serviceYear(2026, '01-01');
    const at = async (now: string) => {
      const list = await listFairs(db, site.id, sy.start, sy.endExclusive, new Date(now));
      return { fair: list[0], march: onsiteFairMonths(sy, list).find((m) => m.month === '2026-03') };
    };

    const before = await at('2026-03-01T00:00:00Z');
    expect(before.fair).toMatchObject({ status: 'upcoming', verdict: { qualified: false, employers: 10 } });
    expect(before.fair?.verdict.reasons).toEqual([
      '已登记，尚未举办，结束后才计入考核；按当前登记：用人单位 10 家（要求至少 10 家）',
    ]);
    expect(before.march).toMatchObject({ fairs: 0, qualified: 0, upcoming: 1, met: false });

    const during = await at('2026-03-05T02:00:00Z');
    expect(during.fair).toMatchObject({ status: 'ongoing', verdict: { qualified: false } });
    expect(during.fair?.verdict.reasons[0]).toContain('正在举办，结束后才计入考核');
    expect(during.march).toMatchObject({ fairs: 0, upcoming: 1, met: false });

    // Over at 12:00 (04:00 UTC): from then on it counts.
    const after = await at('2026-03-05T04:00:00Z');
    expect(after.fair).toMatchObject({ status: 'held', verdict: { qualified: true } });
    expect(after.march).toMatchObject({ fairs: 1, qualified: 1, upcoming: 0, met: true });
    expect((await getFair(db, site.id, fair.id, new Date('2026-03-01T00:00:00Z'))).status).toBe('upcoming');
  });

  it('an AI fair still to come says its screens must play job videos, not that they did not', async () => {
    const fair = await aiFair({ title: '将来的 AI 招聘会' });
    await setFairEmployers(
      db,
      siteId,
      fair.id,
      EMPLOYERS.slice(0, 5).map((name) => ({ name })),
    );
    const detail = await getFair(db, siteId, fair.id, new Date('2026-05-01T00:00:00Z'));
    expect(detail.status).toBe('upcoming');
    expect(detail.verdict.reasons).toEqual([
      '已登记，尚未举办，结束后才计入考核；按当前登记：用人单位 5 家，少于 6 家；举办期间职播机须播放带岗视频',
    ]);
  });
});

describe('recording a fair with its employers', () => {
  it('makes the fair and its employers together, or nothing at all when an employer is refused', async () => {
    const title = `一起登记 ${label()}`;
    const input = { siteId, kind: 'onsite', title, startsAt: start, endsAt: end, venue: '体育馆' };
    const refused = await refusal(
      createFairWithEmployers(db, input, [{ name: EMPLOYERS[0] as string }, { name: '查无此单位有限公司' }]),
    );
    expect(refused.code).toBe('BAD_INPUT');
    expect(refused.message).toContain('查无此单位有限公司');
    expect(
      await db
        .select()
        .from(fairs)
        .where(and(eq(fairs.siteId, siteId), eq(fairs.title, title))),
    ).toEqual([]);

    const names = [...EMPLOYERS.slice(0, 10), ` ${EMPLOYERS[0]} `];
    const made = await createFairWithEmployers(
      db,
      input,
      names.map((name) => ({ name })),
    );
    expect(made.merged).toEqual([EMPLOYERS[0]]);
    expect(made.employers).toHaveLength(10);
    // The default jobs are read on the fair's day (2026-05-10 in Nanchang), as setFairEmployers reads them.
    expect(made.employers[0]?.jobs.map((job) => job.title).sort()).toEqual(['文员', '普工']);
    expect((await getFair(db, siteId, made.fair.id)).employerIds).toHaveLength(10);
  });
});

describe('saves at the same time', () => {
  const listA = EMPLOYERS.slice(0, 6);
  const listB = EMPLOYERS.slice(6, 12);
  const idsOf = async (names: string[]) => (await Promise.all(names.map(employerId))).sort((a, b) => a - b);
  const entries = (names: string[]) => names.map((name) => ({ name }));

  it('two saves of a fair’s employers at once leave one list or the other, never both merged', async () => {
    const [a, b] = [await idsOf(listA), await idsOf(listB)];
    for (let round = 0; round < 10; round++) {
      const fair = await aiFair({ title: `并发保存 ${round}` });
      const results = await Promise.allSettled([
        setFairEmployers(db, siteId, fair.id, entries(listA)),
        setFairEmployers(db, siteId, fair.id, entries(listB)),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      expect([a, b]).toContainEqual((await getFair(db, siteId, fair.id)).employerIds);
    }
  });

  it('two saves of overlapping employer lists at once never fail', async () => {
    const listC = EMPLOYERS.slice(3, 9);
    const [a, c] = [await idsOf(listA), await idsOf(listC)];
    for (let round = 0; round < 10; round++) {
      const fair = await aiFair({ title: `重叠保存 ${round}` });
      const results = await Promise.allSettled([
        setFairEmployers(db, siteId, fair.id, entries(listA)),
        setFairEmployers(db, siteId, fair.id, entries(listC)),
      ]);
      expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
      ]);
      expect([a, c]).toContainEqual((await getFair(db, siteId, fair.id)).employerIds);
    }
  });

  it('two saves of a fair’s playlist or a group’s list at once leave one list, without an error', async () => {
    const made = await db
      .insert(renders)
      .values(
        Array.from({ length: 6 }, (_, i) => ({
          siteId,
          kind: 'video' as const,
          template: 'test',
          status: 'done' as const,
          outputKey: `renders/test-${label()}-${i}.mp4`,
        })),
      )
      .returning({ id: renders.id });
    const ids = made.map((row) => row.id);
    const [x, y] = [ids.slice(0, 3), ids.slice(3)];
    const group = (await createScreenGroup(db, { siteId, name: `并发列表-${label()}` })).id;
    for (let round = 0; round < 10; round++) {
      const fair = await aiFair({ title: `并发播放列表 ${round}` });
      const saved = await Promise.allSettled([
        setFairPlaylist(db, siteId, fair.id, x),
        setFairPlaylist(db, siteId, fair.id, y),
        setScreenGroupItems(db, siteId, group, x),
        setScreenGroupItems(db, siteId, group, y),
      ]);
      expect(saved.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
        'ok',
      ]);
      expect([x, y]).toContainEqual((await getFair(db, siteId, fair.id)).playlist);
      expect([x, y]).toContainEqual((await manualPlaylist(db, group)).map((video) => video.renderId));
    }
  });
});

describe('AI fairs on one screen group', () => {
  it('refuses an AI fair whose time overlaps another on the same group, naming it and its time', async () => {
    const group = (await createScreenGroup(db, { siteId, name: `重叠-${label()}` })).id;
    // 2026-05-10 07:00–11:00 in Nanchang.
    const first = await aiFair({ title: '上午场', groupId: group });
    const overlapping = await refusal(
      aiFair({
        title: '加开场',
        groupId: group,
        startsAt: new Date('2026-05-10T02:00:00Z'),
        endsAt: new Date('2026-05-10T05:00:00Z'),
      }),
    );
    expect(overlapping).toMatchObject({ code: 'CONFLICT', field: 'startsAt' });
    expect(overlapping.message).toContain('AI数智招聘会「上午场」（2026-05-10 07:00–11:00）');

    // Back to back is no overlap; another group, or an on-site fair on the group, may share the time.
    const next = await aiFair({
      title: '下午场',
      groupId: group,
      startsAt: end,
      endsAt: new Date('2026-05-10T05:00:00Z'),
    });
    await aiFair({ title: '另一会场' });
    const onsite = await createFair(db, {
      siteId,
      kind: 'onsite',
      title: '同时的线下招聘会',
      startsAt: start,
      endsAt: end,
      venue: '体育馆',
      groupId: group,
    });

    // Moved onto the other, or turned into an AI fair at its time: refused the same way.
    const moved = await refusal(updateFair(db, siteId, next.id, { startsAt: new Date('2026-05-10T02:30:00Z') }));
    expect(moved).toMatchObject({ code: 'CONFLICT', field: 'startsAt' });
    expect(moved.message).toContain('「上午场」');
    const turned = await refusal(updateFair(db, siteId, onsite.id, { kind: 'ai' }));
    expect(turned).toMatchObject({ code: 'CONFLICT', field: 'startsAt' });
    // A fair does not overlap itself: its own record may change.
    expect((await updateFair(db, siteId, first.id, { offers: 12 })).offers).toBe(12);

    // Two recorded at once on one group: one is refused.
    const other = (await createScreenGroup(db, { siteId, name: `重叠-${label()}` })).id;
    const both = await Promise.allSettled([
      aiFair({ title: '甲', groupId: other }),
      aiFair({ title: '乙', groupId: other }),
    ]);
    expect(both.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
