import { JobcastError, type LiveSessionType, siteTime, wallClock } from '@jobcast/core';
import { getSiteByCode } from '@jobcast/db';
import { currentServiceYear } from '@jobcast/ledger';
import {
  type Booking,
  bookLiveSession,
  durationText,
  endLiveSession,
  type LiveJobCard,
  type LiveStatusView,
  listLiveSessions,
  liveStatus,
  loadSecretBox,
  presentJob,
  replaceStreamKey,
  STATUS_LABELS,
  shownStatus,
} from '@jobcast/live';
import { type CommandContext, print } from '../context.ts';
import { parseJobIds } from './renders.ts';

interface BookOptions {
  type: string;
  title: string;
  start: string;
  minutes?: string;
  jobs?: string;
  relay: string[];
  anchor?: string;
  site?: string;
  json?: boolean;
}

/**
 * `jobcast live book --type job --title T --start 2026-12-01T19:00 [--minutes 90] --jobs 1,2,… [--relay URL]…`
 * The command books as the site itself: no user, the anchor by name only.
 */
export async function liveBookCommand(ctx: CommandContext, options: BookOptions): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const booking = await bookLiveSession(
    {
      db: ctx.db,
      rules: ctx.config.live,
      urls: ctx.config,
      secrets: await loadSecretBox(ctx.config),
      relayHosts: ctx.config.relayHosts,
    },
    { siteId: site.id, userId: null, displayName: options.anchor?.trim() || '主播' },
    {
      type: options.type as LiveSessionType,
      title: options.title,
      start: parseStart(options.start, site.timezone),
      minutes: options.minutes === undefined ? undefined : Number(options.minutes),
      jobIds: options.jobs === undefined ? [] : parseJobIds(options.jobs),
      relays: options.relay,
    },
  );
  print(Boolean(options.json), booking, () =>
    describeKey(booking, `已预约直播 #${booking.sessionId}「${options.title.trim()}」`),
  );
}

