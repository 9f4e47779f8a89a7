import type { JobCategory, JobView } from '@jobcast/core';
import { createImportBatch, type Database, type JobRecord, prepareJob, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture } from './fixture.ts';

interface JobPage {
  items: JobView[];
  total: number;
  limit: number;
  offset: number;
}

const injection = "'; drop table jobs; --";

function jobRecord(row: number, employerName: string, title: string, category: JobCategory): JobRecord {
  return testJobRecord({
    rowNumber: row,
    employerName,
    title,
    category,
    payMin: null,
    payMax: null,
    payUnit: null,
    payNegotiable: true,
    payText: '面议',
    headcount: null,
    headcountText: '若干',
    location: '示范区',
    contactName: null,
    contactPhone: null,
  });
}

async function seedJobs(db: Database, siteId: number, jobs: [string, string, JobCategory][]): Promise<void> {
  const batch = await createImportBatch(db, { siteId, fileName: 'seed.csv' });
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    jobs: jobs.map(([employer, title, category], i) => prepareJob(jobRecord(i + 2, employer, title, category))),
    rejects: [],
    rowsRead: jobs.length,
  });
}

let fx: ApiFixture;
let foreignJobId: number;

beforeAll(async () => {
  fx = await openFixture();
  await seedJobs(fx.db, fx.site.id, [
    ['甲公司', '销售代表（提成100%）', 'full-time'],
    ['乙公司', injection, 'part-time'],
    ['丙物流', '仓库管理员', 'gig'],
    ['丁客服中心', '客服 100 提成', 'full-time'],
    ['戊机械', '焊工_夜班', 'full-time'],
    ['己工厂', '普工 1', 'full-time'],
    ['己工厂', '普工 2', 'full-time'],
    ['己工厂', '普工 3', 'full-time'],
    ['己工厂', '普工 4', 'full-time'],
    ['己工厂', '普工 5', 'internship'],
  ]);
  const other = await addSiteWithStaff(fx.db);
  await seedJobs(fx.db, other.site.id, [['庚公司', '保洁员', 'gig']]);
  const theirs = await body<JobPage>(
    await fx.app().request('/api/jobs', { headers: { Authorization: `Bearer ${other.tokens.anchor}` } }),
  );
  foreignJobId = theirs.items[0]?.id ?? 0;
});
afterAll(async () => {
  await fx.close();
});

async function jobs(query: string): Promise<JobPage> {
  const response = await fx.app().request(`/api/jobs${query}`, { headers: fx.bearer('anchor') });
  expect(response.status).toBe(200);
  return body<JobPage>(response);
}

describe('browsing jobs', () => {
  it("shows only the site's own jobs, with default paging", async () => {
    const page = await jobs('');
    expect(page.total).toBe(10);
    expect(page.items).toHaveLength(10);
    expect(page).toMatchObject({ limit: 50, offset: 0 });
    expect(page.items.every((job) => job.site === fx.site.code)).toBe(true);
    expect(page.items.map((job) => job.title)).not.toContain('保洁员');
  });

  it('filters by category, alone and with a search', async () => {
    expect((await jobs('?category=gig')).items.map((job) => job.title)).toEqual(['仓库管理员']);
    expect((await jobs('?category=internship')).items.map((job) => job.title)).toEqual(['普工 5']);
    // The names a person types: 零工, 实习 (and 见习, the office's word for it).
    expect((await jobs(`?category=${encodeURIComponent('零工')}`)).items.map((job) => job.title)).toEqual([
      '仓库管理员',
    ]);
    for (const typed of ['实习', '见习']) {
      expect((await jobs(`?category=${encodeURIComponent(typed)}`)).items.map((job) => job.title)).toEqual(['普工 5']);
    }
    const unknown = await fx.app().request(`/api/jobs?category=${encodeURIComponent('临工')}`, {
      headers: fx.bearer('manager'),
    });
    expect(unknown.status).toBe(400);
    expect((await body<ErrorEnvelope>(unknown)).message).toContain('没有“临工”这个类别，可选：全职、兼职、零工、实习');
    const both = await jobs(`?category=full-time&search=${encodeURIComponent('普工')}`);
    expect(both.total).toBe(4);
  });

  it('searches % and _ as literal characters, not wildcards', async () => {
    const percent = await jobs(`?search=${encodeURIComponent('100%')}`);
    expect(percent.items.map((job) => job.title)).toEqual(['销售代表（提成100%）']);
    expect((await jobs(`?search=${encodeURIComponent('%')}`)).total).toBe(1);
    expect((await jobs(`?search=${encodeURIComponent('_')}`)).items.map((job) => job.title)).toEqual(['焊工_夜班']);
  });

  it('stores and finds SQL-looking text literally, and the table survives', async () => {
    const found = await jobs(`?search=${encodeURIComponent(injection)}`);
    expect(found.items.map((job) => job.title)).toEqual([injection]);
    expect(found.items[0]).toMatchObject({ employer: '乙公司', category: 'part-time' });
    expect((await jobs('')).total).toBe(10);
  });

  it('pages through every job exactly once with limit and offset', async () => {
    const seen: number[] = [];
    for (const offset of [0, 3, 6, 9]) {
      const page = await jobs(`?limit=3&offset=${offset}`);
      expect(page).toMatchObject({ total: 10, limit: 3, offset });
      expect(page.items).toHaveLength(offset === 9 ? 1 : 3);
      seen.push(...page.items.map((job) => job.id));
    }
    expect(new Set(seen).size).toBe(10);
    expect((await jobs('?limit=3&offset=30')).items).toEqual([]);
  });

  it('answers 400 BAD_INPUT naming each bad parameter', async () => {
    const cases: [string, string][] = [
      ['?limit=0', '数量上限'],
      ['?limit=201', '数量上限'],
      ['?limit=ten', '数量上限'],
      ['?offset=-1', '跳过条数'],
      ['?category=bogus', '类别'],
      [`?search=${'字'.repeat(101)}`, '搜索词'],
    ];
    for (const [query, field] of cases) {
      const response = await fx.app().request(`/api/jobs${query}`, { headers: fx.bearer('manager') });
      expect(response.status, query).toBe(400);
      const error = await body<ErrorEnvelope>(response);
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message, query).toContain(`${field}：`);
    }
    const both = await fx.app().request('/api/jobs?limit=0&category=bogus', { headers: fx.bearer('manager') });
    const message = (await body<ErrorEnvelope>(both)).message;
    expect(message).toContain('数量上限：');
    expect(message).toContain('类别：');
  });
});

describe('one job', () => {
  it('answers a job of the site', async () => {
    const [first] = (await jobs('?category=gig')).items;
    const response = await fx.app().request(`/api/jobs/${first?.id}`, { headers: fx.bearer('media') });
    expect(response.status).toBe(200);
    expect(await body<JobView>(response)).toEqual(first);
  });

  it("answers 404 for another site's job", async () => {
    expect(foreignJobId).toBeGreaterThan(0);
    const response = await fx.app().request(`/api/jobs/${foreignJobId}`, { headers: fx.bearer('admin') });
    expect(response.status).toBe(404);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(String(foreignJobId));
  });
});
