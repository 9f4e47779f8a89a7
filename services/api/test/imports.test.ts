import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createImportBatch, failImportBatch, finishImportBatch, getImportBatch, schema } from '@jobcast/db';
import { type Producer, QueueUnavailableError } from '@jobcast/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture } from './fixture.ts';

const csv = '单位名称,岗位名称,薪资,招聘人数\n示范物流有限公司,仓库管理员,4000-6000元/月,3\n';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

function uploadForm(file: Blob, name: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('file', file, name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

async function batchCount(): Promise<number> {
  return (await fx.db.select({ id: schema.importBatches.id }).from(schema.importBatches)).length;
}

interface Accepted {
  batchId: number;
  status: string;
  statusUrl: string;
}

describe('uploading a job file', () => {
  it('stores the file, records the batch as queued and puts its job on the queue', async () => {
    const response = await fx.app().request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('media'),
      body: uploadForm(new Blob([csv], { type: 'text/csv' }), '三月岗位.csv'),
    });
    expect(response.status).toBe(202);
    const accepted = await body<Accepted>(response);
    expect(accepted).toEqual({
      batchId: expect.any(Number),
      status: 'queued',
      statusUrl: `/api/imports/${accepted.batchId}`,
    });
    expect(response.headers.get('Location')).toBe(accepted.statusUrl);

    const batch = await getImportBatch(fx.db, accepted.batchId);
    expect(batch).toMatchObject({
      status: 'queued',
      siteId: fx.site.id,
      createdBy: fx.userIds.media,
      fileName: '三月岗位.csv',
    });
    const uploadDir = fx.config().uploadDir;
    expect(path.dirname(batch.storedPath ?? '')).toBe(uploadDir);
    expect(await readFile(batch.storedPath ?? '', 'utf8')).toBe(csv);
    expect((await readdir(uploadDir)).filter((name) => name.endsWith('.part'))).toEqual([]);

    expect(await fx.producer.has('import', `import-${accepted.batchId}`)).toBe(true);
  });

  it('lets an admin import too, and keeps the chosen worksheet', async () => {
    const response = await fx.app().request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('admin'),
      body: uploadForm(new Blob(['x']), 'jobs.xlsx', { sheet: ' 四月 ' }),
    });
    expect(response.status).toBe(202);
    const batch = await getImportBatch(fx.db, (await body<Accepted>(response)).batchId);
    expect(batch.sheet).toBe('四月');
    expect(batch.createdBy).toBe(fx.userIds.admin);
  });

  it('never uses the uploaded name as a path, and shows it cleaned', async () => {
    const response = await fx.app().request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('media'),
      body: uploadForm(new Blob([csv]), '../../etc/pass\u202Ewd.csv'),
    });
    expect(response.status).toBe(202);
    const batch = await getImportBatch(fx.db, (await body<Accepted>(response)).batchId);
    expect(batch.fileName).toBe('passwd.csv');
    expect(path.dirname(batch.storedPath ?? '')).toBe(fx.config().uploadDir);
    expect(path.basename(batch.storedPath ?? '')).toMatch(/^[0-9a-f-]{36}\.csv$/);
  });

  it('forbids managers and anchors from importing', async () => {
    for (const role of ['manager', 'anchor'] as const) {
      const response = await fx.app().request('/api/imports', {
        method: 'POST',
        headers: fx.bearer(role),
        body: uploadForm(new Blob([csv]), 'jobs.csv'),
      });
      expect(response.status).toBe(403);
      const error = await body<ErrorEnvelope>(response);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe(
        `您的角色（${role === 'manager' ? '负责人' : '主播'}）无权执行此操作，可执行的角色：管理员、宣传`,
      );
    }
  });

  it('refuses an upload without a token', async () => {
    const response = await fx
      .app()
      .request('/api/imports', { method: 'POST', body: uploadForm(new Blob([csv]), 'a.csv') });
    expect(response.status).toBe(401);
  });

  it('answers 400 naming the field for an empty or missing file', async () => {
    const empty = await fx.app().request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('media'),
      body: uploadForm(new Blob([]), 'empty.csv'),
    });
    expect(empty.status).toBe(400);
    const emptyError = await body<ErrorEnvelope>(empty);
    expect(emptyError.code).toBe('BAD_INPUT');
    expect(emptyError.message).toBe('请求参数有误：文件：内容是空的');

    const form = new FormData();
    form.append('sheet', 'Sheet1');
    const missing = await fx.app().request('/api/imports', { method: 'POST', headers: fx.bearer('media'), body: form });
    expect(missing.status).toBe(400);
    expect((await body<ErrorEnvelope>(missing)).message).toBe('请求参数有误：文件：请选择要导入的文件');
  });

  // Redis down before anything is recorded: api-faults.test.ts.
  it('answers 503 when Redis fails after the batch is recorded, leaving it queued for the reconciler', async () => {
    // Redis answers the check before the upload is stored, then fails the enqueue.
    const failing: Producer = Object.assign(Object.create(fx.producer), {
      enqueue: () => Promise.reject(new QueueUnavailableError('Redis did not answer enqueue within 3000 ms')),
    });
    const response = await fx.app({ producer: failing }).request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('media'),
      body: uploadForm(new Blob([csv]), 'jobs.csv'),
    });
    expect(response.status).toBe(503);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('UNAVAILABLE');
    const batchId = Number(error.message.match(/#(\d+)/)?.[1]);
    expect(error.message).toBe(`导入批次 #${batchId} 已登记，但任务队列暂不可用，恢复后会自动排队，请勿重复上传`);
    const batch = await getImportBatch(fx.db, batchId);
    expect(batch.status).toBe('queued');
    expect(await readFile(batch.storedPath ?? '', 'utf8')).toBe(csv);
    expect(fx.logs.some((line) => line.includes(`import #${batchId}`) && line.includes(error.requestId))).toBe(true);
  });
});

