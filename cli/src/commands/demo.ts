import path from 'node:path';
import type { LiveRules } from '@jobcast/config';
import {
  type CoverageLevel,
  isJobcastError,
  type JobView,
  type LiveSessionType,
  type PublicationPlatform,
  printablePay,
  userRoles,
} from '@jobcast/core';
import {
  type Database,
  type FlyerIssue,
  fillSiteDetails,
  findDemoVideo,
  getFlyerIssue,
  getSiteByCode,
  jobVideosOfSite,
  listCoverage,
  listFlyerIssues,
  listJobs,
  listPublications,
  markFlyerDistributed,
  markFlyerPrinted,
  recordCoverage,
  recordPublication,
  type Site,
  urlKey,
} from '@jobcast/db';
import { importFile } from '@jobcast/ingest';
import { isFlyerMonth, monthsOf, type ServiceYear, serviceYear } from '@jobcast/kpi';
import { currentServiceYear, loadYearReport, siteToday } from '@jobcast/ledger';
import {
  type Booking,
  bookLiveSession,
  endLiveSession,
  type LiveUrls,
  listLiveSessions,
  loadSecretBox,
  openSegment,
  presentJob,
  reportSegment,
  type SecretBox,
} from '@jobcast/live';
import { Producer } from '@jobcast/queue';
import { type RenderRequestDeps, requestRender } from '@jobcast/renders';
import { sampleHeader, sampleJobRows, writeCsvFile } from '@jobcast/sample-data';
import type { CommandContext } from '../context.ts';
import { demoFairs, demoScreens } from './demo-fairs.ts';
import { createDemoUsers, DEMO_PASSWORD } from './demo-users.ts';
import { describeImport } from './imports.ts';
import { parseStart } from './live.ts';

export { DEMO_PASSWORD } from './demo-users.ts';

/**
 * Loads the demo through the same paths a user takes: a generated GBK export with some bad rows
 * is imported like any file, one user per role is created, and the service year so far is filled
 * in as the office would have done it (see `seedDemoYear`). `now` is the demo's clock for that
 * year (tests fix it); renders and the livestream to try are asked for on the real clock.
 */
