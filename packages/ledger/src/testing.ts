/**
 * Test support: read back what the ledgers wrote, the way an assessor's tools would (Excel's file
 * format through exceljs, a ZIP through yauzl), so tests check the files and not the code that made them.
 */
import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { LiveSessionType } from '@jobcast/core';
import {
  type CoverageEvidence,
  claimRender,
  completeRender,
  createRender,
  type Database,
  getSiteByCode,
  insertLiveSession,
  markFlyerDistributed,
  markFlyerPrinted,
  type NewPublication,
  recordCoverage,
  recordPublication,
  requestFlyerIssue,
  type Site,
  setFlyerIssueRender,
  setServiceYearStart,
} from '@jobcast/db';
import { insertTestFair, testAiVoice } from '@jobcast/db/testing';
import type { MediaStore } from '@jobcast/storage';
import ExcelJS from 'exceljs';
import * as yauzl from 'yauzl';

/** Every file of a ZIP by its name inside it, in the order the ZIP lists them. */
export async function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(data, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip
        .openReadStreamPromise(entry)
        .then((stream) => buffer(stream))
        .then((content) => {
          files.set(entry.fileName, content);
          zip.readEntry();
        }, reject);
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}

export async function readWorkbook(data: Buffer | ArrayBuffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as ArrayBuffer);
  return workbook;
}

/** What a person sees in a cell: a date as YYYY-MM-DD, a link as its text, an empty cell as null. */
export function shown(cell: ExcelJS.Cell): string | number | boolean | null {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') return cell.text;
  return value;
}

/**
 * A sheet's rows as objects keyed by its header row (the last of the rows frozen above the table),
 * up to the first empty row (the summary's notes below its table are read with `sheet.getRow`).
 */
export function sheetRows(
  workbook: ExcelJS.Workbook,
  name: string,
): Record<string, string | number | boolean | null>[] {
  const sheet = workbook.getWorksheet(name);
  if (!sheet)
    throw new Error(`no sheet ${name}; the workbook has ${workbook.worksheets.map((s) => s.name).join(', ')}`);
  const view = sheet.views[0];
  const headerRow = view?.state === 'frozen' ? (view.ySplit ?? 1) : 1;
  const headers = (sheet.getRow(headerRow).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: Record<string, string | number | boolean | null>[] = [];
  for (let n = headerRow + 1; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    if (!row.hasValues) break;
    rows.push(Object.fromEntries(headers.map((header, i) => [header, shown(row.getCell(i + 1))])));
  }
  return rows;
}

const MINUTE = 60_000;

/** A PNG of one pixel: the seeded report's screenshot. */
export const SCREENSHOT = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
);

async function doneRender(
  db: Database,
  store: MediaStore,
  input: { siteId: number; kind: 'video' | 'flyer'; flyerIssueId?: number; stored: boolean; aiVideo?: boolean },
): Promise<number> {
  const render = await createRender(db, {
    siteId: input.siteId,
    kind: input.kind,
    template: input.kind === 'video' ? 'job-spotlight' : 'monthly-flyer',
    jobIds: [],
    flyerIssueId: input.flyerIssueId ?? null,
  });
  await claimRender(db, render.id);
  const dir = `renders/${render.id}`;
  const output =
    input.kind === 'video'
      ? { outputKey: `${dir}/video.mp4`, coverKey: `${dir}/cover.jpg`, mimeType: 'video/mp4', bytes: 1 }
      : { outputKey: `${dir}/flyer.pdf`, mimeType: 'application/pdf', bytes: 1 };
  await completeRender(db, render.id, { ...output, aiComponents: input.aiVideo ? [testAiVoice()] : [] });
  if (input.stored)
    await store.writeBuffer(output.coverKey ?? output.outputKey, Buffer.from(`${input.kind} ${render.id}`));
  return render.id;
}