describe('the upload limit', () => {
  it('answers 413 with a clear message above a configured 1 KB limit, storing nothing', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_LIMIT_MB: String(1 / 1024) } });
    const before = await batchCount();
    const response = await app.request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('media'),
      body: uploadForm(new Blob(['x'.repeat(2048)]), 'big.csv'),
    });
    expect(response.status).toBe(413);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('上传文件超过 1 KB 上限');
    expect(await batchCount()).toBe(before);
  });

  it('refuses from the declared Content-Length before reading the body', async () => {
    const app = fx.app({ env: { JOBCAST_UPLOAD_LIMIT_MB: String(1 / 1024) } });
    const request = new Request('http://localhost/api/imports', {
      method: 'POST',
      headers: { ...fx.bearer('media'), 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': '4096' },
      body: 'x'.repeat(4096),
    });
    const response = await app.request(request);
    expect(response.status).toBe(413);
    expect((await body<ErrorEnvelope>(response)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('defaults to 50 MB: a 51 MB upload is refused', async () => {
    const app = fx.app();
    expect(fx.config().uploadLimitBytes).toBe(50 * 1024 * 1024);
    const response = await app.request('/api/imports', {
      method: 'POST',
      headers: fx.bearer('media'),
      body: uploadForm(new Blob([new Uint8Array(51 * 1024 * 1024).fill(0x41)]), 'huge.csv'),
    });
    expect(response.status).toBe(413);
    expect((await body<ErrorEnvelope>(response)).message).toBe('上传文件超过 50 MB 上限');
  });
});

describe('following an import', () => {
  it('shows a queued batch to any role of the site', async () => {
    const batch = await createImportBatch(fx.db, {
      siteId: fx.site.id,
      fileName: 'queued.csv',
      createdBy: fx.userIds.media,
    });
    const response = await fx.app().request(`/api/imports/${batch.id}`, { headers: fx.bearer('anchor') });
    expect(response.status).toBe(200);
    expect(await body(response)).toMatchObject({
      batchId: batch.id,
      status: 'queued',
      file: 'queued.csv',
      createdAt: batch.createdAt.toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
      summary: null,
    });
  });

  it('shows the summary of a finished batch and the error of a failed one', async () => {
    const done = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'done.csv' });
    await finishImportBatch(fx.db, done.id, {
      rows: 3,
      imported: 2,
      updated: 0,
      duplicates: 0,
      rejected: 1,
      warnings: 0,
      warningSamples: [],
      message: '导入 2 条，拒绝 1 条',
    });
    const doneView = await body(await fx.app().request(`/api/imports/${done.id}`, { headers: fx.bearer('manager') }));
    expect(doneView).toMatchObject({
      status: 'done',
      finishedAt: expect.any(String),
      summary: { batchId: done.id, rows: 3, imported: 2, rejected: 1, message: '导入 2 条，拒绝 1 条' },
    });

    const failed = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'broken.bin' });
    await failImportBatch(fx.db, failed.id, {
      code: 'UNREADABLE_FILE',
      message: 'broken.bin：这是二进制文件，不是表格',
    });
    const failedView = await body(await fx.app().request(`/api/imports/${failed.id}`, { headers: fx.bearer('media') }));
    expect(failedView).toMatchObject({
      status: 'failed',
      error: { code: 'UNREADABLE_FILE', message: 'broken.bin：这是二进制文件，不是表格' },
      summary: { batchId: failed.id, message: 'broken.bin：这是二进制文件，不是表格' },
    });
  });

  it("answers 404 for another site's batch, exactly as for a missing one", async () => {
    const other = await addSiteWithStaff(fx.db);
    const foreign = await createImportBatch(fx.db, { siteId: other.site.id, fileName: 'theirs.csv' });
    const response = await fx.app().request(`/api/imports/${foreign.id}`, { headers: fx.bearer('admin') });
    expect(response.status).toBe(404);
    expect((await body<ErrorEnvelope>(response)).code).toBe('NOT_FOUND');

    const listed = await body<{ items: { batchId: number }[] }>(
      await fx.app().request('/api/imports', { headers: fx.bearer('admin') }),
    );
    expect(listed.items.map((item) => item.batchId)).not.toContain(foreign.id);
  });

  it("lists the site's recent batches, newest first", async () => {
    const response = await fx.app().request('/api/imports?limit=2', { headers: fx.bearer('manager') });
    expect(response.status).toBe(200);
    const { items } = await body<{ items: { batchId: number; statusUrl: string }[] }>(response);
    expect(items).toHaveLength(2);
    expect(items[0]?.batchId).toBeGreaterThan(items[1]?.batchId ?? Number.POSITIVE_INFINITY);
    expect(items[0]?.statusUrl).toBe(`/api/imports/${items[0]?.batchId}`);
  });

  it('answers 400 for an id that is not a positive 32-bit integer', async () => {
    for (const id of ['abc', '0', '99999999999']) {
      const response = await fx.app().request(`/api/imports/${id}`, { headers: fx.bearer('media') });
      expect(response.status, id).toBe(400);
      expect((await body<ErrorEnvelope>(response)).message, id).toMatch(/^请求参数有误：编号：/);
    }
  });
});
