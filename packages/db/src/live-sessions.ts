/**
 * Live sessions' rows: booking, the rundown and what was on screen, the end, and the year's list.
 * The rules (who may do what, the guard, the verdict) are @jobcast/live's: the functions that
 * change a locked session take them as a callback run inside the transaction.
 */
import { JobcastError } from '@jobcast/core';
import { and, asc, eq, gte, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import {
  type LiveJobCard,
  livePresentations,
  liveRelays,
  liveRundown,
  liveSegments,
  liveSessions,
  type StoredVerdict,
} from './schema/index.ts';

export type LiveSessionRow = typeof liveSessions.$inferSelect;
export type NewLiveSession = typeof liveSessions.$inferInsert;
export type LiveRundownRow = typeof liveRundown.$inferSelect;
export type LivePresentationRow = typeof livePresentations.$inferSelect;
export type LiveSegmentRow = typeof liveSegments.$inferSelect;
export type LiveRelayRow = typeof liveRelays.$inferSelect;

/** What reading needs: the database, or a transaction that holds its locks. */
export type DatabaseReader = Pick<Database, 'select'>;

function sessionWhere(sessionId: number, siteId?: number) {
  return siteId === undefined
    ? eq(liveSessions.id, sessionId)
    : and(eq(liveSessions.id, sessionId), eq(liveSessions.siteId, siteId));
}

/** A session with its rundown (by position) and relays, in one transaction. */
export async function insertLiveSession(
  db: Database,
  session: NewLiveSession,
  rundown: readonly { position: number; jobId: number; card: LiveJobCard }[] = [],
  relays: readonly { label: string; urlEncrypted: string }[] = [],
): Promise<LiveSessionRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(liveSessions).values(session).returning();
    if (!row) throw new JobcastError('INTERNAL', 'live session was not created');
    if (rundown.length > 0)
      await tx.insert(liveRundown).values(rundown.map((entry) => ({ sessionId: row.id, ...entry })));
    if (relays.length > 0) await tx.insert(liveRelays).values(relays.map((relay) => ({ sessionId: row.id, ...relay })));
    return row;
  });
}

export async function findLiveSession(
  db: DatabaseReader,
  sessionId: number,
  siteId?: number,
): Promise<LiveSessionRow | null> {
  const [row] = await db.select().from(liveSessions).where(sessionWhere(sessionId, siteId));
  return row ?? null;
}

export async function findLiveSessionByOverlayToken(db: Database, token: string): Promise<LiveSessionRow | null> {
  const [row] = await db.select().from(liveSessions).where(eq(liveSessions.overlayToken, token));
  return row ?? null;
}

export async function findLiveSessionByKeyHash(db: Database, keyHash: string): Promise<LiveSessionRow | null> {
  const [row] = await db.select().from(liveSessions).where(eq(liveSessions.streamKeyHash, keyHash));
  return row ?? null;
}

/** A session and everything recorded under it. */
export interface LiveSessionRecord {
  session: LiveSessionRow;
  /** By position. */
  rundown: LiveRundownRow[];
  /** In the order they went on screen. */
  showings: LivePresentationRow[];
  /** By seq. */
  segments: LiveSegmentRow[];
  relays: LiveRelayRow[];
}

async function recordOf(db: DatabaseReader, session: LiveSessionRow): Promise<LiveSessionRecord> {
  const sessionId = session.id;
  // One after the other: `db` may be a transaction, whose one connection runs one query at a time.
  const rundown = await db
    .select()
    .from(liveRundown)
    .where(eq(liveRundown.sessionId, sessionId))
    .orderBy(asc(liveRundown.position));
  const showings = await db
    .select()
    .from(livePresentations)
    .where(eq(livePresentations.sessionId, sessionId))
    .orderBy(asc(livePresentations.onScreenFrom), asc(livePresentations.id));
  const segments = await db
    .select()
    .from(liveSegments)
    .where(eq(liveSegments.sessionId, sessionId))
    .orderBy(asc(liveSegments.seq));
  const relays = await db
    .select()
    .from(liveRelays)
    .where(eq(liveRelays.sessionId, sessionId))
    .orderBy(asc(liveRelays.id));
  return { session, rundown, showings, segments, relays };
}

/** Null when there is no such session (on that site, when given). */
export async function loadLiveSession(
  db: DatabaseReader,
  sessionId: number,
  siteId?: number,
): Promise<LiveSessionRecord | null> {
  const session = await findLiveSession(db, sessionId, siteId);
  return session ? recordOf(db, session) : null;
}

/**
 * Stores a new stream key hash with the session locked; `check` sees the row first and throws to
 * refuse. Returns the row as it was, or null when the site has no such session.
 */
export async function replaceLiveStreamKeyHash(
  db: Database,
  session: { id: number; siteId: number },
  keyHash: string,
  check: (row: LiveSessionRow) => void,
): Promise<LiveSessionRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(liveSessions).where(sessionWhere(session.id, session.siteId)).for('update');
    if (!row) return null;
    check(row);
    await tx.update(liveSessions).set({ streamKeyHash: keyHash }).where(eq(liveSessions.id, session.id));
    return row;
  });
}

/**
 * Puts a rundown entry on screen with the session locked: `choose` picks it from the session, its
 * rundown and the showing open now, or throws to refuse. The open showing ends at `now`; choosing
 * the entry already on screen changes nothing. Null when there is no such session.
 */
