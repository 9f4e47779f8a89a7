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
 */

import { readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { JobcastError } from '@jobcast/core';

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

function wrap(session: NmsSession): Publisher {
  const socket = session.socket;
  const closed = new Promise<void>((resolve) => {
    if (!socket || socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
  return {
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
}

export interface RtmpServerOptions {
  port: number;
  /** node-media-server keeps a small JSON store of its own (stream history): it goes here. */
  storeDir: string;
  onPublish(publisher: Publisher): void;
  /** node-media-server's own errors, with stream names (keys) taken out. */
  log?(line: string): void;
  /** A player asked for a stream: always refused; told so the caller can log it. */
  onPlayRefused?(clientAddress: string): void;
}

/**
 * Listens on every address, IPv6 too where the machine has it, so a publisher's address is what it
 * connected from. Probed first: node-media-server exits the process when it cannot listen.
 */
export async function bindAddress(port: number): Promise<string> {
  for (const host of ['::', '0.0.0.0']) {
    const error = await listenProbe(port, host);
    if (!error) return host;
    if (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL') throw portError(port, error);
  }
  throw new JobcastError('UNAVAILABLE', `无法监听 RTMP 端口 ${port} (cannot listen on RTMP port ${port})`);
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
      ? `RTMP 端口 ${port} 已被占用 (RTMP port ${port} is in use: stop the other server or set JOBCAST_RTMP_PORT)`
      : `无法监听 RTMP 端口 ${port} (cannot listen on RTMP port ${port}: ${error.message})`,
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
    readonly port: number,
  ) {}

  static async start(options: RtmpServerOptions): Promise<RtmpServer> {
    if (running)
      throw new JobcastError('INTERNAL', 'one RTMP server per process: node-media-server keeps global state');
    const bind = await bindAddress(options.port);
    running = true;
    // Its constructor logs a banner at debug level and its sessions log stream paths, which hold
    // keys: only its errors pass, redacted.
    nmsLogger.log = (message, level = 'info') => {
      if (level === 'error')
        options.log?.(`rtmp: ${String(message).replace(/\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+/g, '/…')}`);
    };
    // Its own listener exits the process when the port is taken; the check above comes first.
    const nms = new NodeMediaServer({
      bind,
      rtmp: { port: options.port },
      store: { path: options.storeDir },
      webadmin: { enable: false },
    });
    const listeners: [string, (session: NmsSession) => void][] = [
      [
        'prePublish',
        (session) => {
          if (session.broadcast) session.broadcast.publishGraceMs = 0;
          options.onPublish(wrap(session));
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
    return new RtmpServer(nms, listeners, options.port);
  }

  async stop(): Promise<void> {
    for (const [event, listener] of this.listeners) nmsContext.eventEmitter.off(event, listener);
    await this.nms.stop();
    running = false;
  }
}
