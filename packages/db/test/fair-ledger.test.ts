import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import { fairLedgerDetails, listFairLedger } from '../src/fair-ledger.ts';
import { ensureSite, type Site } from '../src/sites.ts';
import { insertTestFair, type TestFair } from '../src/testing-fairs.ts';

let db: Database;
let site: Site;
let other: Site;
let ai: TestFair;
let onsite: TestFair;
let firstMinute: TestFair;
let lastDay: TestFair;
let later: TestFair;
let otherFair: TestFair;
const tag = randomBytes(3).toString('hex');
/** The service year 2026-03-01 .. 2027-02-28 on the site's clock (Shanghai). */
const year = { from: '2026-03-01', to: '2027-03-01' };

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  site = await ensureSite(db, { code: `fairs-${tag}`, name: '招聘会台账站点' });
  other = await ensureSite(db, { code: `fairs-other-${tag}`, name: '另一个站点' });
  // Two employers named, the same two at both fairs; 7 in all at the AI fair.
  const named = [`江西示范制造有限公司-${tag}`, `南昌物流园-${tag}`];
  ai = await insertTestFair(db, site.id, {
    kind: 'ai',
    title: '五月 AI数智招聘会',
    startsAt: '2026-05-20T09:00:00+08:00',
    employers: [...named, ...Array.from({ length: 5 }, (_, i) => `单位${i}-${tag}`)],
    jobsEach: 2,
    jobSeekers: 150,
    offers: 42,
    plays: { completed: 9, videos: 4, partial: 3 },
    photos: [
      { key: `fairs/${tag}/a.jpg`, name: '现场1.jpg' },
      { key: `fairs/${tag}/b.jpg`, name: '现场2.jpg' },
    ],
  });
  onsite = await insertTestFair(db, site.id, {
    kind: 'onsite',
    startsAt: '2026-06-06T14:00:00+08:00',
    employers: named,
    jobSeekers: null,
    offers: null,
    group: null,
  });
  // 00:30 on 1 March in Shanghai is still 28 February in UTC: inside the year on the site's clock.
  firstMinute = await insertTestFair(db, site.id, {
    kind: 'onsite',
    startsAt: '2026-03-01T00:30:00+08:00',
    hours: 1,
    employers: 1,
  });
  // 23:30 on 28 February 2027 in Shanghai: the year's last day.
  lastDay = await insertTestFair(db, site.id, {
    kind: 'onsite',
    startsAt: '2027-02-28T23:30:00+08:00',
    hours: 1,
    employers: 1,
  });
  later = await insertTestFair(db, site.id, { kind: 'onsite', startsAt: '2027-03-01T00:10:00+08:00', employers: 1 });
  await insertTestFair(db, site.id, { kind: 'onsite', startsAt: '2026-02-28T23:50:00+08:00', employers: 1 });
  otherFair = await insertTestFair(db, other.id, { kind: 'ai', startsAt: '2026-05-20T09:00:00+08:00', employers: 6 });
});
afterAll(async () => closeDatabase(db));

describe('listFairLedger', () => {
  it("lists the site's fairs of the year by the day they start on its clock, oldest first", async () => {
    const rows = await listFairLedger(db, site, year);
    expect(rows.map((row) => row.id)).toEqual([firstMinute.id, ai.id, onsite.id, lastDay.id]);
    expect(rows.map((row) => [row.day, row.startTime, row.endTime])).toEqual([
      ['2026-03-01', '00:30', '01:30'],
      ['2026-05-20', '09:00', '12:00'],
      ['2026-06-06', '14:00', '17:00'],
      ['2027-02-28', '23:30', '00:30'],
    ]);
    expect(rows.map((row) => row.id)).not.toContain(later.id);
    expect(rows.map((row) => row.id)).not.toContain(otherFair.id);
  });

  it('gives each fair its employers by name, distinct jobs, attendance, photos and plays', async () => {
    const [row] = (await listFairLedger(db, site, year)).filter((r) => r.id === ai.id);
    expect(row).toMatchObject({
      kind: 'ai',
      title: '五月 AI数智招聘会',
      venue: '人力资源市场一楼大厅',
      groupName: '招聘会场-ai',
      employerIds: [...ai.employerIds].sort((a, b) => a - b),
      jobs: 14,
      jobSeekers: 150,
      offers: 42,
      photos: 2,
      photoKeys: [`fairs/${tag}/a.jpg`, `fairs/${tag}/b.jpg`],
      // 9 completed and 3 cut short during the fair; the play after it and the one without jobs are not counted.
      plays: 12,
      completedPlays: 9,
      videosPlayed: 4,
    });
    expect(row?.employerNames).toHaveLength(7);
    expect(row?.employerNames).toContain(`南昌物流园-${tag}`);
    const bare = (await listFairLedger(db, site, year)).find((r) => r.id === onsite.id);
    expect(bare).toMatchObject({
      kind: 'onsite',
      groupName: null,
      jobs: 2,
      jobSeekers: null,
      offers: null,
      photos: 0,
      photoKeys: [],
      plays: 0,
      completedPlays: 0,
    });
    // The same employers at two fairs are the same job-pool employers.
    expect(bare?.employerIds).toEqual(ai.employerIds.slice(0, 2).sort((a, b) => a - b));
  });

  it('with endedBy, leaves out the fairs not over by then', async () => {
    const rows = await listFairLedger(db, site, year, { endedBy: new Date('2026-05-20T04:00:00Z') });
    // 12:00 in Shanghai is 04:00 UTC: the AI fair is over at that instant, the June fair is not.
    expect(rows.map((row) => row.id)).toEqual([firstMinute.id, ai.id]);
  });
});

describe('fairLedgerDetails', () => {
  it("gives the employers with their jobs' titles, the photos and every play counted", async () => {
    const details = await fairLedgerDetails(db, site.id, [ai.id, onsite.id, otherFair.id]);
    expect([...details.keys()].sort()).toEqual([ai.id, onsite.id].sort());
    const detail = details.get(ai.id);
    expect(detail?.employers).toHaveLength(7);
    const first = detail?.employers.find((e) => e.name === `江西示范制造有限公司-${tag}`);
    expect(first?.jobs.map((job) => job.title)).toEqual([
      `江西示范制造有限公司-${tag}招聘岗位1`,
      `江西示范制造有限公司-${tag}招聘岗位2`,
    ]);
    expect(detail?.photos.map((photo) => photo.displayName)).toEqual(['现场1.jpg', '现场2.jpg']);
    expect(detail?.plays).toHaveLength(12);
    expect(detail?.plays.filter((play) => play.completed)).toHaveLength(9);
    const times = detail?.plays.map((play) => play.startedAt.getTime()) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(details.get(onsite.id)).toMatchObject({ photos: [], plays: [] });
  });

  it('answers nothing for no fairs', async () => {
    expect((await fairLedgerDetails(db, site.id, [])).size).toBe(0);
  });
});
