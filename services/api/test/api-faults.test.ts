/**
 * The create routes under faults: with Redis down a render or an import is refused at once (503,
 * Retry-After) and nothing is recorded; a retry sent with the same Idempotency-Key answers the first
 * request's result instead of making a second render, import, booking or publication.
 */
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  createImportBatch,
  listImportBatches,
  listRenders,
  prepareJob,
  releaseIdempotencyKey,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import type { Booking } from '@jobcast/live';
import { Producer } from '@jobcast/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { requestHash } from '../src/idempotency.ts';
import type { RenderView } from '../src/routes/renders/view.ts';
import { type ApiFixture, body, deadRedisUrl, openFixture, randomLabel } from './fixture.ts';

let fx: ApiFixture;
let jobIds: number[];

beforeAll(async () => {
  fx = await openFixture();
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 2,
    rejects: [],
    jobs: [1, 2].map((i) =>
      prepareJob(testJobRecord({ rowNumber: i + 1, employerName: `故障测试企业${i}`, title: `普工${i}` })),
    ),
  });
  const rows = await fx.db.$client.query('select id from jobs where site_id = $1 order by id', [fx.site.id]);
  jobIds = rows.rows.map((row: { id: number }) => row.id);
});
afterAll(async () => {
  await fx.close();
});

const poster = () => ({ kind: 'poster', template: 'job-poster', jobIds: [jobIds[0]] });
const csv = '单位名称,岗位名称,薪资,招聘人数\n示范物流有限公司,仓库管理员,4000-6000元/月,3\n';

function postJson(path: string, json: unknown, headers: Record<string, string> = {}, producer?: Producer) {
  return fx.app(producer ? { producer } : {}).request(path, {
    method: 'POST',
    headers: { ...fx.bearer('admin'), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
  });
}

function upload(text: string, headers: Record<string, string> = {}, producer?: Producer) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/csv' }), '岗位.csv');
  return fx.app(producer ? { producer } : {}).request('/api/imports', {
    method: 'POST',
    headers: { ...fx.bearer('admin'), ...headers },
    body: form,
  });
}

const renderCount = async () => (await listRenders(fx.db, fx.site.id, 1000)).length;
const batchCount = async () => (await listImportBatches(fx.db, fx.site.id, 1000)).length;
const keyRows = async (key: string) =>
  (await fx.db.$client.query('select status from idempotency_keys where key = $1', [key])).rows as {
    status: number | null;
  }[];

describe('with Redis down', () => {
  let dead: Producer;
  beforeAll(() => {
    dead = new Producer({ redisUrl: deadRedisUrl, prefix: fx.queuePrefix });
  });
  afterAll(async () => {
    await dead.close();
  });

  it('answers a render request 503 with Retry-After within seconds, recording no render', async () => {
    const before = await renderCount();
    const started = Date.now();
    const response = await postJson('/api/renders', poster(), {}, dead);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('QUEUE_UNAVAILABLE');
    expect(error.message).toContain('任务队列暂不可用');
    expect(error.message).toContain('未登记');
    expect(await renderCount()).toBe(before);
    // The operator finds why under the request's id.
    expect(fx.logs.some((line) => line.includes(`[${error.requestId}]`) && line.includes('PING'))).toBe(true);
  }, 20_000);

  it('answers an upload 503 with Retry-After within seconds, recording no batch', async () => {
    const before = await batchCount();
    const started = Date.now();
    const response = await upload(csv, {}, dead);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await body<ErrorEnvelope>(response)).code).toBe('QUEUE_UNAVAILABLE');
    expect(await batchCount()).toBe(before);
  }, 20_000);

  it('lets the retry of a refused request, under the same key, make the render once Redis is back', async () => {
    const key = `retry-${randomLabel()}`;
    const refused = await postJson('/api/renders', poster(), { 'Idempotency-Key': key }, dead);
    expect(refused.status).toBe(503);
    expect(await keyRows(key)).toEqual([]);
    const before = await renderCount();
    const made = await postJson('/api/renders', poster(), { 'Idempotency-Key': key });
    expect(made.status).toBe(202);
    expect(made.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await renderCount()).toBe(before + 1);
  }, 20_000);
});

