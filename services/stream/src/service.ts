/**
 * The stream service: lets in the publisher of a booked session and nobody else, measures its live
 * time, records it, copies it to the platforms, and ends sessions whose publisher does not come back
 * within the gap. PostgreSQL holds the truth; after a crash the next start picks up from there.
 *
 * This file puts the parts together: admission.ts decides who may publish, connections.ts runs the
 * publishers let in (recording.ts, relay.ts), finalize.ts writes what an ended session leaves,
 * ticker.ts applies time, preview-server.ts serves the preview, rtmp-server.ts the RTMP port.
 */
import path from 'node:path';
import type { Config } from '@jobcast/config';
import { rootMessage } from '@jobcast/core';
import type { Database } from '@jobcast/db';
import {
  admitPublish,
  closeSegmentsLeftOpen,
  findSessionByOverlayToken,
  hashStreamKey,
  type LiveListener,
  listenLive,
  loadSecretBox,
  logPublishAttempt,
  type SecretBox,
  sessionsToFinalize,
} from '@jobcast/live';
import type { MediaStore } from '@jobcast/storage';
import { type Admission, decideAdmission, PUBLISH_APP, screenPublish } from './admission.ts';
import { Connections, type LiveFigures } from './connections.ts';
import { Finalizer } from './finalize.ts';
import { claimStreamOwnership } from './ownership.ts';
import { previewPortFree, startPreviewServer } from './preview-server.ts';
import { Refusals } from './refusals.ts';
import { bindAddress, freePort, type Publisher, RtmpServer } from './rtmp-server.ts';
import { endExpired, type GapDeps, startTicker } from './ticker.ts';

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
  /** Keys refused for good remembered per address within the window (closed at once when tried again). */
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
  live(): LiveFigures[];
  /** Resolves once everything queued for the end of a session (recording, evidence) is written. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Refused publishes are reported per address per minute; within it, up to 16 keys refused for good
 * are remembered per address, and such a key is closed at once when it comes again.
 */
const REPORT_WINDOW_MS = 60_000;
const REFUSAL_LIMIT = 16;
/** At close, how long finalizations going get to end before their ffmpeg is killed. */
const FINALIZE_WAIT_MS = 3000;

export async function startStreamService(deps: StreamServiceDeps): Promise<StreamService> {
  const { db, config, store } = deps;
  const log = deps.log ?? (() => {});
  const staleHolderMs = deps.staleHolderMs ?? 5000;
  const secrets: SecretBox = await loadSecretBox(config);
  let stopping = false;

  const reportWindowMs = deps.reportWindowMs ?? REPORT_WINDOW_MS;
  const refusals = new Refusals({
    windowMs: reportWindowMs,
    limit: deps.refusalLimit ?? REFUSAL_LIMIT,
    log,
    record: (attempt) => logPublishAttempt(db, attempt),
  });
  const connections = new Connections({
    db,
    store,
    relays: { db, secrets, log, retry: deps.relayRetry, allowedHosts: config.relayHosts },
    log,
  });
  const finalizer = new Finalizer({ db, store, config, log }, (sessionId) => connections.release(sessionId));
  const gap: GapDeps = {
    db,
    rules: config.live,
    connections,
    finalize: (sessionId) => finalizer.finalize(sessionId),
    log,
  };

  /** Acts on an admission decision. */
  const admit = async (publisher: Publisher, decision: Admission, keyHash?: string): Promise<void> => {
    if (decision.outcome === 'drop') return publisher.close();
    if (decision.outcome === 'admit') return connections.accept(publisher, decision.sessionId);
    if (decision.cutHolder && decision.sessionId !== null) connections.get(decision.sessionId)?.publisher.close();
    publisher.close();
    refusals.refused(addressOf(publisher), decision.sessionId, decision.reason, keyHash);
  };

  const onPublish = (publisher: Publisher): void => {
    const screened = screenPublish({ stopping, key: publisher.key });
    if (screened) {
      void admit(publisher, screened);
      return;
    }
    // A key refused for good from this address in the window: closed unheard, nothing looked up.
    const keyHash = hashStreamKey(publisher.key);
    if (refusals.knownRefused(addressOf(publisher), keyHash)) {
      publisher.close();
      return;
    }
    // The key's session row only: admission.ts makes the decision.
    void admitPublish(db, keyHash)
      .then(({ session }) => {
        const holder = session ? connections.get(session.id) : undefined;
        return admit(
          publisher,
          decideAdmission({ app: publisher.app, session, holder: holder ?? null, now: new Date(), staleHolderMs }),
          keyHash,
        );
      })
      .catch((error: Error) => {
        // The cause only: a failed query's text would carry the key's hash as its parameter.
        log(`publish check failed: ${rootMessage(error)}`);
        publisher.close();
      });
  };

  const finalizeEnded = async (): Promise<void> => {
    for (const sessionId of await sessionsToFinalize(db)) void finalizer.finalize(sessionId);
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
  await endExpired(gap, 'restart');
  await finalizeEnded();
  // Evidence an older version wrote (connection addresses, English) is written again, in the background.
  void finalizer.refreshOldEvidence();

  const listener: LiveListener = await listenLive(
    config.databaseUrl,
    (event) => {
      if (event.event === 'ended') void finalizer.finalize(event.sessionId);
    },
    () => void finalizeEnded().catch(() => {}),
  );

  const ticker = startTicker(gap, deps.tickMs ?? 1000);

  const rtmp = await RtmpServer.start({
    port: rtmpPort,
    host: config.rtmpHost,
    limits: config.rtmpLimits,
    reportWindowMs,
    storeDir: path.join(config.dataDir, 'rtmp-store'),
    onPublish,
    log,
    onPlayRefused: (address) => log(`RTMP play refused from ${address}: streams are not served over RTMP`),
  });

  const preview = await startPreviewServer({
    port: config.streamHttpPort,
    host: config.streamHttpHost,
    publisherFor: async (token) => {
      const session = await findSessionByOverlayToken(db, token);
      return session ? connections.get(session.id)?.publisher : undefined;
    },
  });
  log(
    `stream service: RTMP on ${config.rtmpHost ?? 'every address'} port ${rtmpPort} (app "${PUBLISH_APP}"), preview on ${config.streamHttpHost ?? 'every address'} port ${preview.port}`,
  );

  return {
    rtmpPort,
    httpPort: preview.port,
    rtmpUrl: `rtmp://${localHost(config.rtmpHost)}:${rtmpPort}/${PUBLISH_APP}`,
    live: () => connections.live(),
    idle: () => finalizer.idle(),
    async close() {
      stopping = true;
      ticker.stop();
      await listener.close();
      // Publishers are cut; their segments close at what was received. The sessions wait for the
      // gap as after any drop, so a restart within it carries on.
      await connections.releaseAll();
      // A long session's remux takes minutes, more than a supervised stop allows (cli supervisor):
      // a finalization still going is killed here and done again by the next start.
      await finalizer.stop(FINALIZE_WAIT_MS);
      await rtmp.stop();
      await refusals.flush();
      await preview.close();
      await ownership.release();
    },
  };
}

/** The publisher's address without its port. */
function addressOf(publisher: Publisher): string {
  return publisher.clientAddress.replace(/:\d+$/, '');
}

/** How a local client reaches a port listened on at `host`. */
function localHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
