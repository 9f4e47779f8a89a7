import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '@jobcast/config';
import { closeDatabase, createDatabase, type Database, schema } from '@jobcast/db';
import { bookLiveSession, endLiveSession, liveStatus, loadSecretBox, presentJob, publishAttempts } from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type StreamService, startStreamService } from '../src/index.ts';
import { freePort } from '../src/rtmp-server.ts';
import {
  printLogOnFailure,
  probeDuration,
  publish,
  relayTarget,
  sampleFlv,
  siteWithJobs,
  streamTestConfig,
  waitFor,
} from './helpers.ts';

let db: Database;
let dataDir: string;
let config: Config;
let store: LocalMediaStore;
let service: StreamService;
let site: { siteId: number; jobIds: number[] };
const logs: string[] = [];

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 4);
  dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-stream-'));
  config = streamTestConfig(inject('databaseUrl'), dataDir);
  store = new LocalMediaStore(config.mediaDir);
  site = await siteWithJobs(db, 3);
  await sampleFlv();
  service = await startStreamService({
    db,
    config,
    store,
    log: (line) => logs.push(line),
    tickMs: 250,
    staleHolderMs: 2000,
    relayRetry: { firstMs: 300, maxMs: 1000 },
    // Refusals are logged and recorded once per address per window: a short one, to read them soon.
    reportWindowMs: 500,
  });
});

printLogOnFailure(logs);

afterAll(async () => {
  await service?.close();
  await closeDatabase(db);
  await rm(dataDir, { recursive: true, force: true });
});

async function book(type: 'job' | 'other' = 'job', relays: string[] = [], start = new Date()) {
  const secrets = await loadSecretBox(config);
  return bookLiveSession(
    { db, rules: config.live, urls: config, secrets, relayHosts: config.relayHosts },
    { siteId: site.siteId, userId: null, displayName: '小王' },
    { type, title: '青山湖区春风行动直播带岗', start, minutes: 60, jobIds: site.jobIds.slice(0, 2), relays },
  );
}

const rtmp = (key: string) => `${service.rtmpUrl}/${key}`;
const status = (sessionId: number) => liveStatus(db, config.live, sessionId);

describe('a booked job livestream, live end to end', () => {
  it('lets the key in, counts media time, relays, records, and leaves evidence', async () => {
    const targetPort = await freePort();
    const received = path.join(dataDir, 'relay-received.flv');
    const target = relayTarget(targetPort, received);
    const booking = await book('job', [`rtmp://127.0.0.1:${targetPort}/push/secret-douyin-key`]);
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 8 });

    await waitFor(async () => (await status(booking.sessionId)).status === 'live', 'the session to go live');
    await presentJob(db, booking.sessionId, { jobId: site.jobIds[0] as number });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await presentJob(db, booking.sessionId, 'next');
    await publisher.exited;
    const interrupted = await waitFor(async () => {
      const view = await status(booking.sessionId);
      return view.status === 'interrupted' ? view : null;
    }, 'the session to wait for a reconnect');
    expect(interrupted.liveSeconds).toBeGreaterThan(6.5);
    expect(interrupted.liveSeconds).toBeLessThan(8.5);
    expect(interrupted.presentedJobs).toBe(2);
    expect(interrupted.guard.qualified).toBe(true);
    expect(interrupted.relays[0]?.connects).toBeGreaterThanOrEqual(1);

    await target.exited;
    const relayed = await probeDuration(received);
    expect(relayed.video).toBe(true);
    expect(relayed.durationS).toBeGreaterThan(5);

    const ended = await endLiveSession(db, config.live, booking.sessionId, { reason: 'anchor' });
    expect(ended.verdict?.qualified).toBe(true);
    await waitFor(async () => (await status(booking.sessionId)).recording.evidenceJsonKey, 'the evidence');
    const done = await status(booking.sessionId);
    const recording = await probeDuration(store.localPath(done.recording.recordingKey as string));
    expect(Math.abs(recording.durationS - done.liveSeconds)).toBeLessThan(2);
    expect(done.recording.thumbnailKeys.length).toBeGreaterThanOrEqual(1);
    const evidence = JSON.parse(await readFile(store.localPath(done.recording.evidenceJsonKey as string), 'utf8'));
    expect(evidence.verdict.qualified).toBe(true);
    expect(evidence.rundown[0].employer).toBe('南昌第0电子厂');
    const html = await readFile(store.localPath(done.recording.evidenceHtmlKey as string), 'utf8');
    expect(html).toContain('达标');
    expect(html).toContain('<p class="site">示范区就业服务中心</p>');
    // The thumbnails are inside the page; no address of the publisher or of the relay's host is.
    expect(html.match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(done.recording.thumbnailKeys.length);
    expect(html).not.toMatch(/127\.0\.0\.1|rtmp:\/\/|:\d{4,5}\b/);
    expect(html).not.toContain('secret-douyin-key');
    expect(logs.join('\n')).not.toContain('secret-douyin-key');
    expect(logs.join('\n')).not.toContain(booking.streamKey);
    const [row] = await db.select().from(schema.liveRelays).where(eq(schema.liveRelays.sessionId, booking.sessionId));
    expect(row?.urlEncrypted).not.toContain('secret-douyin-key');
    const attempts = await publishAttempts(db, booking.sessionId);
    expect(attempts.map((a) => a.reason)).toEqual(['accepted']);
  });
});

