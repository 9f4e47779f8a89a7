/**
 * The stream service: lets in the publisher of a booked session and nobody else, measures its live
 * time, records it, copies it to the platforms, and ends sessions whose publisher does not come back
 * within the gap. PostgreSQL holds the truth; after a crash the next start picks up from there.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Config } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';
import type { Database } from '@jobcast/db';
import { probe, remuxToMp4, runFfmpeg, thumbnailArgs } from '@jobcast/ffmpeg';
import {
  admitPublish,
  closeSegment,
  closeSegmentsLeftOpen,
  endLiveSession,
  findSessionByOverlayToken,
  hashStreamKey,
  type LiveListener,
  type LiveSegmentRow,
  listenLive,
  liveStatus,
  loadSecretBox,
  logPublishAttempt,
  openSegment,
  relayTargets,
  reportSegment,
  type SecretBox,
  type SegmentReport,
  saveFinalization,
  segmentsOf,
  sessionsToFinalize,
  waitingSessions,
} from '@jobcast/live';
import type { MediaStore } from '@jobcast/storage';
import { buildEvidence, evidenceHtml } from './evidence.ts';
import { MediaClock } from './flv.ts';
import { claimStreamOwnership } from './ownership.ts';
import { Refusals } from './refusals.ts';
import { Relay, type RelayStats } from './relay.ts';
import { bindAddress, type FlvSink, freePort, letIn, type Publisher, RtmpServer } from './rtmp-server.ts';

export interface StreamServiceDeps {
  db: Database;
  config: Config;
  store: MediaStore;
  log?: (line: string) => void;
  /** How often live figures reach the database and the gap is checked (tests shorten it). */
  tickMs?: number;
  /** A publisher holding a key but silent this long gives way to a new connection on that key. */
  staleHolderMs?: number;
  /** Relay retry waits (tests shorten them). */
  relayRetry?: { firstMs: number; maxMs: number };
  /**
   * Refused publishes and closed connections are counted per address over this window and logged
   * once at its end, with counts (tests shorten it).
   */
  reportWindowMs?: number;
  /** Refused publishes from one address within the window after which its connections are closed at once. */
  refusalLimit?: number;
}

