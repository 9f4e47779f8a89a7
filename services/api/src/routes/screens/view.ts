import { z } from '@hono/zod-openapi';
import { chineseOnly, JobcastError } from '@jobcast/core';
import {
  autoPlaylist,
  type Database,
  getJobsByIds,
  listScreenGroups,
  listScreens,
  manualPlaylist,
  type PlayTally,
  playWindowText,
  SCREEN_OFFLINE_AFTER_MS,
  type ScreenGroup,
  type ScreenListing,
  screenGroupLiveSessions,
  screenPlayTallies,
} from '@jobcast/db';
import { siteToday } from '@jobcast/ledger';
import { STATUS_LABELS } from '@jobcast/live';
import { videoTitles } from '@jobcast/renders';
import { idSchema } from '../../schemas.ts';

/** What reading the screens needs: the database, and the templates that name the videos. */
export interface ScreenDeps {
  db: Database;
  templatesDir: string;
}

export const screenIdParams = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });

/** What a screen said it was doing in its last heartbeat. */
export const SCREEN_STATE_LABELS: Record<string, string> = {
  video: '播放视频',
  live: '播放直播',
  idle: '空闲（节目单是空的）',
  closed: '不在播放时段',
  error: '出错',
};

/** A problem a screen reported about one video, in words a hall's staff acts on. */
export function problemText(reason: string): string {
  // A player still running an older script may add an English gloss in parentheses: the Chinese is the text.
  if (/\p{Script=Han}/u.test(reason)) return chineseOnly(reason).slice(0, 80);
  const r = reason.toLowerCase();
  if (/gone|missing|not.?found|404|deleted/.test(r)) return '视频文件不见了';
  if (/checksum|sha|hash|corrupt/.test(r)) return '校验不符，文件可能损坏';
  if (/quota|space|storage|full/.test(r)) return '屏幕存储空间不足';
  if (/fetch|network|download|timeout/.test(r)) return '下载失败';
  if (/decode|play|format|codec/.test(r)) return '无法播放';
  return `出错：${reason.slice(0, 60)}`;
}

/** How long ago, as a person says it: 刚刚, 12 分钟前, 3 小时前, 2 天前. */
export function agoText(iso: string, now: Date): string {
  const seconds = Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
  if (seconds < 60) return '刚刚';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} 分钟前`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} 小时前`;
  return `${Math.floor(seconds / 86_400)} 天前`;
}

export type ScreenStatus = 'online' | 'offline' | 'never' | 'revoked';

export const SCREEN_STATUS_LABELS: Record<ScreenStatus, string> = {
  online: '在线',
  offline: '离线',
  never: '未连接',
  revoked: '已撤销',
};

const videoRef = z.object({ renderId: z.number().int(), title: z.string() });

export const screenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    groupId: z.number().int(),
    groupName: z.string(),
    status: z.enum(['online', 'offline', 'never', 'revoked']).openapi({
      description: `online = 在线 (a heartbeat in the last ${SCREEN_OFFLINE_AFTER_MS / 60_000} minutes), offline = 离线, never = 未连接 (paired, no heartbeat yet), revoked = 已撤销`,
    }),
    online: z.boolean(),
    pairedAt: z.string().openapi({ format: 'date-time' }),
    revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
    lastSeenAt: z.string().nullable().openapi({ format: 'date-time', description: 'The last heartbeat' }),
    state: z.string().nullable().openapi({ description: 'video, live, idle, closed (outside the windows), error' }),
    stateText: z.string().nullable(),
    playing: videoRef.nullable().openapi({ description: 'The video playing at the last heartbeat' }),
    cache: z
      .object({ cachedItems: z.number().int(), totalItems: z.number().int(), cachedBytes: z.number() })
      .nullable(),
    problems: z.array(
      z.object({ renderId: z.number().int(), title: z.string(), reason: z.string(), text: z.string() }),
    ),
    pendingPlays: z.number().int().nullable().openapi({ description: 'Plays waiting on the screen to be uploaded' }),
    manifestVersion: z.string().nullable(),
  })
  .openapi('Screen');

export type ScreenView = z.infer<typeof screenSchema>;

const numberOr = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** Every screen of the site as the console and `GET /api/screens` show it; the videos named. */
export async function screenViews(deps: ScreenDeps, siteId: number, now = new Date()): Promise<ScreenView[]> {
  const screens = await listScreens(deps.db, siteId, now);
  const renderIds = screens.flatMap((screen) => {
    const beat = screen.lastBeat;
    if (!beat) return [];
    const problems = Array.isArray(beat.problems) ? beat.problems.map((p) => p.renderId) : [];
    return [...(typeof beat.playingRenderId === 'number' ? [beat.playingRenderId] : []), ...problems];
  });
  const titles = await videoTitles(deps.db, deps.templatesDir, siteId, renderIds.filter(Number.isInteger));
  return screens.map((screen) => toScreenView(screen, titles));
}

