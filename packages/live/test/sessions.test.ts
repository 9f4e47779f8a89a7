import { randomBytes } from 'node:crypto';
import { type LiveRules, loadConfig } from '@jobcast/config';
import type { JobcastError, LiveSessionType } from '@jobcast/core';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  type Database,
  ensureSite,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashStreamKey, newStreamKey, SecretBox } from '../src/secrets.ts';
import {
  admitPublish,
  closeSegment,
  closeSegmentsLeftOpen,
  openSegment,
  relayTargets,
  reportSegment,
  segmentsOf,
} from '../src/segments.ts';
import {
  type BookingInput,
  bookLiveSession,
  endLiveSession,
  KEY_EARLY_MS,
  listLiveSessions,
  listLiveSessionsBySlot,
  liveStatus,
  presentJob,
  replaceStreamKey,
} from '../src/sessions.ts';

let db: Database;
/** The contract's rules, as a fresh machine configures them. */
const rules = loadConfig({}).live;
/** Rules small enough to qualify a session in a few simulated seconds. */
const quick: LiveRules = {
  ...rules,
  presentMinSeconds: 2,
  guardMinLiveSeconds: 10,
  guardMinJobs: 2,
  otherMinLiveSeconds: 5,
};
const urls = {
  publicUrl: 'https://jobcast.example.cn',
  rtmpPublicUrl: 'rtmp://live.jobcast.example.cn:1935/live',
  streamPublicUrl: 'https://live.jobcast.example.cn:8935',
};
const secrets = new SecretBox(randomBytes(32));
const MINUTE = 60_000;

beforeAll(() => {
  db = createDatabase(inject('databaseUrl'), 4);
});
afterAll(async () => closeDatabase(db));

