/**
 * What the stream service records as publishers come and go: who was let in and why, the segments
 * of received media, relay time, and the finished evidence.
 */
import { type Database, schema } from '@jobcast/db';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { notifyLive } from './events.ts';
import type { SecretBox } from './secrets.ts';
import { KEY_EARLY_MS, type LiveSessionRow } from './sessions.ts';

const { liveSessions, liveSegments, liveRelays, livePublishAttempts } = schema;

export type LiveSegmentRow = typeof liveSegments.$inferSelect;

export type PublishRefusal = 'unknown-key' | 'not-yet-valid' | 'expired' | 'ended';

/** Whether a key may publish now, by the session's slot and state; a second publisher is the caller's check. */
export async function admitPublish(
  db: Database,
  keyHash: string,
  now: Date = new Date(),
): Promise<{ session: LiveSessionRow; refusal: PublishRefusal | null } | { session: null; refusal: 'unknown-key' }> {
  const [session] = await db.select().from(liveSessions).where(eq(liveSessions.streamKeyHash, keyHash));
  if (!session) return { session: null, refusal: 'unknown-key' };
  if (session.status === 'ended') return { session, refusal: 'ended' };
  if (now.getTime() < session.slotStart.getTime() - KEY_EARLY_MS) return { session, refusal: 'not-yet-valid' };
  // Once live, the key stays good until the session ends, however long it overruns its slot.
  if (session.status === 'booked' && now > session.slotEnd) return { session, refusal: 'expired' };
  return { session, refusal: null };
}

export async function logPublishAttempt(
  db: Database,
  attempt: { sessionId: number | null; clientAddress: string; accepted: boolean; reason: string },
): Promise<void> {
  await db.insert(livePublishAttempts).values(attempt);
}

export async function publishAttempts(db: Database, sessionId: number) {
  return db
    .select()
    .from(livePublishAttempts)
    .where(eq(livePublishAttempts.sessionId, sessionId))
    .orderBy(asc(livePublishAttempts.id));
}

/** A publisher was let in: a new segment, and the session is live. */
export async function openSegment(
  db: Database,
  sessionId: number,
  segment: { clientAddress: string; startedAt: Date; recordingKey: (seq: number) => string },
): Promise<LiveSegmentRow> {
  const row = await db.transaction(async (tx) => {
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
  await notifyLive(db, { sessionId, event: 'live' });
  return row;
}

export interface SegmentReport {
  mediaMs: number;
  bytes: number;
  hasVideo: boolean;
  hasAudio: boolean;
  lastSeenAt: Date;
}

/** Moves an open segment on; a segment the session's end already closed is left as it is. */
export async function reportSegment(db: Database, segmentId: number, report: SegmentReport): Promise<void> {
  await db
    .update(liveSegments)
    .set(report)
    .where(and(eq(liveSegments.id, segmentId), isNull(liveSegments.endedAt)));
}

/** The publisher left: the segment closes, and a session with no other publisher waits for a reconnect. */
export async function closeSegment(
  db: Database,
  segment: { id: number; sessionId: number },
  report: SegmentReport & { reason: string },
): Promise<void> {
  const { reason, ...figures } = report;
  const interrupted = await db.transaction(async (tx) => {
    await tx
      .update(liveSegments)
      .set({ ...figures, endedAt: figures.lastSeenAt, endReason: reason })
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
  if (interrupted) await notifyLive(db, { sessionId: segment.sessionId, event: 'interrupted' });
}

/**
 * At start: sessions a stopped service left live. Their open segments close at their last report
 * (the media received before the stop), and each session waits for a reconnect from there.
 */
export async function closeSegmentsLeftOpen(db: Database): Promise<{ sessionId: number; lastSeenAt: Date }[]> {
  return db.transaction(async (tx) => {
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
    return waitingSessions(tx as unknown as Database);
  });
}

/** Sessions waiting for their publisher, with when media was last received (or the start, if never). */
export async function waitingSessions(db: Database): Promise<{ sessionId: number; lastSeenAt: Date }[]> {
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

export interface RelayTarget {
  id: number;
  label: string;
  url: string;
}

export async function relayTargets(db: Database, secrets: SecretBox, sessionId: number): Promise<RelayTarget[]> {
  const rows = await db
    .select()
    .from(liveRelays)
    .where(eq(liveRelays.sessionId, sessionId))
    .orderBy(asc(liveRelays.id));
  return rows.map((row) => ({ id: row.id, label: row.label, url: secrets.open(row.urlEncrypted) }));
}

/** Adds connected time to a relay; `connected` counts a connection made, `error` a drop or refusal (already redacted). */
export async function recordRelay(
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

export async function segmentsOf(db: Database, sessionId: number): Promise<LiveSegmentRow[]> {
  return db.select().from(liveSegments).where(eq(liveSegments.sessionId, sessionId)).orderBy(asc(liveSegments.seq));
}

/** Ended sessions whose recording and evidence are not made yet. */
export async function sessionsToFinalize(db: Database): Promise<number[]> {
  const rows = await db
    .select({ id: liveSessions.id })
    .from(liveSessions)
    .where(and(eq(liveSessions.status, 'ended'), isNull(liveSessions.finalizedAt)))
    .orderBy(asc(liveSessions.id));
  return rows.map((row) => row.id);
}

export async function saveFinalization(
  db: Database,
  sessionId: number,
  result: {
    recordingKey: string | null;
    thumbnailKeys: string[];
    evidenceJsonKey: string;
    evidenceHtmlKey: string;
    error: string | null;
  },
): Promise<void> {
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
  await notifyLive(db, { sessionId, event: 'finalized' });
}
