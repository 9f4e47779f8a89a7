import {
  agoText,
  type ScreenGroupView,
  type ScreenPlaysView,
  type ScreenView,
  screenGroupView,
  screenGroupViews,
  screenPlaysView,
  screenView,
  screenViews,
} from '@jobcast/api/screens';
import { JobcastError, siteTime } from '@jobcast/core';
import {
  configureScreenGroup,
  confirmScreenPairing,
  ensureScreenGroup,
  findScreenGroup,
  getSiteByCode,
  listScreenGroups,
  type PlayWindow,
  putLiveOnScreenGroup,
  revokeScreen,
  type ScreenGroup,
  type ScreenGroupSettings,
  type Site,
  setScreenGroupItems,
} from '@jobcast/db';
import { type CommandContext, print } from '../context.ts';

interface SiteOption {
  site?: string;
  json?: boolean;
}

async function siteOf(ctx: CommandContext, options: SiteOption): Promise<Site> {
  return getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
}

const deps = (ctx: CommandContext) => ({ db: ctx.db, templatesDir: ctx.config.templatesDir });

function idOf(text: string, what: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647)
    throw new JobcastError('BAD_INPUT', `${what}须为正整数：${text}`);
  return id;
}

function statusText(screen: ScreenView, timeZone: string, now: Date): string {
  if (screen.status === 'revoked') return `已撤销（${siteTime(timeZone, screen.revokedAt ?? screen.pairedAt)}）`;
  if (!screen.lastSeenAt) return '未连接（配对后还没有心跳）';
  const ago = `最后心跳 ${agoText(screen.lastSeenAt, now)}`;
  return screen.status === 'online' ? `在线，${ago}` : `离线！${ago}（${siteTime(timeZone, screen.lastSeenAt)}）`;
}

function describeScreen(screen: ScreenView, timeZone: string, now: Date): string {
  const lines = [`#${screen.id} ${screen.name}（${screen.groupName}）${statusText(screen, timeZone, now)}`];
  if (screen.status === 'revoked') return lines[0] as string;
  const playing = screen.playing?.title ?? screen.stateText;
  if (playing) lines.push(`  ${screen.status === 'online' ? '正在播放' : '离线前在播'}：${playing}`);
  if (screen.cache && screen.cache.totalItems > 0) {
    lines.push(`  已缓存 ${screen.cache.cachedItems}/${screen.cache.totalItems}`);
  }
  for (const problem of screen.problems) lines.push(`  问题：${problem.text}：${problem.title}`);
  return lines.join('\n');
}

/** `jobcast screens list [--json]`: every screen, online or not, what it plays, its cache and problems. */
export async function screensListCommand(ctx: CommandContext, options: SiteOption): Promise<void> {
  const site = await siteOf(ctx, options);
  const now = new Date();
  const screens = await screenViews(deps(ctx), site.id, now);
  print(Boolean(options.json), screens, () => {
    if (screens.length === 0) return '还没有屏幕。用 jobcast screens pair 配对';
    const active = screens.filter((s) => s.status !== 'revoked');
    const online = active.filter((s) => s.status === 'online').length;
    return [
      `共 ${active.length} 块屏幕，在线 ${online} 块，离线或未连接 ${active.length - online} 块`,
      ...screens.map((screen) => describeScreen(screen, site.timezone, now)),
    ].join('\n');
  });
}

/** The group of this name (or id); an unknown one is refused naming the groups there are, unless it is to be made. */
async function groupNamed(ctx: CommandContext, site: Site, name: string, create: boolean): Promise<ScreenGroup> {
  try {
    return await findScreenGroup(ctx.db, site.id, name);
  } catch (error) {
    if (!(error instanceof JobcastError) || error.code !== 'NOT_FOUND') throw error;
    if (create) return ensureScreenGroup(ctx.db, site.id, name);
    const names = (await listScreenGroups(ctx.db, site.id)).map((group) => group.name);
    throw new JobcastError(
      'NOT_FOUND',
      `没有名为“${name.trim()}”的屏幕分组。${names.length > 0 ? `现有分组：${names.join('、')}。` : '还没有任何分组。'}` +
        '要新建这个分组，请加 --create-group',
    );
  }
}

