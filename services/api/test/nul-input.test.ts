import { createImportBatch, prepareJob, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

let fx: ApiFixture;
let jobId: number;
beforeAll(async () => {
  fx = await openFixture();
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  const job = prepareJob(
    testJobRecord({ employerName: '南昌洪城电子科技有限公司', title: '叉车司机', fingerprint: 'fp-api-nul' }),
  );
  await writeImportChunk(fx.db, { siteId: fx.site.id, batchId: batch.id, rowsRead: 1, rejects: [], jobs: [job] });
  const rows = await fx.db.$client.query('select id from jobs where site_id = $1', [fx.site.id]);
  jobId = rows.rows[0].id;
});
afterAll(async () => {
  await fx.close();
});

describe('a NUL character in what a client sends', () => {
  it('in a search parameter is a 400 naming the parameter, not a 500', async () => {
    for (const query of ['search=a%00b', 'search=%00', 'limit=5&search=%E5%B7%A5%00']) {
      const response = await fx.app().request(`/api/jobs?${query}`, { headers: fx.bearer('manager') });
      expect(response.status, query).toBe(400);
      const error = await body<ErrorEnvelope>(response);
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toBe('搜索词含有空字符（NUL），请删去后重试');
    }
    const plain = await fx.app().request('/api/jobs?search=%E5%B7%A5', { headers: fx.bearer('manager') });
    expect(plain.status).toBe(200);
  });

  it('in a JSON body (the script of a video) is a 400 naming the field, and nothing is recorded', async () => {
    const response = await fx.app().request('/api/renders', {
      method: 'POST',
      headers: { ...fx.bearer('media'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'video', template: 'job-spotlight', jobIds: [jobId], script: '招聘\u0000叉车司机' }),
    });
    expect(response.status).toBe(400);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toBe('文稿含有空字符（NUL），请删去后重试');
    const renders = await fx.db.$client.query('select id from renders where site_id = $1', [fx.site.id]);
    expect(renders.rows).toEqual([]);
  });
});
