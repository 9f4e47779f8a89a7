/**
 * The RTMP port under hostile traffic: what a stranger who can reach it may cost the service, with a
 * real publisher on air alongside. Connections come from different loopback addresses (127.0.0.x)
 * so each test has per-address limits of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '@jobcast/config';
import { closeDatabase, createDatabase, type Database, schema } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import { bookLiveSession, liveStatus, loadSecretBox, replaceStreamKey } from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StreamService, startStreamService } from '../src/index.ts';
import { printLogOnFailure, publish, sampleFlv, siteWithJobs, streamTestConfig, waitFor } from './helpers.ts';
import { amf, chunk, RawRtmp } from './raw-rtmp.ts';

// A database of its own: the stream service takes a lock on the one it runs against.
let database: { url: string; drop: () => Promise<void> };
let db: Database;
let dataDir: string;
let config: Config;
let store: LocalMediaStore;
let service: StreamService;
let site: { siteId: number; jobIds: number[] };
const logs: string[] = [];

const LIMITS = {
  JOBCAST_RTMP_HANDSHAKE_SECONDS: '1',
  JOBCAST_RTMP_PUBLISH_SECONDS: '3',
  JOBCAST_RTMP_IDLE_SECONDS: '1',
  JOBCAST_RTMP_CONNECTIONS_PER_ADDRESS: '4',
};
const WINDOW_MS = 4000;
const MB = 1024 * 1024;

function start(env: Record<string, string> = {}): Promise<StreamService> {
  config = streamTestConfig(database.url, dataDir, { ...LIMITS, ...env });
  return startStreamService({
    db,
    config,
    store,
    log: (line) => logs.push(line),
    tickMs: 250,
    reportWindowMs: WINDOW_MS,
    refusalLimit: 20,
  });
}

beforeAll(async () => {
  database = await createTestDatabase('hostile');
  db = createDatabase(database.url, 4);
  dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-hostile-'));
  store = new LocalMediaStore(path.join(dataDir, 'media'));
  site = await siteWithJobs(db, 2);
  await sampleFlv();
  service = await start();
});

printLogOnFailure(logs);

afterAll(async () => {
  await service?.close();
  await closeDatabase(db);
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logLine = (pattern: RegExp) => waitFor(() => logs.find((line) => pattern.test(line)), `a log line ${pattern}`);

/** An acknowledgement message: valid, harmless, and not a publish. */
const ack = () => chunk(2, 3, Buffer.alloc(4));

/**
 * Sends forged chunk headers, each followed by one 128-byte chunk of payload (so the parser reads the
 * next header), and returns the most ArrayBuffer memory the process gained while the socket was open.
 */
async function forgedHeaders(from: string, count: number, declared: number) {
  const raw = await RawRtmp.open(service.rtmpPort, { from });
  await raw.handshake();
  const filler = Buffer.alloc(128);
  const before = process.memoryUsage().arrayBuffers;
  raw.send(Buffer.concat(Array.from({ length: count }, (_, i) => chunk(64 + i, 9, filler, { declared }))));
  let peak = 0;
  // The idle limit (1 s) would close it too: which limit did is read from the log.
  const deadline = Date.now() + 2000;
  for (;;) {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    if (raw.isClosed || Date.now() > deadline) break;
    await sleep(10);
  }
  return { peak, closed: raw.isClosed };
}

