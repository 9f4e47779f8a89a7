import path from 'node:path';
import { addUser } from '@jobcast/auth';
import { isJobcastError, userRoles } from '@jobcast/core';
import { getSiteByCode, listJobs } from '@jobcast/db';
import { importFile } from '@jobcast/ingest';
import { type Booking, bookLiveSession, loadSecretBox } from '@jobcast/live';
import { Producer } from '@jobcast/queue';
import { requestRender } from '@jobcast/renders';
import { sampleHeader, sampleJobRows, writeCsvFile } from '@jobcast/sample-data';
import { LocalMediaStore } from '@jobcast/storage';
import type { CommandContext } from '../context.ts';
import { describeImport } from './imports.ts';

export const DEMO_PASSWORD = 'jobcast-demo';

/**
 * Loads the demo through the same paths a user takes: a generated GBK export with some bad rows
 * is imported like any file, and one user per role is created.
 */
export async function runDemo(ctx: CommandContext, apiUrl: string): Promise<void> {
  const file = path.join(ctx.config.dataDir, 'demo', '岗位信息-演示.csv');
  await writeCsvFile(file, sampleHeader, sampleJobRows({ count: 240, messy: true, badRatio: 0.03 }), 'gbk');
  const summary = await importFile(ctx.db, file, { siteCode: ctx.config.siteCode });
  const site = await getSiteByCode(ctx.db, ctx.config.siteCode);
  for (const role of userRoles) {
    try {
      await addUser(ctx.db, {
        siteId: site.id,
        username: role,
        password: DEMO_PASSWORD,
        role,
        displayName: `演示${role}`,
      });
    } catch (error) {
      if (!isJobcastError(error) || error.code !== 'CONFLICT') throw error;
    }
  }
  const renders = await demoRenders(ctx, site.id);
  const live = await demoLivestream(ctx, site.id);
  const relative = path.relative(process.cwd(), file);
  process.stdout.write(
    [
      '',
      `演示数据已导入 (demo data imported) — ${relative}`,
      describeImport(summary),
      '',
      `JobCast API:   ${apiUrl}`,
      `  健康检查:     ${apiUrl}/healthz   ${apiUrl}/readyz`,
      `  接口文档:     ${apiUrl}/openapi.json`,
      `演示账号 (demo logins), 密码 ${DEMO_PASSWORD}: ${userRoles.join(', ')}`,
      '试一试 (try): 先登录取得令牌，再查询岗位 (sign in for a token, then list jobs)',
      `  curl -s -X POST ${apiUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"manager","password":"${DEMO_PASSWORD}"}'`,
      `  curl -s -H 'Authorization: Bearer <token>' '${apiUrl}/api/jobs?category=gig&limit=3'`,
      `  npx jobcast jobs list --search 普工 --limit 5`,
      `制作任务 (renders): ${renders.map((r) => `#${r.id} ${r.what}`).join('、')}`,
      `  进度 (progress): npx jobcast renders list — 文件在 (files in) ${path.relative(process.cwd(), ctx.config.mediaDir)}/renders/<编号>/`,
      `直播带岗 (a job livestream, #${live.sessionId}) 已预约，现在即可推流 (booked; publish now):`,
      `  OBS 服务器 (server): ${live.rtmpUrl}   推流码 (stream key): ${live.streamKey}`,
      `  OBS 浏览器源 (browser source, 1920×1080): ${live.overlayUrl}`,
      `  主播控制台 (anchor console, 登录 anchor): ${live.consoleUrl}`,
      `  没有 OBS 时 (without OBS): ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine -c:v libx264 -preset veryfast -g 60 -c:a aac -f flv ${live.rtmpUrl}/${live.streamKey}`,
      `  达标情况 (the guard): npx jobcast live status ${live.sessionId}`,
      '按 Ctrl+C 停止 (Ctrl+C stops)',
      '',
    ].join('\n'),
  );
}

/**
 * The office's details the templates print, unless already set, and a few renders asked for the way
 * a user asks: one job's poster and short video, this week's gig jobs, and this month's flyer. The
 * render worker makes them.
 */
async function demoRenders(ctx: CommandContext, siteId: number): Promise<{ id: number; what: string }[]> {
  await ctx.db.$client.query(
    `update sites set hotline = coalesce(hotline, '0791-88886666'),
       address = coalesce(address, '南昌市示范区民营科技园就业服务大厅一楼'),
       qr_url = coalesce(qr_url, $2) where id = $1`,
    [siteId, ctx.config.publicUrl],
  );
  const producer = new Producer({ redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix });
  const deps = {
    db: ctx.db,
    producer,
    store: new LocalMediaStore(ctx.config.mediaDir),
    templatesDir: ctx.config.templatesDir,
  };
  try {
    const [newest] = (await listJobs(ctx.db, { siteId, category: 'full-time', limit: 1 })).items;
    const asked: { id: number; what: string }[] = [];
    const ask = async (what: string, request: Parameters<typeof requestRender>[2]) => {
      asked.push({ id: (await requestRender(deps, siteId, request)).id, what });
    };
    if (newest) {
      await ask('海报 poster', { kind: 'poster', template: 'job-poster', jobIds: [newest.id] });
      await ask('短视频 video', { kind: 'video', template: 'job-spotlight', jobIds: [newest.id] });
    }
    await ask('零工海报 gig poster', {
      kind: 'poster',
      template: 'multi-job-poster',
      filter: { category: 'gig', limit: 6 },
    });
    // The office's month (China, UTC+8), not UTC's: early on the 1st they differ.
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    await ask(`${month} 招工小报 flyer`, { kind: 'flyer', template: 'monthly-flyer', month, copies: 1000 });
    return asked;
  } finally {
    await producer.close();
  }
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