/** One screen as `screenViews` shows it. */
export async function screenView(deps: ScreenDeps, siteId: number, screenId: number): Promise<ScreenView> {
  const found = (await screenViews(deps, siteId)).find((view) => view.id === screenId);
  if (!found) throw new JobcastError('NOT_FOUND', `屏幕 ${screenId} 不存在`);
  return found;
}

function statusOf(screen: ScreenListing): ScreenStatus {
  if (screen.revokedAt) return 'revoked';
  if (screen.online) return 'online';
  return screen.lastSeenAt ? 'offline' : 'never';
}

function toScreenView(screen: ScreenListing, titles: Map<number, string>): ScreenView {
  const beat = screen.lastBeat;
  const titled = (renderId: number) => ({ renderId, title: titles.get(renderId) ?? `视频 #${renderId}` });
  const state = typeof beat?.state === 'string' ? beat.state : null;
  return {
    id: screen.id,
    name: screen.name,
    groupId: screen.groupId,
    groupName: screen.groupName,
    status: statusOf(screen),
    online: screen.online,
    pairedAt: screen.pairedAt.toISOString(),
    revokedAt: screen.revokedAt?.toISOString() ?? null,
    lastSeenAt: screen.lastSeenAt?.toISOString() ?? null,
    state,
    stateText: state === null ? null : (SCREEN_STATE_LABELS[state] ?? state),
    playing: typeof beat?.playingRenderId === 'number' ? titled(beat.playingRenderId) : null,
    cache: beat
      ? {
          cachedItems: numberOr(beat.cachedItems, 0),
          totalItems: numberOr(beat.totalItems, 0),
          cachedBytes: numberOr(beat.cachedBytes, 0),
        }
      : null,
    problems: (Array.isArray(beat?.problems) ? beat.problems : [])
      .filter((p) => Number.isInteger(p?.renderId) && typeof p.reason === 'string')
      .map((p) => ({ ...titled(p.renderId), reason: p.reason, text: problemText(p.reason) })),
    pendingPlays: beat ? numberOr(beat.pendingPlays, 0) : null,
    manifestVersion: typeof beat?.manifestVersion === 'string' ? beat.manifestVersion : null,
  };
}

export const PLAYLIST_MODE_LABELS = {
  auto: '自动：在招岗位的最新视频',
  manual: '手动：按选定的顺序播放',
} as const;

export const playWindowSchema = z
  .object({
    days: z
      .array(z.number())
      .max(7)
      .openapi({ description: '1 = Monday … 7 = Sunday', example: [1, 2, 3, 4, 5] }),
    from: z.string().max(10).openapi({ description: 'HH:MM, site time', example: '08:30' }),
    to: z.string().max(10).openapi({ description: 'HH:MM, after from', example: '17:30' }),
  })
  .openapi('PlayWindow');

export const screenGroupSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    mode: z.enum(['auto', 'manual']),
    modeText: z.string(),
    autoLimit: z.number().int().openapi({ description: 'How many videos an automatic playlist holds' }),
    windows: z.array(playWindowSchema).openapi({ description: 'When the screens play; none: always' }),
    windowsText: z.array(z.string()),
    items: z.array(videoRef).openapi({ description: 'The manual playlist, in order (kept when the mode is auto)' }),
    playlistCount: z
      .number()
      .int()
      .openapi({ description: 'Videos the group plays now (auto: the open jobs’ newest)' }),
    live: z
      .object({
        sessionId: z.number().int(),
        title: z.string(),
        status: z.string(),
        statusText: z.string(),
        onAir: z.boolean().openapi({ description: 'The screens show it now; otherwise they play the playlist' }),
      })
      .nullable(),
    screens: z.number().int(),
    online: z.number().int(),
  })
  .openapi('ScreenGroup');

export type ScreenGroupView = z.infer<typeof screenGroupSchema>;

/** Every group of the site with its playlist, windows, livestream and screens. */
export async function screenGroupViews(
  deps: ScreenDeps,
  site: { id: number; timezone: string },
  now = new Date(),
): Promise<ScreenGroupView[]> {
  const [groups, screens] = await Promise.all([listScreenGroups(deps.db, site.id), listScreens(deps.db, site.id, now)]);
  return groupViewsOf(deps, site, groups, screens);
}

export async function screenGroupView(
  deps: ScreenDeps,
  site: { id: number; timezone: string },
  group: ScreenGroup,
): Promise<ScreenGroupView> {
  const [view] = await groupViewsOf(deps, site, [group], await listScreens(deps.db, site.id));
  if (!view) throw new Error('group view missing');
  return view;
}

