/**
 * What the stream service records as publishers come and go: who was let in and why, the segments
 * of received media, relay time, and the finished evidence.
 */
import {
  addLiveRelayTime,
  closeLiveSegment,
  closeLiveSegmentsLeftOpen,
  type Database,
  findLiveSessionByKeyHash,
  insertLivePublishAttempt,
  insertLiveSegment,
  type LiveFinalization,
  type LivePublishAttemptRow,
  type LiveSegmentRow,
  listLivePublishAttempts,
  listLiveRelays,
  listLiveSegments,
  listLiveSessionsToFinalize,
  listWaitingLiveSessions,
  saveLiveFinalization,
  updateOpenLiveSegment,
} from '@jobcast/db';
import { notifyLive } from './events.ts';
import type { SecretBox } from './secrets.ts';
import { KEY_EARLY_MS, type LiveSessionRow } from './sessions.ts';

export type { LiveSegmentRow };

export type PublishRefusal = 'unknown-key' | 'not-yet-valid' | 'expired' | 'ended';

/** Whether a key may publish now, by the session's slot and state; a second publisher is the caller's check. */
export async function admitPublish(
  db: Database,
  keyHash: string,
  now: Date = new Date(),
): Promise<{ session: LiveSessionRow; refusal: PublishRefusal | null } | { session: null; refusal: 'unknown-key' }> {
  const session = await findLiveSessionByKeyHash(db, keyHash);
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
  await insertLivePublishAttempt(db, attempt);
}

export async function publishAttempts(db: Database, sessionId: number): Promise<LivePublishAttemptRow[]> {
  return listLivePublishAttempts(db, sessionId);
}

/** A publisher was let in: a new segment, and the session is live. */
export async function openSegment(
  db: Database,
  sessionId: number,
  segment: { clientAddress: string; startedAt: Date; recordingKey: (seq: number) => string },
): Promise<LiveSegmentRow> {
  const row = await insertLiveSegment(db, sessionId, segment);
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
  await updateOpenLiveSegment(db, segmentId, report);
}

/** The publisher left: the segment closes, and a session with no other publisher waits for a reconnect. */
export async function closeSegment(
  db: Database,
  segment: { id: number; sessionId: number },
  report: SegmentReport & { reason: string },
): Promise<void> {
  const { reason, ...figures } = report;
  const interrupted = await closeLiveSegment(db, segment, figures, reason);
  if (interrupted) await notifyLive(db, { sessionId: segment.sessionId, event: 'interrupted' });
}

/**
 * At start: sessions a stopped service left live. Their open segments close at their last report
 * (the media received before the stop), and each session waits for a reconnect from there.
 */
export async function closeSegmentsLeftOpen(db: Database): Promise<{ sessionId: number; lastSeenAt: Date }[]> {
  return closeLiveSegmentsLeftOpen(db);
}

/** Sessions waiting for their publisher, with when media was last received (or the start, if never). */
export async function waitingSessions(db: Database): Promise<{ sessionId: number; lastSeenAt: Date }[]> {
  return listWaitingLiveSessions(db);
}

export interface RelayTarget {
  id: number;
  label: string;
  url: string;
}

export async function relayTargets(db: Database, secrets: SecretBox, sessionId: number): Promise<RelayTarget[]> {
  const rows = await listLiveRelays(db, sessionId);
  return rows.map((row) => ({ id: row.id, label: row.label, url: secrets.open(row.urlEncrypted) }));
}

/** Adds connected time to a relay; `connected` counts a connection made, `error` a drop or refusal (already redacted). */
export async function recordRelay(
  db: Database,
  relayId: number,
  change: { connectedMs?: number; connected?: boolean; error?: string },
): Promise<void> {
  await addLiveRelayTime(db, relayId, change);
}

export async function segmentsOf(db: Database, sessionId: number): Promise<LiveSegmentRow[]> {
  return listLiveSegments(db, sessionId);
}

/** Ended sessions whose recording and evidence are not made yet. */
export async function sessionsToFinalize(db: Database): Promise<number[]> {
  return listLiveSessionsToFinalize(db);
}

export async function saveFinalization(db: Database, sessionId: number, result: LiveFinalization): Promise<void> {
  await saveLiveFinalization(db, sessionId, result);
  await notifyLive(db, { sessionId, event: 'finalized' });
}
