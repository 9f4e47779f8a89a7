/**
 * What the stream service records as publishers come and go: publish attempts, the segments of
 * received media, relay time, and the finished evidence.
 */
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import type { LiveRelayRow, LiveSegmentRow } from './live-sessions.ts';
import { livePublishAttempts, liveRelays, liveSegments, liveSessions } from './schema/index.ts';

export type LivePublishAttemptRow = typeof livePublishAttempts.$inferSelect;

export async function insertLivePublishAttempt(
  db: Database,
  attempt: { sessionId: number | null; clientAddress: string; accepted: boolean; reason: string },
): Promise<void> {
  await db.insert(livePublishAttempts).values(attempt);
}

export async function listLivePublishAttempts(db: Database, sessionId: number): Promise<LivePublishAttemptRow[]> {
  return db
    .select()
    .from(livePublishAttempts)
    .where(eq(livePublishAttempts.sessionId, sessionId))
    .orderBy(asc(livePublishAttempts.id));
}

/** A new segment numbered after the session's last (the session locked meanwhile), and the session is live. */
export async function insertLiveSegment(
  db: Database,
  sessionId: number,
  segment: { clientAddress: string; startedAt: Date; recordingKey: (seq: number) => string },
): Promise<LiveSegmentRow> {
  return db.transaction(async (tx) => {
    await tx.select({ id: liveSessions.id }).from(liveSessions).where(eq(liveSessions.id, sessionId)).for('update');
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${liveSegments.seq}), 0) + 1` })
      .from(liveSegments)
      .where(eq(liveSegments.sessionId, sessionId));
    const seq = Number(next);
    const [inserted] = await tx
      .insert(liveSegments)
      .values({
        sessionId,
        seq,
        startedAt: segment.startedAt,
        lastSeenAt: segment.startedAt,
        clientAddress: segment.clientAddress,
        recordingKey: segment.recordingKey(seq),
      })
      .returning();
    await tx
      .update(liveSessions)
      .set({
        status: 'live',
        startedAt: sql`coalesce(${liveSessions.startedAt}, ${segment.startedAt.toISOString()}::timestamptz)`,
      })
      .where(and(eq(liveSessions.id, sessionId), sql`${liveSessions.status} <> 'ended'`));
    return inserted as LiveSegmentRow;
  });
}

export interface LiveSegmentFigures {
  mediaMs: number;
  bytes: number;
  hasVideo: boolean;
  hasAudio: boolean;
  lastSeenAt: Date;
}

/** Moves an open segment on; a closed one is left as it is. */
export async function updateOpenLiveSegment(
  db: Database,
  segmentId: number,
  figures: LiveSegmentFigures,
): Promise<void> {
  await db
    .update(liveSegments)
    .set(figures)
    .where(and(eq(liveSegments.id, segmentId), isNull(liveSegments.endedAt)));
}

/**
 * Closes an open segment at its last figures; a live session with no other open segment becomes
 * interrupted. Returns whether it did.
 */
export async function closeLiveSegment(
  db: Database,
  segment: { id: number; sessionId: number },
  figures: LiveSegmentFigures,
  endReason: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    // The session first, as ending a session locks it: the other order deadlocks when an anchor
    // ends the session just as the publisher leaves.
    await tx
      .select({ id: liveSessions.id })
      .from(liveSessions)
      .where(eq(liveSessions.id, segment.sessionId))
      .for('update');
    await tx
      .update(liveSegments)
      .set({ ...figures, endedAt: figures.lastSeenAt, endReason })
      .where(and(eq(liveSegments.id, segment.id), isNull(liveSegments.endedAt)));
    const changed = await tx
      .update(liveSessions)
      .set({ status: 'interrupted' })
      .where(
        and(
          eq(liveSessions.id, segment.sessionId),
          eq(liveSessions.status, 'live'),
          sql`not exists (select 1 from ${liveSegments} where ${liveSegments.sessionId} = ${segment.sessionId} and ${liveSegments.endedAt} is null)`,
        ),
      )
      .returning({ id: liveSessions.id });
    return changed.length > 0;
  });
}

/**
 * Open segments of live or interrupted sessions close at their last report (reason
 * `service-restart`), live sessions become interrupted; returns the sessions then waiting.
 */
export async function closeLiveSegmentsLeftOpen(db: Database): Promise<{ sessionId: number; lastSeenAt: Date }[]> {
  return db.transaction(async (tx) => {
    // Sessions before their segments, in the order every other writer takes them.
    await tx
      .select({ id: liveSessions.id })
      .from(liveSessions)
      .where(inArray(liveSessions.status, ['live', 'interrupted']))
      .orderBy(asc(liveSessions.id))
      .for('update');
    await tx
      .update(liveSegments)
      .set({ endedAt: sql`${liveSegments.lastSeenAt}`, endReason: 'service-restart' })
      .where(
        and(
          isNull(liveSegments.endedAt),
          inArray(
            liveSegments.sessionId,
            tx
              .select({ id: liveSessions.id })
              .from(liveSessions)
              .where(inArray(liveSessions.status, ['live', 'interrupted'])),
          ),
        ),
      );
    await tx.update(liveSessions).set({ status: 'interrupted' }).where(eq(liveSessions.status, 'live'));
    return listWaitingLiveSessions(tx as unknown as Database);
  });
}

/** Interrupted sessions, with when media was last received (or the start, if never). */
export async function listWaitingLiveSessions(db: Database): Promise<{ sessionId: number; lastSeenAt: Date }[]> {
  const rows = await db
    .select({
      sessionId: liveSessions.id,
      lastSeenAt: sql<
        Date | string
      >`coalesce(max(coalesce(${liveSegments.endedAt}, ${liveSegments.lastSeenAt})), ${liveSessions.startedAt})`,
    })
    .from(liveSessions)
    .leftJoin(liveSegments, eq(liveSegments.sessionId, liveSessions.id))
    .where(eq(liveSessions.status, 'interrupted'))
    .groupBy(liveSessions.id);
  return rows.map((row) => ({ sessionId: row.sessionId, lastSeenAt: new Date(row.lastSeenAt) }));
}

export async function listLiveRelays(db: Database, sessionId: number): Promise<LiveRelayRow[]> {
  return db.select().from(liveRelays).where(eq(liveRelays.sessionId, sessionId)).orderBy(asc(liveRelays.id));
}

/** Adds connected time to a relay; `connected` counts a connection made, `error` a drop or refusal. */
export async function addLiveRelayTime(
  db: Database,
  relayId: number,
  change: { connectedMs?: number; connected?: boolean; error?: string },
): Promise<void> {
  await db
    .update(liveRelays)
    .set({
      connectedMs: sql`${liveRelays.connectedMs} + ${Math.round(change.connectedMs ?? 0)}`,
      ...(change.connected ? { connects: sql`${liveRelays.connects} + 1`, lastConnectedAt: new Date() } : {}),
      ...(change.error ? { failures: sql`${liveRelays.failures} + 1`, lastError: change.error } : {}),
    })
    .where(eq(liveRelays.id, relayId));
}

export async function listLiveSegments(db: Database, sessionId: number): Promise<LiveSegmentRow[]> {
  return db.select().from(liveSegments).where(eq(liveSegments.sessionId, sessionId)).orderBy(asc(liveSegments.seq));
}

/** Ended sessions whose recording and evidence are not made yet. */
export async function listLiveSessionsToFinalize(db: Database): Promise<number[]> {
  const rows = await db
    .select({ id: liveSessions.id })
    .from(liveSessions)
    .where(and(eq(liveSessions.status, 'ended'), isNull(liveSessions.finalizedAt)))
    .orderBy(asc(liveSessions.id));
  return rows.map((row) => row.id);
}

/** A finalized session's evidence as kept: what rewriting it in a newer format reads. */
export interface FinalizedLiveSession {
  id: number;
  recordingKey: string | null;
  thumbnailKeys: string[];
  evidenceJsonKey: string;
  error: string | null;
}

export async function listFinalizedLiveSessions(db: Database): Promise<FinalizedLiveSession[]> {
  const rows = await db
    .select({
      id: liveSessions.id,
      recordingKey: liveSessions.recordingKey,
      thumbnailKeys: liveSessions.thumbnailKeys,
      evidenceJsonKey: liveSessions.evidenceJsonKey,
      error: liveSessions.finalizeError,
    })
    .from(liveSessions)
    .where(isNotNull(liveSessions.evidenceJsonKey))
    .orderBy(asc(liveSessions.id));
  return rows.map((row) => ({
    ...row,
    thumbnailKeys: row.thumbnailKeys ?? [],
    evidenceJsonKey: row.evidenceJsonKey as string,
  }));
}

/** What finalizing a session kept: the recording, its thumbnails and the evidence files. */
export interface LiveFinalization {
  recordingKey: string | null;
  thumbnailKeys: string[];
  evidenceJsonKey: string;
  evidenceHtmlKey: string;
  error: string | null;
}

export async function saveLiveFinalization(db: Database, sessionId: number, result: LiveFinalization): Promise<void> {
  await db
    .update(liveSessions)
    .set({
      recordingKey: result.recordingKey,
      thumbnailKeys: result.thumbnailKeys,
      evidenceJsonKey: result.evidenceJsonKey,
      evidenceHtmlKey: result.evidenceHtmlKey,
      finalizeError: result.error,
      finalizedAt: new Date(),
    })
    .where(eq(liveSessions.id, sessionId));
}