/** A site of its own with `count` jobs, written the way an import writes them. */
async function siteWithJobs(count: number): Promise<{ siteId: number; jobIds: number[] }> {
  const site = await ensureSite(db, { code: `live-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  const jobs = Array.from({ length: count }, (_, i) =>
    prepareJob(
      testJobRecord({ rowNumber: i + 2, employerName: `南昌第${i}电子厂`, title: `普工${i}`, fingerprint: `fp-${i}` }),
    ),
  );
  await writeImportChunk(db, { siteId: site.id, batchId: batch.id, jobs, rejects: [], rowsRead: count });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1 order by source_row', [
    site.id,
  ]);
  return { siteId: site.id, jobIds: rows.rows.map((row) => row.id) };
}

function book(
  siteId: number,
  input: Partial<BookingInput> & { jobIds: readonly number[] },
  options: { rules?: LiveRules; now?: Date } = {},
) {
  return bookLiveSession(
    { db, rules: options.rules ?? rules, urls, secrets, relayHosts: ['*.example.cn'] },
    { siteId, userId: null, displayName: '主播' },
    { type: 'job', title: '直播带岗·春风行动', start: new Date(Date.now() + 60 * MINUTE), ...input },
    options.now,
  );
}

/** The JobcastError a call was refused with (fails the test if it went through). */
async function refusal(promise: Promise<unknown>): Promise<JobcastError> {
  return promise.then(
    () => expect.unreachable('it was accepted'),
    (error: JobcastError) => error,
  );
}

async function sessionCount(siteId: number): Promise<number> {
  const result = await db.$client.query<{ n: number }>(
    'select count(*)::int as n from live_sessions where site_id = $1',
    [siteId],
  );
  return result.rows[0]?.n ?? 0;
}

/**
 * What the stream service records for one publisher: media from `from` for `seconds`, with the
 * given jobs put on screen one after another, `each` seconds apiece, from the start.
 */
async function broadcast(sessionId: number, from: Date, seconds: number, jobIds: number[] = [], each = 0) {
  const at = (s: number) => new Date(from.getTime() + s * 1000);
  const segment = await openSegment(db, sessionId, {
    clientAddress: '203.0.113.7',
    startedAt: from,
    recordingKey: (seq) => `live/${sessionId}/segment-${seq}.flv`,
  });
  for (const [i, jobId] of jobIds.entries()) await presentJob(db, sessionId, { jobId }, undefined, at(i * each));
  const report = {
    mediaMs: seconds * 1000,
    bytes: seconds * 250_000,
    hasVideo: true,
    hasAudio: true,
    lastSeenAt: at(seconds),
  };
  await reportSegment(db, segment.id, report);
  return { segment, report, end: at(seconds) };
}

describe('booking', () => {
  it('refuses a job livestream with 19 jobs and books one with 20', async () => {
    const { siteId, jobIds } = await siteWithJobs(20);
    const short = await refusal(book(siteId, { jobIds: jobIds.slice(0, 19) }));
    expect(short.code).toBe('RULE_VIOLATED');
    expect(short.message).toMatch(/^直播带岗的节目单至少需要 20 个岗位，现在只有 19 个/);
    expect(await sessionCount(siteId)).toBe(0);

    const booking = await book(siteId, { jobIds });
    expect(booking).toEqual({
      sessionId: expect.any(Number),
      rtmpUrl: urls.rtmpPublicUrl,
      streamKey: expect.stringMatching(/^live_[A-Za-z0-9_-]{24,}$/),
      overlayUrl: expect.stringMatching(/^https:\/\/jobcast\.example\.cn\/overlay\/[A-Za-z0-9_-]{32,}$/),
      consoleUrl: `https://jobcast.example.cn/console/live/${booking.sessionId}`,
      previewUrl: expect.stringMatching(
        /^https:\/\/live\.jobcast\.example\.cn:8935\/preview\/[A-Za-z0-9_-]{32,}\.flv$/,
      ),
    });
    const stored = await db.$client.query('select * from live_sessions where id = $1', [booking.sessionId]);
    expect(stored.rows[0]).toMatchObject({
      status: 'booked',
      anchor_name: '主播',
      stream_key_hash: hashStreamKey(booking.streamKey),
    });
    expect(JSON.stringify(stored.rows[0])).not.toContain(booking.streamKey);

    const status = await liveStatus(db, rules, booking.sessionId, siteId);
    expect(status.rundown.map((entry) => [entry.position, entry.jobId])).toEqual(jobIds.map((id, i) => [i + 1, id]));
    expect(status.rundown[0]?.card).toEqual({
      jobId: jobIds[0],
      title: '普工0',
      employer: '南昌第0电子厂',
      pay: expect.stringContaining('4000'),
      headcount: '3人',
      location: '南昌市青山湖区',
      contact: '张先生 13800000000',
    });
  });

  it('books the other types without jobs', async () => {
    const { siteId } = await siteWithJobs(0);
    for (const type of ['policy', 'training', 'visit', 'other'] as LiveSessionType[]) {
      const booking = await book(siteId, { type, title: `${type} 直播`, jobIds: [] });
      expect((await liveStatus(db, rules, booking.sessionId)).type).toBe(type);
    }
  });

  it('refuses a job twice in the rundown and names jobs the site does not have', async () => {
    const { siteId, jobIds } = await siteWithJobs(21);
    const foreign = await siteWithJobs(1);
    const twice = await refusal(book(siteId, { jobIds: [...jobIds.slice(0, 19), jobIds[3] as number] }));
    expect(twice).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(`岗位 ${jobIds[3]} 在节目单里出现了两次`),
    });

    const missing = await refusal(
      book(siteId, { jobIds: [...jobIds.slice(0, 19), 987654321, foreign.jobIds[0] as number] }),
    );
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain(`岗位不存在：987654321、${foreign.jobIds[0]}`);
    expect(await sessionCount(siteId)).toBe(0);
  });

  it('refuses a slot that has ended, and takes one still running', async () => {
    const { siteId } = await siteWithJobs(0);
    const now = new Date();
    const past = await refusal(
      book(siteId, { type: 'policy', jobIds: [], start: new Date(now.getTime() - 120 * MINUTE), minutes: 90 }, { now }),
    );
    expect(past).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^时段已经过去/) });
    const running = await book(
      siteId,
      { type: 'policy', jobIds: [], start: new Date(now.getTime() - 30 * MINUTE), minutes: 90 },
      { now },
    );
    expect(running.sessionId).toEqual(expect.any(Number));
    for (const minutes of [0, 1.5, 12 * 60 + 1]) {
      expect(await refusal(book(siteId, { type: 'policy', jobIds: [], minutes }))).toMatchObject({ code: 'BAD_INPUT' });
    }
    expect(await refusal(book(siteId, { type: 'policy', jobIds: [], title: '  ' }))).toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('keeps relay addresses sealed and never repeats a bad one in its message', async () => {
    const { siteId } = await siteWithJobs(0);
    const bad = 'https://push.example.cn/live/secret-key-123';
    const refused = await refusal(
      book(siteId, { type: 'visit', jobIds: [], relays: ['rtmp://a.example.cn/live/k', bad] }),
    );
    expect(refused.code).toBe('BAD_INPUT');
    expect(refused.message).toMatch(/^第 2 个转推地址不是有效的 rtmp:\/\/ 地址/);
    expect(refused.message).not.toContain('secret-key-123');
    expect(refused.message).not.toContain('push.example.cn');

    const push = 'rtmp://push.example.cn/live/stream-9f8e7d?auth_key=abcdef';
    const booking = await book(siteId, { type: 'visit', jobIds: [], relays: [push] });
    const stored = await db.$client.query('select label, url_encrypted from live_relays where session_id = $1', [
      booking.sessionId,
    ]);
    expect(stored.rows).toEqual([{ label: 'rtmp://push.example.cn', url_encrypted: expect.stringMatching(/^v1\./) }]);
    expect(stored.rows[0].url_encrypted).not.toContain('stream-9f8e7d');
    expect(await relayTargets(db, secrets, booking.sessionId)).toEqual([
      { id: expect.any(Number), label: 'rtmp://push.example.cn', url: push },
    ]);
    const status = await liveStatus(db, rules, booking.sessionId);
    expect(JSON.stringify(status)).not.toContain('stream-9f8e7d');
    expect(status.relays).toEqual([
      { label: 'rtmp://push.example.cn', connectedSeconds: 0, connects: 0, failures: 0, lastError: null },
    ]);
  });
});