async function endedSession(
  db: Database,
  input: {
    siteId: number;
    type: LiveSessionType;
    title: string;
    startedAt: string;
    liveSeconds: number;
    presentedJobs: number;
    qualified: boolean;
    reasons: string[];
    evidence?: { htmlKey: string; jsonKey: string; thumbnailKeys: string[] };
  },
): Promise<number> {
  const startedAt = new Date(input.startedAt);
  const row = await insertLiveSession(db, {
    siteId: input.siteId,
    type: input.type,
    title: input.title,
    anchorName: '小李',
    slotStart: startedAt,
    slotEnd: new Date(startedAt.getTime() + 90 * MINUTE),
    status: 'ended',
    streamKeyHash: randomBytes(16).toString('hex'),
    overlayToken: randomBytes(16).toString('hex'),
    startedAt,
    endedAt: new Date(startedAt.getTime() + input.liveSeconds * 1000),
    qualified: input.qualified,
    verdict: {
      qualified: input.qualified,
      reasons: input.reasons,
      liveSeconds: input.liveSeconds,
      presentedJobs: input.presentedJobs,
      thresholds: { minLiveSeconds: 3600, minJobs: input.type === 'job' ? 20 : null, presentMinSeconds: 30 },
    },
    evidenceHtmlKey: input.evidence?.htmlKey ?? null,
    evidenceJsonKey: input.evidence?.jsonKey ?? null,
    thumbnailKeys: input.evidence?.thumbnailKeys ?? null,
  });
  return row.id;
}

/**
 * A service year of 2026-03-01 .. 2027-02-28 (the site's year is set to start on 03-01) with, inside
 * it: 3 videos (one a JobCast render whose cover is stored, one a render whose cover is lost, one
 * made elsewhere), 2 media reports (the national one with a screenshot stored), the March and April flyers, 2 ended livestreams (one qualified
 * with its evidence stored, one not, without evidence yet), 2 AI数智招聘会 and 2 线下招聘会 held (one of
 * each qualified, with photos, one stored and one lost; one of each not: 5 employers, 9 employers);
 * and, just outside the year or not yet held, items of every line that must not be listed. Some
 * titles start with characters a spreadsheet would evaluate.
 */
export async function seedLedgerYear(db: Database, store: MediaStore, site: Site) {
  const siteId = site.id;
  await setServiceYearStart(db, siteId, '03-01');
  const coverStored = await doneRender(db, store, { siteId, kind: 'video', stored: true, aiVideo: true });
  const coverLost = await doneRender(db, store, { siteId, kind: 'video', stored: false });
  const video = (publishedOn: string, title: string, extra: Partial<NewPublication> = {}) =>
    recordPublication(db, {
      siteId,
      platform: 'douyin',
      url: `https://v.douyin.com/${publishedOn}/`,
      publishedOn,
      title,
      ...extra,
    });
  await video('2026-02-28', '上一服务年度的视频');
  await video('2026-03-01', '=HYPERLINK("https://evil.example/","点我")', { renderId: coverStored });
  await video('2026-05-10', '-5℃ 冷库招工', { renderId: coverLost, platform: 'channels' });
  await video('2027-02-28', '春风行动 外部制作', { platform: 'other' });
  await video('2027-03-01', '下一服务年度的视频');

  const report = (
    publishedOn: string,
    level: 'national' | 'provincial',
    outlet: string,
    evidence: CoverageEvidence | null = null,
  ) =>
    recordCoverage(db, {
      siteId,
      outlet,
      level,
      url: `https://news.example.cn/${publishedOn}`,
      publishedOn,
      title: `${outlet}报道零工市场`,
      evidence,
    });
  const screenshot = `coverage/${siteId}/seed-screenshot.png`;
  await store.writeBuffer(screenshot, SCREENSHOT);
  await report('2026-02-27', 'provincial', '江西日报');
  await report('2026-04-02', 'national', '人民网', {
    key: screenshot,
    name: '人民网报道.png',
    bytes: SCREENSHOT.length,
  });
  await report('2026-06-18', 'provincial', '@江西新闻');

  const february = await requestFlyerIssue(db, { siteId, month: '2026-02' });
  await markFlyerPrinted(db, siteId, february.id, { copies: 1500, date: '2026-02-03' });
  const march = await requestFlyerIssue(db, { siteId, month: '2026-03' });
  await setFlyerIssueRender(
    db,
    march.id,
    await doneRender(db, store, { siteId, kind: 'flyer', flyerIssueId: march.id, stored: true }),
  );
  await markFlyerPrinted(db, siteId, march.id, { copies: 1200, date: '2026-03-05' });
  await markFlyerDistributed(db, siteId, march.id, { copies: 1000, place: '青山湖区零工市场', date: '2026-03-08' });
  const april = await requestFlyerIssue(db, { siteId, month: '2026-04', copiesPlanned: 2000 });
  const aprilRender = await createRender(db, {
    siteId,
    kind: 'flyer',
    template: 'monthly-flyer',
    jobIds: [],
    flyerIssueId: april.id,
  });
  await setFlyerIssueRender(db, april.id, aprilRender.id);
  await markFlyerPrinted(db, siteId, april.id, { copies: 800, date: '2026-04-06' }, { allowUnfinishedRender: true });

  const qualifiedEvidence = {
    htmlKey: 'live/seed/evidence.html',
    jsonKey: 'live/seed/evidence.json',
    thumbnailKeys: ['live/seed/thumb-001.jpg', 'live/seed/thumb-002.jpg'],
  };
  for (const key of [qualifiedEvidence.htmlKey, qualifiedEvidence.jsonKey, ...qualifiedEvidence.thumbnailKeys]) {
    await store.writeBuffer(key, Buffer.from(key));
  }
  const qualifiedSession = await endedSession(db, {
    siteId,
    type: 'job',
    title: '春季直播带岗',
    startedAt: '2026-06-01T11:00:00Z',
    liveSeconds: 3900,
    presentedJobs: 21,
    qualified: true,
    reasons: ['直播时长 65 分钟，达到 60 分钟', '讲解岗位 21 个，达到 20 个'],
    evidence: qualifiedEvidence,
  });
  const unqualifiedSession = await endedSession(db, {
    siteId,
    type: 'policy',
    title: '+社保政策解读',
    startedAt: '2026-07-01T02:00:00Z',
    liveSeconds: 1200,
    presentedJobs: 0,
    qualified: false,
    reasons: ['直播时长 20 分钟，不足 60 分钟'],
  });
  // 00:30 on 1 March in Shanghai: the next service year on the site's clock, though still February in UTC.
  await endedSession(db, {
    siteId,
    type: 'job',
    title: '下一服务年度的直播',
    startedAt: '2027-02-28T16:30:00Z',
    liveSeconds: 3900,
    presentedJobs: 20,
    qualified: true,
    reasons: [],
  });
  const fairs = await seedLedgerFairs(db, store, siteId);
  return {
    site: await getSiteByCode(db, site.code),
    year: 2026,
    now: new Date('2026-09-01T04:00:00Z'),
    renders: { coverStored, coverLost },
    sessions: { qualifiedSession, unqualifiedSession },
    evidence: qualifiedEvidence,
    fairs,
  };
}

