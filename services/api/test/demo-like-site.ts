/**
 * A site filled as the demo fills one, through the same package functions: users with their names,
 * imported jobs (with a rejected row and a warning), finished and failed renders, a flyer issue,
 * publications and a media report, a booked and an ended livestream, a paired screen that played,
 * job fairs of both kinds with photos, a media photo. Browser tests walk its pages with real ids.
 */
import path from 'node:path';
import { addUser } from '@jobcast/auth';
import type { LiveRules } from '@jobcast/config';
import type { UserRole } from '@jobcast/core';
import {
  addFairPhoto,
  claimRender,
  completeRender,
  createFair,
  createImportBatch,
  createMediaAsset,
  createRender,
  createScreenGroup,
  type Database,
  employerNameKey,
  failRender,
  fillSiteDetails,
  finishImportBatch,
  insertScreenPlays,
  prepareJob,
  recordCoverage,
  recordPublication,
  requestFlyerIssue,
  schema,
  setFairEmployers,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { siteDayAndTime } from '@jobcast/ledger';
import { bookLiveSession, endLiveSession, loadSecretBox, saveFinalization } from '@jobcast/live';
import { storeFairPhoto } from '@jobcast/renders';
import { LocalMediaStore } from '@jobcast/storage';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { ApiFixture } from './fixture.ts';

/** What a person is called in the console: a name, as the demo's users have. */
export const STAFF_NAMES: Record<UserRole, string> = {
  admin: '王丽',
  media: '陈晓燕',
  anchor: '刘洋',
  manager: '张建国',
};

/** Employers as a Nanchang office lists them: long names, several of one district. */
export const EMPLOYERS = [
  '南昌洪城物流有限公司',
  '南昌瑶湖家政服务有限公司',
  '南昌象湖餐饮管理有限公司',
  '江西赣江新区智能制造产业园开发有限公司',
  '南昌青山湖区社区卫生服务中心',
  '南昌红谷滩商业管理有限公司',
  '南昌航空港物流服务有限公司',
  '南昌高新区电子信息有限公司',
];
const TITLES = ['叉车司机', '仓库管理员', '普工', '帮厨', '保洁员', '收银员'];

export interface DemoLikeSite {
  usernames: Record<UserRole, string>;
  ids: {
    job: number;
    importBatch: number;
    /** A finished job video. */
    render: number;
    failedRender: number;
    flyerIssue: number;
    bookedSession: number;
    endedSession: number;
    screen: number;
    screenGroup: number;
    aiFair: number;
    onsiteFair: number;
    coverage: number;
  };
}

/**
 * `sessionId` live for the minute before `now`, then ended by the anchor, finished as the stream
 * service finishes a session: its recording, `thumbnails` thumbnails and evidence are recorded
 * (the files themselves are not written).
 */
export async function endAfterAMinuteLive(
  db: Database,
  rules: LiveRules,
  input: { sessionId: number; siteId: number; now: Date; thumbnails: number },
): Promise<void> {
  const { sessionId, siteId, now } = input;
  await db.insert(schema.liveSegments).values({
    sessionId,
    seq: 1,
    startedAt: new Date(now.getTime() - 60_000),
    lastSeenAt: now,
    endedAt: now,
    mediaMs: 60_000,
    bytes: 15_000_000,
    clientAddress: '127.0.0.1',
    hasVideo: true,
    hasAudio: true,
    recordingKey: `live/${sessionId}/segment-1.flv`,
    endReason: 'publisher-left',
  });
  await endLiveSession(db, rules, sessionId, { reason: 'anchor', siteId });
  await saveFinalization(db, sessionId, {
    recordingKey: `live/${sessionId}/recording.mp4`,
    thumbnailKeys: Array.from({ length: input.thumbnails }, (_, i) => `live/${sessionId}/thumb-${i + 1}.jpg`),
    evidenceJsonKey: `live/${sessionId}/evidence.json`,
    evidenceHtmlKey: `live/${sessionId}/evidence.html`,
    error: null,
  });
}

/** Fills the fixture's site; `env` is the configuration the server runs with (live rules, stream address). */
export async function fillDemoLikeSite(
  fx: ApiFixture,
  env: Record<string, string>,
  password: string,
): Promise<DemoLikeSite> {
  const { db } = fx;
  const siteId = fx.site.id;
  const config = fx.config(env);
  const store = new LocalMediaStore(config.mediaDir);
  await db.update(schema.sites).set({ name: '南昌市示范区就业服务中心' }).where(eq(schema.sites.id, siteId));
  await fillSiteDetails(db, siteId, {
    hotline: '0791-88886666',
    address: '南昌市示范区民营科技园就业服务大厅一楼',
    qrUrl: 'https://jobs.example.cn/',
  });

  const usernames = {} as Record<UserRole, string>;
  const userIds = {} as Record<UserRole, number>;
  for (const role of Object.keys(STAFF_NAMES) as UserRole[]) {
    const username = `zh-${role}-${fx.site.code}`;
    const user = await addUser(db, { siteId, username, password, role, displayName: STAFF_NAMES[role] });
    usernames[role] = username;
    userIds[role] = user.id;
  }

  const batch = await createImportBatch(db, { siteId, fileName: '岗位信息-演示.csv', createdBy: userIds.media });
  const jobs = EMPLOYERS.flatMap((employerName, i) =>
    TITLES.slice(0, 2 + (i % 4)).map((title, j) =>
      prepareJob(
        testJobRecord({
          rowNumber: i * 6 + j + 2,
          employerName,
          employerKey: employerNameKey(employerName),
          title,
          category: j === 3 ? 'gig' : j === 4 ? 'part-time' : 'full-time',
          ...(j === 2
            ? {
                payMin: null,
                payMax: null,
                payUnit: null,
                payText: '底薪加提成',
                warnings: ['薪资无法识别，按原文保留'],
              }
            : {}),
        }),
      ),
    ),
  );
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rowsRead: jobs.length + 2,
    rejects: [
      { rowNumber: 60, field: 'title', reason: '缺少岗位名称', value: null },
      { rowNumber: 61, field: 'employer', reason: '缺少单位名称', value: null },
    ],
    jobs,
  });
  await finishImportBatch(db, batch.id, {
    rows: jobs.length + 2,
    imported: jobs.length,
    updated: 0,
    duplicates: 0,
    rejected: 2,
    warnings: 1,
    warningSamples: [{ row: 4, field: 'pay', reason: '薪资无法识别，按原文保留' }],
    message: `读取 ${jobs.length + 2} 行：新增 ${jobs.length} 个岗位，更新 0 个，重复 0 行，拒绝 2 行`,
  });
  const jobRows = await db
    .select({ id: schema.jobs.id, title: schema.jobs.title })
    .from(schema.jobs)
    .where(eq(schema.jobs.siteId, siteId))
    .orderBy(schema.jobs.id);
  const jobIds = jobRows.map((row) => row.id);

  // Renders: their covers on disk, as the worker leaves them.
  const cover = (key: string, width: number, height: number, colour: string) =>
    store.write(key, async (temp) => {
      await sharp({ create: { width, height, channels: 3, background: colour } })
        .jpeg()
        .toFile(temp);
    });
  const finished = async (
    kind: 'video' | 'poster' | 'flyer',
    template: string,
    ids: number[],
    extra: { flyerIssueId?: number; request?: Record<string, unknown> } = {},
  ) => {
    const render = await createRender(db, {
      siteId,
      kind,
      template,
      jobIds: ids,
      request: extra.request ?? { kind, template },
      flyerIssueId: extra.flyerIssueId ?? null,
      createdBy: userIds.media,
    });
    await claimRender(db, render.id);
    const coverKey = `renders/${render.id}/cover.jpg`;
    await cover(coverKey, kind === 'video' ? 540 : 600, kind === 'video' ? 960 : 848, '#1b5fa8');
    await completeRender(db, render.id, {
      outputKey: kind === 'video' ? `renders/${render.id}/video.mp4` : coverKey,
      coverKey,
      mimeType: kind === 'video' ? 'video/mp4' : kind === 'flyer' ? 'application/pdf' : 'image/jpeg',
      width: kind === 'video' ? 1080 : 1240,
      height: kind === 'video' ? 1920 : 1754,
      durationS: kind === 'video' ? 32 : null,
      pages: kind === 'flyer' ? 2 : null,
      bytes: 2_400_000,
      script: kind === 'video' ? '南昌洪城物流招叉车司机，月薪四千到六千，包吃住。' : null,
    });
    return render.id;
  };
  const render = await finished('video', 'job-spotlight', jobIds.slice(0, 1));
  await finished('poster', 'job-poster', jobIds.slice(1, 2));
  await finished('poster', 'multi-job-poster', jobIds.slice(0, 6));
  await finished('video', 'weekly-picks', jobIds.slice(0, 5));
  const failed = await createRender(db, {
    siteId,
    kind: 'video',
    template: 'job-spotlight',
    jobIds: jobIds.slice(2, 3),
    request: { kind: 'video', template: 'job-spotlight' },
    createdBy: userIds.media,
  });
  await claimRender(db, failed.id);
  await failRender(db, failed.id, { code: 'UNREADABLE_FILE', message: '背景音乐文件读不出来，请换一首再试' }, true);
  await createRender(db, {
    siteId,
    kind: 'poster',
    template: 'job-poster',
    jobIds: jobIds.slice(3, 4),
    request: { kind: 'poster', template: 'job-poster' },
    createdBy: userIds.media,
  });

  const month = siteDayAndTime(fx.site.timezone, new Date()).day.slice(0, 7);
  const issue = await requestFlyerIssue(db, { siteId, month, copiesPlanned: 1000 });
  await finished('flyer', 'monthly-flyer', jobIds.slice(0, 12), {
    flyerIssueId: issue.id,
    request: { kind: 'flyer', template: 'monthly-flyer', month, copies: 1000 },
  });

  const today = siteDayAndTime(fx.site.timezone, new Date()).day;
  await recordPublication(db, {
    siteId,
    renderId: render,
    platform: 'douyin',
    url: 'https://www.douyin.com/video/7300000000000000001',
    publishedOn: today,
    title: '叉车司机招聘：月薪四千到六千',
    createdBy: userIds.media,
  });
  await recordPublication(db, {
    siteId,
    platform: 'channels',
    url: 'https://channels.weixin.qq.com/video/abc123',
    publishedOn: today,
    title: '零工市场一周岗位',
    createdBy: userIds.media,
  });
  const coverage = await recordCoverage(db, {
    siteId,
    outlet: '江西日报',
    level: 'provincial',
    url: 'https://www.jxnews.com.cn/article/2026/1.html',
    publishedOn: today,
    title: '南昌“家门口”就业服务站让求职更方便',
    createdBy: userIds.media,
  });

  const photoKey = `assets/${siteId}/photo-1.jpg`;
  await cover(photoKey, 800, 600, '#468');
  await createMediaAsset(db, {
    siteId,
    kind: 'photo',
    displayName: '车间大门.jpg',
    storageKey: photoKey,
    mimeType: 'image/jpeg',
    bytes: 48_000,
    width: 800,
    height: 600,
    uploadedBy: userIds.media,
  });

  const deps = { db, rules: config.live, urls: config, secrets: await loadSecretBox(config) };
  const booker = { siteId, userId: userIds.anchor, displayName: STAFF_NAMES.anchor };
  const booked = await bookLiveSession(deps, booker, {
    type: 'job',
    title: '本月直播带岗（物流专场）',
    start: new Date(Date.now() + 3_600_000),
    jobIds: jobIds.slice(0, 20),
  });
  const now = new Date();
  const ended = (await bookLiveSession(deps, booker, { type: 'policy', title: '稳岗政策解读', start: now, jobIds: [] }))
    .sessionId;
  await endAfterAMinuteLive(db, config.live, { sessionId: ended, siteId, now, thumbnails: 1 });

  const group = await createScreenGroup(db, { siteId, name: '一楼大厅' });
  const [screen] = await db
    .insert(schema.screens)
    .values({
      siteId,
      groupId: group.id,
      name: '大厅 1 号屏',
      tokenHash: `demo-like-${fx.site.code}`,
      lastSeenAt: new Date(),
      lastAddress: '192.168.1.20',
      lastBeat: {
        manifestVersion: 'v1',
        playingRenderId: render,
        state: 'video',
        cachedItems: 3,
        totalItems: 4,
        cachedBytes: 52_000_000,
        problems: [{ renderId: failed.id, reason: '视频文件已不在媒体文件夹中' }],
        pendingPlays: 2,
        userAgent: 'Mozilla/5.0 (Linux; Android 12; TV) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
      },
    })
    .returning();
  if (!screen) throw new Error('screen insert returned no row');

  const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
  const aiFair = await createFair(db, {
    siteId,
    kind: 'ai',
    title: 'AI数智招聘会（物流专场）',
    startsAt: at(3),
    endsAt: at(1),
    venue: '区人力资源市场一楼大厅',
    groupId: group.id,
    jobSeekers: 120,
    offers: 16,
    plan: '上午九点开场，职播机循环播放六家单位的带岗视频。',
    summary: '到场求职者 120 人，达成意向 16 人。',
    createdBy: userIds.admin,
  });
  await setFairEmployers(
    db,
    siteId,
    aiFair.id,
    EMPLOYERS.slice(0, 6).map((name) => ({ name })),
  );
  await insertScreenPlays(
    db,
    screen,
    Array.from({ length: 6 }, (_, i) => ({
      playId: `demo-like-${i}`,
      renderId: render,
      jobIds: jobIds.slice(0, 1),
      startedAt: new Date(at(2.5).getTime() + i * 600_000),
      endedAt: new Date(at(2.5).getTime() + i * 600_000 + 30_000),
      playedMs: 30_000,
      completed: true,
      clockOffsetMs: 0,
    })),
  );
  const onsiteFair = await createFair(db, {
    siteId,
    kind: 'onsite',
    title: '春风行动线下招聘会',
    startsAt: at(30),
    endsAt: at(26),
    venue: '青山湖区体育馆',
    jobSeekers: 300,
    offers: 42,
    createdBy: userIds.admin,
  });
  await setFairEmployers(
    db,
    siteId,
    onsiteFair.id,
    EMPLOYERS.map((name) => ({ name })),
  );
  const scratch = await store.scratchDir('demo-like-site');
  const photo = path.join(scratch, 'photo.jpg');
  await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#c8352d' } })
    .jpeg()
    .toFile(photo);
  const stored = await storeFairPhoto(store, {
    siteId,
    fairId: onsiteFair.id,
    file: photo,
    displayName: '现场照片.jpg',
  });
  await addFairPhoto(db, { siteId, fairId: onsiteFair.id, ...stored, displayName: '现场照片.jpg' });
  await store.dropScratch('demo-like-site');

  return {
    usernames,
    ids: {
      job: jobIds[0] as number,
      importBatch: batch.id,
      render,
      failedRender: failed.id,
      flyerIssue: issue.id,
      bookedSession: booked.sessionId,
      endedSession: ended,
      screen: screen.id,
      screenGroup: group.id,
      aiFair: aiFair.id,
      onsiteFair: onsiteFair.id,
      coverage: coverage.id,
    },
  };
}