describe('the chunk-header memory attack', () => {
  it('closes a connection declaring 16 MB messages on 200 chunk streams, having held a few KB for it', async () => {
    // About 28 KB sent after the handshake, no connect: node-media-server 4.4.3 allocated 200 x 16 MB.
    const { peak, closed } = await forgedHeaders('127.0.0.11', 200, 0xffffff);
    expect(peak).toBeLessThan(4 * MB);
    expect(closed).toBe(true);
    await logLine(/^RTMP: closed a connection from 127\.0\.0\.11: message-too-long$/);
  });

  it('closes one that declares messages under the size limit on too many chunk streams, holding only what arrived', async () => {
    const { peak, closed } = await forgedHeaders('127.0.0.12', 200, 3 * MB);
    expect(peak).toBeLessThan(4 * MB);
    expect(closed).toBe(true);
    await logLine(/^RTMP: closed a connection from 127\.0\.0\.12: too-many-chunk-streams$/);
  });

  it('closes a connection whose command would crash the parser, and the service goes on', async () => {
    const noTcUrl = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.13' });
    await noTcUrl.handshake();
    noTcUrl.send(chunk(3, 20, amf('connect', 1, { app: 'live' })));
    const prototypeName = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.13' });
    await prototypeName.handshake();
    prototypeName.send(chunk(3, 20, amf('constructor', 1, null)));
    expect(await noTcUrl.closed).toBeLessThan(2500);
    expect(await prototypeName.closed).toBeLessThan(2500);
    const next = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.14' });
    await next.handshake();
    next.close();
  });
});

describe('time limits and connections per address', () => {
  it('closes a half handshake, a silent socket and one that never publishes, while a publisher streams on', async () => {
    const secrets = await loadSecretBox(config);
    const booking = await bookLiveSession(
      { db, rules: config.live, urls: config, secrets },
      { siteId: site.siteId, userId: null, displayName: '小王' },
      { type: 'other', title: '青山湖区春风行动直播', start: new Date(), minutes: 60, jobIds: site.jobIds },
    );
    const publisher = await publish(`${service.rtmpUrl}/${booking.streamKey}`, { seconds: 6 });
    await waitFor(
      async () => (await liveStatus(db, config.live, booking.sessionId)).status === 'live',
      'the publisher to go live',
    );

    const half = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.21' });
    half.send(Buffer.concat([Buffer.from([3]), Buffer.alloc(700)]));
    const silent = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.21' });
    await silent.handshake();
    const chatty = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.21' });
    await chatty.handshake();
    const talking = setInterval(() => chatty.send(ack()), 200);
    try {
      // Handshake 1 s, idle 1 s, publish 3 s: each closed after its limit, and not long after.
      const halfMs = await half.closed;
      expect(halfMs).toBeGreaterThanOrEqual(900);
      expect(halfMs).toBeLessThan(3000);
      const silentMs = await silent.closed;
      expect(silentMs).toBeGreaterThanOrEqual(900);
      expect(silentMs).toBeLessThan(3000);
      const chattyMs = await chatty.closed;
      expect(chattyMs).toBeGreaterThanOrEqual(2900);
      expect(chattyMs).toBeLessThan(5000);
    } finally {
      clearInterval(talking);
    }

    expect(await publisher.exited).toBe(0);
    const view = await waitFor(async () => {
      const v = await liveStatus(db, config.live, booking.sessionId);
      return v.status === 'interrupted' ? v : null;
    }, 'the publisher to finish');
    expect(view.segments).toHaveLength(1);
    expect(view.liveSeconds).toBeGreaterThan(4.5);
    const line = await logLine(/^RTMP: closed 3 connections from 127\.0\.0\.21 /);
    expect(line).toMatch(/handshake-timeout/);
    expect(line).toMatch(/idle/);
    expect(line).toMatch(/no-publish/);
  });

  it('lets one address hold only so many connections at once', async () => {
    const held = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const raw = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.31' });
        await raw.handshake();
        return raw;
      }),
    );
    const talking = setInterval(() => {
      for (const raw of held) raw.send(ack());
    }, 200);
    try {
      const fifth = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.31' });
      fifth.send(Buffer.concat([Buffer.from([3]), Buffer.alloc(1536)]));
      expect(await fifth.receivedAtLeast(1, 1000)).toBe(false);
      expect(fifth.isClosed).toBe(true);
      // Another address is not affected, and a connection that ends makes room.
      const other = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.32' });
      await other.handshake();
      other.close();
      held[0]?.close();
      await held[0]?.closed;
      await sleep(100);
      const again = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.31' });
      await again.handshake();
      again.close();
    } finally {
      clearInterval(talking);
      for (const raw of held) raw.close();
    }
    await logLine(/^RTMP: closed a connection from 127\.0\.0\.31: too-many-connections$/);
  });
});

