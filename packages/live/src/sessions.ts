/**
 * Live sessions as every edge (API, CLI, stream service) sees them: booking, the rundown on screen,
 * the guard while live, and the end with its verdict.
 */
import { type Config, DEFAULT_RELAY_HOSTS, type LiveRules } from '@jobcast/config';
import {
  displayPay,
  JobcastError,
  type JobView,
  type LiveSessionStatus,
  type LiveSessionType,
  liveSessionTypes,
} from '@jobcast/core';
import {
  type Database,
  type DatabaseReader,
  endLiveSessionRecord,
  findLiveSession,
  findLiveSessionByOverlayToken,
  getJobsByIds,
  insertLiveSession,
  type LiveSessionRecord,
  type LiveSessionRow,
  listLiveSessionsByDay,
  listLiveSessionsBySlotDay,
  loadLiveSession,
  replaceLiveStreamKeyHash,
  type schema,
  showLiveRundownEntry,
} from '@jobcast/db';
import { serviceYear } from '@jobcast/kpi';
import { notifyLive } from './events.ts';
import { type GuardState, guardState, type Interval, onScreenLiveSeconds, type Showing } from './guard.ts';
import { TYPE_LABELS } from './labels.ts';
import { relayUrlRefusal } from './relay-hosts.ts';
import { hashStreamKey, newOverlayToken, newStreamKey, relayLabel, type SecretBox } from './secrets.ts';

export type { LiveSessionRow };
export type LiveJobCard = schema.LiveJobCard;

/** The edges' view of where things are reached. */
export type LiveUrls = Pick<Config, 'publicUrl' | 'rtmpPublicUrl' | 'streamPublicUrl'>;

/** A key is good from this long before its slot. */
export const KEY_EARLY_MS = 30 * 60 * 1000;
const MAX_MINUTES = 12 * 60;

export function jobCard(job: JobView): LiveJobCard {
  return {
    jobId: job.id,
    title: job.title,
    employer: job.employer,
    pay: displayPay(job.pay),
    headcount: job.headcount !== null ? `${job.headcount}人` : (job.headcountText ?? '若干'),
    location: job.location,
    contact: [job.contact.name, job.contact.phone].filter(Boolean).join(' ') || null,
  };
}

export interface BookingInput {
  type: LiveSessionType;
  title: string;
  anchorName?: string | undefined;
  start: Date;
  minutes?: number | undefined;
  jobIds: readonly number[];
  relays?: readonly string[] | undefined;
}

export interface Booker {
  siteId: number;
  userId: number | null;
  displayName: string;
}

export interface Booking {
  sessionId: number;
  rtmpUrl: string;
  /** Shown once: only its hash is kept. */
  streamKey: string;
  overlayUrl: string;
  consoleUrl: string;
  previewUrl: string;
}

export function overlayUrlOf(urls: LiveUrls, token: string): string {
  return `${urls.publicUrl}/overlay/${token}`;
}

export function consoleUrlOf(urls: LiveUrls, sessionId: number): string {
  return `${urls.publicUrl}/console/live/${sessionId}`;
}

export function previewUrlOf(urls: LiveUrls, token: string): string {
  return `${urls.streamPublicUrl}/preview/${token}.flv`;
}

function bad(message: string): never {
  throw new JobcastError('BAD_INPUT', message);
}

function noSuchSession(sessionId: number): JobcastError {
  return new JobcastError('NOT_FOUND', `直播场次 ${sessionId} 不存在`);
}

