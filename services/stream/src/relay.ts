import type { Database } from '@jobcast/db';
import { type FfmpegFeed, relayArgs, startFfmpegFeed } from '@jobcast/ffmpeg';
import {
  RELAY_STOPPED,
  type RelayRefusal,
  type RelayTarget,
  recordRelay,
  redactUrls,
  relayTargets,
  relayUrlRefusal,
  type SecretBox,
} from '@jobcast/live';
import type { Publisher } from './rtmp-server.ts';

/** More than this many bytes waiting for ffmpeg: the target cannot keep up, so the copy starts over. */
export const MAX_RELAY_BACKLOG = 16 * 1024 * 1024;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** A connection that lasted this long was healthy: the next drop retries quickly again. */
const HEALTHY_MS = 15_000;
const FLUSH_EVERY_MS = 5000;

export interface RelayStats {
  label: string;
  connected: boolean;
  connects: number;
  failures: number;
  /** Bytes waiting for ffmpeg right now. */
  backlog: number;
  /** Times the copy was restarted because it fell behind. */
  fellBehind: number;
}

/**
 * Why a relay stopped, as the session page shows it (最近的错误): ffmpeg's own words, in English,
 * stay in the log.
 */
export function relayStopText(ffmpegError: string | null, fellBehind: boolean): string {
  if (fellBehind) return '网络跟不上直播，转推已重新开始';
  if (ffmpegError === null || /reset by peer|broken pipe|end of file/i.test(ffmpegError)) return '平台断开了连接';
  if (/refused/i.test(ffmpegError)) return '平台拒绝了连接';
  if (/timed out/i.test(ffmpegError)) return '连接平台超时';
  if (/resolve|not known|getaddrinfo/i.test(ffmpegError)) return '找不到平台的服务器';
  return RELAY_STOPPED;
}

/**
 * One platform push address for the length of one publisher connection: a copy of the stream (no
 * re-encode), started again with a growing wait whenever the target refuses or drops it. Time
 * connected is added to the relay's row as it accrues.
 */
export class Relay {
  private active = true;
  private process: FfmpegFeed | null = null;
  private wake: (() => void) | null = null;
  private connectedSince: number | null = null;
  private flushedAt = 0;
  private flushTimer: NodeJS.Timeout;
  readonly stats: RelayStats;
  readonly done: Promise<void>;

  constructor(
    private readonly target: RelayTarget,
    private readonly publisher: Publisher,
    private readonly db: Database,
    private readonly log: (line: string) => void,
    private readonly retry = { firstMs: FIRST_RETRY_MS, maxMs: MAX_RETRY_MS },
    /** config.relayHosts: a booking made before the list changed must not push to a host no longer allowed. */
    private readonly allowedHosts?: readonly string[],
  ) {
    this.stats = { label: target.label, connected: false, connects: 0, failures: 0, backlog: 0, fellBehind: 0 };
    this.flushTimer = setInterval(() => void this.flush().catch(() => {}), FLUSH_EVERY_MS);
    this.done = this.loop();
  }

  private async flush(): Promise<void> {
    if (this.connectedSince === null) return;
    const now = Date.now();
    const from = Math.max(this.connectedSince, this.flushedAt);
    this.flushedAt = now;
    if (now > from) await recordRelay(this.db, this.target.id, { connectedMs: now - from });
  }

  /** Why the target may no longer be pushed to, or null (also null when no allow-list was given). */
  private refusal(): RelayRefusal | null {
    if (this.allowedHosts === undefined) return null;
    try {
      return relayUrlRefusal(this.target.url, this.allowedHosts);
    } catch (error) {
      return { zh: (error as Error).message, en: 'JOBCAST_RELAY_HOSTS is not valid' };
    }
  }

  private async loop(): Promise<void> {
    let waitMs = this.retry.firstMs;
    // Checked before anything starts: the relay is recorded as failed and never connects.
    const refusal = this.refusal();
    if (refusal !== null) {
      this.active = false;
      this.stats.failures += 1;
      this.log(`relay to ${this.target.label} not started: ${refusal.en}`);
      await recordRelay(this.db, this.target.id, { error: `${refusal.zh}，未转推` }).catch(() => {});
    }
    while (this.active) {
      // The push address is a secret: it never reaches a log or a row.
      const relay = startFfmpegFeed(relayArgs(this.target.url), { redact: redactUrls });
      this.process = relay;
      let fellBehind = false;
      const unsubscribe = this.publisher.subscribe({
        write: (chunk) => {
          const backlog = relay.backlog();
          this.stats.backlog = backlog;
          if (backlog > MAX_RELAY_BACKLOG) {
            this.stats.fellBehind += 1;
            fellBehind = true;
            relay.kill();
            return;
          }
          relay.input.write(chunk);
        },
      });
      void relay.connected.then(() => {
        if (this.process !== relay) return;
        this.connectedSince = Date.now();
        this.stats.connected = true;
        this.stats.connects += 1;
        void recordRelay(this.db, this.target.id, { connected: true }).catch(() => {});
      });
      const result = await relay.exited;
      unsubscribe();
      const since = this.connectedSince;
      await this.flush().catch(() => {});
      this.connectedSince = null;
      this.stats.connected = false;
      this.stats.backlog = 0;
      this.process = null;
      if (!this.active) break;
      this.stats.failures += 1;
      const error = fellBehind ? 'fell behind' : (result.error ?? 'the target closed the connection');
      this.log(`relay to ${this.target.label} stopped (${error}); retrying in ${waitMs / 1000} s`);
      await recordRelay(this.db, this.target.id, { error: relayStopText(result.error, fellBehind) }).catch(() => {});
      waitMs = since !== null && Date.now() - since > HEALTHY_MS ? this.retry.firstMs : waitMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      waitMs = Math.min(waitMs * 2, this.retry.maxMs);
    }
    clearInterval(this.flushTimer);
  }

  /** Stops the copy (the publisher left, or the session ended) and adds the last connected time. */
  async stop(): Promise<void> {
    this.active = false;
    this.wake?.();
    this.process?.kill();
    await this.done;
  }
}

export interface RelayWiring {
  db: Database;
  secrets: SecretBox;
  log: (line: string) => void;
  retry?: { firstMs: number; maxMs: number };
  /** config.relayHosts. */
  allowedHosts?: readonly string[];
}

/** A relay to each of the session's platform push addresses, for this publisher's connection. */
export async function startRelays(wiring: RelayWiring, sessionId: number, publisher: Publisher): Promise<Relay[]> {
  const targets = await relayTargets(wiring.db, wiring.secrets, sessionId);
  return targets.map(
    (target) => new Relay(target, publisher, wiring.db, wiring.log, wiring.retry, wiring.allowedHosts),
  );
}