/** `jobcast screens pair CODE --group NAME --name NAME [--create-group]` */
export async function screensPairCommand(
  ctx: CommandContext,
  code: string,
  options: SiteOption & { group: string; name: string; createGroup?: boolean },
): Promise<void> {
  const site = await siteOf(ctx, options);
  const group = await groupNamed(ctx, site, options.group, Boolean(options.createGroup));
  const screen = await confirmScreenPairing(ctx.db, {
    siteId: site.id,
    code,
    groupId: group.id,
    name: options.name,
    userId: null,
  });
  const view = await screenView(deps(ctx), site.id, screen.id);
  print(
    Boolean(options.json),
    view,
    () => `已配对屏幕 #${view.id}「${view.name}」，分组“${view.groupName}”；屏幕几秒内开始播放`,
  );
}

/** `jobcast screens revoke ID`: the screen's token stops working at once. */
export async function screensRevokeCommand(ctx: CommandContext, id: string, options: SiteOption): Promise<void> {
  const site = await siteOf(ctx, options);
  const screenId = idOf(id, '屏幕编号');
  await revokeScreen(ctx.db, site.id, screenId);
  const view = await screenView(deps(ctx), site.id, screenId);
  print(Boolean(options.json), view, () => `已撤销屏幕 #${view.id}「${view.name}」：它已停止播放，要再用须重新配对`);
}

function describeGroup(group: ScreenGroupView): string {
  const playlist =
    group.mode === 'auto'
      ? `自动：在招岗位的最新视频（现有 ${group.playlistCount} 条，最多 ${group.autoLimit} 条）`
      : `手动：${group.items.length} 条视频`;
  const live = group.live
    ? `${group.live.statusText}「${group.live.title}」（直播 #${group.live.sessionId}）${group.live.onAir ? '，正在屏幕上播放' : ''}`
    : '不播放';
  const lines = [
    `#${group.id} ${group.name}：${group.screens} 块屏幕，在线 ${group.online} 块`,
    `  节目单：${playlist}`,
    ...(group.mode === 'manual' ? group.items.map((item, i) => `    ${i + 1}. #${item.renderId} ${item.title}`) : []),
    `  播放时段：${group.windowsText.join('；')}`,
    `  直播：${live}`,
  ];
  return lines.join('\n');
}

/** `jobcast screens groups [--json]` */
export async function screensGroupsCommand(ctx: CommandContext, options: SiteOption): Promise<void> {
  const site = await siteOf(ctx, options);
  const groups = await screenGroupViews(deps(ctx), site);
  print(Boolean(options.json), groups, () =>
    groups.length === 0 ? '还没有屏幕分组' : groups.map((group) => describeGroup(group)).join('\n'),
  );
}

const WINDOW =
  /^\s*([1-7](?:\s*-\s*[1-7])?(?:\s*,\s*[1-7](?:\s*-\s*[1-7])?)*)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/;

/** `1-5 08:30-17:30`, `6,7 09:00-12:00`: weekdays (1 = Monday) and hours; checked by `checkPlayWindows`. */
export function parseWindow(text: string): PlayWindow {
  const match = WINDOW.exec(text);
  if (!match) {
    throw new JobcastError(
      'BAD_INPUT',
      `--window 须写成 “星期 开始-结束”，星期 1 是周一、7 是周日，如 "1-5 08:30-17:30" 或 "6,7 09:00-12:00"：${text}`,
    );
  }
  const days = new Set<number>();
  for (const part of (match[1] as string).split(',')) {
    const [first, last = first] = part.split('-').map((n) => Number(n.trim()));
    for (let day = first as number; day <= (last as number); day++) days.add(day);
    if ((last as number) < (first as number)) {
      throw new JobcastError('BAD_INPUT', `--window 的星期 ${part.trim()} 前大后小：${text}`);
    }
  }
  const pad = (time: string) => time.padStart(5, '0');
  return { days: [...days], from: pad(match[2] as string), to: pad(match[3] as string) };
}

/** `12,15,9`: the manual playlist's videos (render ids), in order. */
function parseVideoIds(text: string): number[] {
  return text
    .split(/[,，、\s]+/)
    .filter(Boolean)
    .map((part) => {
      const id = Number(part);
      if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) {
        throw new JobcastError(
          'BAD_INPUT',
          `--videos 须为视频的制作编号，用逗号分隔，如 12,15,9（none 清空）：${text}`,
        );
      }
      return id;
    });
}