export interface StreamService {
  /** The RTMP port actually listened on (config 0 picks a free one). */
  rtmpPort: number;
  /** The HTTP-FLV preview port actually listened on. */
  httpPort: number;
  /** rtmp://127.0.0.1:port/live, for local publishers (tests, the benchmark). */
  rtmpUrl: string;
  /** What is live in this process now, for status pages and the benchmark. */
  live(): { sessionId: number; mediaMs: number; bytes: number; relays: RelayStats[] }[];
  /** Resolves once everything queued for the end of a session (recording, evidence) is written. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const APP = 'live';
/** A publisher silent this long is dropped, and the reconnect gap starts. */
const STALLED_MS = 30_000;
/** A preview viewer this far behind is dropped rather than buffered without end. */
const MAX_PREVIEW_BACKLOG = 8 * 1024 * 1024;
/**
 * Refused publishes are reported per address per minute; ten in a minute is more than an anchor
 * mistyping a key or OBS retrying makes, and the address is let back in when the minute is over.
 */
const REPORT_WINDOW_MS = 60_000;
const REFUSAL_LIMIT = 10;

interface Connection {
  sessionId: number;
  publisher: Publisher;
  segment: LiveSegmentRow | null;
  clock: MediaClock;
  file: WriteStream | null;
  partPath: string | null;
  relays: Relay[];
  unsubscribe: () => void;
  lastMediaMs: number;
  lastSeenAt: Date;
  /** Settles when the connection's segment is closed, its file renamed and its relays stopped. */
  closed: Promise<void>;
}

const recordingKeyOf = (sessionId: number, seq: number) =>
  `live/${sessionId}/segment-${String(seq).padStart(3, '0')}.flv`;
const PART = '.part';

export async function startStreamService(deps: StreamServiceDeps): Promise<StreamService> {
  const { db, config, store } = deps;
  const log = deps.log ?? (() => {});
  const rules = config.live;
  const tickMs = deps.tickMs ?? 1000;
  const staleHolderMs = deps.staleHolderMs ?? 5000;
  const secrets: SecretBox = await loadSecretBox(config);
  const connections = new Map<number, Connection>();
  const finalizing = new Map<number, Promise<void>>();
  let stopping = false;

  const reportWindowMs = deps.reportWindowMs ?? REPORT_WINDOW_MS;
  const refusals = new Refusals({
    windowMs: reportWindowMs,
    limit: deps.refusalLimit ?? REFUSAL_LIMIT,
    log,
    record: (attempt) => logPublishAttempt(db, attempt),
  });

  const refuse = (publisher: Publisher, sessionId: number | null, reason: string): void => {
    publisher.close();
    refusals.refused(publisher.clientAddress.replace(/:\d+$/, ''), sessionId, reason);
  };

  /** The connection's figures now; `lastSeenAt` moves only when media arrived since the last look. */
  const figures = (connection: Connection): SegmentReport => {
    const mediaMs = connection.clock.mediaMs;
    if (mediaMs !== connection.lastMediaMs) {
      connection.lastMediaMs = mediaMs;
      connection.lastSeenAt = new Date();
    }
    return {
      mediaMs,
      bytes: connection.publisher.inBytes(),
      hasVideo: connection.clock.hasVideo,
      hasAudio: connection.clock.hasAudio,
      lastSeenAt: connection.lastSeenAt,
    };
  };

  const report = async (connection: Connection): Promise<void> => {
    if (connection.segment) await reportSegment(db, connection.segment.id, figures(connection));
  };

  const closeFile = async (connection: Connection): Promise<void> => {
    const file = connection.file;
    if (!file || !connection.partPath) return;
    await new Promise<void>((resolve) => file.end(() => resolve()));
    await rename(connection.partPath, connection.partPath.slice(0, -PART.length)).catch(() => {});
  };

  const teardown = async (connection: Connection, reason: string): Promise<void> => {
    connection.unsubscribe();
    await Promise.all(connection.relays.map((relay) => relay.stop()));
    await closeFile(connection);
    if (connection.segment) {
      const last = figures(connection);
      await closeSegment(db, connection.segment, { ...last, reason });
      log(
        `live session ${connection.sessionId}: publisher left (segment ${connection.segment.seq}, ${(last.mediaMs / 1000).toFixed(1)} s)`,
      );
    }
    if (connections.get(connection.sessionId) === connection) connections.delete(connection.sessionId);
  };

  const accept = async (publisher: Publisher, sessionId: number): Promise<void> => {
    const connection: Connection = {
      sessionId,
      publisher,
      segment: null,
      clock: new MediaClock(),
      file: null,
      partPath: null,
      relays: [],
      unsubscribe: () => {},
      lastMediaMs: 0,
      lastSeenAt: publisher.connectedAt,
      closed: Promise.resolve(),
    };
    // Claimed before the first await: a second publisher on the same key finds it taken.
    connections.set(sessionId, connection);
    letIn(publisher);
    let settle: () => void = () => {};
    connection.closed = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const ready = (async () => {
      const segment = await openSegment(db, sessionId, {
        clientAddress: publisher.clientAddress,
        startedAt: publisher.connectedAt,
        recordingKey: (seq) => recordingKeyOf(sessionId, seq),
      });
      connection.segment = segment;
      const partPath = `${store.localPath(segment.recordingKey)}${PART}`;
      await mkdir(path.dirname(partPath), { recursive: true });
      const file = createWriteStream(partPath);
      file.on('error', (error) => log(`live session ${sessionId}: recording write failed: ${error.message}`));
      connection.file = file;
      connection.partPath = partPath;
      const recorder: FlvSink = {
        write: (chunk) => {
          connection.clock.see(chunk);
          file.write(chunk);
        },
      };
      connection.unsubscribe = publisher.subscribe(recorder);
      const targets = await relayTargets(db, secrets, sessionId);
      connection.relays = targets.map(
        (target) => new Relay(target, publisher, db, log, deps.relayRetry, config.relayHosts),
      );
      await logPublishAttempt(db, {
        sessionId,
        clientAddress: publisher.clientAddress,
        accepted: true,
        reason: 'accepted',
      });
      log(`live session ${sessionId}: publisher ${publisher.clientAddress} let in (segment ${segment.seq})`);
    })();
    void publisher.closed.then(async () => {
      try {
        await ready;
        await teardown(connection, 'publisher-left');
      } catch (error) {
        log(`live session ${sessionId}: closing the segment failed: ${(error as Error).message}`);
      } finally {
        if (connections.get(sessionId) === connection) connections.delete(sessionId);
        settle();
      }
    });
    try {
      await ready;
    } catch (error) {
      log(`live session ${sessionId}: could not start the segment: ${(error as Error).message}`);
      publisher.close();
    }
  };

  const onPublish = (publisher: Publisher): void => {
    if (stopping) {
      publisher.close();
      return;
    }
    if (!publisher.key) {
      refuse(publisher, null, 'no-key');
      return;
    }
    void admitPublish(db, hashStreamKey(publisher.key))
      .then(async ({ session, refusal }) => {
        if (publisher.app !== APP) return refuse(publisher, session?.id ?? null, 'wrong-app');
        if (refusal) return refuse(publisher, session?.id ?? null, refusal);
        if (!session) return refuse(publisher, null, 'unknown-key');
        const holder = connections.get(session.id);
        if (holder) {
          // A connection that sends nothing is likely dead without a FIN (the anchor's network
          // dropped): it is cut, so OBS's next retry gets in. This attempt is refused all the same.
          if (Date.now() - holder.lastSeenAt.getTime() > staleHolderMs) holder.publisher.close();
          return refuse(publisher, session.id, 'already-live');
        }
        await accept(publisher, session.id);
      })
      .catch((error: Error) => {
        log(`publish check failed: ${error.message}`);
        publisher.close();
      });
  };

  const finalize = (sessionId: number): Promise<void> => {
    const running = finalizing.get(sessionId);
    if (running) return running;
    const job = (async () => {
      const connection = connections.get(sessionId);
      if (connection) {
        connection.publisher.close();
        await connection.closed;
      }
      await writeEvidence(sessionId);
    })()
      .catch((error: Error) => log(`live session ${sessionId}: finalizing failed: ${error.message}`))
      .finally(() => finalizing.delete(sessionId));
    finalizing.set(sessionId, job);
    return job;
  };

  const writeEvidence = async (sessionId: number): Promise<void> => {
    const segments = await segmentsOf(db, sessionId);
    const files: string[] = [];
    for (const segment of segments) {
      const final = store.localPath(segment.recordingKey);
      // A segment a killed service left half-written is still good FLV up to where it stopped.
      await rename(`${final}${PART}`, final).catch(() => {});
      const info = await stat(final).catch(() => null);
      if (info && info.size > 0) files.push(final);
    }
    let recordingKey: string | null = null;
    let durationS: number | null = null;
    const thumbnailKeys: string[] = [];
    let error: string | null = null;
    if (files.length > 0) {
      const scratch = await store.scratchDir(`live-${sessionId}`);
      try {
        const key = `live/${sessionId}/recording.mp4`;
        await store.write(key, (temp) => remuxToMp4(files, path.join(scratch, 'segments.txt'), temp));
        recordingKey = key;
        const facts = await probe(store.localPath(key));
        durationS = facts.durationS;
        if (facts.hasVideo) {
          for (let at = 0, n = 1; at < Math.max(facts.durationS, 0.1); at += config.thumbnailSeconds, n++) {
            const thumbKey = `live/${sessionId}/thumb-${String(n).padStart(3, '0')}.jpg`;
            await store.write(thumbKey, (temp) => runFfmpeg(thumbnailArgs(store.localPath(key), at, temp)));
            thumbnailKeys.push(thumbKey);
          }
        }
        await Promise.all(files.map((file) => rm(file, { force: true })));
      } catch (failure) {
        error = `录像转封装失败 (remux failed): ${(failure as Error).message.split('\n')[0]}`;
        log(`live session ${sessionId}: ${error}`);
      } finally {
        await store.dropScratch(`live-${sessionId}`);
      }
    } else {
      error = '没有收到任何画面 (nothing was received)';
    }
    const view = await liveStatus(db, rules, sessionId);
    const evidence = buildEvidence(view, { key: recordingKey, durationS, thumbnails: thumbnailKeys, error });
    const evidenceJsonKey = `live/${sessionId}/evidence.json`;
    const evidenceHtmlKey = `live/${sessionId}/evidence.html`;
    await store.writeBuffer(evidenceJsonKey, Buffer.from(JSON.stringify(evidence, null, 2)));
    await store.writeBuffer(evidenceHtmlKey, Buffer.from(evidenceHtml(evidence, config.timezone)));
    await saveFinalization(db, sessionId, { recordingKey, thumbnailKeys, evidenceJsonKey, evidenceHtmlKey, error });
    log(
      `live session ${sessionId}: evidence written${recordingKey ? ` with a ${durationS?.toFixed(1)} s recording` : ''}`,
    );
  };

  /** Sessions whose publisher has been gone longer than the gap end here, judged on what was received. */
  const endExpired = async (reason: 'gap' | 'restart'): Promise<void> => {
    const now = Date.now();
    for (const waiting of await waitingSessions(db)) {
      if (connections.has(waiting.sessionId)) continue;
      if (now - waiting.lastSeenAt.getTime() < rules.reconnectGapSeconds * 1000) continue;
      const view = await endLiveSession(db, rules, waiting.sessionId, { reason });
      log(`live session ${waiting.sessionId} ended: no publisher within the gap (${view.guard.reasons.join('；')})`);
      void finalize(waiting.sessionId);
    }
  };

  const finalizeEnded = async (): Promise<void> => {
    for (const sessionId of await sessionsToFinalize(db)) void finalize(sessionId);
  };

  // Owner of this database's livestreams first, then its ports, and only then recovery: a second
  // service started by mistake stops here, before it closes the running one's open segments.
  const rtmpPort = config.rtmpPort === 0 ? await freePort() : config.rtmpPort;
  const ownership = await claimStreamOwnership(config.databaseUrl, { rtmp: rtmpPort, http: config.streamHttpPort });
  try {
    await bindAddress(rtmpPort, config.rtmpHost);
    await previewPortFree(config.streamHttpPort, config.streamHttpHost);
  } catch (error) {
    await ownership.release();
    throw error;
  }

  // What a previous run left: open segments close at their last report, then the gap rule applies.
  const reopened = await closeSegmentsLeftOpen(db);
  if (reopened.length > 0) log(`found ${reopened.length} live session(s) left open by the last run`);
  await endExpired('restart');
  await finalizeEnded();

  const listener: LiveListener = await listenLive(
    config.databaseUrl,
    (event) => {
      if (event.event === 'ended') void finalize(event.sessionId);
    },
    () => void finalizeEnded().catch(() => {}),
  );

  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void (async () => {
      for (const connection of connections.values()) {
        await report(connection).catch(() => {});
        if (Date.now() - connection.lastSeenAt.getTime() > STALLED_MS) {
          log(`live session ${connection.sessionId}: no media for ${STALLED_MS / 1000} s, dropping the publisher`);
          connection.publisher.close();
        }
      }
      await endExpired('gap');
    })()
      .catch((error: Error) => log(`live check failed: ${error.message}`))
      .finally(() => {
        ticking = false;
      });
  }, tickMs);

  const rtmp = await RtmpServer.start({
    port: rtmpPort,
    host: config.rtmpHost,
    limits: config.rtmpLimits,
    reportWindowMs,
    turnAway: (address) => refusals.turnAway(address),
    storeDir: path.join(config.dataDir, 'rtmp-store'),
    onPublish,
    log,
    onPlayRefused: (address) => log(`RTMP play refused from ${address}: streams are not served over RTMP`),
  });

  const preview = http.createServer((req, res) => {
    const match = /^\/preview\/([A-Za-z0-9_-]{16,64})\.flv$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('没有这个地址 (not found)\n');
      return;
    }
    void findSessionByOverlayToken(db, match[1] as string).then(
      (session) => {
        const connection = session ? connections.get(session.id) : undefined;
        if (!connection) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('未在直播 (not live now)\n');
          return;
        }
        res.writeHead(200, {
          'content-type': 'video/x-flv',
          'cache-control': 'no-store',
          'access-control-allow-origin': '*',
        });
        const unsubscribe = connection.publisher.subscribe({
          write: (chunk) => {
            if (res.writableLength > MAX_PREVIEW_BACKLOG) res.destroy();
            else res.write(chunk);
          },
        });
        res.on('close', unsubscribe);
        void connection.publisher.closed.then(() => res.end());
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    preview.once('error', reject);
    preview.listen(config.streamHttpPort, config.streamHttpHost, () => resolve());
  });
  const httpPort = (preview.address() as import('node:net').AddressInfo).port;
  log(
    `stream service: RTMP on ${config.rtmpHost ?? 'every address'} port ${rtmpPort} (app "${APP}"), preview on ${config.streamHttpHost ?? 'every address'} port ${httpPort}`,
  );

  const idle = async (): Promise<void> => {
    while (finalizing.size > 0) await Promise.all([...finalizing.values()]);
  };

  return {
    rtmpPort,
    httpPort,
    rtmpUrl: `rtmp://${localHost(config.rtmpHost)}:${rtmpPort}/${APP}`,
    live: () =>
      [...connections.values()].map((connection) => ({
        sessionId: connection.sessionId,
        mediaMs: connection.clock.mediaMs,
        bytes: connection.publisher.inBytes(),
        relays: connection.relays.map((relay) => relay.stats),
      })),
    idle,
    async close() {
      stopping = true;
      clearInterval(ticker);
      await listener.close();
      // Publishers are cut; their segments close at what was received. The sessions wait for the
      // gap as after any drop, so a restart within it carries on.
      const closing = [...connections.values()].map((connection) => {
        connection.publisher.close();
        return connection.closed;
      });
      await Promise.all(closing);
      await idle();
      await rtmp.stop();
      await refusals.flush();
      await new Promise<void>((resolve) => {
        preview.closeAllConnections();
        preview.close(() => resolve());
      });
      await ownership.release();
    },
  };
}

/** How a local client reaches a port listened on at `host`. */
function localHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** The preview port, checked before the service touches anything; 0 takes any free port. */
async function previewPortFree(port: number, host: string | undefined): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = http.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new JobcastError(
          'UNAVAILABLE',
          error.code === 'EADDRINUSE'
            ? `直播预览端口 ${port} 已被占用 (preview port ${port} is in use: stop the other server or set JOBCAST_STREAM_HTTP_PORT)`
            : `无法监听直播预览端口 ${port} (cannot listen on preview port ${port}: ${error.message}; check JOBCAST_STREAM_HTTP_HOST)`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