export async function runDemo(ctx: CommandContext, apiUrl: string, now: Date = new Date()): Promise<void> {
  const site = await getSiteByCode(ctx.db, ctx.config.siteCode);
  // First: a demo that may not make its users (public URL not loopback) loads nothing.
  await createDemoUsers(ctx.db, ctx.config, site.id);
  const year = currentServiceYear(site, now);
  const file = path.join(ctx.config.dataDir, 'demo', '岗位信息-演示.csv');
  // Dated in the service year's first calendar year, so every month of it has open jobs for its flyer.
  await writeCsvFile(file, sampleHeader, sampleJobRows({ count: 240, messy: true, badRatio: 0.03, year }), 'gbk');
  const summary = await importFile(ctx.db, file, { siteCode: site.code });
  // The office's details the templates print, unless already set: before anything is rendered.
  await fillSiteDetails(ctx.db, site.id, {
    hotline: '0791-88886666',
    address: '南昌市示范区民营科技园就业服务大厅一楼',
    qrUrl: ctx.config.publicUrl,
  });
  const producer = new Producer({ redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix });
  let renders: { id: number; what: string }[];
  let aiPending = 0;
  let pairingPath = '/player/';
  try {
    const deps = { db: ctx.db, producer, templatesDir: ctx.config.templatesDir };
    // The year first: flyer numbers follow the months, and none may come before the first issue made.
    ({ aiPending, pairingPath } = await seedDemoYear(
      { ...deps, rules: ctx.config.live, urls: ctx.config, secrets: await loadSecretBox(ctx.config) },
      site,
      now,
    ));
    renders = await demoRenders(ctx, deps, site.id);
  } finally {
    await producer.close();
  }
  const { report } = await loadYearReport(ctx.db, site, year, now);
  const live = await demoLivestream(ctx, site.id);
  const relative = path.relative(process.cwd(), file);
  process.stdout.write(
    [
      '',
      `演示数据已导入：${relative}`,
      describeImport(summary),
      `服务年度 ${year}（${report.serviceYear.start} 起）至今的演示记录：${report.lines
        .map((line) => `${line.label} ${line.done}/${line.target} ${line.unit}`)
        .join('、')}，得分 ${report.total.points}/${report.total.maxPoints}`,
      '',
      `控制台：${apiUrl}/ — 登录 manager / ${DEMO_PASSWORD}`,
      `JobCast API：${apiUrl}`,
      `  健康检查：${apiUrl}/healthz   ${apiUrl}/readyz`,
      `  接口文档：${apiUrl}/openapi.json`,
      `演示账号（密码都是 ${DEMO_PASSWORD}）：${userRoles.join('、')}`,
      '试一试：先登录取得令牌，再查询岗位',
      `  curl -s -X POST ${apiUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"manager","password":"${DEMO_PASSWORD}"}'`,
      `  curl -s -H 'Authorization: Bearer <令牌>' '${apiUrl}/api/jobs?category=gig&limit=3'`,
      `  npx jobcast jobs list --search 普工 --limit 5`,
      `制作任务：${renders.map((r) => `#${r.id} ${r.what}`).join('、')}`,
      `  进度：npx jobcast renders list — 文件在 ${path.relative(process.cwd(), ctx.config.mediaDir)}/renders/<编号>/`,
      ...(aiPending > 0 ? [`  往年 AI 视频 ${aiPending} 条正在配音制作，做好后按发布日期登记`] : []),
      `职播机：在浏览器打开 ${apiUrl}${pairingPath} 即配对为一块屏幕，播放大厅分组的视频；其他屏幕打开 ${apiUrl}/player/ 后在「屏幕」页输入配对码`,
      `直播带岗 #${live.sessionId} 已预约，现在即可推流：`,
      `  OBS 服务器：${live.rtmpUrl}   串流密钥：${live.streamKey}`,
      `  OBS 浏览器来源（1920×1080）：${live.overlayUrl}`,
      `  主播控制台（登录 anchor）：${live.consoleUrl}`,
      `  没有 OBS 时：ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine -c:v libx264 -preset veryfast -g 60 -c:a aac -f flv ${live.rtmpUrl}/${live.streamKey}`,
      `  达标情况：npx jobcast live status ${live.sessionId}`,
      '按 Ctrl+C 停止',
      '',
    ].join('\n'),
  );
}

/**
 * A few renders asked for the way a user asks: one job's poster and short video, this week's gig
 * jobs, and this month's flyer. The render worker makes them.
 */
async function demoRenders(
  ctx: CommandContext,
  deps: RenderRequestDeps,
  siteId: number,
): Promise<{ id: number; what: string }[]> {
  const newest = (await listJobs(ctx.db, { siteId, category: 'full-time', limit: 20 })).items.find(
    (job) => printablePay(job.pay) !== null,
  );
  const asked: { id: number; what: string }[] = [];
  const ask = async (what: string, request: Parameters<typeof requestRender>[2]) => {
    asked.push({ id: (await requestRender(deps, siteId, request)).id, what });
  };
  if (newest) {
    await ask('海报', { kind: 'poster', template: 'job-poster', jobIds: [newest.id] });
    await ask('短视频', { kind: 'video', template: 'job-spotlight', jobIds: [newest.id] });
  }
  await ask('零工海报', {
    kind: 'poster',
    template: 'multi-job-poster',
    filter: { category: 'gig', limit: 6 },
  });
  // The office's month (China, UTC+8), not UTC's: early on the 1st they differ.
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  await ask(`${month} 招工小报`, { kind: 'flyer', template: 'monthly-flyer', month, copies: 1000 });
  return asked;
}

/** A job livestream of the newest jobs (as many as the guard asks, at least 20), from now: the anchor's key and overlay are printed once. */
async function demoLivestream(ctx: CommandContext, siteId: number): Promise<Booking> {
  const { items } = await listJobs(ctx.db, { siteId, limit: Math.max(20, ctx.config.live.guardMinJobs) });
  return bookLiveSession(
    { db: ctx.db, rules: ctx.config.live, urls: ctx.config, secrets: await loadSecretBox(ctx.config) },
    { siteId, userId: null, displayName: '演示主播' },
    {
      type: 'job',
      title: '示范区春风行动直播带岗（演示）',
      start: new Date(),
      minutes: 90,
      jobIds: items.map((job) => job.id),
    },
  );
}

