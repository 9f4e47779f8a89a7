import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser, createToken } from '@jobcast/auth';
import { createImportBatch, ensureSite, getImportBatch } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Running, startServices } from '../src/commands/services.ts';
import { CommandContext } from '../src/context.ts';

let dir: string;
let ctx: CommandContext;
let running: Running | undefined;
let token: string;
let siteId: number;
const prefix = `test-e2e-${randomBytes(4).toString('hex')}`;
const csv =
  '单位名称,岗位名称,薪资待遇,招聘人数\n南昌洪城电子科技有限公司,普工,4000-6000元/月,5人\n,无名岗位,3000,1\n南昌赣江物流有限公司,分拣员,150元/天,若干\n';

async function waitForBatch(batchId: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const batch = await getImportBatch(ctx.db, batchId);
    if (batch.status === 'done' || batch.status === 'failed') return batch;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${batch.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-e2e-'));
  const site = `e2e-${randomBytes(3).toString('hex')}`;
  ctx = new CommandContext({
    DATABASE_URL: inject('databaseUrl'),
    PORT: '0',
    JOBCAST_DATA_DIR: dir,
    JOBCAST_QUEUE_PREFIX: prefix,
    JOBCAST_SITE: site,
  });
  siteId = (await ensureSite(ctx.db, { code: site, name: '端到端测试' })).id;
  await addUser(ctx.db, { siteId, username: `media-${site}`, password: 'long enough', role: 'media' });
  token = (await createToken(ctx.db, { username: `media-${site}`, name: 'e2e' })).token;
});

afterAll(async () => {
  await running?.stop();
  await ctx.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('an upload through the API is imported by the ingest worker', () => {
  it('a batch Redis never received is found by the reconciler when the worker starts', async () => {
    // As if the API had recorded the upload and then lost Redis before queueing it.
    const stored = path.join(dir, 'uploads', 'lost.csv');
    await mkdir(path.dirname(stored), { recursive: true });
    await writeFile(stored, csv);
    const batch = await createImportBatch(ctx.db, { siteId, fileName: '丢失的上传.csv', storedPath: stored });
    await ctx.db.$client.query("update import_batches set created_at = now() - interval '5 minutes' where id = $1", [
      batch.id,
    ]);
    running = await startServices(ctx, { api: true, ingest: true, render: false, stream: false });
    const done = await waitForBatch(batch.id);
    expect(done).toMatchObject({ status: 'done', imported: 2, rejected: 1 });
  });

  it('media uploads a file, polls the batch, and finds the jobs', async () => {
    const api = running?.urls.api as string;
    const form = new FormData();
    const bytes = Buffer.from(csv.replace('普工', '装配工'));
    form.set('file', new File([bytes], '三月岗位.csv', { type: 'text/csv' }));
    const accepted = await fetch(`${api}/api/imports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
    expect(accepted.status).toBe(202);
    const { batchId } = (await accepted.json()) as { batchId: number };
    await waitForBatch(batchId);
    const status = await fetch(`${api}/api/imports/${batchId}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await status.json()) as { status: string; summary: Record<string, unknown> };
    expect(body.status).toBe('done');
    expect(body.summary).toMatchObject({
      file: '三月岗位.csv',
      rows: 3,
      imported: 1,
      duplicates: 1,
      rejected: 1,
      rejects: [{ row: 3, field: '单位名称', reason: expect.stringContaining('缺少公司名称') }],
    });
    const jobs = await fetch(`${api}/api/jobs?search=${encodeURIComponent('装配工')}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const list = (await jobs.json()) as { items: { title: string; employer: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ title: '装配工', employer: '南昌洪城电子科技有限公司' })]);
  });
});