describe('with PostgreSQL restarting', () => {
  it('frees the key of a 503 DATABASE_UNAVAILABLE answer: the retry makes the render', async () => {
    const key = `db-retry-${randomLabel()}`;
    const pool = fx.db.$client;
    const query = pool.query;
    // The restart ends the render's insert; the key's own queries run before and after it.
    pool.query = ((config: string | { text: string }, ...rest: unknown[]) => {
      const text = typeof config === 'string' ? config : config.text;
      if (text.startsWith('insert into "renders"')) {
        const ended = Object.assign(new Error('terminating connection due to administrator command'), {
          severity: 'FATAL',
          code: '57P01',
        });
        return Promise.reject(ended);
      }
      return (query as (...args: unknown[]) => unknown).call(pool, config, ...rest);
    }) as unknown as typeof pool.query;
    let refused: Response;
    try {
      refused = await postJson('/api/renders', poster(), { 'Idempotency-Key': key });
    } finally {
      pool.query = query;
    }
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await body<ErrorEnvelope>(refused)).code).toBe('DATABASE_UNAVAILABLE');
    expect(await keyRows(key)).toEqual([]);

    const before = await renderCount();
    const made = await postJson('/api/renders', poster(), { 'Idempotency-Key': key });
    expect(made.status).toBe(202);
    expect(made.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await renderCount()).toBe(before + 1);
  });
});