interface GroupOptions extends SiteOption {
  mode?: string;
  limit?: string;
  videos?: string;
  window: string[];
  live?: string;
  createGroup?: boolean;
}

/**
 * `jobcast screens group NAME [--mode auto|manual] [--limit N] [--videos 12,15,9|none]
 * [--window "1-5 08:30-17:30"]… [--window none] [--live SESSION|off] [--create-group]`: changes what is
 * given (nothing given: shows the group).
 */
export async function screensGroupCommand(ctx: CommandContext, name: string, options: GroupOptions): Promise<void> {
  const site = await siteOf(ctx, options);
  if (options.mode !== undefined && options.mode !== 'auto' && options.mode !== 'manual') {
    throw new JobcastError('BAD_INPUT', `--mode 须为 auto（自动）或 manual（手动）：${options.mode}`);
  }
  const change: ScreenGroupSettings = {};
  if (options.mode !== undefined) change.mode = options.mode as 'auto' | 'manual';
  if (options.limit !== undefined) change.autoLimit = Number(options.limit);
  if (options.window.length > 0) {
    const cleared = options.window.length === 1 && /^(none|off|always)$/i.test(options.window[0]?.trim() ?? '');
    change.windows = cleared ? [] : options.window.map(parseWindow);
  }
  const videos =
    options.videos === undefined
      ? undefined
      : /^\s*none\s*$/i.test(options.videos)
        ? []
        : parseVideoIds(options.videos);
  const live =
    options.live === undefined
      ? undefined
      : /^\s*(off|none)\s*$/i.test(options.live)
        ? null
        : idOf(options.live, '直播场次编号');
  let group = await groupNamed(ctx, site, name, Boolean(options.createGroup));
  if (Object.keys(change).length > 0) group = await configureScreenGroup(ctx.db, site.id, group.id, change);
  if (videos !== undefined) await setScreenGroupItems(ctx.db, site.id, group.id, videos);
  if (live !== undefined) group = await putLiveOnScreenGroup(ctx.db, site.id, group.id, live);
  const view = await screenGroupView(deps(ctx), site, group);
  print(Boolean(options.json), view, () => describeGroup(view));
}

function describePlays(plays: ScreenPlaysView): string {
  const rows = (title: string, list: { label: string; plays: number; completed: number }[]) => [
    `${title}：`,
    ...(list.length === 0
      ? ['  （无）']
      : list.map((row) => `  ${row.label}  ${row.plays} 次（完整 ${row.completed}）`)),
  ];
  return [
    `${plays.from} 至 ${plays.to}（${plays.timezone}）共播放 ${plays.total.plays} 次，其中完整播放 ${plays.total.completed} 次（播放到 90% 以上）`,
    ...rows(
      '按天',
      plays.byDay.map((row) => ({ label: row.day, ...row })),
    ),
    ...rows(
      '按屏幕',
      plays.byScreen.map((row) => ({ label: `#${row.screenId} ${row.name}`, ...row })),
    ),
    ...rows(
      '按视频',
      plays.byVideo.map((row) => ({ label: `#${row.renderId} ${row.title}`, ...row })),
    ),
    ...rows(
      '按岗位',
      plays.byJob.map((row) => ({
        label: `#${row.jobId} ${row.title}${row.employer ? `（${row.employer}）` : ''}`,
        ...row,
      })),
    ),
  ].join('\n');
}

/** `jobcast screens plays [--from D] [--to D] [--screen ID] [--json]`: this week by default. */
export async function screensPlaysCommand(
  ctx: CommandContext,
  options: SiteOption & { from?: string; to?: string; screen?: string },
): Promise<void> {
  const site = await siteOf(ctx, options);
  const screenId = options.screen === undefined ? undefined : idOf(options.screen, '屏幕编号');
  if (screenId !== undefined) await screenView(deps(ctx), site.id, screenId);
  const plays = await screenPlaysView(deps(ctx), site, { from: options.from, to: options.to, screenId });
  print(Boolean(options.json), plays, () => describePlays(plays));
}