/** What recording the demo's year needs: renders for the flyers, and the livestream rules and secrets for its sessions. */
export type DemoYearDeps = RenderRequestDeps & { rules: LiveRules; urls: LiveUrls; secrets: SecretBox };

/**
 * The service year `now` falls in, up to yesterday, as the office would have recorded it through the
 * console: published videos (about 70% of the pace, some AI), media reports (one national), a flyer
 * each past month (one month missed, one printed short), and livestreams with their verdicts. Each
 * item has a fixed place in the year, so running the demo again (or a week later) adds only what is
 * missing and never counts anything twice.
 */
export async function seedDemoYear(
  deps: DemoYearDeps,
  site: Site,
  now: Date,
): Promise<{ aiPending: number; pairingPath: string }> {
  const sy = serviceYear(currentServiceYear(site, now), site.serviceYearStart);
  const today = siteToday(site.timezone, now);
  const jobs = (await listJobs(deps.db, { siteId: site.id, limit: 200 })).items.sort((a, b) => a.id - b.id);
  const screens = await demoScreens(deps.db, site.id, new Date(`${sy.start}T00:00:00Z`));
  if (jobs.length === 0) return { aiPending: 0, pairingPath: screens.pairingPath };
  await demoPublications(deps.db, site.id, sy, today, jobs);
  const ai = await demoAiVideos(deps, site, now);
  await demoCoverage(deps.db, site.id, sy, today);
  await demoFlyers(deps, site.id, sy, today);
  await demoLiveYear(deps, site, sy, today, jobs);
  await demoFairs(deps.db, site, sy, today, {
    screen: screens.venueScreen,
    groupId: screens.venueGroupId,
    videos: await jobVideosOfSite(deps.db, site.id, 6),
  });
  return { aiPending: ai.pending, pairingPath: screens.pairingPath };
}

/** YYYY-MM-DD, `days` after a YYYY-MM-DD day. */
function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `count` items spread evenly over the service year (`shift` days later), those whose day is before today. */
function pastItems(sy: ServiceYear, count: number, today: string, shift = 0): { k: number; day: string }[] {
  const items: { k: number; day: string }[] = [];
  for (let k = 0; k < count; k++) {
    const day = dayAfter(sy.start, Math.floor(((k + 0.5) * sy.days) / count) + shift);
    if (day < today) items.push({ k, day });
  }
  return items;
}

/** Where the demo's videos went up, in turn, and each platform's address for the video numbered `id`. */
const VIDEO_PLATFORMS = ['douyin', 'channels', 'douyin', 'channels', 'other'] as const;
const VIDEO_URLS: Record<PublicationPlatform, (id: string) => string> = {
  douyin: (id) => `https://www.douyin.com/video/74${id}`,
  channels: (id) => `https://channels.weixin.qq.com/web/pages/feed?eid=demo${id}`,
  other: (id) => `https://www.ixigua.com/73${id}`,
};

const POLICY_VIDEOS = [
  '政策一分钟：灵活就业人员社保补贴怎么领',
  '零工市场每日快讯',
  '求职防骗小课堂',
  '创业担保贷款申请指南',
];

/** Videos the demo's year publishes in all; every sixth is an AI video. */
const DEMO_VIDEOS = 80;
const isAiSlot = (k: number) => k % 6 === 2;

/** Where the demo's video numbered `k` went up, and its address there. */
function videoSlot(sy: ServiceYear, k: number): { platform: PublicationPlatform; url: string } {
  const platform = VIDEO_PLATFORMS[k % VIDEO_PLATFORMS.length] as PublicationPlatform;
  return { platform, url: VIDEO_URLS[platform](`${sy.year}${String(k + 1).padStart(4, '0')}`) };
}

