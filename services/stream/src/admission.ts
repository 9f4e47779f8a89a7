/**
 * Who may publish: decided from what is known about the attempt, with no I/O. The key names one
 * session (the key alone: there is no other check of site or person); its slot and state say whether
 * the key is good now, and this process's own publisher on the session says whether the seat is free.
 * The reconnect gap is not checked here: an interrupted session is let in until the ticker ends it.
 */
import { KEY_EARLY_MS, type LiveSessionRow } from '@jobcast/live';

export type RefusalReason =
  | 'no-key'
  | 'wrong-app'
  | 'unknown-key'
  | 'ended'
  | 'not-yet-valid'
  | 'expired'
  | 'already-live';

export interface Refusal {
  outcome: 'refuse';
  sessionId: number | null;
  reason: RefusalReason;
  /** The publisher holding the session has been silent too long: it is cut, so the next retry gets in. */
  cutHolder?: true;
}

export type Admission =
  | { outcome: 'admit'; sessionId: number }
  | Refusal
  /** The service is stopping: the connection is closed, nothing counted or logged. */
  | { outcome: 'drop' };

/** Before the key is looked up: what needs no database. Null: look the key up and decide. */
export function screenPublish(attempt: { stopping: boolean; key: string }): Admission | null {
  if (attempt.stopping) return { outcome: 'drop' };
  if (!attempt.key) return { outcome: 'refuse', sessionId: null, reason: 'no-key' };
  return null;
}

export interface AdmissionInput {
  /** The RTMP application the publisher asked for. */
  app: string;
  /** The session the key belongs to, or null when no session has it. */
  session: Pick<LiveSessionRow, 'id' | 'status' | 'slotStart' | 'slotEnd'> | null;
  /** This process's publisher on that session, if any. */
  holder: { lastSeenAt: Date } | null;
  now: Date;
  /** A holder silent this long gives way (it is cut; this attempt is still refused). */
  staleHolderMs: number;
}

export const PUBLISH_APP = 'live';

/** Once the key is looked up. */
export function decideAdmission(input: AdmissionInput): Admission {
  const { session, holder, now } = input;
  const refuse = (reason: RefusalReason): Refusal => ({ outcome: 'refuse', sessionId: session?.id ?? null, reason });
  if (input.app !== PUBLISH_APP) return refuse('wrong-app');
  if (!session) return refuse('unknown-key');
  if (session.status === 'ended') return refuse('ended');
  if (now.getTime() < session.slotStart.getTime() - KEY_EARLY_MS) return refuse('not-yet-valid');
  // Once live, the key stays good until the session ends, however long it overruns its slot.
  if (session.status === 'booked' && now > session.slotEnd) return refuse('expired');
  if (holder) {
    // A connection that sends nothing is likely dead without a FIN (the anchor's network dropped).
    const stale = now.getTime() - holder.lastSeenAt.getTime() > input.staleHolderMs;
    return stale ? { ...refuse('already-live'), cutHolder: true } : refuse('already-live');
  }
  return { outcome: 'admit', sessionId: session.id };
}
