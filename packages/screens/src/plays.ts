/**
 * Plays as a screen reports them, checked before they are stored. A screen records each play on
 * itself first and uploads later, perhaps hours later: its times are its own clock's. The batch
 * carries the screen's clock at sending (`sentAt`); the server's receipt time less that is the
 * screen's clock offset, added to every time in the batch. What is left must lie between the
 * pairing and the receipt.
 */

/** At least this share of a video played makes a completed play. */
export const COMPLETED_SHARE = 0.9;
/** A batch holds at most this many plays (the player sends 50). */
export const MAX_PLAYS_PER_BATCH = 200;
/** An offset smaller than this is network delay, not a wrong clock: times are kept as sent. */
const OFFSET_NOISE_MS = 5_000;
/** How far a play may reach past the receipt or before the pairing (clock jitter, a slow request). */
const SLACK_MS = 60_000;
/** A screen clock further off than this is not a clock. */
const MAX_OFFSET_MS = 100 * 365 * 86_400_000;
/** Longer than any job video: a play reported longer is a broken clock. */
const MAX_PLAY_MS = 2 * 3_600_000;

/** A play as the screen sends it. */
export interface ReportedPlay {
  playId: string;
  renderId: number;
  /** The screen's own clock (ISO 8601). */
  startedAt: string;
  endedAt: string;
  /** How much of the video was shown, in ms. */
  playedMs: number;
  /** The group whose list the screen was playing (its manifest's); the screen's current group if absent. */
  groupId?: number | null;
}

export interface CheckedPlay {
  playId: string;
  groupId: number;
  renderId: number;
  jobIds: number[];
  startedAt: Date;
  endedAt: Date;
  playedMs: number;
  completed: boolean;
  clockOffsetMs: number;
}

export interface RefusedPlay {
  playId: string;
  /** In Chinese, with the English beside it. */
  reason: string;
}

/** What the server knows of a video the screen may have played. */
export interface KnownVideo {
  jobIds: number[];
  durationS: number | null;
}

const PLAY_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function clockOffsetMs(receivedAt: Date, sentAt: Date): number {
  const offset = receivedAt.getTime() - sentAt.getTime();
  return Math.abs(offset) < OFFSET_NOISE_MS ? 0 : offset;
}

function instant(text: string): Date | null {
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Sorts a batch into plays to store (times moved by the clock offset, completion decided by the
 * video's own duration) and plays refused, each with its reason. A play id repeated inside the
 * batch is stored once.
 */
export function checkPlays(
  plays: readonly ReportedPlay[],
  context: {
    receivedAt: Date;
    sentAt: Date;
    pairedAt: Date;
    videos: ReadonlyMap<number, KnownVideo>;
    /** The screen's group now, and the site's groups a play may name. */
    groupId: number;
    groupIds: ReadonlySet<number>;
  },
): { accepted: CheckedPlay[]; refused: RefusedPlay[]; clockOffsetMs: number } {
  const offset = clockOffsetMs(context.receivedAt, context.sentAt);
  const accepted: CheckedPlay[] = [];
  const refused: RefusedPlay[] = [];
  // A clock years off (a TV box that booted at 2000-01-01) is corrected like any other; beyond a
  // century it is not a clock, and the whole batch is refused rather than stored at a wild time.
  if (Math.abs(offset) > MAX_OFFSET_MS) {
    const reason = '屏幕时钟与服务器相差超过 100 年，请校准屏幕时间';
    return {
      accepted,
      refused: plays.map((p) => ({ playId: String(p.playId).slice(0, 64), reason })),
      clockOffsetMs: offset,
    };
  }
  const seen = new Set<string>();
  for (const play of plays) {
    const refuse = (reason: string) => refused.push({ playId: String(play.playId).slice(0, 64), reason });
    if (!PLAY_ID.test(play.playId)) {
      refuse('播放编号格式不对');
      continue;
    }
    if (seen.has(play.playId)) continue;
    seen.add(play.playId);
    const video = context.videos.get(play.renderId);
    if (!video) {
      refuse(`视频 ${play.renderId} 不是本站的视频`);
      continue;
    }
    const start = instant(play.startedAt);
    const end = instant(play.endedAt);
    if (!start || !end) {
      refuse('开始或结束时间无法识别');
      continue;
    }
    const startedAt = new Date(start.getTime() + offset);
    const endedAt = new Date(end.getTime() + offset);
    const spanMs = endedAt.getTime() - startedAt.getTime();
    if (spanMs < 0) {
      refuse('结束时间早于开始时间');
      continue;
    }
    if (spanMs > MAX_PLAY_MS) {
      refuse('一次播放超过 2 小时，屏幕时钟可能有误');
      continue;
    }
    if (endedAt.getTime() > context.receivedAt.getTime() + SLACK_MS) {
      refuse('播放时间晚于服务器收到的时间（在未来）');
      continue;
    }
    if (startedAt.getTime() < context.pairedAt.getTime() - SLACK_MS) {
      refuse('播放时间早于这块屏幕配对的时间');
      continue;
    }
    if (!Number.isFinite(play.playedMs) || play.playedMs < 0) {
      refuse('播放时长无效');
      continue;
    }
    // What was shown cannot exceed the time that passed (a second of slack for timer rounding).
    const playedMs = Math.round(Math.min(play.playedMs, spanMs + 1_000));
    const durationMs = (video.durationS ?? 0) * 1000;
    const completed = durationMs > 0 && playedMs >= COMPLETED_SHARE * durationMs;
    const groupId =
      typeof play.groupId === 'number' && context.groupIds.has(play.groupId) ? play.groupId : context.groupId;
    accepted.push({
      playId: play.playId,
      groupId,
      renderId: play.renderId,
      jobIds: video.jobIds,
      startedAt,
      endedAt,
      playedMs,
      completed,
      clockOffsetMs: offset,
    });
  }
  return { accepted, refused, clockOffsetMs: offset };
}