async function refusedAttempt(sessionId: number | null, reason: string) {
  return waitFor(async () => {
    const rows = await db.select().from(schema.livePublishAttempts);
    return rows.find((row) => row.reason === reason && (sessionId === null || row.sessionId === sessionId));
  }, `a refused attempt (${reason})`);
}

async function nothingRecorded(sessionId: number) {
  const view = await status(sessionId);
  expect(view.status).toBe('booked');
  expect(view.segments).toEqual([]);
  const files = await import('node:fs/promises').then((fs) =>
    fs.readdir(path.join(config.mediaDir, 'live', String(sessionId))).catch(() => []),
  );
  expect(files).toEqual([]);
}

describe('publishers that are not let in', () => {
  it('refuses an unknown key, closing it at once, and logs where it came from', async () => {
    const publisher = await publish(rtmp('live_notakeyofanysession0000000'), { seconds: 5 });
    expect(await publisher.exited).not.toBe(0);
    const attempt = await refusedAttempt(null, 'unknown-key');
    expect(attempt.clientAddress).toMatch(/127\.0\.0\.1|::1/);
    expect(attempt.accepted).toBe(false);
  });

  it('refuses a publish with no key', async () => {
    const publisher = await publish(`rtmp://127.0.0.1:${service.rtmpPort}/live/`, { seconds: 5 });
    expect(await publisher.exited).not.toBe(0);
    await refusedAttempt(null, 'no-key');
  });

  it('refuses a good key sent to another app', async () => {
    const booking = await book();
    const publisher = await publish(`rtmp://127.0.0.1:${service.rtmpPort}/other/${booking.streamKey}`, { seconds: 5 });
    expect(await publisher.exited).not.toBe(0);
    await refusedAttempt(booking.sessionId, 'wrong-app');
    await nothingRecorded(booking.sessionId);
  });

  it('refuses an expired key (slot over, never live) and a key used too early', async () => {
    const expired = await book();
    await db
      .update(schema.liveSessions)
      .set({ slotStart: new Date(Date.now() - 3 * 3600_000), slotEnd: new Date(Date.now() - 2 * 3600_000) })
      .where(eq(schema.liveSessions.id, expired.sessionId));
    const early = await book('job', [], new Date(Date.now() + 2 * 3600_000));
    const [a, b] = await Promise.all([publish(rtmp(expired.streamKey)), publish(rtmp(early.streamKey))]);
    expect(await a?.exited).not.toBe(0);
    expect(await b?.exited).not.toBe(0);
    await refusedAttempt(expired.sessionId, 'expired');
    await refusedAttempt(early.sessionId, 'not-yet-valid');
    await nothingRecorded(expired.sessionId);
    await nothingRecorded(early.sessionId);
  });

  it("refuses an ended session's key", async () => {
    const booking = await book('other');
    await endLiveSession(db, config.live, booking.sessionId, { reason: 'anchor' });
    const publisher = await publish(rtmp(booking.streamKey));
    expect(await publisher.exited).not.toBe(0);
    await refusedAttempt(booking.sessionId, 'ended');
    expect((await status(booking.sessionId)).segments).toEqual([]);
  });

  it('refuses a second publisher on a live key and keeps the first one on air', async () => {
    const booking = await book();
    const first = await publish(rtmp(booking.streamKey), { seconds: 6 });
    await waitFor(async () => (await status(booking.sessionId)).status === 'live', 'the first publisher to go live');
    const second = await publish(rtmp(booking.streamKey), { seconds: 5 });
    expect(await second.exited).not.toBe(0);
    await refusedAttempt(booking.sessionId, 'already-live');
    expect((await status(booking.sessionId)).status).toBe('live');
    expect(await first.exited).toBe(0);
    const view = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.status === 'interrupted' ? v : null;
    }, 'the first publisher to finish');
    expect(view.segments).toHaveLength(1);
    expect(view.liveSeconds).toBeGreaterThan(4.5);
  });

  it('refuses RTMP players: streams leave only as recording, relays and preview', async () => {
    const booking = await book();
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 4 });
    await waitFor(async () => (await status(booking.sessionId)).status === 'live', 'live');
    await expect(probeDuration(rtmp(booking.streamKey))).rejects.toThrow();
    expect(logs.some((line) => line.startsWith('RTMP play refused'))).toBe(true);
    // The console's preview is HTTP-FLV by the overlay token, never by the stream key.
    const preview = await probeDuration(
      booking.previewUrl.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${service.httpPort}`),
    );
    expect(preview.video).toBe(true);
    const unknown = await fetch(`http://127.0.0.1:${service.httpPort}/preview/${'x'.repeat(32)}.flv`);
    expect(unknown.status).toBe(404);
    await publisher.exited;
  });
});

