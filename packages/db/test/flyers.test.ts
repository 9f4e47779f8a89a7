import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import {
  flyerIssueNumberFor,
  getFlyerIssue,
  requestFlyerIssue,
  setFlyerIssueNumber,
  setFlyerIssueRender,
} from '../src/flyers.ts';
import { markFlyerPrinted } from '../src/publications.ts';
import { claimRender, completeRender, createRender, failRender } from '../src/renders.ts';
import { ensureSite } from '../src/sites.ts';

let db: Database;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
});
afterAll(async () => closeDatabase(db));

/** A site of its own, its service year starting on `start` (MM-DD). */
async function newSite(start = '01-01'): Promise<number> {
  const site = await ensureSite(db, { code: `flyer-${randomBytes(3).toString('hex')}`, name: '小报站点' });
  await db.$client.query('update sites set service_year_start = $2 where id = $1', [site.id, start]);
  return site.id;
}

const issue = (month: string, issueNumber: number) => ({ month, issueNumber });

describe('the number a new month takes', () => {
  it.each([
    ['the first issue: its month’s place in a January year', '2026-01', null, null, '01-01', 1],
    ['the first issue made in December: still its place', '2026-12', null, null, '01-01', 12],
    ['the first issue: its month’s place in a March year', '2027-02', null, null, '03-01', 12],
    ['the first issue: a mid-month start leaves the partial month out', '2026-04', null, null, '03-15', 1],
    ['after a missed month, the gap stays', '2027-02', issue('2026-12', 12), null, '01-01', 14],
    ['a missed month made late: its own number', '2027-01', issue('2026-12', 12), issue('2027-02', 14), '01-01', 13],
    ['continues an office’s own series', '2026-05', issue('2026-03', 37), null, '01-01', 39],
    ['counts back from the first issue', '2026-01', null, issue('2026-12', 12), '01-01', 1],
    ['below 1 before the series began', '2026-02', null, issue('2026-03', 1), '03-01', 0],
  ] as const)('%s: %s', (_story, month, before, after, start, expected) => {
    expect(flyerIssueNumberFor(month, { before, after }, start)).toBe(expected);
  });
});