export async function bookLiveSession(
  deps: {
    db: Database;
    rules: LiveRules;
    urls: LiveUrls;
    secrets: SecretBox;
    /** Hosts relays may push to (config.relayHosts); the platforms' by default. */
    relayHosts?: readonly string[];
  },
  booker: Booker,
  input: BookingInput,
  now: Date = new Date(),
): Promise<Booking> {
  const { db, rules } = deps;
  if (!liveSessionTypes.includes(input.type))
    bad(`直播类型有误：应为${liveSessionTypes.map((type) => TYPE_LABELS[type]).join('、')}之一`);
  const title = input.title.trim();
  if (!title) bad('标题不能为空');
  const minutes = input.minutes ?? 90;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)
    bad(`时长应为 1 到 ${MAX_MINUTES} 分钟的整数`);
  if (Number.isNaN(input.start.getTime())) bad('开始时间无效');
  const slotEnd = new Date(input.start.getTime() + minutes * 60_000);
  if (slotEnd <= now) bad('时段已经过去，请预约还没到的时间');

  const jobIds = [...input.jobIds];
  const seen = new Set<number>();
  for (const id of jobIds) {
    if (seen.has(id)) bad(`岗位 ${id} 在节目单里出现了两次`);
    seen.add(id);
  }
  if (input.type === 'job' && jobIds.length < rules.guardMinJobs) {
    throw new JobcastError(
      'RULE_VIOLATED',
      `直播带岗的节目单至少需要 ${rules.guardMinJobs} 个岗位，现在只有 ${jobIds.length} 个`,
    );
  }
  const { jobs, missing } = await getJobsByIds(db, booker.siteId, jobIds);
  if (missing.length > 0) throw new JobcastError('NOT_FOUND', `岗位不存在：${missing.join('、')}`);

  const relays = (input.relays ?? []).map((url, index) => {
    if (!/^rtmps?:\/\/[^\s/]+\/\S+$/i.test(url)) bad(`第 ${index + 1} 个转推地址不是有效的 rtmp:// 地址`);
    const refusal = relayUrlRefusal(url, deps.relayHosts ?? DEFAULT_RELAY_HOSTS);
    if (refusal) bad(`第 ${index + 1} 个${refusal.zh}`);
    return { label: relayLabel(url), urlEncrypted: deps.secrets.seal(url) };
  });

  const streamKey = newStreamKey();
  const overlayToken = newOverlayToken();
  const session = await insertLiveSession(
    db,
    {
      siteId: booker.siteId,
      type: input.type,
      title,
      anchorName: input.anchorName?.trim() || booker.displayName,
      anchorUserId: booker.userId,
      slotStart: input.start,
      slotEnd,
      streamKeyHash: hashStreamKey(streamKey),
      overlayToken,
      createdBy: booker.userId,
    },
    jobs.map((job, index) => ({ position: index + 1, jobId: job.id, card: jobCard(job) })),
    relays,
  );
  await notifyLive(db, { sessionId: session.id, event: 'booked' });
  return {
    sessionId: session.id,
    rtmpUrl: deps.urls.rtmpPublicUrl,
    streamKey,
    overlayUrl: overlayUrlOf(deps.urls, overlayToken),
    consoleUrl: consoleUrlOf(deps.urls, session.id),
    previewUrl: previewUrlOf(deps.urls, overlayToken),
  };
}

/**
 * A new stream key for a session whose key was lost: the old one stops working at once (only the
 * new one's hash is kept) and the new one is returned, once. Only before the session goes live or
 * while it is interrupted: a live publisher is using the key, and an ended session takes none.
 */
export async function replaceStreamKey(
  deps: { db: Database; urls: LiveUrls },
  siteId: number,
  sessionId: number,
  options: {
    /**
     * The start of the key hash the page showing the button saw: a form posted again (a refresh of
     * the answer) finds the key already replaced and is refused, so the key just put in OBS stays.
     */
    seenKeyHash?: string;
    now?: Date;
  } = {},
): Promise<Booking> {
  const streamKey = newStreamKey();
  const session = await replaceLiveStreamKeyHash(
    deps.db,
    { id: sessionId, siteId },
    hashStreamKey(streamKey),
    (row) => {
      if (row.status === 'live' || row.status === 'ended') {
        throw new JobcastError(
          'CONFLICT',
          row.status === 'live' ? '直播进行中，不能更换串流密钥' : '直播已经结束，不需要串流密钥',
        );
      }
      if (row.status === 'booked' && row.slotEnd <= (options.now ?? new Date())) {
        throw new JobcastError('CONFLICT', '预约的时段已经过去，请重新预约');
      }
      if (options.seenKeyHash !== undefined && !row.streamKeyHash.startsWith(options.seenKeyHash)) {
        throw new JobcastError(
          'CONFLICT',
          '串流密钥刚刚已经更换过，请使用上次显示的新密钥；如果也丢了，请回到场次页再更换一次',
        );
      }
    },
  );
  if (!session) throw noSuchSession(sessionId);
  return {
    sessionId: session.id,
    rtmpUrl: deps.urls.rtmpPublicUrl,
    streamKey,
    overlayUrl: overlayUrlOf(deps.urls, session.overlayToken),
    consoleUrl: consoleUrlOf(deps.urls, session.id),
    previewUrl: previewUrlOf(deps.urls, session.overlayToken),
  };
}

