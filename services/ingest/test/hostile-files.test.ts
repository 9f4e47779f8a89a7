import { getImportBatch } from '@jobcast/db';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.ts';
import { freshSite, jobsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();

describe('a NUL character in a JSON import', () => {
  it('is stripped from a key as from a value, and the good rows are imported', async () => {
    const site = await freshSite(fixture.db);
    const records = [
      { 单位名称: '南昌甲公司', '岗位\u0000名称': '普工', 'x\u0000': '1' },
      { 单位名称: '南昌乙公司\u0000', '岗位\u0000名称': '焊\u0000工', 'x\u0000': '2' },
    ];
    const file = await writeFixture(fixture.dir, 'nul-key.json', JSON.stringify(records));
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ format: 'json', rows: 2, imported: 2, rejected: 0 });
    expect((await getImportBatch(fixture.db, summary.batchId)).status).toBe('done');
    const jobs = await jobsOf(fixture.db, site.id);
    expect(jobs.map((job) => [job.employer, job.title]).sort()).toEqual([
      ['南昌乙公司', '焊工'],
      ['南昌甲公司', '普工'],
    ]);
  });
});

describe('a CSV record over the size limit', () => {
  it('is reported as too long, naming its row, and reading resumes on the next line', async () => {
    const site = await freshSite(fixture.db);
    // 1.5 M characters in one record, no quote anywhere: a cell too long to be real.
    const long = '长'.repeat(1_500_000);
    const csv = [
      '单位名称,岗位名称,岗位描述',
      '南昌甲公司,普工,包吃住',
      `南昌乙公司,焊工,${long}`,
      '南昌丙公司,电工,',
    ].join('\n');
    const file = await writeFixture(fixture.dir, 'long-record.csv', `${csv}\n`);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ rows: 3, imported: 2, rejected: 1 });
    expect(summary.rejects).toEqual([
      {
        row: 3,
        field: '整行',
        reason: expect.stringMatching(/^本行超过长度上限（1048576 个字符），无法读取，已从下一行继续$/),
      },
    ]);
    expect(summary.rejects[0]?.reason).not.toMatch(/引号/);
    expect((await jobsOf(fixture.db, site.id)).map((job) => job.title).sort()).toEqual(['普工', '电工'].sort());
  });
});
