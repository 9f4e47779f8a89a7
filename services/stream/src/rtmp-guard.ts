/**
 * The RTMP port's door: every connection passes here before node-media-server reads a byte of it.
 * It bounds what a connection that has not been let in can cost: time to finish the handshake, time
 * to be let in as a publisher, bytes sent meanwhile, silence, and connections per address. What one
 * message may make the parser hold is node-media-server's own limit (patches/node-media-server+*).
 * Closures are logged once per address per window, with counts: a flood is one line, not thousands.
 */
import type net from 'node:net';
import { AddressWindows, addressGroup, countsText } from './per-address.ts';

/** C0 + C1 + C2: what a client sends to finish the RTMP handshake. */
const HANDSHAKE_BYTES = 1 + 1536 + 1536;

export interface GuardLimits {
  handshakeMs: number;
  /** From connecting until let in as a publisher. */
  publishMs: number;
  /** No bytes received for this long. */
  idleMs: number;
  connectionsPerAddress: number;
  /** Bytes before the publish command: the handshake and a few commands take about 4 KB. */
  bytesBeforePublish: number;
  /** Bytes before the service has let the publisher in: the first media while its key is checked. */
  bytesBeforeAdmission: number;
}

export interface RtmpGuardOptions {
  limits: GuardLimits;
  log(line: string): void;
  windowMs: number;
}

type Stage = 'handshake' | 'connected' | 'publishing' | 'admitted';

interface Tracked {
  group: string;
  openedAt: number;
  lastDataAt: number;
  bytes: number;
  stage: Stage;
}

export class RtmpGuard {
  private readonly sockets = new Map<net.Socket, Tracked>();
  private readonly perGroup = new Map<string, number>();
  private readonly closures: AddressWindows<Map<string, number>>;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: RtmpGuardOptions) {
    this.closures = new AddressWindows<Map<string, number>>(
      options.windowMs,
      () => new Map(),
      (group, counts) => {
        const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
        options.log(
          total === 1
            ? `RTMP: closed a connection from ${group}: ${countsText(counts)}`
            : `RTMP: closed ${total} connections from ${group} within ${options.windowMs / 1000} s: ${countsText(counts)}`,
        );
      },
    );
    const { handshakeMs, publishMs, idleMs } = options.limits;
    const every = Math.min(Math.max(Math.min(handshakeMs, publishMs, idleMs) / 4, 100), 1000);
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  /** A new connection: false, and closed, when its address may not open another one now. */
  admit(socket: net.Socket): boolean {
    const address = socket.remoteAddress;
    if (!address) {
      socket.destroy();
      return false;
    }
    const group = addressGroup(address);
    const open = this.perGroup.get(group) ?? 0;
    if (open >= this.options.limits.connectionsPerAddress) {
      this.count(group, 'too-many-connections');
      socket.destroy();
      return false;
    }
    this.perGroup.set(group, open + 1);
    const now = Date.now();
    const tracked: Tracked = { group, openedAt: now, lastDataAt: now, bytes: 0, stage: 'handshake' };
    this.sockets.set(socket, tracked);
    socket.on('data', (chunk: Buffer) => this.received(socket, tracked, chunk.length));
    socket.once('close', () => {
      this.sockets.delete(socket);
      const left = (this.perGroup.get(group) ?? 1) - 1;
      if (left > 0) this.perGroup.set(group, left);
      else this.perGroup.delete(group);
    });
    return true;
  }

  /** The connection sent its publish command; its key is being checked. */
  publishing(socket: net.Socket): void {
    const tracked = this.sockets.get(socket);
    if (tracked && tracked.stage !== 'admitted') tracked.stage = 'publishing';
  }

  /** The service let the publisher in: only the idle limit applies from now on. */
  admitted(socket: net.Socket): void {
    const tracked = this.sockets.get(socket);
    if (tracked) tracked.stage = 'admitted';
  }

  /** node-media-server's parser refused what the connection sent (and closed it). */
  protocolError(address: string, error: string): void {
    this.count(
      addressGroup(address),
      /message length/.test(error)
        ? 'message-too-long'
        : /chunk streams/.test(error)
          ? 'too-many-chunk-streams'
          : 'malformed',
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.closures.flush();
  }

  private received(socket: net.Socket, tracked: Tracked, bytes: number): void {
    tracked.lastDataAt = Date.now();
    tracked.bytes += bytes;
    if (tracked.stage === 'handshake' && tracked.bytes >= HANDSHAKE_BYTES) tracked.stage = 'connected';
    const { bytesBeforePublish, bytesBeforeAdmission } = this.options.limits;
    if (tracked.stage === 'admitted') return;
    if (tracked.bytes > (tracked.stage === 'publishing' ? bytesBeforeAdmission : bytesBeforePublish))
      this.cut(socket, tracked, 'too-many-bytes-before-publish');
  }

  private sweep(): void {
    const now = Date.now();
    const { handshakeMs, publishMs, idleMs } = this.options.limits;
    for (const [socket, tracked] of this.sockets) {
      if (tracked.stage === 'handshake' && now - tracked.openedAt > handshakeMs)
        this.cut(socket, tracked, 'handshake-timeout');
      else if (tracked.stage !== 'admitted' && now - tracked.openedAt > publishMs)
        this.cut(socket, tracked, 'no-publish');
      else if (now - tracked.lastDataAt > idleMs) this.cut(socket, tracked, 'idle');
    }
  }

  private cut(socket: net.Socket, tracked: Tracked, reason: string): void {
    this.sockets.delete(socket);
    this.count(tracked.group, reason);
    socket.destroy();
  }

  private count(group: string, reason: string): void {
    const counts = this.closures.get(group);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
}