/** What reading a session needs: the database, or a transaction that holds its locks. */
type Reader = DatabaseReader;

export async function getLiveSessionRow(db: Reader, sessionId: number, siteId?: number): Promise<LiveSessionRow> {
  const row = await findLiveSession(db, sessionId, siteId);
  if (!row) throw noSuchSession(sessionId);
  return row;
}

export async function findSessionByOverlayToken(db: Database, token: string): Promise<LiveSessionRow | null> {
  return findLiveSessionByOverlayToken(db, token);
}

export interface RundownEntry {
  position: number;
  jobId: number;
  card: LiveJobCard;
  onScreenSeconds: number;
  presented: boolean;
}

export interface SegmentView {
  seq: number;
  startedAt: string;
  endedAt: string | null;
  liveSeconds: number;
  bytes: number;
  clientAddress: string;
  hasVideo: boolean;
  hasAudio: boolean;
  endReason: string | null;
}

export interface LiveStatusView {
  sessionId: number;
  siteId: number;
  type: LiveSessionType;
  typeLabel: string;
  title: string;
  anchor: string;
  status: LiveSessionStatus;
  slot: { start: string; end: string };
  startedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  forced: boolean;
  liveSeconds: number;
  presentedJobs: number;
  current: { position: number; jobId: number; card: LiveJobCard; since: string } | null;
  rundown: RundownEntry[];
  showings: { position: number; jobId: number; from: string; to: string | null }[];
  segments: SegmentView[];
  relays: { label: string; connectedSeconds: number; connects: number; failures: number; lastError: string | null }[];
  guard: Omit<GuardState, 'thresholds'> & { thresholds: GuardState['thresholds'] };
  /** The verdict as stated at the end; null before. */
  verdict: schema.StoredVerdict | null;
  recording: {
    recordingKey: string | null;
    thumbnailKeys: string[];
    evidenceJsonKey: string | null;
    evidenceHtmlKey: string | null;
  };
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** Everything known about a session now: the guard is worked out from its segments and showings. */
export async function liveStatus(
  db: Reader,
  rules: LiveRules,
  sessionId: number,
  siteId?: number,
  now: Date = new Date(),
): Promise<LiveStatusView> {
  const record = await loadLiveSession(db, sessionId, siteId);
  if (!record) throw noSuchSession(sessionId);
  return statusOf(record, rules, now);
}

/** The status of a session as read: the guard from its segments and showings up to its end, or `now`. */
function statusOf(record: LiveSessionRecord, rules: LiveRules, now: Date): LiveStatusView {
  const { session, rundown, showings, segments, relays } = record;
  // An open segment counts up to its last report, not to now: only media received is live time.
  const live: Interval[] = segments.map((segment) => ({
    from: segment.startedAt,
    to: segment.endedAt ?? segment.lastSeenAt,
  }));
  const shown: Showing[] = showings.map((showing) => ({
    jobId: showing.jobId,
    from: showing.onScreenFrom,
    to: showing.onScreenTo,
  }));
  const cutoff = session.endedAt ?? now;
  const seconds = onScreenLiveSeconds(shown, live, cutoff);
  const presented = [...seconds.values()].filter((s) => s >= rules.presentMinSeconds).length;
  const liveSeconds = segments.reduce((sum, segment) => sum + segment.mediaMs, 0) / 1000;
  const guard = guardState(session.type, liveSeconds, presented, rules);
  const open = showings.find((showing) => showing.onScreenTo === null);
  const currentEntry = open ? rundown.find((entry) => entry.position === open.position) : undefined;
  return {
    sessionId: session.id,
    siteId: session.siteId,
    type: session.type,
    typeLabel: TYPE_LABELS[session.type],
    title: session.title,
    anchor: session.anchorName,
    status: session.status,
    slot: { start: session.slotStart.toISOString(), end: session.slotEnd.toISOString() },
    startedAt: iso(session.startedAt),
    endedAt: iso(session.endedAt),
    endReason: session.endReason,
    forced: session.forced,
    liveSeconds: Math.round(liveSeconds * 10) / 10,
    presentedJobs: presented,
    current:
      open && currentEntry
        ? {
            position: open.position,
            jobId: open.jobId,
            card: currentEntry.card,
            since: open.onScreenFrom.toISOString(),
          }
        : null,
    rundown: rundown.map((entry) => {
      const onScreen = seconds.get(entry.jobId) ?? 0;
      return {
        position: entry.position,
        jobId: entry.jobId,
        card: entry.card,
        onScreenSeconds: Math.round(onScreen),
        presented: onScreen >= rules.presentMinSeconds,
      };
    }),
    showings: showings.map((showing) => ({
      position: showing.position,
      jobId: showing.jobId,
      from: showing.onScreenFrom.toISOString(),
      to: iso(showing.onScreenTo),
    })),
    segments: segments.map((segment) => ({
      seq: segment.seq,
      startedAt: segment.startedAt.toISOString(),
      endedAt: iso(segment.endedAt),
      liveSeconds: Math.round(segment.mediaMs / 100) / 10,
      bytes: segment.bytes,
      clientAddress: segment.clientAddress,
      hasVideo: segment.hasVideo,
      hasAudio: segment.hasAudio,
      endReason: segment.endReason,
    })),
    relays: relays.map((relay) => ({
      label: relay.label,
      connectedSeconds: Math.round(relay.connectedMs / 1000),
      connects: relay.connects,
      failures: relay.failures,
      lastError: relay.lastError,
    })),
    guard,
    verdict: session.verdict ?? null,
    recording: {
      recordingKey: session.recordingKey,
      thumbnailKeys: session.thumbnailKeys ?? [],
      evidenceJsonKey: session.evidenceJsonKey,
      evidenceHtmlKey: session.evidenceHtmlKey,
    },
  };
}

function refuseIfEnded(session: LiveSessionRow): void {
  if (session.status === 'ended') throw new JobcastError('CONFLICT', `直播场次 ${session.id} 已经结束`);
}

/**
 * Puts a rundown job on screen (by job id, or the next one after the current). What was on screen
 * before leaves it now. Presenting the job already shown changes nothing.
 */
export async function presentJob(
  db: Database,
  sessionId: number,
  which: { jobId: number } | 'next',
  siteId?: number,
  now: Date = new Date(),
): Promise<{ position: number; jobId: number; card: LiveJobCard }> {
  const result = await showLiveRundownEntry(db, sessionId, siteId, now, ({ session, rundown, open }) => {
    refuseIfEnded(session);
    let entry: (typeof rundown)[number] | undefined;
    if (which === 'next') {
      entry = open ? rundown.find((e) => e.position > open.position) : rundown[0];
      if (!entry)
        throw new JobcastError('RULE_VIOLATED', rundown.length === 0 ? '节目单是空的' : '已经是节目单的最后一个岗位');
    } else {
      entry = rundown.find((e) => e.jobId === which.jobId);
      if (!entry) throw new JobcastError('RULE_VIOLATED', `岗位 ${which.jobId} 不在本场节目单里`);
    }
    // The job already on screen stays: nothing changes.
    return entry;
  });
  if (!result) throw noSuchSession(sessionId);
  if (result.changed) await notifyLive(db, { sessionId, event: 'present' });
  return { position: result.entry.position, jobId: result.entry.jobId, card: result.entry.card };
}

export type EndReason = 'anchor' | 'gap' | 'restart';

/**
 * Ends a session and states its verdict from what was received. An anchor ending a job livestream
 * that has not qualified must force it; the end is then recorded as forced. Ending twice returns the
 * first end's view.
 */
export async function endLiveSession(
  db: Database,
  rules: LiveRules,
  sessionId: number,
  options: { reason: EndReason; force?: boolean; userId?: number | null; siteId?: number },
  now: Date = new Date(),
): Promise<LiveStatusView> {
  // The session and its segments are locked while judged: a report from the stream service waits,
  // then finds its segment closed, so the verdict's live time is exactly what the segments keep.
  const outcome = await endLiveSessionRecord(db, sessionId, options.siteId, now, (record) => {
    // Open segments count to their last report and the job on screen to now: the figures the rows
    // hold once closed, so the verdict is judged before anything changes.
    const before = statusOf(record, rules, now);
    const short = before.type === 'job' && options.reason === 'anchor' && !before.guard.qualified;
    if (short && !options.force) {
      throw new JobcastError(
        'RULE_VIOLATED',
        `本场尚未达标：${before.guard.reasons.join('；')}。确需结束请选择强制结束（命令行 --force，接口 force=true），记为强制结束`,
      );
    }
    const verdict: schema.StoredVerdict = {
      qualified: before.guard.qualified,
      reasons: before.guard.reasons,
      liveSeconds: before.liveSeconds,
      presentedJobs: before.presentedJobs,
      thresholds: before.guard.thresholds,
    };
    // The stream service may be gone: open segments close at their last report, with this reason.
    return {
      endReason: short ? 'forced' : options.reason,
      forced: short,
      endedBy: options.userId ?? null,
      verdict,
      segmentEndReason: `ended:${options.reason}`,
    };
  });
  if (outcome === 'missing') throw noSuchSession(sessionId);
  if (outcome === 'ended') await notifyLive(db, { sessionId, event: 'ended' });
  return liveStatus(db, rules, sessionId, options.siteId, now);
}

/** A session as the year's list shows it. */
export interface LiveListedSession {
  sessionId: number;
  type: LiveSessionType;
  typeLabel: string;
  title: string;
  anchor: string;
  slotStart: string;
  slotEnd: string;
  status: LiveSessionStatus;
  qualified: boolean | null;
  forced: boolean;
  liveSeconds: number | null;
  presentedJobs: number | null;
  reasons: string[];
}

export interface LiveYear {
  year: number;
  sessions: LiveListedSession[];
  counts: {
    job: { qualified: number; target: number };
    other: { qualified: number; target: number };
  };
}

export const YEAR_TARGETS = { job: 48, other: 12 } as const;

function listed(row: LiveSessionRow): LiveListedSession {
  return {
    sessionId: row.id,
    type: row.type,
    typeLabel: TYPE_LABELS[row.type],
    title: row.title,
    anchor: row.anchorName,
    slotStart: row.slotStart.toISOString(),
    slotEnd: row.slotEnd.toISOString(),
    status: row.status,
    qualified: row.qualified,
    forced: row.forced,
    liveSeconds: row.verdict?.liveSeconds ?? null,
    presentedJobs: row.verdict?.presentedJobs ?? null,
    reasons: row.verdict?.reasons ?? [],
  };
}

/**
 * A service year of the site (from its start day, `serviceYear` of @jobcast/kpi): its sessions, and
 * the qualified ones against 48 and 12. A session belongs to the day it went live (the day of its
 * slot until then) on the site's clock: the rule the year's counts, the dashboard and the ledger use.
 */
export async function listLiveSessions(
  db: Database,
  site: { id: number; timezone: string; serviceYearStart: string },
  year: number,
): Promise<LiveYear> {
  const sy = serviceYear(year, site.serviceYearStart);
  const rows = await listLiveSessionsByDay(db, site, { from: sy.start, to: sy.endExclusive });
  const qualified = (job: boolean) =>
    rows.filter((row) => row.qualified === true && (row.type === 'job') === job).length;
  return {
    year,
    sessions: rows.map(listed),
    counts: {
      job: { qualified: qualified(true), target: YEAR_TARGETS.job },
      other: { qualified: qualified(false), target: YEAR_TARGETS.other },
    },
  };
}

/**
 * Sessions whose slot starts on a site day from `from` to `to` (YYYY-MM-DD, both included), with that
 * day, in slot order: a calendar shows a booking on the day it was booked for.
 */
export async function listLiveSessionsBySlot(
  db: Database,
  site: { id: number; timezone: string },
  range: { from: string; to: string },
): Promise<(LiveListedSession & { slotDay: string })[]> {
  const rows = await listLiveSessionsBySlotDay(db, site, range);
  return rows.map((row) => ({ ...listed(row), slotDay: row.slotDay }));
}
