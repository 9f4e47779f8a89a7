import { readdir } from 'node:fs/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getImportBatch } from '@jobcast/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { uploadSlotTiming } from '../src/uploads.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});
afterEach(() => {
  uploadSlotTiming.waitMs = 15_000;
  uploadSlotTiming.idleMs = 30_000;
});

const MB = 1024 * 1024;

/** A full garbage collection, so that memory in use is measured, not garbage not yet collected. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const BOUNDARY = 'jobcast-test-boundary';

/** Resolves once `count` callers have arrived, and lets them all go when `release` is called. */
function barrier(count: number) {
  let arrived = 0;
  let reached!: () => void;
  let go!: () => void;
  const allThere = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const released = new Promise<void>((resolve) => {
    go = resolve;
  });
  return {
    allThere,
    release: go,
    async arrive() {
      if (++arrived === count) reached();
      await released;
    },
  };
}

/**
 * A CSV upload of `bytes` as a client streams it: made 64 KB at a time as the server reads, and
 * stopping at `pauseAt` (bytes of the file sent) until `pause` lets it go on.
 */
function streamedUpload(bytes: number, pause?: { at: number; wait: () => Promise<void> }): Request {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="jobs.csv"\r\n` +
      'Content-Type: text/csv\r\n\r\n单位名称,岗位名称\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const row = Buffer.from('示范物流有限公司,仓库管理员\n');
  const block = Buffer.alloc(64 * 1024);
  for (let at = 0; at + row.length <= block.length; at += row.length) row.copy(block, at);
  let sent = 0;
  let paused = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 0) controller.enqueue(new Uint8Array(head));
      if (pause && !paused && sent >= pause.at) {
        paused = true;
        await pause.wait();
      }
      if (sent >= bytes) {
        controller.enqueue(new Uint8Array(tail));
        controller.close();
        return;
      }
      const size = Math.min(block.length, bytes - sent);
      // A fresh copy each time, as bytes from a socket would be.
      controller.enqueue(new Uint8Array(block.subarray(0, size)));
      sent += size;
    },
  });
  return new Request('http://localhost/api/imports', {
    method: 'POST',
    headers: { ...fx.bearer('media'), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

describe('uploads received at once', () => {
  it('writes large uploads to disk as they arrive: four 20 MB uploads at once do not sit in memory', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_CONCURRENCY: '4', JOBCAST_UPLOAD_LIMIT_MB: '25' } });
    const uploads = 4;
    const size = 20 * MB;
    const gate = barrier(uploads);
    collectGarbage();
    const before = process.memoryUsage();
    const responses = Array.from({ length: uploads }, () =>
      app.request(streamedUpload(size, { at: size - MB, wait: gate.arrive })),
    );
    // Every upload has sent 19 of its 20 MB and waits: whatever the server holds of them is held now.
    await gate.allThere;
    collectGarbage();
    const during = process.memoryUsage();
    gate.release();
    const answers = await Promise.all(responses);
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202]);

    // Held whole, the bodies would be 76 MB: generously below half of it.
    const grownMb = (during.arrayBuffers - before.arrayBuffers) / MB;
    expect(grownMb).toBeLessThan(38);
    for (const answer of answers) {
      const batch = await getImportBatch(fx.db, (await body<{ batchId: number }>(answer)).batchId);
      expect(batch.status).toBe('queued');
    }
    const stored = await readdir(fx.config().uploadDir);
    expect(stored.filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('lets an upload wait for a place, and refuses it with 503 and Retry-After when none comes free', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_CONCURRENCY: '1' } });
    uploadSlotTiming.waitMs = 300;
    const gate = barrier(1);
    const first = app.request(streamedUpload(2 * MB, { at: MB, wait: gate.arrive }));
    await gate.allThere;
    const refused = await app.request(streamedUpload(1024));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('30');
    const error = await body<ErrorEnvelope>(refused);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('正在同时接收 1 个上传，请 30 秒后再上传');

    // One that waits less than the bound gets the place once the first is done.
    uploadSlotTiming.waitMs = 30_000;
    const waiting = app.request(streamedUpload(1024));
    setTimeout(gate.release, 300);
    expect((await first).status).toBe(202);
    expect((await waiting).status).toBe(202);
  });

  it('cuts off an upload past the limit as it streams, with 413 naming the limit, and keeps no part of it', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_LIMIT_MB: '1' } });
    // No Content-Length: only counting the bytes as they come can stop it.
    const response = await app.request(streamedUpload(3 * MB));
    expect(response.status).toBe(413);
    const error = await body<ErrorEnvelope>(response);
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '上传文件超过 1 MB 上限',
    });
    const left = await readdir(fx.config().uploadDir).catch(() => []);
    expect(left.filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('takes no upload place for a console form without a file, however slowly it is sent', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_CONCURRENCY: '1' } });
    uploadSlotTiming.waitMs = 300;
    const anchor = await fx.signIn('anchor');
    // A multipart booking form whose last bytes the anchor holds back.
    let finish!: () => void;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${anchor.csrf}\r\n`;
    const slow = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
        held.then(() => {
          controller.enqueue(new TextEncoder().encode(`--${BOUNDARY}--\r\n`));
          controller.close();
        });
      },
    });
    const form = app.request('/live/new', {
      method: 'POST',
      headers: {
        cookie: anchor.cookie,
        origin: 'http://localhost',
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
      body: slow,
      duplex: 'half',
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const upload = await app.request(streamedUpload(1024));
    expect(upload.status).toBe(202);
    finish();
    await form;
  });

  it('cuts off an upload that stops sending, and frees its place', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_CONCURRENCY: '1' } });
    uploadSlotTiming.idleMs = 1000;
    uploadSlotTiming.waitMs = 5000;
    const gate = barrier(1);
    const stalled = app.request(streamedUpload(2 * MB, { at: MB, wait: gate.arrive }));
    await gate.allThere;
    const started = Date.now();
    const next = await app.request(streamedUpload(1024));
    expect(next.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(4000);
    const cut = await stalled;
    expect(cut.status).toBe(400);
    expect((await body<ErrorEnvelope>(cut)).message).toContain('上传中断：1 秒内没有收到数据');
    gate.release();
    const stored = await readdir(fx.config().uploadDir);
    expect(stored.filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});