describe('Idempotency-Key', () => {
  it('answers a repeated render request with the first render, making one row', async () => {
    const key = `render-${randomLabel()}`;
    const before = await renderCount();
    const first = await postJson('/api/renders', poster(), { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const render = await body<RenderView>(first);
    const again = await postJson('/api/renders', poster(), { 'Idempotency-Key': key });
    expect(again.status).toBe(202);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await body<RenderView>(again)).toEqual(render);
    expect(await renderCount()).toBe(before + 1);
    expect(await keyRows(key)).toEqual([{ status: 202 }]);

    // Without a key, or with another one, it is a new request.
    expect((await body<RenderView>(await postJson('/api/renders', poster()))).renderId).not.toBe(render.renderId);
    expect(await renderCount()).toBe(before + 2);
  });

  it('refuses the key with a different request (422) and while its first request is answered (409)', async () => {
    const key = `reuse-${randomLabel()}`;
    expect((await postJson('/api/renders', poster(), { 'Idempotency-Key': key })).status).toBe(202);
    const before = await renderCount();
    const other = { ...poster(), jobIds: [jobIds[1]] };
    const reused = await postJson('/api/renders', other, { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    const reusedError = await body<ErrorEnvelope>(reused);
    expect(reusedError.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reusedError.message).toContain('已用于另一个请求');

    // A first request still being answered: the same request again waits for it.
    const inFlight = `in-flight-${randomLabel()}`;
    await claimIdempotencyKey(fx.db, {
      userId: fx.userIds.admin,
      route: 'POST /api/renders',
      key: inFlight,
      requestHash: requestHash(poster()),
    });
    const busy = await postJson('/api/renders', poster(), { 'Idempotency-Key': inFlight });
    expect(busy.status).toBe(409);
    expect(busy.headers.get('Retry-After')).not.toBeNull();
    expect((await body<ErrorEnvelope>(busy)).code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(await renderCount()).toBe(before);

    const bad = await postJson('/api/renders', poster(), { 'Idempotency-Key': 'has spaces' });
    expect(bad.status).toBe(400);
    expect((await body<ErrorEnvelope>(bad)).message).toContain('idempotency-key');
  });

  it("keeps a key to its user: another user's same key makes their own render", async () => {
    const key = `shared-${randomLabel()}`;
    const mine = await body<RenderView>(await postJson('/api/renders', poster(), { 'Idempotency-Key': key }));
    const mineAgain = await body<RenderView>(await postJson('/api/renders', poster(), { 'Idempotency-Key': key }));
    expect(mineAgain.renderId).toBe(mine.renderId);
    const theirs = await fx.app().request('/api/renders', {
      method: 'POST',
      headers: { ...fx.bearer('media'), 'content-type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(poster()),
    });
    expect(theirs.status).toBe(202);
    expect((await body<RenderView>(theirs)).renderId).not.toBe(mine.renderId);
  });

  it('forgets a key after a day (removed as new keys come in)', async () => {
    const key = `old-${randomLabel()}`;
    const first = await body<RenderView>(await postJson('/api/renders', poster(), { 'Idempotency-Key': key }));
    const sameDay = await body<RenderView>(await postJson('/api/renders', poster(), { 'Idempotency-Key': key }));
    expect(sameDay.renderId).toBe(first.renderId);
    await fx.db.$client.query(`update idempotency_keys set created_at = now() - interval '25 hours' where key = $1`, [
      key,
    ]);
    await postJson('/api/renders', poster(), { 'Idempotency-Key': `new-${randomLabel()}` });
    expect(await keyRows(key)).toEqual([]);
    const later = await body<RenderView>(await postJson('/api/renders', poster(), { 'Idempotency-Key': key }));
    expect(later.renderId).not.toBe(first.renderId);
  });

  it('answers a repeated upload with the first batch; another file under the key is refused', async () => {
    const key = `import-${randomLabel()}`;
    const before = await batchCount();
    const first = await upload(csv, { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const accepted = await body(first);
    const again = await upload(csv, { 'Idempotency-Key': key });
    expect(again.status).toBe(202);
    expect(await body(again)).toEqual(accepted);
    expect(again.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await batchCount()).toBe(before + 1);
    expect((await upload(`${csv}示范二厂,普工,4000,1\n`, { 'Idempotency-Key': key })).status).toBe(422);
    expect(await batchCount()).toBe(before + 1);
  });

  it('answers a repeated booking with the same session and stream key, keeping the key sealed', async () => {
    const key = `book-${randomLabel()}`;
    const booking = {
      type: 'policy',
      title: '社保政策直播',
      start: new Date(Date.now() + 3_600_000).toISOString(),
      jobIds: [jobIds[0]],
    };
    const book = () =>
      fx.app().request('/api/live', {
        method: 'POST',
        headers: { ...fx.bearer('anchor'), 'content-type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(booking),
      });
    const first = await book();
    expect(first.status).toBe(201);
    const booked = await body<Booking>(first);
    const again = await book();
    expect(again.status).toBe(201);
    expect(again.headers.get('Cache-Control')).toBe('no-store');
    expect(await body<Booking>(again)).toEqual(booked);
    const sessions = await fx.db.$client.query('select count(*)::int as n from live_sessions where site_id = $1', [
      fx.site.id,
    ]);
    expect(sessions.rows[0].n).toBe(1);
    const stored = await fx.db.$client.query('select response::text as r from idempotency_keys where key = $1', [key]);
    expect(stored.rows[0].r).not.toContain(booked.streamKey);
  });

  it('answers a repeated publication with the first record, where without a key it would be a 409', async () => {
    const key = `pub-${randomLabel()}`;
    const publication = {
      platform: 'douyin',
      url: `https://www.douyin.com/video/${Date.now()}`,
      publishedOn: '2026-03-10',
      title: '故障测试视频',
    };
    const first = await postJson('/api/publications', publication, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const again = await postJson('/api/publications', publication, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(await body(again)).toEqual(await body(first));
    expect((await postJson('/api/publications', publication)).status).toBe(409);
  });

  it('leaves a claim taken over to the retry: the first request, finishing late, neither frees nor answers it', async () => {
    const input = {
      userId: fx.userIds.admin,
      route: 'POST /api/renders',
      key: `stale-${randomLabel()}`,
      requestHash: 'x',
    };
    const first = await claimIdempotencyKey(fx.db, input);
    if (first.state !== 'claimed') throw new Error(`expected a claim, got ${first.state}`);
    await fx.db.$client.query(`update idempotency_keys set created_at = now() - interval '10 minutes' where key = $1`, [
      input.key,
    ]);
    const retry = await claimIdempotencyKey(fx.db, input);
    if (retry.state !== 'claimed') throw new Error(`expected a takeover, got ${retry.state}`);

    await releaseIdempotencyKey(fx.db, first.id);
    expect(await claimIdempotencyKey(fx.db, input)).toEqual({ state: 'in-flight' });
    await completeIdempotencyKey(fx.db, first.id, { status: 500, response: { from: 'first' } });
    expect(await keyRows(input.key)).toEqual([{ status: null }]);

    await completeIdempotencyKey(fx.db, retry.id, { status: 202, response: { from: 'retry' } });
    expect(await claimIdempotencyKey(fx.db, input)).toEqual({
      state: 'answered',
      status: 202,
      response: { from: 'retry' },
    });
  });
});