describe('the rundown on screen', () => {
  it('puts jobs on screen by id or next, one at a time, and refuses a job not in the rundown', async () => {
    const { siteId, jobIds } = await siteWithJobs(21);
    const rundown = jobIds.slice(0, 20);
    const { sessionId } = await book(siteId, { jobIds: rundown });
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000);

    expect(await presentJob(db, sessionId, 'next', siteId, at(0))).toMatchObject({ position: 1, jobId: rundown[0] });
    expect(await presentJob(db, sessionId, 'next', siteId, at(10))).toMatchObject({ position: 2, jobId: rundown[1] });
    expect(await presentJob(db, sessionId, { jobId: rundown[9] as number }, siteId, at(20))).toMatchObject({
      position: 10,
      card: expect.objectContaining({ title: '普工9' }),
    });
    // The job already on screen stays on screen: no new showing.
    await presentJob(db, sessionId, { jobId: rundown[9] as number }, siteId, at(25));
    expect(await presentJob(db, sessionId, 'next', siteId, at(30))).toMatchObject({ position: 11 });

    const outside = await refusal(presentJob(db, sessionId, { jobId: jobIds[20] as number }, siteId, at(35)));
    expect(outside).toMatchObject({
      code: 'RULE_VIOLATED',
      message: expect.stringContaining(`岗位 ${jobIds[20]} 不在本场节目单里`),
    });

    await presentJob(db, sessionId, { jobId: rundown[19] as number }, siteId, at(40));
    const last = await refusal(presentJob(db, sessionId, 'next', siteId, at(45)));
    expect(last).toMatchObject({
      code: 'RULE_VIOLATED',
      message: expect.stringContaining('已经是节目单的最后一个岗位'),
    });

    const status = await liveStatus(db, rules, sessionId, siteId, at(50));
    expect(status.showings).toEqual([
      { position: 1, jobId: rundown[0], from: at(0).toISOString(), to: at(10).toISOString() },
      { position: 2, jobId: rundown[1], from: at(10).toISOString(), to: at(20).toISOString() },
      { position: 10, jobId: rundown[9], from: at(20).toISOString(), to: at(30).toISOString() },
      { position: 11, jobId: rundown[10], from: at(30).toISOString(), to: at(40).toISOString() },
      { position: 20, jobId: rundown[19], from: at(40).toISOString(), to: null },
    ]);
    expect(status.current).toMatchObject({ position: 20, jobId: rundown[19], since: at(40).toISOString() });
    // Nothing was live yet: on screen, but not presented.
    expect(status.presentedJobs).toBe(0);
  });

  it('refuses next on an empty rundown, another site, and an ended session', async () => {
    const { siteId } = await siteWithJobs(0);
    const { sessionId } = await book(siteId, { type: 'policy', jobIds: [] });
    expect(await refusal(presentJob(db, sessionId, 'next'))).toMatchObject({
      code: 'RULE_VIOLATED',
      message: expect.stringContaining('节目单是空的'),
    });
    const other = await siteWithJobs(0);
    expect(await refusal(presentJob(db, sessionId, 'next', other.siteId))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(liveStatus(db, rules, sessionId, other.siteId))).toMatchObject({ code: 'NOT_FOUND' });
    await endLiveSession(db, rules, sessionId, { reason: 'anchor' });
    expect(await refusal(presentJob(db, sessionId, 'next'))).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('segments', () => {
  it('goes live with a publisher, waits for a reconnect when the last one leaves, and counts media received', async () => {
    const { siteId } = await siteWithJobs(0);
    const { sessionId } = await book(siteId, { type: 'training', jobIds: [] });
    const t0 = new Date(Date.now() - 600_000);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const first = await broadcast(sessionId, t0, 100);
    expect(first.segment.seq).toBe(1);
    expect(await liveStatus(db, rules, sessionId)).toMatchObject({
      status: 'live',
      startedAt: t0.toISOString(),
      liveSeconds: 100,
    });

    const second = await openSegment(db, sessionId, {
      clientAddress: '203.0.113.8',
      startedAt: at(90),
      recordingKey: (seq) => `live/${sessionId}/segment-${seq}.flv`,
    });
    expect(second).toMatchObject({ seq: 2, recordingKey: `live/${sessionId}/segment-2.flv` });
    // One of two publishers leaves: still live.
    await closeSegment(db, { id: first.segment.id, sessionId }, { ...first.report, reason: 'publisher-left' });
    expect((await liveStatus(db, rules, sessionId)).status).toBe('live');
    await closeSegment(
      db,
      { id: second.id, sessionId },
      { mediaMs: 30_000, bytes: 1, hasVideo: true, hasAudio: false, lastSeenAt: at(120), reason: 'publisher-left' },
    );
    const status = await liveStatus(db, rules, sessionId);
    expect(status).toMatchObject({ status: 'interrupted', startedAt: t0.toISOString(), liveSeconds: 130 });
    expect(status.segments.map((s) => [s.seq, s.endedAt, s.endReason])).toEqual([
      [1, at(100).toISOString(), 'publisher-left'],
      [2, at(120).toISOString(), 'publisher-left'],
    ]);
    // A late report of a closed segment changes nothing.
    await reportSegment(db, second.id, {
      mediaMs: 99_000,
      bytes: 2,
      hasVideo: true,
      hasAudio: true,
      lastSeenAt: at(200),
    });
    expect((await liveStatus(db, rules, sessionId)).liveSeconds).toBe(130);

    await openSegment(db, sessionId, { clientAddress: '203.0.113.7', startedAt: at(300), recordingKey: () => 'k' });
    expect(await liveStatus(db, rules, sessionId)).toMatchObject({ status: 'live', startedAt: t0.toISOString() });
  });

  it('closes what a stopped service left open at its last report', async () => {
    const { siteId } = await siteWithJobs(0);
    const { sessionId } = await book(siteId, { type: 'other', jobIds: [] });
    const t0 = new Date(Date.now() - 300_000);
    const { report } = await broadcast(sessionId, t0, 42);
    const waiting = await closeSegmentsLeftOpen(db);
    expect(waiting).toContainEqual({ sessionId, lastSeenAt: report.lastSeenAt });
    const [segment] = await segmentsOf(db, sessionId);
    expect(segment).toMatchObject({ endedAt: report.lastSeenAt, endReason: 'service-restart', mediaMs: 42_000 });
    expect((await liveStatus(db, rules, sessionId)).status).toBe('interrupted');
  });
});

describe('admitPublish', () => {
  it('lets a key in from 30 minutes before its slot until the session ends', async () => {
    const { siteId } = await siteWithJobs(0);
    const start = new Date(Date.now() + 120 * MINUTE);
    const booking = await book(siteId, { type: 'policy', jobIds: [], start, minutes: 60 });
    const end = new Date(start.getTime() + 60 * MINUTE);
    const key = hashStreamKey(booking.streamKey);
    const admit = async (now: Date) => (await admitPublish(db, key, now)).refusal;

    expect(await admitPublish(db, hashStreamKey(newStreamKey()))).toEqual({ session: null, refusal: 'unknown-key' });
    expect(await admit(new Date(start.getTime() - KEY_EARLY_MS - 1))).toBe('not-yet-valid');
    expect(await admit(new Date(start.getTime() - KEY_EARLY_MS))).toBeNull();
    expect(await admit(end)).toBeNull();
    // Booked and never live by the end of its slot: the key has expired.
    expect(await admit(new Date(end.getTime() + 1))).toBe('expired');

    // Once live, an overrun is fine, and so is a reconnect after an interruption.
    const { segment, report } = await broadcast(booking.sessionId, new Date(start.getTime() + MINUTE), 30);
    expect(await admit(new Date(end.getTime() + 30 * MINUTE))).toBeNull();
    await closeSegment(db, { id: segment.id, sessionId: booking.sessionId }, { ...report, reason: 'publisher-left' });
    expect(await admit(new Date(end.getTime() + 30 * MINUTE))).toBeNull();

    await endLiveSession(db, rules, booking.sessionId, { reason: 'anchor' }, new Date(end.getTime() + 31 * MINUTE));
    const ended = await admitPublish(db, key, new Date(end.getTime() + 32 * MINUTE));
    expect(ended).toMatchObject({ refusal: 'ended', session: { id: booking.sessionId } });
  });
});

describe('ending a session', () => {
  it('refuses to end an unqualified job livestream unless forced, and records the force', async () => {
    const { siteId, jobIds } = await siteWithJobs(20);
    const { sessionId } = await book(siteId, { jobIds });
    const t0 = new Date(Date.now() - 3600_000);
    const { end } = await broadcast(sessionId, t0, 52 * 60, jobIds.slice(0, 12), 120);
    const now = new Date(end.getTime() + 5000);

    const refused = await refusal(endLiveSession(db, rules, sessionId, { reason: 'anchor' }, now));
    expect(refused.code).toBe('RULE_VIOLATED');
    expect(refused.message).toContain(
      '本场尚未达标：直播时长 52 分钟，不足 60 分钟；讲解岗位 12 个，不足 20 个。确需结束请选择强制结束',
    );
    expect((await liveStatus(db, rules, sessionId)).status).toBe('live');

    const forced = await endLiveSession(db, rules, sessionId, { reason: 'anchor', force: true }, now);
    expect(forced).toMatchObject({ status: 'ended', endedAt: now.toISOString(), endReason: 'forced', forced: true });
    expect(forced.verdict).toEqual({
      qualified: false,
      reasons: ['直播时长 52 分钟，不足 60 分钟', '讲解岗位 12 个，不足 20 个'],
      liveSeconds: 3120,
      presentedJobs: 12,
      thresholds: { minLiveSeconds: 3600, minJobs: 20, presentMinSeconds: 60 },
    });
    // The open segment closed at its last report; the job on screen left it at the end.
    expect(forced.segments[0]).toMatchObject({ endedAt: end.toISOString(), endReason: 'ended:anchor' });
    expect(forced.showings.at(-1)?.to).toBe(now.toISOString());
    expect(forced.current).toBeNull();

    // Ending again, even unforced and later, returns the first end.
    const again = await endLiveSession(db, rules, sessionId, { reason: 'anchor' }, new Date(now.getTime() + 60_000));
    expect(again).toEqual(forced);
  });

  it('states exactly the live time its segments keep, even when the stream service reports during the end', async () => {
    const { siteId } = await siteWithJobs(1);
    const { sessionId } = await book(siteId, { type: 'other', jobIds: [] });
    const { segment, report } = await broadcast(sessionId, new Date(Date.now() - 600_000), 100);
    // The stream service's once-a-second report races the anchor's end.
    const later = { ...report, mediaMs: 101_000, lastSeenAt: new Date(report.lastSeenAt.getTime() + 1000) };
    const [ended] = await Promise.all([
      endLiveSession(db, rules, sessionId, { reason: 'anchor' }),
      reportSegment(db, segment.id, later),
    ]);
    const [row] = await segmentsOf(db, sessionId);
    expect(ended.verdict?.liveSeconds).toBe((row?.mediaMs ?? 0) / 1000);
    // A report after the end changes nothing.
    await reportSegment(db, segment.id, { ...later, mediaMs: 200_000 });
    expect((await segmentsOf(db, sessionId))[0]?.mediaMs).toBe(row?.mediaMs);
  });

  it('ends without force what only the rules for job livestreams guard', async () => {
    const { siteId, jobIds } = await siteWithJobs(20);
    const policy = await book(siteId, { type: 'policy', jobIds: [] });
    await broadcast(policy.sessionId, new Date(Date.now() - 60_000), 10);
    const ended = await endLiveSession(db, rules, policy.sessionId, { reason: 'anchor' });
    expect(ended).toMatchObject({ status: 'ended', endReason: 'anchor', forced: false, verdict: { qualified: false } });

    // No reconnect within the gap: the service ends it, and nothing is forced.
    const job = await book(siteId, { jobIds });
    await broadcast(job.sessionId, new Date(Date.now() - 60_000), 10);
    const gap = await endLiveSession(db, rules, job.sessionId, { reason: 'gap' });
    expect(gap).toMatchObject({ status: 'ended', endReason: 'gap', forced: false, verdict: { qualified: false } });
  });

  it('states a qualified verdict once live time and presented jobs reach the rules', async () => {
    const { siteId, jobIds } = await siteWithJobs(3);
    const { sessionId } = await book(siteId, { jobIds }, { rules: quick });
    const t0 = new Date(Date.now() - 60_000);
    // Job 1: 3 s on screen; job 2: 1 s (too short); job 3: to the end of the media.
    const { end } = await broadcast(sessionId, t0, 12);
    await presentJob(db, sessionId, { jobId: jobIds[0] as number }, undefined, new Date(t0.getTime() + 1000));
    await presentJob(db, sessionId, { jobId: jobIds[1] as number }, undefined, new Date(t0.getTime() + 4000));
    await presentJob(db, sessionId, { jobId: jobIds[2] as number }, undefined, new Date(t0.getTime() + 5000));
    const live = await liveStatus(db, quick, sessionId, siteId, new Date(end.getTime() + 30_000));
    expect(live.rundown.map((entry) => [entry.onScreenSeconds, entry.presented])).toEqual([
      [3, true],
      [1, false],
      [7, true],
    ]);
    expect(live.guard).toMatchObject({ qualified: true, needSeconds: 0, needJobs: 0 });
    const ended = await endLiveSession(db, quick, sessionId, { reason: 'anchor' }, new Date(end.getTime() + 30_000));
    expect(ended).toMatchObject({
      endReason: 'anchor',
      forced: false,
      verdict: { qualified: true, presentedJobs: 2, liveSeconds: 12 },
    });
  });
});

describe('listLiveSessions', () => {
  it("takes a year in the site's time zone and counts the qualified sessions against 48 and 12", async () => {
    const { siteId, jobIds } = await siteWithJobs(2);
    const other = await siteWithJobs(0);
    const bookedAt = new Date('2029-06-01T00:00:00Z');
    const bookAt = async (start: string, type: LiveSessionType, on = siteId) =>
      (
        await book(
          on,
          { type, title: start, start: new Date(start), jobIds: type === 'job' ? jobIds : [] },
          { rules: quick, now: bookedAt },
        )
      ).sessionId;
    // Shanghai is UTC+8: 16:00 UTC on 31 December is already New Year's Day there.
    const lastOf2029 = await bookAt('2029-12-31T15:59:59Z', 'other');
    const firstOf2030 = await bookAt('2029-12-31T16:00:00Z', 'job');
    const midYear = await bookAt('2030-07-01T02:00:00Z', 'policy');
    const forcedJob = await bookAt('2030-08-01T02:00:00Z', 'job');
    const unfinished = await bookAt('2030-09-01T02:00:00Z', 'visit');
    const lastOf2030 = await bookAt('2030-12-31T15:59:00Z', 'training');
    const firstOf2031 = await bookAt('2030-12-31T16:00:00Z', 'other');
    await bookAt('2030-07-01T02:00:00Z', 'other', other.siteId);

    const qualify = async (sessionId: number, start: string, type: LiveSessionType) => {
      const { end } = await broadcast(sessionId, new Date(start), 20, type === 'job' ? jobIds : [], 5);
      return endLiveSession(db, quick, sessionId, { reason: 'anchor' }, end);
    };
    expect((await qualify(firstOf2030, '2029-12-31T16:00:00Z', 'job')).verdict?.qualified).toBe(true);
    expect((await qualify(midYear, '2030-07-01T02:00:00Z', 'policy')).verdict?.qualified).toBe(true);
    expect((await qualify(lastOf2029, '2029-12-31T15:59:59Z', 'other')).verdict?.qualified).toBe(true);
    await endLiveSession(db, quick, forcedJob, { reason: 'anchor', force: true }, new Date('2030-08-01T03:00:00Z'));

    const site = (timezone: string, serviceYearStart = '01-01') => ({ id: siteId, timezone, serviceYearStart });
    const year = await listLiveSessions(db, site('Asia/Shanghai'), 2030);
    expect(year.sessions.map((s) => s.sessionId)).toEqual([firstOf2030, midYear, forcedJob, unfinished, lastOf2030]);
    expect(year.counts).toEqual({ job: { qualified: 1, target: 48 }, other: { qualified: 1, target: 12 } });
    expect(year.sessions[0]).toMatchObject({
      type: 'job',
      typeLabel: '直播带岗',
      status: 'ended',
      qualified: true,
      forced: false,
      liveSeconds: 20,
      presentedJobs: 2,
    });
    expect(year.sessions[2]).toMatchObject({ qualified: false, forced: true });
    expect(year.sessions[3]).toMatchObject({ status: 'booked', qualified: null, liveSeconds: null, reasons: [] });

    expect((await listLiveSessions(db, site('Asia/Shanghai'), 2029)).sessions.map((s) => s.sessionId)).toEqual([
      lastOf2029,
    ]);
    expect((await listLiveSessions(db, site('Asia/Shanghai'), 2031)).sessions.map((s) => s.sessionId)).toEqual([
      firstOf2031,
    ]);
    // The same instants in UTC fall in other years.
    const utc = await listLiveSessions(db, site('UTC'), 2030);
    expect(utc.sessions.map((s) => s.sessionId)).toEqual([midYear, forcedJob, unfinished, lastOf2030, firstOf2031]);
    // A service year from 1 July: the second half of 2030 and the first of 2031.
    const fromJuly = await listLiveSessions(db, site('Asia/Shanghai', '07-01'), 2030);
    expect(fromJuly.sessions.map((s) => s.sessionId)).toEqual([
      midYear,
      forcedJob,
      unfinished,
      lastOf2030,
      firstOf2031,
    ]);
    expect(fromJuly.counts.other.qualified).toBe(1);
  });
});

describe('listLiveSessionsBySlot', () => {
  it('gives each session the site day its slot starts on, from the first day to the last, in slot order', async () => {
    const { siteId } = await siteWithJobs(0);
    const bookedAt = new Date('2029-06-01T00:00:00Z');
    const bookAt = async (start: string, title: string) =>
      (await book(siteId, { type: 'other', title, start: new Date(start), jobIds: [] }, { now: bookedAt })).sessionId;
    // Shanghai is UTC+8: 16:00 UTC on 31 December is already 1 January there.
    const lastOfDecember = await bookAt('2029-12-31T15:59:00Z', '除夕前');
    const newYear = await bookAt('2029-12-31T16:00:00Z', '元旦');
    const later = await bookAt('2030-01-31T08:00:00Z', '一月底');
    const afterJanuary = await bookAt('2030-01-31T16:00:00Z', '二月一日');
    const site = { id: siteId, timezone: 'Asia/Shanghai' };
    const january = await listLiveSessionsBySlot(db, site, { from: '2030-01-01', to: '2030-01-31' });
    expect(january.map((s) => [s.sessionId, s.slotDay])).toEqual([
      [newYear, '2030-01-01'],
      [later, '2030-01-31'],
    ]);
    expect(january[0]).toMatchObject({
      title: '元旦',
      status: 'booked',
      slotStart: '2029-12-31T16:00:00.000Z',
      slotEnd: '2029-12-31T17:30:00.000Z',
    });
    const utc = await listLiveSessionsBySlot(
      db,
      { id: siteId, timezone: 'UTC' },
      { from: '2029-12-31', to: '2029-12-31' },
    );
    expect(utc.map((s) => s.sessionId)).toEqual([lastOfDecember, newYear]);
    expect(
      (await listLiveSessionsBySlot(db, site, { from: '2030-02-01', to: '2030-02-28' })).map((s) => s.sessionId),
    ).toEqual([afterJanuary]);
  });
});

describe('replacing a lost stream key', () => {
  it('makes the old key stop working and the new one work, before the session is live', async () => {
    const { siteId, jobIds } = await siteWithJobs(20);
    const booking = await book(siteId, { jobIds, start: new Date(Date.now() + 5 * MINUTE) });
    const replaced = await replaceStreamKey({ db, urls }, siteId, booking.sessionId);
    expect(replaced.sessionId).toBe(booking.sessionId);
    expect(replaced.streamKey).not.toBe(booking.streamKey);
    // The overlay's address stays: OBS's browser source need not change.
    expect(replaced.overlayUrl).toBe(booking.overlayUrl);
    expect((await admitPublish(db, hashStreamKey(booking.streamKey))).refusal).toBe('unknown-key');
    const admitted = await admitPublish(db, hashStreamKey(replaced.streamKey));
    expect(admitted.session?.id).toBe(booking.sessionId);
    expect(admitted.refusal).toBeNull();
  });

  it('refuses while live, after the end, and for another site', async () => {
    const { siteId, jobIds } = await siteWithJobs(20);
    const booking = await book(siteId, { jobIds, start: new Date(Date.now() - MINUTE) });
    await broadcast(booking.sessionId, new Date(Date.now() - 30_000), 10);
    await db.$client.query(`update live_sessions set status = 'live' where id = $1`, [booking.sessionId]);
    const live = await refusal(replaceStreamKey({ db, urls }, siteId, booking.sessionId));
    expect(live.code).toBe('CONFLICT');
    expect(live.message).toContain('直播进行中');
    expect((await admitPublish(db, hashStreamKey(booking.streamKey))).session?.id).toBe(booking.sessionId);

    await endLiveSession(db, rules, booking.sessionId, { reason: 'anchor', force: true });
    expect((await refusal(replaceStreamKey({ db, urls }, siteId, booking.sessionId))).message).toContain('已经结束');
    const other = await siteWithJobs(1);
    expect((await refusal(replaceStreamKey({ db, urls }, other.siteId, booking.sessionId))).code).toBe('NOT_FOUND');
  });

  it('refuses a form posted again after the key changed, and a booking whose slot has passed', async () => {
    const { siteId, jobIds } = await siteWithJobs(20);
    const booking = await book(siteId, { jobIds, start: new Date(Date.now() + 5 * MINUTE) });
    const seenKeyHash = hashStreamKey(booking.streamKey).slice(0, 12);
    const replaced = await replaceStreamKey({ db, urls }, siteId, booking.sessionId, { seenKeyHash });
    const again = await refusal(replaceStreamKey({ db, urls }, siteId, booking.sessionId, { seenKeyHash }));
    expect(again.message).toContain('刚刚已经更换过');
    expect((await admitPublish(db, hashStreamKey(replaced.streamKey))).session?.id).toBe(booking.sessionId);

    const later = new Date(Date.now() + 200 * MINUTE);
    const passed = await refusal(replaceStreamKey({ db, urls }, siteId, booking.sessionId, { now: later }));
    expect(passed.message).toContain('时段已经过去');
  });
});