describe('drops and reconnects', () => {
  it('lets a reconnect in when the old connection is silent: a drop the server never heard of', async () => {
    const booking = await book();
    const frozen = await publish(rtmp(booking.streamKey), { seconds: 30 });
    await waitFor(async () => (await status(booking.sessionId)).liveSeconds > 1, 'media from the first connection');
    frozen.send('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const refused = await publish(rtmp(booking.streamKey), { seconds: 3 });
    expect(await refused.exited).not.toBe(0);
    await waitFor(
      async () => (await status(booking.sessionId)).status === 'interrupted',
      'the silent connection to be cut',
    );
    const retry = await publish(rtmp(booking.streamKey), { seconds: 3 });
    expect(await retry.exited).toBe(0);
    const view = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.segments.length === 2 && v.status === 'interrupted' ? v : null;
    }, 'the retry to be counted');
    expect(view.segments[1]?.liveSeconds).toBeGreaterThan(2);
    frozen.send('SIGCONT');
    await frozen.stop();
  });

  it('joins a reconnect within the gap, from another address, into one session without counting the gap', async () => {
    const booking = await book();
    const first = await publish(rtmp(booking.streamKey), { seconds: 3 });
    await first.exited;
    await waitFor(async () => (await status(booking.sessionId)).status === 'interrupted', 'the drop');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const second = await publish(`rtmp://[::1]:${service.rtmpPort}/live/${booking.streamKey}`, { seconds: 3 });
    await second.exited;
    const view = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.status === 'interrupted' && v.segments.length === 2 && v.segments[1]?.endedAt ? v : null;
    }, 'the second segment to close');
    expect(view.segments[0]?.clientAddress).not.toBe(view.segments[1]?.clientAddress);
    // Two 3 s publishes with more than 1.5 s between them: the gap is not live time.
    expect(view.liveSeconds).toBeGreaterThan(5);
    expect(view.liveSeconds).toBeLessThan(6.5);
    const ended = await endLiveSession(db, config.live, booking.sessionId, { reason: 'anchor', force: true });
    expect(ended.forced).toBe(true);
    await service.idle();
    const done = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.recording.recordingKey ? v : null;
    }, 'the recording');
    const recording = await probeDuration(store.localPath(done.recording.recordingKey as string));
    expect(Math.abs(recording.durationS - done.liveSeconds)).toBeLessThan(2);
  });

  it('ends a session by itself when the publisher stays away longer than the gap', async () => {
    const booking = await book();
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 3 });
    await publisher.exited;
    const view = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.status === 'ended' ? v : null;
    }, 'the session to end after the gap');
    expect(view.endReason).toBe('gap');
    expect(view.verdict?.qualified).toBe(false);
    expect(view.verdict?.reasons[0]).toMatch(/^直播时长 \d 秒，不足 6 秒$/);
    await waitFor(async () => (await status(booking.sessionId)).recording.evidenceHtmlKey, 'the evidence');
  });
});