/** `jobcast live key ID [--json]`: a lost stream key replaced; the old one stops working. */
export async function liveKeyCommand(
  ctx: CommandContext,
  id: string,
  options: { site?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const booking = await replaceStreamKey({ db: ctx.db, urls: ctx.config }, site.id, sessionIdOf(id));
  print(Boolean(options.json), booking, () =>
    describeKey(booking, `直播 #${booking.sessionId} 的串流密钥已更换，旧串流密钥已失效`),
  );
}

/** The OBS settings of a session with its key, which is shown this once. */
function describeKey(booking: Booking, headline: string): string {
  return [
    headline,
    `OBS 服务器：     ${booking.rtmpUrl}`,
    `串流密钥：       ${booking.streamKey}`,
    '  串流密钥只显示这一次，请妥善保存',
    `OBS 浏览器来源： ${booking.overlayUrl}`,
    `主播控制台：     ${booking.consoleUrl}`,
    `预览：           ${booking.previewUrl}`,
  ].join('\n');
}

/** `jobcast live status ID [--json]` */
export async function liveStatusCommand(
  ctx: CommandContext,
  id: string,
  options: { site?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const status = await liveStatus(ctx.db, ctx.config.live, sessionIdOf(id), site.id);
  print(Boolean(options.json), status, () => describeStatus(status, site.timezone));
}

/** `jobcast live present ID JOB_ID`: that job of the rundown goes on screen. */
export async function livePresentCommand(
  ctx: CommandContext,
  id: string,
  jobId: string,
  options: { site?: string; json?: boolean },
): Promise<void> {
  await present(ctx, id, { jobId: idOf(jobId, '岗位编号') }, options);
}

/** `jobcast live next ID`: the rundown's next job goes on screen. */
export async function liveNextCommand(
  ctx: CommandContext,
  id: string,
  options: { site?: string; json?: boolean },
): Promise<void> {
  await present(ctx, id, 'next', options);
}

async function present(
  ctx: CommandContext,
  id: string,
  which: { jobId: number } | 'next',
  options: { site?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const shown = await presentJob(ctx.db, sessionIdOf(id), which, site.id);
  print(Boolean(options.json), shown, () => `正在展示：第 ${shown.position} 个 ${describeCard(shown.card)}`);
}

/** `jobcast live end ID [--force] [--json]` */
export async function liveEndCommand(
  ctx: CommandContext,
  id: string,
  options: { force?: boolean; site?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const ended = await endLiveSession(ctx.db, ctx.config.live, sessionIdOf(id), {
    reason: 'anchor',
    force: Boolean(options.force),
    userId: null,
    siteId: site.id,
  });
  print(Boolean(options.json), ended, () => describeStatus(ended, site.timezone));
}

/** `jobcast live list [--year 2026] [--json]`: the year's sessions and the qualified ones against 48 and 12. */
export async function liveListCommand(
  ctx: CommandContext,
  options: { year?: string; site?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const year = options.year === undefined ? currentServiceYear(site) : Number(options.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new JobcastError('BAD_INPUT', `--year 须为四位年份，如 2026：${options.year}`);
  const listed = await listLiveSessions(ctx.db, site, year);
  print(Boolean(options.json), listed, () => {
    const lines = listed.sessions.map(
      (s) =>
        `#${s.sessionId}  ${siteTime(site.timezone, s.slotStart)}  ${s.typeLabel}  ${s.title}  ${s.anchor}  ` +
        (s.status === 'ended'
          ? `${s.qualified ? '达标' : '未达标'}${s.forced ? '（强制结束）' : ''}`
          : STATUS_LABELS[shownStatus(s, new Date())]),
    );
    if (lines.length === 0) lines.push(`${year} 年还没有直播`);
    const { job, other } = listed.counts;
    return [
      `${year} 年直播`,
      ...lines,
      `达标场次：直播带岗 ${job.qualified}/${job.target}，其他直播 ${other.qualified}/${other.target}`,
    ].join('\n');
  });
}

function describeStatus(status: LiveStatusView, timeZone: string): string {
  const [start, end] = [siteTime(timeZone, status.slot.start), siteTime(timeZone, status.slot.end)];
  // The end's date only when the slot runs past midnight.
  const slot = `${start}–${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
  const lines = [
    `#${status.sessionId} ${status.typeLabel}「${status.title}」 ${STATUS_LABELS[shownStatus({ status: status.status, slotEnd: status.slot.end }, new Date())]}`,
    `主播：${status.anchor}；时段 ${slot}（${timeZone}）`,
    `已直播 ${durationText(status.liveSeconds, true)}${status.type === 'job' ? `，已讲解岗位 ${status.presentedJobs} 个` : ''}`,
  ];
  if (status.current) lines.push(`正在展示：第 ${status.current.position} 个 ${describeCard(status.current.card)}`);
  for (const relay of status.relays) {
    lines.push(`转推 ${relay.label}：已连接 ${durationText(relay.connectedSeconds, true)}，失败 ${relay.failures} 次`);
  }
  if (status.verdict) {
    const verdict = status.verdict.qualified ? '达标' : '未达标';
    lines.push(`结论：${verdict}${status.forced ? '，强制结束' : ''}`);
    lines.push(...status.verdict.reasons.map((reason) => `  - ${reason}`));
    return lines.join('\n');
  }
  const { guard } = status;
  const needs = [
    guard.needSeconds > 0 ? `直播 ${stillNeeded(guard.needSeconds, guard.thresholds.minLiveSeconds)}` : null,
    guard.needJobs > 0 ? `讲解 ${guard.needJobs} 个岗位` : null,
  ].filter(Boolean);
  lines.push(guard.qualified ? '已达标' : `未达标：还需${needs.join('，')}`);
  lines.push(...guard.reasons.map((reason) => `  - ${reason}`));
  return lines.join('\n');
}

/** Rounded up: "still 8 minutes" must not be 7 minutes and some seconds. Seconds when the rule is finer. */
function stillNeeded(seconds: number, threshold: number): string {
  return threshold % 60 === 0 ? `${Math.ceil(seconds / 60)} 分钟` : durationText(seconds, true);
}

function describeCard(card: LiveJobCard): string {
  return [`#${card.jobId} ${card.title}`, card.employer, card.pay].filter(Boolean).join(' · ');
}

function idOf(text: string, what: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new JobcastError('BAD_INPUT', `${what}须为正整数：${text}`);
  return id;
}

const sessionIdOf = (text: string) => idOf(text, '直播场次编号');

/**
 * `2026-12-01T19:00` is the site's wall clock (what an office types); a time with an offset
 * (`Z`, `+08:00`) is taken as it says.
 */
export function parseStart(text: string, timeZone: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  const local = match ? `${match[1]}T${match[2]}${match[3] ?? ':00'}` : '';
  const wall = Date.parse(`${local}Z`);
  // Date.parse rolls 2026-02-30 over to March: the fields must come back as typed.
  if (!match || Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 19) !== local.slice(0, 19)) {
    throw new JobcastError(
      'BAD_INPUT',
      `--start 须为日期和时间，如 2026-12-01T19:00（站点时区 ${timeZone}）或 2026-12-01T19:00+08:00：${text}`,
    );
  }
  const offset = match[4]?.toUpperCase();
  if (offset)
    return new Date(Date.parse(`${local}${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`));
  // Twice: the first guess may sit on the other side of a daylight-saving change than the answer.
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(guess, timeZone));
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const w = wallClock(timeZone, new Date(instant));
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - (instant - (instant % 1000));
}