/** The job fairs of `seedLedgerYear`: see there. */
async function seedLedgerFairs(db: Database, store: MediaStore, siteId: number) {
  const photo = `fairs/seed-${siteId}/photo-1.jpg`;
  const plan = `fairs/seed-${siteId}/plan.pdf`;
  await store.writeBuffer(photo, Buffer.from('photo 1'));
  await store.writeBuffer(plan, Buffer.from('plan'));
  const aiQualified = await insertTestFair(db, siteId, {
    kind: 'ai',
    title: '五月 AI数智招聘会',
    startsAt: '2026-05-20T09:00:00+08:00',
    venue: '零工驿站',
    employers: 7,
    jobsEach: 2,
    jobSeekers: 150,
    offers: 42,
    plays: { completed: 9, videos: 4, partial: 2 },
    group: '零工驿站',
    photos: [
      { key: photo, name: '现场.jpg' },
      { key: `fairs/seed-${siteId}/photo-lost.jpg`, name: '签到台.jpg' },
    ],
    planKey: plan,
    summary: '到场 150 人，达成意向 42 人。',
  });
  const aiShort = await insertTestFair(db, siteId, {
    kind: 'ai',
    title: '=六月 AI数智招聘会',
    startsAt: '2026-06-10T14:00:00+08:00',
    venue: '零工驿站',
    employers: 5,
    plays: { completed: 3 },
    group: '零工驿站',
  });
  const onsiteQualified = await insertTestFair(db, siteId, {
    kind: 'onsite',
    title: '春风行动线下招聘会',
    startsAt: '2026-04-18T09:00:00+08:00',
    venue: '市民广场',
    employers: 12,
    jobSeekers: 800,
    offers: 120,
    group: null,
  });
  const onsiteShort = await insertTestFair(db, siteId, {
    kind: 'onsite',
    title: '七月线下招聘会',
    startsAt: '2026-07-08T09:00:00+08:00',
    venue: '市民广场',
    employers: 9,
    jobSeekers: null,
    offers: null,
    group: null,
  });
  // The day before the year, and one not held yet on the day the ledger is made.
  await insertTestFair(db, siteId, { kind: 'onsite', startsAt: '2026-02-28T09:00:00+08:00', employers: 12 });
  await insertTestFair(db, siteId, { kind: 'onsite', startsAt: '2026-10-01T09:00:00+08:00', employers: 12 });
  return { aiQualified, aiShort, onsiteQualified, onsiteShort, photo, plan };
}
