/**
 * A bare RTMP client for the hostile-traffic tests: it sends exactly the bytes a test asks for,
 * which ffmpeg never would (half handshakes, silent sockets, forged chunk headers, bad keys).
 */
import net from 'node:net';

const HANDSHAKE_SIZE = 1536;

export class RawRtmp {
  private data = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private closedAt: number | null = null;
  /** Settles with the milliseconds from connect to close, whoever closed. */
  readonly closed: Promise<number>;

  private constructor(
    readonly socket: net.Socket,
    readonly openedAt: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.waiting?.();
    });
    // The server may close first: a write after that is not the test's failure.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closedAt = Date.now();
        this.waiting?.();
        resolve(this.closedAt - this.openedAt);
      }),
    );
  }

  /** Connects to the port; `from` picks the local address (any of 127.0.0.0/8 on loopback). */
  static open(port: number, options: { host?: string; from?: string } = {}): Promise<RawRtmp> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: options.host ?? '127.0.0.1', localAddress: options.from });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawRtmp(socket, Date.now()));
      });
    });
  }

  get isClosed(): boolean {
    return this.closedAt !== null;
  }

  /** Bytes received so far. */
  get received(): number {
    return this.data.length;
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Waits until `count` bytes have arrived in all; false if the socket closed or the time ran out first. */
  async receivedAtLeast(count: number, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.data.length < count && !this.isClosed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(deadline - Date.now(), 0));
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = null;
    }
    return this.data.length >= count;
  }

  /** C0 + C1, S0 + S1 + S2 back, C2: a finished handshake. */
  async handshake(): Promise<void> {
    this.send(Buffer.concat([Buffer.from([3]), Buffer.alloc(HANDSHAKE_SIZE)]));
    if (!(await this.receivedAtLeast(1 + 2 * HANDSHAKE_SIZE))) throw new Error('no handshake from the server');
    this.send(this.data.subarray(1, 1 + HANDSHAKE_SIZE));
  }

  /** connect, createStream and publish of `key` on `app`, in one write (the chunk size set first). */
  publish(port: number, key: string, app = 'live'): void {
    this.send(
      Buffer.concat([
        chunk(2, 1, u32(65536)),
        chunk(3, 20, amf('connect', 1, { app, type: 'nonprivate', tcUrl: `rtmp://127.0.0.1:${port}/${app}` })),
        chunk(3, 20, amf('createStream', 2, null)),
        chunk(8, 20, amf('publish', 3, null, key, 'live'), { streamId: 1 }),
      ]),
    );
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * One chunk of type 0 on chunk stream `cid`: the basic header (1 to 3 bytes), the 11-byte message
 * header declaring `declared` bytes (the payload's length unless forged), then the payload.
 */
export function chunk(
  cid: number,
  type: number,
  payload: Buffer,
  options: { streamId?: number; declared?: number } = {},
): Buffer {
  const basic =
    cid < 64
      ? Buffer.from([cid])
      : cid < 320
        ? Buffer.from([0, cid - 64])
        : Buffer.from([1, (cid - 64) & 0xff, (cid - 64) >> 8]);
  const header = Buffer.alloc(11);
  header.writeUIntBE(options.declared ?? payload.length, 3, 3);
  header[6] = type;
  header.writeUInt32LE(options.streamId ?? 0, 7);
  return Buffer.concat([basic, header, payload]);
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

type AmfValue = string | number | null | { [key: string]: AmfValue };

/** AMF0 values one after the other, as an RTMP command carries them. */
export function amf(...values: AmfValue[]): Buffer {
  return Buffer.concat(values.map(amfOne));
}

function amfOne(value: AmfValue): Buffer {
  if (value === null) return Buffer.from([0x05]);
  if (typeof value === 'number') {
    const out = Buffer.alloc(9);
    out.writeDoubleBE(value, 1);
    return out;
  }
  if (typeof value === 'string') return Buffer.concat([Buffer.from([0x02]), amfString(value)]);
  return Buffer.concat([
    Buffer.from([0x03]),
    ...Object.entries(value).flatMap(([key, item]) => [amfString(key), amfOne(item)]),
    Buffer.from([0x00, 0x00, 0x09]),
  ]);
}

function amfString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