describe('refused publishes', () => {
  it('are one log line and one attempt row per address with the count, and a key refused again is closed unheard', async () => {
    for (let i = 0; i < 20; i++) {
      const raw = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.41' });
      await raw.handshake();
      raw.publish(service.rtmpPort, `live_guessedkey${i}`);
      // Closed by the refusal, well before the publish deadline (3 s).
      expect(await raw.closed).toBeLessThan(2500);
    }
    // A key already refused: closed at once, without a lookup, a log line or a row of its own.
    const again = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.41' });
    await again.handshake();
    again.publish(service.rtmpPort, 'live_guessedkey0');
    expect(await again.closed).toBeLessThan(2500);

    const rows = await waitFor(async () => {
      const found = await db
        .select()
        .from(schema.livePublishAttempts)
        .where(eq(schema.livePublishAttempts.clientAddress, '127.0.0.41'));
      return found.length > 0 ? found : null;
    }, 'the refusals to be recorded');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sessionId: null, accepted: false, reason: 'unknown-key x20' });
    const lines = logs.filter((line) => line.includes('127.0.0.41'));
    expect(lines).toEqual([
      `publish refused 20 times from 127.0.0.41 within ${WINDOW_MS / 1000} s: unknown-key x20; 1 more connection(s) closed unheard`,
    ]);
    expect(logs.join('\n')).not.toContain('live_guessedkey');
  });

  it('lets the anchor in with a replaced key while an encoder at the same address keeps retrying the old one', async () => {
    const secrets = await loadSecretBox(config);
    const other = await siteWithJobs(db, 2);
    const booking = await bookLiveSession(
      { db, rules: config.live, urls: config, secrets },
      { siteId: other.siteId, userId: null, displayName: '小李' },
      { type: 'other', title: '红谷滩招聘直播', start: new Date(), minutes: 60, jobIds: other.jobIds },
    );
    const replaced = await replaceStreamKey({ db, urls: config }, other.siteId, booking.sessionId);
    // The backup encoder retries the old key from the office's address, as many times as the limit (20 here).
    for (let i = 0; i < 20; i++) {
      const raw = await RawRtmp.open(service.rtmpPort, { from: '127.0.0.1' });
      await raw.handshake();
      raw.publish(service.rtmpPort, booking.streamKey);
      expect(await raw.closed).toBeLessThan(2500);
    }
    const publisher = await publish(`${service.rtmpUrl}/${replaced.streamKey}`, { seconds: 2 });
    try {
      await waitFor(
        async () => (await liveStatus(db, config.live, booking.sessionId)).status === 'live',
        'the anchor with the new key to go live',
        5000,
      );
    } finally {
      await publisher.stop();
    }
    const line = await logLine(/^publish refused from 127\.0\.0\.1: /);
    expect(line).toBe('publish refused from 127.0.0.1: unknown-key; 19 more connection(s) closed unheard');
  });
});

describe('listening addresses', () => {
  it('binds the RTMP and preview ports to the configured address only', async () => {
    await service.close();
    service = await start({ JOBCAST_RTMP_HOST: '127.0.0.1', JOBCAST_STREAM_HTTP_HOST: '127.0.0.1' });
    const refused = (port: number, host: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect({ port, host });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
    for (const port of [service.rtmpPort, service.httpPort]) {
      expect(await refused(port, '127.0.0.2')).toBe('ECONNREFUSED');
      expect(await refused(port, '127.0.0.1')).toBe('connected');
    }
    const raw = await RawRtmp.open(service.rtmpPort, { host: '127.0.0.1' });
    await raw.handshake();
    raw.close();
    expect(service.rtmpUrl).toBe(`rtmp://127.0.0.1:${service.rtmpPort}/live`);
  });
});