describe('flyer issues', () => {
  it('numbers issues by their month: a missed month made later gets the number between', async () => {
    const siteId = await newSite();
    const december = await requestFlyerIssue(db, { siteId, month: '2026-12' });
    const february = await requestFlyerIssue(db, { siteId, month: '2027-02', copiesPlanned: 1200 });
    const january = await requestFlyerIssue(db, { siteId, month: '2027-01' });
    expect([december.issueNumber, january.issueNumber, february.issueNumber]).toEqual([12, 13, 14]);
    expect(february).toMatchObject({ revision: 1, copiesPlanned: 1200, month: '2027-02-01' });
  });

  it('makes a new revision of the same issue, with the same number, when its month is asked for again', async () => {
    const siteId = await newSite();
    const november = await requestFlyerIssue(db, { siteId, month: '2026-11' });
    const again = await requestFlyerIssue(db, { siteId, month: '2026-11', copiesPlanned: 1500 });
    expect(again).toMatchObject({ id: november.id, issueNumber: 11, revision: 2, copiesPlanned: 1500 });
  });

  it('gives months asked for at the same moment their own numbers, and one issue per month', async () => {
    const siteId = await newSite();
    const months = ['2027-03', '2027-01', '2027-02', '2027-01', '2027-03', '2027-02'];
    const issues = await Promise.all(months.map((month) => requestFlyerIssue(db, { siteId, month })));
    const byMonth = new Map(issues.map((i) => [i.month, i.issueNumber]));
    expect(Object.fromEntries(byMonth)).toEqual({ '2027-01-01': 1, '2027-02-01': 2, '2027-03-01': 3 });
  });

  it("carries on from a number the office changed, and keeps the later months' gap", async () => {
    const siteId = await newSite();
    const march = await requestFlyerIssue(db, { siteId, month: '2026-03' });
    await setFlyerIssueNumber(db, { siteId, issueId: march.id, issueNumber: 37 });
    expect((await requestFlyerIssue(db, { siteId, month: '2026-05' })).issueNumber).toBe(39);
    expect((await requestFlyerIssue(db, { siteId, month: '2026-04' })).issueNumber).toBe(38);
  });

  it('edits a number before printing, refuses one another issue has, and fixes it once printed', async () => {
    const siteId = await newSite();
    const june = await requestFlyerIssue(db, { siteId, month: '2026-06' });
    const july = await requestFlyerIssue(db, { siteId, month: '2026-07' });
    await setFlyerIssueNumber(db, { siteId, issueId: july.id, issueNumber: 26 });
    expect(await setFlyerIssueNumber(db, { siteId, issueId: june.id, issueNumber: 25 })).toMatchObject({
      issueNumber: 25,
    });
    await expect(setFlyerIssueNumber(db, { siteId, issueId: june.id, issueNumber: 26 })).rejects.toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: '期号要小于2026年7月的第 26 期：各期按月份排号' }),
    );
    await expect(setFlyerIssueNumber(db, { siteId, issueId: june.id, issueNumber: 0 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    // Undoing a change leaves alone a number someone else has set since.
    await expect(
      setFlyerIssueNumber(db, { siteId, issueId: june.id, issueNumber: 6, current: 24 }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: '这一期的期号刚被改为第 25 期' });
    expect((await getFlyerIssue(db, june.id)).issueNumber).toBe(25);

    await markFlyerPrinted(db, siteId, june.id, { copies: 1000, date: '2026-06-05' });
    await expect(setFlyerIssueNumber(db, { siteId, issueId: june.id, issueNumber: 26 })).rejects.toThrow(
      expect.objectContaining({
        code: 'RULE_VIOLATED',
        message: '2026年6月的招工小报（第 25 期）已登记印刷 1000 份，期号不能再改：印出来的这一版就是考核佐证。',
      }),
    );
    await expect(requestFlyerIssue(db, { siteId, month: '2026-06' })).rejects.toMatchObject({
      code: 'RULE_VIOLATED',
      message: expect.stringContaining('不能重新生成'),
    });
    // Another site's issue is as absent as one that never existed.
    const other = await newSite();
    await expect(setFlyerIssueNumber(db, { siteId: other, issueId: july.id, issueNumber: 27 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('keeps the numbers in the order of the months: an edited number lies between its neighbours’', async () => {
    const siteId = await newSite();
    const december = await requestFlyerIssue(db, { siteId, month: '2026-12' });
    const february = await requestFlyerIssue(db, { siteId, month: '2027-02' });
    const january = await requestFlyerIssue(db, { siteId, month: '2027-01' });
    await expect(setFlyerIssueNumber(db, { siteId, issueId: january.id, issueNumber: 20 })).rejects.toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: '期号要大于2026年12月的第 12 期、小于2027年2月的第 14 期：各期按月份排号',
      }),
    );
    await expect(setFlyerIssueNumber(db, { siteId, issueId: december.id, issueNumber: 13 })).rejects.toThrow(
      expect.objectContaining({ message: '期号要小于2027年1月的第 13 期：各期按月份排号' }),
    );
    await expect(setFlyerIssueNumber(db, { siteId, issueId: february.id, issueNumber: 13 })).rejects.toThrow(
      expect.objectContaining({ message: '期号要大于2027年1月的第 13 期：各期按月份排号' }),
    );
    // Renumbered from the latest back, the series moves as a whole.
    await setFlyerIssueNumber(db, { siteId, issueId: february.id, issueNumber: 38 });
    await setFlyerIssueNumber(db, { siteId, issueId: january.id, issueNumber: 37 });
    await setFlyerIssueNumber(db, { siteId, issueId: december.id, issueNumber: 36 });
    const numbers = await Promise.all(
      [december, january, february].map(async (i) => (await getFlyerIssue(db, i.id)).issueNumber),
    );
    expect(numbers).toEqual([36, 37, 38]);
  });

  it('refuses a new month whose number would pass a later issue’s edited number', async () => {
    const siteId = await newSite();
    await requestFlyerIssue(db, { siteId, month: '2026-12' });
    const march = await requestFlyerIssue(db, { siteId, month: '2027-03' });
    await setFlyerIssueNumber(db, { siteId, issueId: march.id, issueNumber: 13 });
    // Counted on from December's 12, February would be 14: after March's 13 on the paper.
    await expect(requestFlyerIssue(db, { siteId, month: '2027-02' })).rejects.toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: '按月份，2027年2月应是第 14 期，但2027年3月已是第 13 期：请先改正那一期的期号。',
      }),
    );
  });

  it('says what to do when a month comes before the first issue, or its number is taken', async () => {
    const siteId = await newSite('03-01');
    const march = await requestFlyerIssue(db, { siteId, month: '2026-03' });
    expect(march.issueNumber).toBe(1);
    await expect(requestFlyerIssue(db, { siteId, month: '2026-02' })).rejects.toThrow(
      expect.objectContaining({
        code: 'RULE_VIOLATED',
        message:
          '2026年2月早于第 1 期（2026年3月），按月份排期号会小于 1。可先把那一期的期号改大，再生成这个月的小报。',
      }),
    );
    await setFlyerIssueNumber(db, { siteId, issueId: march.id, issueNumber: 2 });
    expect((await requestFlyerIssue(db, { siteId, month: '2026-02' })).issueNumber).toBe(1);

    const may = await requestFlyerIssue(db, { siteId, month: '2026-05' });
    await setFlyerIssueNumber(db, { siteId, issueId: may.id, issueNumber: 3 });
    await expect(requestFlyerIssue(db, { siteId, month: '2026-04' })).rejects.toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: '按月份，2026年4月应是第 3 期，但2026年5月已是第 3 期：请先改正那一期的期号。',
      }),
    );
  });

  it('refuses a month not written YYYY-MM, or one outside the years a flyer is made, in Chinese', async () => {
    const siteId = await newSite();
    for (const month of ['2026-13', '0000-01', '9999-12']) {
      await expect(requestFlyerIssue(db, { siteId, month })).rejects.toThrow(
        expect.objectContaining({
          code: 'BAD_INPUT',
          message: `月份“${month}”有误：请写成 2026-01 这样的年-月，年份在 2000 到 2100 之间`,
        }),
      );
    }
  });

  it('records a print only once the latest flyer, with the current number, is made', async () => {
    const siteId = await newSite();
    const may = await requestFlyerIssue(db, { siteId, month: '2026-05' });
    const made = async () => {
      const render = await createRender(db, {
        siteId,
        kind: 'flyer',
        template: 'monthly-flyer',
        jobIds: [1],
        flyerIssueId: may.id,
      });
      await setFlyerIssueRender(db, may.id, render.id);
      return render.id;
    };
    const print = () => markFlyerPrinted(db, siteId, may.id, { copies: 1000, date: '2026-05-05' });

    const queued = await made();
    await expect(print()).rejects.toThrow(
      expect.objectContaining({
        code: 'RULE_VIOLATED',
        message: `2026年5月的招工小报（第 5 期）最新的一版（制作 #${queued}）还没有做好：印的应是印着当前期号的这一版，做好、核对后再登记印刷。`,
      }),
    );
    await claimRender(db, queued);
    await failRender(db, queued, { code: 'UNREADABLE_FILE', message: '模板读不出来' }, true);
    await expect(print()).rejects.toMatchObject({
      code: 'RULE_VIOLATED',
      message: expect.stringContaining(`（制作 #${queued}）制作失败：请重新生成这一期`),
    });
    expect((await getFlyerIssue(db, may.id)).copiesPrinted).toBeNull();

    const remade = await made();
    await claimRender(db, remade);
    await completeRender(db, remade, {
      outputKey: `renders/${remade}/flyer.pdf`,
      previewKeys: [],
      mimeType: 'application/pdf',
      pages: 2,
      bytes: 1000,
    });
    expect(await print()).toMatchObject({ copiesPrinted: 1000, printedAt: '2026-05-05' });
  });
});