async function groupViewsOf(
  deps: ScreenDeps,
  site: { id: number; timezone: string },
  groups: ScreenGroup[],
  screens: ScreenListing[],
): Promise<ScreenGroupView[]> {
  const { db } = deps;
  const today = siteToday(site.timezone);
  const sessionIds = groups.flatMap((group) => (group.liveSessionId ? [group.liveSessionId] : []));
  const [sessions, lists] = await Promise.all([
    screenGroupLiveSessions(db, site.id, sessionIds),
    Promise.all(
      groups.map(async (group) => ({
        manual: await manualPlaylist(db, group.id),
        auto: group.mode === 'auto' ? await autoPlaylist(db, { siteId: site.id, today, limit: group.autoLimit }) : [],
      })),
    ),
  ]);
  const titles = await videoTitles(
    db,
    deps.templatesDir,
    site.id,
    lists.flatMap((list) => list.manual.map((video) => video.renderId)),
  );
  return groups.map((group, i) => {
    const list = lists[i] ?? { manual: [], auto: [] };
    const session = group.liveSessionId ? sessions.get(group.liveSessionId) : undefined;
    const members = screens.filter((screen) => screen.groupId === group.id && !screen.revokedAt);
    return {
      id: group.id,
      name: group.name,
      mode: group.mode,
      modeText: PLAYLIST_MODE_LABELS[group.mode],
      autoLimit: group.autoLimit,
      windows: group.windows,
      windowsText: group.windows.length === 0 ? ['全天播放'] : group.windows.map(playWindowText),
      items: list.manual.map((video) => ({
        renderId: video.renderId,
        title: titles.get(video.renderId) ?? `视频 #${video.renderId}`,
      })),
      playlistCount: group.mode === 'auto' ? list.auto.length : list.manual.length,
      live: session
        ? {
            sessionId: session.id,
            title: session.title,
            status: session.status,
            statusText: STATUS_LABELS[session.status],
            onAir: session.status === 'live',
          }
        : null,
      screens: members.length,
      online: members.filter((screen) => screen.online).length,
    };
  });
}

const tallyCounts = { plays: z.number().int(), completed: z.number().int() };

export const screenPlaysSchema = z
  .object({
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date', description: 'Included' }),
    timezone: z.string(),
    total: z.object(tallyCounts),
    byDay: z.array(z.object({ day: z.string().openapi({ format: 'date' }), ...tallyCounts })).openapi({
      description: 'Every day of the range on the site’s clock, 0 where nothing played',
    }),
    byScreen: z.array(z.object({ screenId: z.number().int(), name: z.string(), ...tallyCounts })),
    byVideo: z.array(z.object({ renderId: z.number().int(), title: z.string(), ...tallyCounts })),
    byJob: z.array(z.object({ jobId: z.number().int(), title: z.string(), employer: z.string(), ...tallyCounts })),
  })
  .openapi('ScreenPlays');

export type ScreenPlaysView = z.infer<typeof screenPlaysSchema>;

/** The site days from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

const byPlays = (a: PlayTally, b: PlayTally) => b.plays - a.plays || Number(a.key) - Number(b.key);

/**
 * Plays per day, screen, video and job between two site days (this week by default), each named:
 * the screen (revoked ones too), the video, the job and its employer.
 */
export async function screenPlaysView(
  deps: ScreenDeps,
  site: { id: number; timezone: string },
  range: { from?: string | undefined; to?: string | undefined; screenId?: number | undefined },
  now = new Date(),
): Promise<ScreenPlaysView> {
  const { db } = deps;
  const tallies = await screenPlayTallies(db, {
    siteId: site.id,
    timeZone: site.timezone,
    from: range.from,
    to: range.to,
    screenId: range.screenId,
    now,
  });
  const [screens, titles, jobs] = await Promise.all([
    listScreens(db, site.id, now),
    videoTitles(
      db,
      deps.templatesDir,
      site.id,
      tallies.byVideo.map((tally) => Number(tally.key)),
    ),
    getJobsByIds(
      db,
      site.id,
      tallies.byJob.map((tally) => Number(tally.key)),
    ),
  ]);
  const names = new Map(screens.map((screen) => [screen.id, screen.name]));
  const jobsById = new Map(jobs.jobs.map((job) => [job.id, job]));
  const perDay = new Map(tallies.byDay.map((tally) => [tally.key, tally]));
  const counts = (tally: PlayTally) => ({ plays: tally.plays, completed: tally.completed });
  return {
    from: tallies.from,
    to: tallies.to,
    timezone: site.timezone,
    total: counts(tallies.total),
    byDay: daysBetween(tallies.from, tallies.to).map((day) => ({
      day,
      ...counts(perDay.get(day) ?? { key: day, plays: 0, completed: 0 }),
    })),
    byScreen: [...tallies.byScreen].sort(byPlays).map((tally) => ({
      screenId: Number(tally.key),
      name: names.get(Number(tally.key)) ?? `屏幕 #${tally.key}`,
      ...counts(tally),
    })),
    byVideo: [...tallies.byVideo].sort(byPlays).map((tally) => ({
      renderId: Number(tally.key),
      title: titles.get(Number(tally.key)) ?? `视频 #${tally.key}`,
      ...counts(tally),
    })),
    byJob: [...tallies.byJob].sort(byPlays).map((tally) => {
      const job = jobsById.get(Number(tally.key));
      return {
        jobId: Number(tally.key),
        title: job?.title ?? `岗位 #${tally.key}（已删除）`,
        employer: job?.employer ?? '',
        ...counts(tally),
      };
    }),
  };
}
