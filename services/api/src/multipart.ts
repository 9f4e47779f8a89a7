import { formatBytes, JobcastError } from '@jobcast/core';

/**
 * A multipart/form-data body read as it arrives, each part handed to a sink piece by piece. Hono's
 * own reader (and its body limit without a Content-Length) holds the whole body in memory: fine for a
 * job list, not for a 2 GB clip from a phone.
 */

export interface PartHeaders {
  /** The form field. */
  name: string;
  /** The file's name as the client sent it; null for a text field. */
  filename: string | null;
  contentType: string | null;
}

/** Where one part's bytes go; `write` is awaited, so a slow disk slows the reading (backpressure). */
export interface PartSink {
  write(data: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

export interface MultipartLimits {
  /** The whole body; past it, PAYLOAD_TOO_LARGE. */
  maxBytes: number;
  /** Parts in one body. */
  maxParts: number;
  /** `what` names the upload in the too-large message (上传文件). */
  what: string;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a multipart/form-data Content-Type, or null when it is not one. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Reads the body to its closing boundary, opening a sink for each part as its headers arrive.
 * Refuses a body past `maxBytes` (by its Content-Length first), and one that ends early.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array> | null,
  boundary: string,
  limits: MultipartLimits,
  openPart: (part: PartHeaders) => Promise<PartSink>,
): Promise<void> {
  if (!body) throw incomplete();
  // Every delimiter, the first included once a CRLF is put before the body, is CRLF "--" boundary.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pending: Buffer = Buffer.from(CRLF);
  // An object, not a variable: TypeScript then sees that drain() changes it.
  const parser: { state: 'preamble' | 'boundary' | 'headers' | 'body' | 'end' } = { state: 'preamble' };
  let sink: PartSink | null = null;
  let parts = 0;
  let received = 0;

  const drain = async (): Promise<void> => {
    for (;;) {
      if (parser.state === 'preamble' || parser.state === 'body') {
        const found = pending.indexOf(delimiter);
        // Until the delimiter shows, all but its length less one byte is surely part data.
        const upTo = found >= 0 ? found : Math.max(0, pending.length - delimiter.length + 1);
        if (parser.state === 'body' && upTo > 0) await sink?.write(pending.subarray(0, upTo));
        if (found < 0) {
          pending = pending.subarray(upTo);
          return;
        }
        if (parser.state === 'body') await sink?.end();
        sink = null;
        pending = pending.subarray(found + delimiter.length);
        parser.state = 'boundary';
      }
      if (parser.state === 'boundary') {
        if (pending.length < 2) return;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          parser.state = 'end';
          return;
        }
        const lineEnd = pending.indexOf(CRLF);
        if (lineEnd < 0) {
          if (pending.length > 256) throw malformed('分隔行过长');
          return;
        }
        pending = pending.subarray(lineEnd + CRLF.length);
        parser.state = 'headers';
      }
      if (parser.state === 'headers') {
        const end = pending.indexOf(HEADERS_END);
        if (end < 0) {
          if (pending.length > MAX_HEADER_BYTES) throw malformed('某一部分的头信息过长');
          return;
        }
        const headers = parseHeaders(pending.subarray(0, end).toString('utf8'));
        pending = pending.subarray(end + HEADERS_END.length);
        if (++parts > limits.maxParts) throw malformed(`超过 ${limits.maxParts} 个部分`);
        sink = await openPart(headers);
        parser.state = 'body';
      }
      if (parser.state === 'end') return;
    }
  };

  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > limits.maxBytes) throw tooLarge(limits);
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      await drain();
      // What follows the closing boundary (an epilogue) is read and dropped.
      if (parser.state === 'end') pending = Buffer.alloc(0);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (parser.state !== 'end') throw incomplete();
}

function parseHeaders(block: string): PartHeaders {
  let disposition = '';
  let contentType: string | null = null;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    if (name === 'content-type') contentType = value;
  }
  if (!/^form-data\s*(?:;|$)/i.test(disposition)) throw malformed('有一部分不是表单字段');
  const parameter = (key: string) => {
    const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
    return match ? (match[1] as string).replace(/\\(.)/g, '$1') : null;
  };
  const name = parameter('name');
  if (name === null) throw malformed('有一部分没有字段名');
  // RFC 5987's filename*=UTF-8''… wins where a client sends both.
  const extended = /;\s*filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
  let filename = parameter('filename');
  if (extended) {
    try {
      filename = decodeURIComponent(extended);
    } catch {
      // Malformed percent-escapes: the plain filename (if any) stands.
    }
  }
  return { name, filename, contentType };
}

export function tooLarge(limits: Pick<MultipartLimits, 'maxBytes' | 'what'>): JobcastError {
  const size = formatBytes(limits.maxBytes);
  return new JobcastError('PAYLOAD_TOO_LARGE', `${limits.what}超过 ${size} 上限`);
}

function incomplete(): JobcastError {
  return new JobcastError('BAD_INPUT', '上传的内容不完整，可能网络中断了，请重新上传');
}

function malformed(what: string): JobcastError {
  return new JobcastError('BAD_INPUT', `上传的表单格式有误（${what}），请重新上传`);
}
