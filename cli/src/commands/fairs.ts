import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fairCounts, toFairDetailView, toFairPhotoView, toFairView } from '@jobcast/api';
import { JobcastError } from '@jobcast/core';
import {
  addFairPhoto,
  createFairWithEmployers,
  deleteFair,
  FAIR_KIND_LABELS,
  FAIR_STATUS_LABELS,
  type FairDetail,
  fairTime,
  findScreenGroup,
  getFair,
  getSiteByCode,
  type JudgedFair,
  listFairs,
  onsiteFairMonths,
  setFairFile,
} from '@jobcast/db';
import { serviceYear } from '@jobcast/kpi';
import { currentServiceYear, siteDayAndTime } from '@jobcast/ledger';
import { discardFairPhoto, storeFairDocument, storeFairPhoto } from '@jobcast/renders';
import { LocalMediaStore } from '@jobcast/storage';
import { type CommandContext, print } from '../context.ts';

interface SiteOption {
  site?: string;
  json?: boolean;
}

/** `2026-05-10 09:00–11:30` on the site's clock (the end's day too when it runs past midnight). */
function timeSpan(timeZone: string, start: Date | string, end: Date | string): string {
  const from = siteDayAndTime(timeZone, start);
  const to = siteDayAndTime(timeZone, end);
  return `${from.day} ${from.time}–${to.day === from.day ? '' : `${to.day} `}${to.time}`;
}

/** 达标 or 未达标 once the fair is over; 未举办 or 进行中 before (it counts once over). */
function verdictWord(fair: JudgedFair): string {
  if (fair.status !== 'held') return FAIR_STATUS_LABELS[fair.status];
  return fair.verdict.qualified ? '达标' : '未达标';
}

function verdictLines(fair: JudgedFair): string[] {
  return [`结论：${verdictWord(fair)}`, ...fair.verdict.reasons.map((reason) => `  - ${reason}`)];
}

/** `达标 3/80 场，已举办 5 场，未举办 2 场` */
function countLine(count: { qualified: number; target: number; held: number; upcoming: number }): string {
  const upcoming = count.upcoming > 0 ? `，未举办 ${count.upcoming} 场（结束后计入）` : '';
  return `达标 ${count.qualified}/${count.target} 场，已举办 ${count.held} 场${upcoming}`;
}

function idOf(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) {
    throw new JobcastError('BAD_INPUT', `招聘会编号须为正整数：${text}`);
  }
  return id;
}

function countOption(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new JobcastError('BAD_INPUT', `${flag} 须为非负整数：${text}`);
  }
  return value;
}

async function fileOption(file: string, flag: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new JobcastError('BAD_INPUT', `${flag}：找不到文件 ${path.resolve(file)}`);
  return file;
}

/** `jobcast fairs list [--year Y] [--json]`: the service year's fairs, their verdicts, the monthly minimum. */
export async function fairsListCommand(ctx: CommandContext, options: SiteOption & { year?: string }): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const year = options.year === undefined ? currentServiceYear(site) : Number(options.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new JobcastError('BAD_INPUT', `--year 须为四位年份，如 2026：${options.year}`);
  }
  const sy = serviceYear(year, site.serviceYearStart);
  const fairs = await listFairs(ctx.db, site.id, sy.start, sy.endExclusive);
  const counts = fairCounts(fairs);
  const months = onsiteFairMonths(sy, fairs);
  const json = { from: sy.start, to: sy.endExclusive, year, counts, months, fairs: fairs.map(toFairView) };
  print(Boolean(options.json), json, () => {
    const lines = [`${year} 服务年度招聘会（${sy.start} 至 ${sy.lastDay}）`];
    for (const fair of fairs) {
      lines.push(
        `#${fair.id}  ${timeSpan(site.timezone, fair.startsAt, fair.endsAt)}  ${FAIR_KIND_LABELS[fair.kind]}  ` +
          `${fair.title}  ${fair.venue}  单位 ${fair.employerIds.length} 家  ${verdictWord(fair)}`,
      );
      lines.push(...fair.verdict.reasons.map((reason) => `      ${reason}`));
    }
    if (fairs.length === 0) lines.push('这一年还没有登记招聘会');
    const missing = months.filter((month) => !month.met).map((month) => `${Number(month.month.slice(5))}月`);
    lines.push(
      `AI数智招聘会：${countLine(counts.ai)}`,
      `线下招聘会：${countLine(counts.onsite)}`,
      missing.length === 0
        ? '每月至少一场线下招聘会：每个月都有'
        : `每月至少一场线下招聘会：${missing.join('、')}还没有达标的线下招聘会`,
    );
    return lines.join('\n');
  });
}