/** The year's videos other than its AI ones, those published before today (demoAiVideos makes the AI ones). */
async function demoPublications(db: Database, siteId: number, sy: ServiceYear, today: string, jobs: JobView[]) {
  const recorded = new Set((await listPublications(db, siteId)).map((p) => p.urlKey));
  for (const { k, day } of pastItems(sy, DEMO_VIDEOS, today)) {
    if (isAiSlot(k)) continue;
    const { platform, url } = videoSlot(sy, k);
    if (recorded.has(urlKey(url))) continue;
    const job = jobs[(k * 7) % jobs.length] as JobView;
    const title =
      k % 5 === 4 ? (POLICY_VIDEOS[k % POLICY_VIDEOS.length] as string) : `岗位速递｜${job.employer}招${job.title}`;
    await recordPublication(db, { siteId, platform, url, publishedOn: day, title });
  }
}

/**
 * The year's AI videos, made as the media team makes them: each a narrated job video that JobCast
 * renders with its synthetic voice (the render records the voice, which is what makes it AI), then
 * recorded as published on its day once the render is done. The first call asks for the renders;
 * later calls (the demo checks while it runs, and every start) record those finished since.
 */
export async function demoAiVideos(
  deps: RenderRequestDeps,
  site: Site,
  now: Date,
): Promise<{ published: number; pending: number }> {
  const sy = serviceYear(currentServiceYear(site, now), site.serviceYearStart);
  const today = siteToday(site.timezone, now);
  // Only jobs whose pay a video may print: the demo's messy rows keep some pay as the posting wrote it.
  const jobs = (await listJobs(deps.db, { siteId: site.id, limit: 200 })).items
    .filter((job) => printablePay(job.pay) !== null)
    .sort((a, b) => a.id - b.id);
  const recorded = new Set((await listPublications(deps.db, site.id)).map((p) => p.urlKey));
  let published = 0;
  let pending = 0;
  if (jobs.length === 0) return { published, pending };
  for (const { k, day } of pastItems(sy, DEMO_VIDEOS, today)) {
    if (!isAiSlot(k)) continue;
    const { platform, url } = videoSlot(sy, k);
    if (recorded.has(urlKey(url))) continue;
    const job = jobs[(k * 7) % jobs.length] as JobView;
    // The demo's own narrated video of this job that no publication has taken yet.
    const render = await findDemoVideo(deps.db, site.id, job.id);
    if (!render) {
      await requestRender(deps, site.id, { kind: 'video', template: 'job-spotlight', jobIds: [job.id] });
      pending++;
    } else if (render.status === 'done') {
      const title = `AI 配音播岗位｜${job.employer}招${job.title}`;
      await recordPublication(deps.db, {
        siteId: site.id,
        renderId: render.id,
        platform,
        url,
        publishedOn: day,
        title,
      });
      published++;
    } else if (render.status !== 'failed') {
      pending++;
    }
  }
  return { published, pending };
}

/**
 * While the demo runs: records its AI videos as the render worker finishes them, checking every
 * `everyMs` until none is left. Returns what stops it.
 */
export async function followDemoAiVideos(
  ctx: CommandContext,
  log: (line: string) => void,
  everyMs = 10_000,
): Promise<() => Promise<void>> {
  const site = await getSiteByCode(ctx.db, ctx.config.siteCode);
  const producer = new Producer({ redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix });
  const deps = { db: ctx.db, producer, templatesDir: ctx.config.templatesDir };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    if (stopped) return;
    try {
      const { published, pending } = await demoAiVideos(deps, site, new Date());
      if (published > 0) log(`demo: recorded ${published} AI video(s) as published; ${pending} still rendering`);
      if (pending === 0) return;
    } catch (error) {
      log(`demo: AI videos not recorded yet (${(error as Error).message})`);
    }
    if (!stopped) timer = setTimeout(check, everyMs).unref();
  };
  timer = setTimeout(check, everyMs).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await producer.close();
  };
}

