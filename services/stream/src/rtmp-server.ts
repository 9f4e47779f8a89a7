/**
 * The only module that touches node-media-server (v4, CommonJS, one server per process: its state is
 * a module singleton). It takes RTMP publishers in and hands each to `onPublish`; everything that
 * reads a stream (recorder, relays, preview) subscribes inside this process, so the stream key never
 * appears in a URL that something else pulls, and no RTMP player is let in.
 *
 * v4 facts this relies on (read from its source, 4.4.3): events get one session object; the publish
 * is acknowledged before `prePublish` runs, so a refusal closes the socket; a publisher that drops and
 * comes back within 30 s is resumed into the old broadcast, which would splice two connections into
 * one stream — the grace is set to 0 here, because reconnects are this service's own business.
 *
 * Its RTMP parser is patched (patches/node-media-server+4.4.3.patch, applied by `npm ci`): a message
 * may declare at most 4 MB and its buffer grows as bytes arrive, a connection may use 16 chunk
 * streams, and a parser error closes the socket. Everything else a connection may cost is bounded
 * in rtmp-guard.ts, which every socket passes before node-media-server sees it.
 */

import { readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import type { RtmpLimits } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';
import { AddressWindows } from './per-address.ts';
import { RtmpGuard } from './rtmp-guard.ts';

const require = createRequire(import.meta.url);

interface NmsSocket extends net.Socket {}

interface NmsBroadcast {
  publishGraceMs: number;
  postPlay(session: object): string | null;
  donePlay(session: object): void;
}

interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  streamApp: string;
  streamName: string;
  streamPath: string;
  inBytes: number;
  socket?: NmsSocket;
  broadcast?: NmsBroadcast;
  close(): void;
}

interface NmsServer {
  on(event: string, listener: (session: NmsSession) => void): void;
  run(): Promise<void>;
  stop(): Promise<void>;
}

const NodeMediaServer = require('node-media-server') as new (config: object) => NmsServer;
const nmsLogger = require('node-media-server/src/core/logger.js') as {
  level: string;
  log: (message: string, level?: string) => void;
};
const nmsContext = require('node-media-server/src/core/context.js') as {
  eventEmitter: import('node:events').EventEmitter;
};
const nmsRtmp = require('node-media-server/src/protocol/rtmp.js') as { MAX_MESSAGE_SIZE?: number };

interface NmsRtmpServer {
  tcpServer?: net.Server;
  handleRequest(socket: net.Socket): void;
}

/** Bytes a connection may send before its publish command: the handshake and a few commands take ~4 KB. */
const BYTES_BEFORE_PUBLISH = 64 * 1024;
/** ...and before it is let in: what an encoder sends (metadata, a keyframe) while its key is checked. */
const BYTES_BEFORE_ADMISSION = 8 * 1024 * 1024;
/** node-media-server error lines shown per window; a peer can make one per message it sends. */
const NMS_ERRORS_SHOWN = 20;

/** Takes FLV as it arrives: the file header, codec headers and the current GOP first, then every tag. */
export interface FlvSink {
  write(chunk: Buffer): void;
}

export interface Publisher {
  /** node-media-server's session id: for logs. */
  readonly id: string;
  /** address:port of the publisher's connection. */
  readonly clientAddress: string;
  readonly app: string;
  /** The stream name, i.e. the stream key: a secret, never logged. */
  readonly key: string;
  readonly connectedAt: Date;
  /** Bytes received on this connection so far. */
  inBytes(): number;
  subscribe(sink: FlvSink): () => void;
  /** Drops the connection at once; nothing more is read from it. */
  close(): void;
  /** Resolves when the connection is gone, whoever closed it. */
  readonly closed: Promise<void>;
}

let subscriberCount = 0;
const guarded = new WeakMap<Publisher, { guard: RtmpGuard; socket: net.Socket }>();

/** The service let this publisher in: the limits on connections not yet let in stop applying to it. */
export function letIn(publisher: Publisher): void {
  const found = guarded.get(publisher);
  found?.guard.admitted(found.socket);
}

