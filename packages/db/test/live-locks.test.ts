/**
 * Lock order of the live tables: every writer locks a session before its segments. An anchor ending
 * the session just as the publisher leaves (closing its segment) once deadlocked, and PostgreSQL
 * aborted the anchor's end.
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDatabase, createDatabase, type Database } from '../src/client.ts';
import { closeLiveSegment, closeLiveSegmentsLeftOpen, insertLiveSegment } from '../src/live-segments.ts';
import { insertLiveSession } from '../src/live-sessions.ts';
import { liveSegments, liveSessions } from '../src/schema/index.ts';
import { ensureSite } from '../src/sites.ts';

let db: Database;
let siteId: number;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  siteId = (await ensureSite(db, { code: `locks-${randomBytes(4).toString('hex')}`, name: '锁测试' })).id;
});
afterAll(async () => closeDatabase(db));

async function sessionOnAir(): Promise<{ sessionId: number; segmentId: number }> {
  const now = new Date();
  const session = await insertLiveSession(db, {
    siteId,
    type: 'other',
    title: '锁顺序',
    anchorName: '小李',
    slotStart: now,
    slotEnd: new Date(now.getTime() + 3_600_000),
    streamKeyHash: randomBytes(16).toString('hex'),
    overlayToken: randomBytes(16).toString('hex'),
  });
  const segment = await insertLiveSegment(db, session.id, {
    clientAddress: '127.0.0.1',
    startedAt: now,
    recordingKey: (seq) => `live/test/${session.id}-${seq}.flv`,
  });
  return { sessionId: session.id, segmentId: segment.id };
}

/**
 * Holds the session's row as ending a session does, lets `write` start, then takes the session's
 * segments as ending does next: `write` must not hold a segment while it waits for the session.
 */
async function endingWhile(sessionId: number, write: () => Promise<unknown>): Promise<unknown> {
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    await client.query('select id from live_sessions where id = $1 for update', [sessionId]);
    const writing = write();
    writing.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Without the lock order this waits on `write`, which waits on us: PostgreSQL aborts one.
    await client.query("set local lock_timeout = '5s'");
    await client.query('select id from live_segments where session_id = $1 for update', [sessionId]);
    await client.query(
      "update live_segments set ended_at = last_seen_at, end_reason = 'ended' where session_id = $1 and ended_at is null",
      [sessionId],
    );
    await client.query("update live_sessions set status = 'ended', ended_at = now() where id = $1", [sessionId]);
    await client.query('commit');
    return await writing;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

describe('ending a session while the stream service writes to it', () => {
  it('a publisher leaving waits for the end instead of deadlocking with it', async () => {
    const { sessionId, segmentId } = await sessionOnAir();
    const figures = { mediaMs: 5000, bytes: 1000, hasVideo: true, hasAudio: true, lastSeenAt: new Date() };
    const interrupted = await endingWhile(sessionId, () =>
      closeLiveSegment(db, { id: segmentId, sessionId }, figures, 'publisher-left'),
    );
    // The session had ended by then, closing the segment: it stays ended, not made "interrupted".
    expect(interrupted).toBe(false);
    const [session] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
    expect(session?.status).toBe('ended');
    const [segment] = await db.select().from(liveSegments).where(eq(liveSegments.id, segmentId));
    expect(segment?.endReason).toBe('ended');
  });

  it('a restarting service closing what it left open waits for the end too', async () => {
    const { sessionId } = await sessionOnAir();
    await endingWhile(sessionId, () => closeLiveSegmentsLeftOpen(db));
    const [session] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId));
    expect(session?.status).toBe('ended');
    const open = await db.execute(
      sql`select count(*)::int as n from live_segments where session_id = ${sessionId} and ended_at is null`,
    );
    expect(open.rows[0]).toEqual({ n: 0 });
  });
});