function describeFair(fair: FairDetail, timeZone: string): string {
  const lines = [
    `招聘会 #${fair.id}「${fair.title}」${FAIR_KIND_LABELS[fair.kind]}`,
    `时间：${timeSpan(timeZone, fair.startsAt, fair.endsAt)}（${timeZone}）`,
    `地点：${fair.venue}`,
    `屏幕分组：${fair.groupName ?? '无'}`,
    `求职者：${fair.jobSeekers ?? '—'} 人；达成意向：${fair.offers ?? '—'} 人`,
    `用人单位 ${fair.employers.length} 家，岗位 ${fair.jobCount} 个：`,
    ...fair.employers.map(
      (employer) =>
        `  ${employer.name}：${employer.jobs.length === 0 ? '（没有岗位）' : employer.jobs.map((job) => `${job.title} #${job.id}`).join('、')}`,
    ),
  ];
  if (fair.kind === 'ai') {
    lines.push(
      `招聘会期间职播机播放带岗视频 ${fair.plays} 次，完整播放 ${fair.facts.completedPlays} 次，共 ${fair.facts.videosPlayed} 条`,
    );
  }
  lines.push(`照片：${fair.photos.length} 张`);
  if (fair.plan || fair.planName)
    lines.push(`活动方案：${fair.planName ? `文件「${fair.planName}」` : ''}${fair.plan ?? ''}`);
  if (fair.summary || fair.summaryName) {
    lines.push(`活动总结：${fair.summaryName ? `文件「${fair.summaryName}」` : ''}${fair.summary ?? ''}`);
  }
  lines.push(...verdictLines(fair));
  return lines.join('\n');
}

/** `jobcast fairs show ID [--json]` */
export async function fairsShowCommand(ctx: CommandContext, id: string, options: SiteOption): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const fair = await getFair(ctx.db, site.id, idOf(id));
  print(Boolean(options.json), toFairDetailView(fair), () => describeFair(fair, site.timezone));
}

interface AddOptions extends SiteOption {
  kind: string;
  title: string;
  start: string;
  end: string;
  venue: string;
  group?: string;
  employer: string[];
  seekers?: string;
  offers?: string;
  planFile?: string;
  summary?: string;
  summaryFile?: string;
}

/**
 * `jobcast fairs add --kind ai|onsite --title T --start "YYYY-MM-DD HH:MM" --end … --venue V [--group NAME]
 * --employer NAME … [--seekers N] [--offers N] [--plan-file F] [--summary TEXT] [--json]`: the fair is
 * recorded with its employers, or not at all.
 */
export async function fairsAddCommand(ctx: CommandContext, options: AddOptions): Promise<void> {
  const { db } = ctx;
  const site = await getSiteByCode(db, options.site ?? ctx.config.siteCode);
  const group = options.group ? await findScreenGroup(db, site.id, options.group) : null;
  const planFile = options.planFile ? await fileOption(options.planFile, '--plan-file') : null;
  const summaryFile = options.summaryFile ? await fileOption(options.summaryFile, '--summary-file') : null;
  // The fair and its employers in one transaction: an employer refused leaves no fair behind.
  const { fair, merged } = await createFairWithEmployers(
    db,
    {
      siteId: site.id,
      kind: options.kind,
      title: options.title,
      startsAt: await fairTime(db, site.id, options.start, '--start'),
      endsAt: await fairTime(db, site.id, options.end, '--end'),
      venue: options.venue,
      groupId: group?.id ?? null,
      jobSeekers: countOption(options.seekers, '--seekers'),
      offers: countOption(options.offers, '--offers'),
      summary: options.summary ?? null,
    },
    options.employer.map((name) => ({ name })),
  );
  const store = new LocalMediaStore(ctx.config.mediaDir);
  const stored: string[] = [];
  try {
    for (const [which, file] of [
      ['plan', planFile],
      ['summary', summaryFile],
    ] as const) {
      if (!file) continue;
      const document = await storeFairDocument(store, {
        siteId: site.id,
        fairId: fair.id,
        which,
        file,
        displayName: path.basename(file),
        take: 'copy',
      });
      stored.push(document.key);
      await setFairFile(db, site.id, fair.id, which, document);
    }
  } catch (error) {
    // Refused as a whole: no fair is left without the files it was given with.
    await deleteFair(db, site.id, fair.id);
    for (const key of stored) await store.remove(key);
    throw error;
  }
  const detail = await getFair(db, site.id, fair.id);
  const notice = merged.length > 0 ? `重复的单位已合并：${merged.join('、')}` : null;
  print(Boolean(options.json), { ...toFairDetailView(detail), merged, notice }, () =>
    [`已登记招聘会 #${fair.id}`, ...(notice ? [notice] : []), describeFair(detail, site.timezone)].join('\n'),
  );
}

/** `jobcast fairs photo ID FILE [--json]`: checked to be an image, stored upright without its location data. */
export async function fairsPhotoCommand(
  ctx: CommandContext,
  id: string,
  file: string,
  options: SiteOption,
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const fairId = idOf(id);
  await getFair(ctx.db, site.id, fairId);
  const displayName = path.basename(await fileOption(file, '照片'));
  const store = new LocalMediaStore(ctx.config.mediaDir);
  const stored = await storeFairPhoto(store, { siteId: site.id, fairId, file, displayName });
  const photo = await addFairPhoto(ctx.db, { siteId: site.id, fairId, ...stored, displayName }).catch(
    async (error: unknown) => {
      await discardFairPhoto(store, stored.storageKey);
      throw error;
    },
  );
  print(
    Boolean(options.json),
    toFairPhotoView(photo),
    () =>
      `已上传照片 #${photo.id}「${displayName}」到招聘会 #${fairId}（${photo.width}×${photo.height}，已去除拍摄地点等元数据）`,
  );
}