function wrap(session: NmsSession, guard: RtmpGuard): Publisher {
  const socket = session.socket;
  const closed = new Promise<void>((resolve) => {
    if (!socket || socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
  const publisher: Publisher = {
    id: session.id,
    clientAddress: session.ip,
    app: session.streamApp,
    key: session.streamName,
    connectedAt: new Date(),
    inBytes: () => session.inBytes,
    subscribe(sink) {
      const broadcast = session.broadcast;
      if (!broadcast) return () => {};
      subscriberCount += 1;
      // A subscriber as node-media-server's own recorder is one: an FLV session with no address,
      // which skips its play events and auth.
      const subscriber = {
        id: `jobcast-${subscriberCount}`,
        ip: '',
        protocol: 'flv',
        streamPath: session.streamPath,
        endTime: 0,
        sendBuffer: (chunk: Buffer) => sink.write(chunk),
        close: () => {},
      };
      broadcast.postPlay(subscriber);
      let attached = true;
      return () => {
        if (!attached) return;
        attached = false;
        broadcast.donePlay(subscriber);
      };
    },
    close() {
      if (socket) socket.destroy();
      else session.close();
    },
    closed,
  };
  if (socket) guarded.set(publisher, { guard, socket });
  return publisher;
}

export interface RtmpServerOptions {
  port: number;
  /** The address to listen on; undefined: every interface. */
  host?: string;
  limits: RtmpLimits;
  /** Closed connections are logged once per address per this window. */
  reportWindowMs: number;
  /** node-media-server keeps a small JSON store of its own (stream history): it goes here. */
  storeDir: string;
  onPublish(publisher: Publisher): void;
  /** node-media-server's own errors, with stream names (keys) taken out. */
  log?(line: string): void;
  /** A player asked for a stream: always refused; told so the caller can log it. */
  onPlayRefused?(clientAddress: string): void;
}

/**
 * The configured address, or else every address, IPv6 too where the machine has it, so a publisher's
 * address is what it connected from. Probed first: node-media-server exits the process when it
 * cannot listen.
 */
export async function bindAddress(port: number, host?: string): Promise<string> {
  if (host) {
    const error = await listenProbe(port, host);
    if (!error) return host;
    if (error.code === 'EADDRINUSE') throw portError(port, error);
    throw new JobcastError(
      'UNAVAILABLE',
      `无法在地址 ${host} 上监听 RTMP 端口 ${port}（${error.code ?? error.message}）：请检查 JOBCAST_RTMP_HOST`,
    );
  }
  for (const any of ['::', '0.0.0.0']) {
    const error = await listenProbe(port, any);
    if (!error) return any;
    if (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL') throw portError(port, error);
  }
  throw new JobcastError('UNAVAILABLE', `无法监听 RTMP 端口 ${port}`);
}

function listenProbe(port: number, host: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

function portError(port: number, error: NodeJS.ErrnoException): JobcastError {
  return new JobcastError(
    'UNAVAILABLE',
    error.code === 'EADDRINUSE'
      ? `RTMP 端口 ${port} 已被占用：请停止占用它的程序，或设置 JOBCAST_RTMP_PORT`
      : `无法监听 RTMP 端口 ${port}：${error.message}`,
  );
}

/** A free TCP port, for tests and side-by-side instances (node-media-server cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

let running = false;

/** node-media-server's stream history files (one per shard): they hold stream keys. */
async function removeStreamHistory(storeDir: string): Promise<void> {
  const names = await readdir(storeDir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith('stream_history'))
      .map((name) => rm(path.join(storeDir, name), { force: true })),
  );
}

export class RtmpServer {
  private constructor(
    private readonly nms: NmsServer,
    private readonly listeners: [string, (session: NmsSession) => void][],
    private readonly guard: RtmpGuard,
    private readonly nmsErrors: { flush(): Promise<void> },
    readonly port: number,
  ) {}

  static async start(options: RtmpServerOptions): Promise<RtmpServer> {
    if (running)
      throw new JobcastError('INTERNAL', 'one RTMP server per process: node-media-server keeps global state');
    if (nmsRtmp.MAX_MESSAGE_SIZE === undefined)
      throw new JobcastError(
        'INTERNAL',
        'node-media-server is not patched: a few KB sent to the RTMP port could hold gigabytes of memory (run npm ci, which applies patches/)',
      );
    const bind = await bindAddress(options.port, options.host);
    running = true;
    const { limits } = options;
    const guard = new RtmpGuard({
      limits: {
        handshakeMs: limits.handshakeSeconds * 1000,
        publishMs: limits.publishSeconds * 1000,
        idleMs: limits.idleSeconds * 1000,
        connectionsPerAddress: limits.connectionsPerAddress,
        bytesBeforePublish: BYTES_BEFORE_PUBLISH,
        bytesBeforeAdmission: BYTES_BEFORE_ADMISSION,
      },
      log: options.log ?? (() => {}),
      windowMs: options.reportWindowMs,
    });
    // Its constructor logs a banner at debug level and its sessions log stream paths, which hold
    // keys: only its errors pass, redacted, and a few per window. A parser error closes a hostile
    // connection: it is counted with the guard's closures.
    const nmsErrors = new AddressWindows<{ shown: number; hidden: number }>(
      options.reportWindowMs,
      () => ({ shown: 0, hidden: 0 }),
      (_, window) => {
        if (window.hidden > 0)
          options.log?.(`rtmp: ${window.hidden} more error(s) within ${options.reportWindowMs / 1000} s not shown`);
      },
    );
    nmsLogger.log = (message, level = 'info') => {
      if (level !== 'error') return;
      const parserError = /^RTMP session \S+ (\S+):\d+ parserData error, (.*)$/s.exec(String(message));
      if (parserError) return guard.protocolError(parserError[1] as string, parserError[2] as string);
      const window = nmsErrors.get('');
      if (window.shown >= NMS_ERRORS_SHOWN) {
        window.hidden += 1;
        return;
      }
      window.shown += 1;
      options.log?.(
        `rtmp: ${String(message)
          .replace(/\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+/g, '/…')
          .replace(/name=\S*/g, 'name=…')}`,
      );
    };
    // Its own listener exits the process when the port is taken; the check above comes first.
    const nms = new NodeMediaServer({
      bind,
      rtmp: { port: options.port },
      store: { path: options.storeDir },
      webadmin: { enable: false },
    });
    // Every socket passes the guard before node-media-server gets it.
    const rtmpServer = (nms as unknown as { rtmpServer: NmsRtmpServer }).rtmpServer;
    const tcp = rtmpServer.tcpServer;
    tcp?.removeListener('connection', rtmpServer.handleRequest);
    if (!tcp || tcp.listenerCount('connection') > 0) {
      running = false;
      await guard.stop();
      throw new JobcastError('INTERNAL', 'node-media-server changed: its RTMP connections cannot be guarded');
    }
    tcp.on('connection', (socket: net.Socket) => {
      if (guard.admit(socket)) rtmpServer.handleRequest(socket);
    });
    const listeners: [string, (session: NmsSession) => void][] = [
      [
        'prePublish',
        (session) => {
          if (session.socket) guard.publishing(session.socket);
          if (session.broadcast) session.broadcast.publishGraceMs = 0;
          options.onPublish(wrap(session, guard));
        },
      ],
      [
        'prePlay',
        (session) => {
          options.onPlayRefused?.(session.ip);
          session.socket ? session.socket.destroy() : session.close();
        },
      ],
    ];
    for (const [event, listener] of listeners) nms.on(event, listener);
    // node-media-server writes every finished publish, stream name (the key) included, to a history
    // collection in its store: a file of keys in plain text. Its history is never started here, and
    // what an earlier run wrote is removed before its store opens.
    await removeStreamHistory(options.storeDir);
    await nms.run();
    (nms as unknown as { historyServer?: { stop(): void } }).historyServer?.stop();
    return new RtmpServer(nms, listeners, guard, nmsErrors, options.port);
  }

  async stop(): Promise<void> {
    for (const [event, listener] of this.listeners) nmsContext.eventEmitter.off(event, listener);
    await this.nms.stop();
    await this.guard.stop();
    await this.nmsErrors.flush();
    running = false;
  }
}