export async function showLiveRundownEntry(
  db: Database,
  sessionId: number,
  siteId: number | undefined,
  now: Date,
  choose: (state: {
    session: LiveSessionRow;
    rundown: LiveRundownRow[];
    open: LivePresentationRow | undefined;
  }) => LiveRundownRow,
): Promise<{ entry: LiveRundownRow; changed: boolean } | null> {
  return db.transaction(async (tx) => {
    const [session] = await tx.select().from(liveSessions).where(sessionWhere(sessionId, siteId)).for('update');
    if (!session) return null;
    const rundown = await tx
      .select()
      .from(liveRundown)
      .where(eq(liveRundown.sessionId, sessionId))
      .orderBy(asc(liveRundown.position));
    const [open] = await tx
      .select()
      .from(livePresentations)
      .where(and(eq(livePresentations.sessionId, sessionId), isNull(livePresentations.onScreenTo)));
    const entry = choose({ session, rundown, open });
    if (open && open.position === entry.position) return { entry, changed: false };
    if (open) await tx.update(livePresentations).set({ onScreenTo: now }).where(eq(livePresentations.id, open.id));
    await tx
      .insert(livePresentations)
      .values({ sessionId, position: entry.position, jobId: entry.jobId, onScreenFrom: now });
    return { entry, changed: true };
  });
}

/** How a session ends, as `endLiveSessionRecord`'s judge states it. */
export interface LiveSessionEnd {
  endReason: string;
  forced: boolean;
  endedBy: number | null;
  verdict: StoredVerdict;
  /** What the segments still open are closed with. */
  segmentEndReason: string;
}

/**
 * Ends a session in one transaction. The session and its segments are locked, so a report from the
 * stream service waits, then finds its segment closed; `judge` sees the record as it stands (open
 * segments counting to their last report) and states the end, or throws to refuse. Open segments
 * then close at their last report, the job on screen leaves it at `now`, and the verdict is kept.
 * A session already ended is left as it is.
 */
export async function endLiveSessionRecord(
  db: Database,
  sessionId: number,
  siteId: number | undefined,
  now: Date,
  judge: (record: LiveSessionRecord) => LiveSessionEnd,
): Promise<'ended' | 'already-ended' | 'missing'> {
  return db.transaction(async (tx) => {
    const [session] = await tx.select().from(liveSessions).where(sessionWhere(sessionId, siteId)).for('update');
    if (!session) return 'missing';
    if (session.status === 'ended') return 'already-ended';
    await tx
      .select({ id: liveSegments.id })
      .from(liveSegments)
      .where(eq(liveSegments.sessionId, sessionId))
      .for('update');
    const end = judge(await recordOf(tx, session));
    await tx
      .update(liveSegments)
      .set({ endedAt: sql`${liveSegments.lastSeenAt}`, endReason: end.segmentEndReason })
      .where(and(eq(liveSegments.sessionId, sessionId), isNull(liveSegments.endedAt)));
    await tx
      .update(livePresentations)
      .set({ onScreenTo: now })
      .where(and(eq(livePresentations.sessionId, sessionId), isNull(livePresentations.onScreenTo)));
    await tx
      .update(liveSessions)
      .set({
        status: 'ended',
        endedAt: now,
        endReason: end.endReason,
        forced: end.forced,
        endedBy: end.endedBy,
        qualified: end.verdict.qualified,
        verdict: end.verdict,
      })
      .where(eq(liveSessions.id, sessionId));
    return 'ended';
  });
}

/**
 * A site's sessions whose day is in [from, to): the day they went live (the day of their slot until
 * then) on the site's clock. Oldest first; `judged` keeps only those with a verdict.
 */
export async function listLiveSessionsByDay(
  db: Database,
  site: { id: number; timezone: string },
  range: { from: string; to: string },
  options: { judged?: boolean } = {},
): Promise<LiveSessionRow[]> {
  const day = sql`(coalesce(${liveSessions.startedAt}, ${liveSessions.slotStart}) at time zone ${site.timezone})::date`;
  return db
    .select()
    .from(liveSessions)
    .where(
      and(
        eq(liveSessions.siteId, site.id),
        options.judged ? isNotNull(liveSessions.qualified) : undefined,
        gte(day, range.from),
        lt(day, range.to),
      ),
    )
    .orderBy(asc(sql`coalesce(${liveSessions.startedAt}, ${liveSessions.slotStart})`), asc(liveSessions.id));
}

/**
 * A site's sessions whose slot starts on a site day from `from` to `to` (YYYY-MM-DD, both included),
 * each with that day: a calendar shows a booking on the day it was booked for. In slot order.
 */
export async function listLiveSessionsBySlotDay(
  db: Database,
  site: { id: number; timezone: string },
  range: { from: string; to: string },
): Promise<(LiveSessionRow & { slotDay: string })[]> {
  const day = sql`(${liveSessions.slotStart} at time zone ${site.timezone})::date`;
  const rows = await db
    .select({ session: liveSessions, slotDay: sql<string>`to_char(${day}, 'YYYY-MM-DD')` })
    .from(liveSessions)
    .where(and(eq(liveSessions.siteId, site.id), gte(day, range.from), lte(day, range.to)))
    .orderBy(asc(liveSessions.slotStart), asc(liveSessions.id));
  return rows.map((row) => ({ ...row.session, slotDay: row.slotDay }));
}
