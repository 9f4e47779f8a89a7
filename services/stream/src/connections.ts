/**
 * The publishers let in, one per session at most: each gets a segment, a recording and its relays
 * while it stays, and its segment is closed at what was received when it leaves.
 */
import type { Database } from '@jobcast/db';
import {
  closeSegment,
  type LiveSegmentRow,
  logPublishAttempt,
  openSegment,
  reportSegment,
  type SegmentReport,
} from '@jobcast/live';
import type { MediaStore } from '@jobcast/storage';
import { MediaClock } from './flv.ts';
import { Recording, recordingKeyOf } from './recording.ts';
import { type Relay, type RelayStats, type RelayWiring, startRelays } from './relay.ts';
import { letIn, type Publisher } from './rtmp-server.ts';

export interface Connection {
  sessionId: number;
  publisher: Publisher;
  segment: LiveSegmentRow | null;
  clock: MediaClock;
  recording: Recording | null;
  relays: Relay[];
  unsubscribe: () => void;
  lastMediaMs: number;
  lastSeenAt: Date;
  /** Settles when the connection's segment is closed, its recording published and its relays stopped. */
  closed: Promise<void>;
}

export interface LiveFigures {
  sessionId: number;
  mediaMs: number;
  bytes: number;
  relays: RelayStats[];
}

export class Connections {
  private readonly bySession = new Map<number, Connection>();

  constructor(
    private readonly deps: { db: Database; store: MediaStore; relays: RelayWiring; log: (line: string) => void },
  ) {}

  get(sessionId: number): Connection | undefined {
    return this.bySession.get(sessionId);
  }

  has(sessionId: number): boolean {
    return this.bySession.has(sessionId);
  }

  all(): Connection[] {
    return [...this.bySession.values()];
  }

  live(): LiveFigures[] {
    return this.all().map((connection) => ({
      sessionId: connection.sessionId,
      mediaMs: connection.clock.mediaMs,
      bytes: connection.publisher.inBytes(),
      relays: connection.relays.map((relay) => relay.stats),
    }));
  }

  /** Cuts the session's publisher, if it has one here, and resolves once its segment is closed. */
  async release(sessionId: number): Promise<void> {
    const connection = this.bySession.get(sessionId);
    if (!connection) return;
    connection.publisher.close();
    await connection.closed;
  }

  /** Cuts every publisher; their segments close at what was received. */
  async releaseAll(): Promise<void> {
    const closing = this.all().map((connection) => {
      connection.publisher.close();
      return connection.closed;
    });
    await Promise.all(closing);
  }

  /** Live figures to the database; a publisher silent longer than `stalledMs` is dropped. */
  async check(stalledMs: number): Promise<void> {
    for (const connection of this.bySession.values()) {
      await this.report(connection).catch(() => {});
      if (Date.now() - connection.lastSeenAt.getTime() > stalledMs) {
        this.deps.log(
          `live session ${connection.sessionId}: no media for ${stalledMs / 1000} s, dropping the publisher`,
        );
        connection.publisher.close();
      }
    }
  }

  /** Lets an admitted publisher in: its segment, recording and relays start. */
  async accept(publisher: Publisher, sessionId: number): Promise<void> {
    const { db, store, log } = this.deps;
    const connection: Connection = {
      sessionId,
      publisher,
      segment: null,
      clock: new MediaClock(),
      recording: null,
      relays: [],
      unsubscribe: () => {},
      lastMediaMs: 0,
      lastSeenAt: publisher.connectedAt,
      closed: Promise.resolve(),
    };
    // Claimed before the first await: a second publisher on the same key finds it taken.
    this.bySession.set(sessionId, connection);
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
      const recording = await Recording.start(store, segment.recordingKey, (error) =>
        log(`live session ${sessionId}: recording write failed: ${error.message}`),
      );
      connection.recording = recording;
      connection.unsubscribe = publisher.subscribe({
        write: (chunk) => {
          connection.clock.see(chunk);
          recording.write(chunk);
        },
      });
      connection.relays = await startRelays(this.deps.relays, sessionId, publisher);
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
        await this.teardown(connection, 'publisher-left');
      } catch (error) {
        log(`live session ${sessionId}: closing the segment failed: ${(error as Error).message}`);
      } finally {
        if (this.bySession.get(sessionId) === connection) this.bySession.delete(sessionId);
        settle();
      }
    });
    try {
      await ready;
    } catch (error) {
      log(`live session ${sessionId}: could not start the segment: ${(error as Error).message}`);
      publisher.close();
    }
  }

  /** The connection's figures now; `lastSeenAt` moves only when media arrived since the last look. */
  private figures(connection: Connection): SegmentReport {
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
  }

  private async report(connection: Connection): Promise<void> {
    if (connection.segment) await reportSegment(this.deps.db, connection.segment.id, this.figures(connection));
  }

  private async teardown(connection: Connection, reason: string): Promise<void> {
    connection.unsubscribe();
    await Promise.all(connection.relays.map((relay) => relay.stop()));
    await connection.recording?.finish();
    if (connection.segment) {
      const last = this.figures(connection);
      await closeSegment(this.deps.db, connection.segment, { ...last, reason });
      this.deps.log(
        `live session ${connection.sessionId}: publisher left (segment ${connection.segment.seq}, ${(last.mediaMs / 1000).toFixed(1)} s)`,
      );
    }
    if (this.bySession.get(connection.sessionId) === connection) this.bySession.delete(connection.sessionId);
  }
}