describe('relays', () => {
  it('keeps retrying a target that refuses or dies, and the session goes on unaffected', async () => {
    const port = await freePort();
    const booking = await book('job', [`rtmp://127.0.0.1:${port}/push/key-that-must-stay-secret`]);
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 14 });
    const relayFailures = async () => (await status(booking.sessionId)).relays[0]?.failures ?? 0;
    await waitFor(async () => (await relayFailures()) >= 2, 'the refused relay to be retried');
    expect((await status(booking.sessionId)).status).toBe('live');

    const firstTarget = relayTarget(port, path.join(dataDir, 'relay-a.flv'));
    await waitFor(
      () => service.live().find((l) => l.sessionId === booking.sessionId)?.relays[0]?.connected,
      'the relay to connect',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await firstTarget.stop();
    const failuresAfterDeath = await waitFor(async () => {
      const failures = await relayFailures();
      return failures >= 3 && failures;
    }, 'the relay to notice the target died');
    const secondTarget = relayTarget(port, path.join(dataDir, 'relay-b.flv'));
    await waitFor(
      async () => ((await status(booking.sessionId)).relays[0]?.connects ?? 0) >= 2,
      'the relay to reconnect',
    );
    expect(failuresAfterDeath).toBeGreaterThanOrEqual(3);
    expect((await status(booking.sessionId)).status).toBe('live');
    expect(await publisher.exited).toBe(0);
    await secondTarget.exited;
    const relayed = await probeDuration(path.join(dataDir, 'relay-b.flv'));
    expect(relayed.video).toBe(true);
    const view = await status(booking.sessionId);
    expect(view.relays[0]?.connectedSeconds).toBeGreaterThanOrEqual(2);
    expect(view.relays[0]?.lastError ?? '').not.toContain('key-that-must-stay-secret');
    // The session page shows it: in Chinese, ffmpeg's English left to the log.
    expect(view.relays[0]?.lastError).toMatch(/^[^A-Za-z]+$/);
    expect(view.liveSeconds).toBeGreaterThan(12);
    expect(logs.join('\n')).not.toContain('key-that-must-stay-secret');
  });
});

describe('an audio-only publisher', () => {
  it('counts its media time and records it', async () => {
    const booking = await book('other');
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 4, audioOnly: true });
    await publisher.exited;
    const view = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.status === 'interrupted' ? v : null;
    }, 'the audio-only segment to close');
    expect(view.segments[0]?.hasAudio).toBe(true);
    expect(view.segments[0]?.hasVideo).toBe(false);
    expect(view.liveSeconds).toBeGreaterThan(3);
    await endLiveSession(db, config.live, booking.sessionId, { reason: 'anchor' });
    const done = await waitFor(async () => {
      const v = await status(booking.sessionId);
      return v.recording.evidenceJsonKey ? v : null;
    }, 'the evidence');
    expect(done.verdict?.qualified).toBe(true);
    const recording = await probeDuration(store.localPath(done.recording.recordingKey as string));
    expect(recording).toMatchObject({ audio: true, video: false });
    expect(done.recording.thumbnailKeys).toEqual([]);
  });
});

describe('stream keys at rest', () => {
  it('are in no file node-media-server keeps, after publishes have come and gone', async () => {
    const booking = await book('other');
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 2 });
    await publisher.exited;
    await waitFor(
      async () => ((await status(booking.sessionId)).status === 'interrupted' ? true : null),
      'the segment to close',
    );
    // Stopping the service flushes node-media-server's store to its folder.
    await service.close();
    const storeDir = path.join(dataDir, 'rtmp-store');
    const files = await readdir(storeDir);
    for (const file of files) {
      const text = await readFile(path.join(storeDir, file), 'utf8').catch(() => '');
      expect(text, file).not.toContain(booking.streamKey);
    }
    expect(files.filter((file) => file.startsWith('stream_history'))).toEqual([]);
    // A history an older version left is removed when the service starts.
    await writeFile(path.join(storeDir, 'stream_history.json'), JSON.stringify([{ name: booking.streamKey }]));
    service = await startStreamService({ db, config, store, log: (line) => logs.push(line), tickMs: 250 });
    expect((await readdir(storeDir)).filter((file) => file.startsWith('stream_history'))).toEqual([]);
  });
});