const DEMO_COVERAGE: { outlet: string; level: CoverageLevel; host: string; title: string }[] = [
  { outlet: '江西日报', level: 'provincial', host: 'jxrb.jxnews.com.cn', title: '示范区春风行动送岗位到家门口' },
  { outlet: '大江网', level: 'provincial', host: 'www.jxnews.com.cn', title: '直播带岗：一场直播 20 个好岗位' },
  { outlet: '中国劳动保障报', level: 'national', host: 'www.clssn.com', title: '南昌示范区：短视频让岗位信息"跑"起来' },
  { outlet: '江西广播电视台', level: 'provincial', host: 'www.jxntv.cn', title: '零工驿站里的招工小报' },
  { outlet: '人民网江西频道', level: 'provincial', host: 'jx.people.com.cn', title: '高校毕业生就业季：岗位送进校园' },
  { outlet: '江西工人报', level: 'provincial', host: 'www.jxgrb.cn', title: '访企探岗：主播走进园区电子厂' },
  {
    outlet: '中国江西网',
    level: 'provincial',
    host: 'jiangxi.jxnews.com.cn',
    title: '金秋招聘月 示范区就业服务不打烊',
  },
  { outlet: '江西新闻客户端', level: 'provincial', host: 'app.jxxw.com.cn', title: '家门口的就业服务站' },
  { outlet: '江西日报', level: 'provincial', host: 'jxrb.jxnews.com.cn', title: '就业援助月：暖心岗位送上门' },
];

/** The year's media reports, spread over it; those published before today are recorded. */
async function demoCoverage(db: Database, siteId: number, sy: ServiceYear, today: string) {
  const recorded = new Set((await listCoverage(db, siteId)).map((c) => c.urlKey));
  for (const { k, day } of pastItems(sy, DEMO_COVERAGE.length, today)) {
    const report = DEMO_COVERAGE[k] as (typeof DEMO_COVERAGE)[number];
    const url = `https://${report.host}/${sy.year}/demo-${k + 1}.html`;
    if (recorded.has(urlKey(url))) continue;
    await recordCoverage(db, { siteId, ...report, url, publishedOn: day });
  }
}

/** The month's flyer asked for as the media team asks; none when the month had no open jobs to print (the refusal a user would get). */
async function newFlyerIssue(deps: RenderRequestDeps, siteId: number, month: string): Promise<FlyerIssue | null> {
  try {
    const render = await requestRender(deps, siteId, { kind: 'flyer', template: 'monthly-flyer', month, copies: 1000 });
    // A flyer's render always belongs to its month's issue.
    return await getFlyerIssue(deps.db, render.flyerIssueId as number);
  } catch (error) {
    if (isJobcastError(error) && error.code === 'BAD_INPUT') return null;
    throw error;
  }
}

const FLYER_PLACES = ['示范区零工驿站', '人力资源市场服务大厅', '各社区便民服务站'];

/**
 * A flyer for each month of the year before this one, generated and marked printed and distributed
 * as the media team would; the third month has none and the sixth was printed in 800 copies only.
 */
async function demoFlyers(deps: RenderRequestDeps, siteId: number, sy: ServiceYear, today: string) {
  const issues = new Map((await listFlyerIssues(deps.db, siteId)).map((issue) => [issue.month.slice(0, 7), issue]));
  const months = monthsOf(sy).filter((month) => isFlyerMonth(sy, month) && month < today.slice(0, 7));
  for (const [i, month] of months.entries()) {
    if (i === 2) continue;
    const issue = issues.get(month) ?? (await newFlyerIssue(deps, siteId, month));
    if (!issue || issue.copiesPrinted !== null) continue;
    const copies = i === 5 ? 800 : ([1000, 1200, 1500][i % 3] as number);
    // A past month's print, recorded while the worker is still making its flyer.
    await markFlyerPrinted(deps.db, siteId, issue.id, { copies, date: `${month}-05` }, { allowUnfinishedRender: true });
    await markFlyerDistributed(deps.db, siteId, issue.id, {
      copies,
      place: FLYER_PLACES[i % FLYER_PLACES.length] as string,
      date: `${month}-10`,
    });
  }
}

/** The campaign a 直播带岗 belongs to, by its month. */
function jobTheme(day: string): string {
  const month = Number(day.slice(5, 7));
  if (month <= 3) return '春风行动';
  if (month <= 5) return '民营企业招聘月';
  if (month <= 8) return '高校毕业生就业季';
  if (month <= 10) return '金秋招聘月';
  return '就业援助月';
}

const OTHER_SESSIONS: { type: LiveSessionType; title: string }[] = [
  { type: 'policy', title: '政策讲解：灵活就业人员社保补贴' },
  { type: 'training', title: '零工培训：家政服务入门' },
  { type: 'visit', title: '访企探岗：走进园区电子厂' },
  { type: 'other', title: '就业服务进社区' },
];

