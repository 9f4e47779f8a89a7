import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJobcastError } from '@jobcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryOf } from '../src/multipart.ts';
import { receiveUpload } from '../src/uploads.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-multipart-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const limits = { maxBytes: 1024 * 1024, maxParts: 8, what: '上传文件' };

/** The bytes a browser would send for the form, handed over in chunks of random sizes (1 to 97 bytes). */
async function chunked(form: FormData): Promise<Request> {
  const encoded = new Response(form);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = 1 + Math.floor(Math.random() * 97);
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
  return new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': encoded.headers.get('content-type') as string },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

describe('reading a multipart upload as it arrives', () => {
  it('keeps the fields and writes the file byte for byte, whatever the chunks', async () => {
    // Bytes that look like the delimiter's start (CRLF "--") inside the file must stay file bytes.
    const content = Buffer.concat([randomBytes(5000), Buffer.from('\r\n--\r\n-'), randomBytes(3000)]);
    for (let round = 0; round < 5; round++) {
      const form = new FormData();
      form.append('kind', 'clip');
      form.append('file', new Blob([content]), '工地 实拍.MP4');
      form.append('note', '第二段');
      const upload = await receiveUpload(await chunked(form), { dir, fileField: 'file', limits });
      expect(Object.fromEntries(upload.fields)).toEqual({ kind: 'clip', note: '第二段' });
      expect(upload.file).toMatchObject({ displayName: '工地 实拍.MP4', bytes: content.length });
      expect(path.basename(upload.file?.storedPath ?? '')).toMatch(/^[0-9a-f-]{36}\.mp4$/);
      expect(await readFile(upload.file?.storedPath as string)).toEqual(content);
    }
  });

  it('cuts off a file past the limit its kind gives, and a body past the whole limit, closing the file', async () => {
    const openFiles = async () => (await readdir('/proc/self/fd')).length;
    const before = await openFiles();
    const form = new FormData();
    form.append('kind', 'photo');
    form.append('file', new Blob([randomBytes(20_000)]), 'big.jpg');
    const error = await receiveUpload(await chunked(form), {
      dir,
      fileField: 'file',
      limits,
      fileLimit: (fields) => (fields.get('kind') === 'photo' ? { maxBytes: 10_000, what: '照片' } : null),
    }).catch((e: unknown) => e);
    expect(isJobcastError(error) && [error.code, error.message]).toEqual(['PAYLOAD_TOO_LARGE', '照片超过 9.8 KB 上限']);
    const whole = await receiveUpload(await chunked(form), {
      dir,
      fileField: 'file',
      limits: { ...limits, maxBytes: 5000 },
    })
      .then(() => null)
      .catch((e: unknown) => e);
    expect(isJobcastError(whole) && whole.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await openFiles()).toBe(before);
  });

  it('refuses a body that ends before its closing boundary', async () => {
    const form = new FormData();
    form.append('file', new Blob([randomBytes(3000)]), 'a.bin');
    const encoded = new Response(form);
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const request = new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') as string },
      body: bytes.slice(0, 2000),
    });
    const error = await receiveUpload(request, { dir, fileField: 'file', limits }).catch((e: unknown) => e);
    expect(isJobcastError(error) && error.message).toMatch(/上传的内容不完整/);
  });

  it('reads the boundary from the Content-Type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf('multipart/form-data')).toBeNull();
  });
});