const ANCHORS = ['李晓梅', '王强'];

interface DemoSession {
  type: LiveSessionType;
  title: string;
  anchorName: string;
  start: Date;
  jobIds: number[];
  /** False for the one that went out short and was ended by force. */
  qualify: boolean;
}

const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

/**
 * Two 直播带岗 a month and one other livestream, each on its own day of the year; the fifth 直播带岗
 * falls short. Sessions already in the year (same slot and title) are left as they are.
 */
async function demoLiveYear(deps: DemoYearDeps, site: Site, sy: ServiceYear, today: string, jobs: JobView[]) {
  const done = new Set<string>();
  for (const s of (await listLiveSessions(deps.db, site, sy.year)).sessions) done.add(`${s.slotStart}|${s.title}`);
  const rundown = Math.min(deps.rules.guardMinJobs + 2, jobs.length);
  const sessions: DemoSession[] = [
    ...pastItems(sy, 24, today).map(({ k, day }) => ({
      type: 'job' as const,
      title: `${jobTheme(day)}·直播带岗（第 ${k + 1} 场）`,
      anchorName: ANCHORS[k % ANCHORS.length] as string,
      start: parseStart(`${day}T14:30`, site.timezone),
      jobIds: Array.from({ length: rundown }, (_, i) => (jobs[(k * rundown + i) % jobs.length] as JobView).id),
      qualify: k !== 4,
    })),
    ...pastItems(sy, 12, today, 3).map(({ k, day }) => {
      const kind = OTHER_SESSIONS[k % OTHER_SESSIONS.length] as (typeof OTHER_SESSIONS)[number];
      return {
        type: kind.type,
        title: `${kind.title}（第 ${k + 1} 期）`,
        anchorName: ANCHORS[(k + 1) % ANCHORS.length] as string,
        start: parseStart(`${day}T10:00`, site.timezone),
        jobIds: [],
        qualify: true,
      };
    }),
  ];
  for (const session of sessions) {
    if (!done.has(`${session.start.toISOString()}|${session.title}`)) await demoSession(deps, site.id, session);
  }
}

/**
 * One session as the stream service and the anchor console would have recorded it, on the clock of
 * its day: booked two days ahead, live from two minutes past its slot, the rundown presented job by
 * job, ended by the anchor. A session meant to fall short is live for 60% of the time the guard asks
 * and shows half its rundown, so the anchor has to force the end.
 */
async function demoSession(deps: DemoYearDeps, siteId: number, session: DemoSession): Promise<void> {
  const { db, rules } = deps;
  const { sessionId } = await bookLiveSession(
    deps,
    { siteId, userId: null, displayName: session.anchorName },
    {
      type: session.type,
      title: session.title,
      anchorName: session.anchorName,
      start: session.start,
      minutes: 90,
      jobIds: session.jobIds,
    },
    later(session.start, -2 * 86_400),
  );
  const startedAt = later(session.start, 120);
  const segment = await openSegment(db, sessionId, {
    clientAddress: '192.168.1.20',
    startedAt,
    recordingKey: (seq) => `live/${sessionId}/segment-${String(seq).padStart(3, '0')}.flv`,
  });
  const needed = session.type === 'job' ? rules.guardMinLiveSeconds : rules.otherMinLiveSeconds;
  const liveSeconds = session.qualify ? needed + 300 : Math.round(needed * 0.6);
  const shown = session.qualify ? session.jobIds.length : Math.floor(session.jobIds.length / 2);
  for (let i = 0; i < shown; i++) {
    await presentJob(db, sessionId, 'next', siteId, later(startedAt, (i * liveSeconds) / shown));
  }
  const lastSeenAt = later(startedAt, liveSeconds);
  await reportSegment(db, segment.id, {
    mediaMs: liveSeconds * 1000,
    bytes: liveSeconds * 300_000,
    hasVideo: true,
    hasAudio: true,
    lastSeenAt,
  });
  await endLiveSession(
    db,
    rules,
    sessionId,
    { reason: 'anchor', force: !session.qualify, siteId },
    later(lastSeenAt, 30),
  );
}
