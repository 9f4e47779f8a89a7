import { createImportBatch, getJobSources } from '@jobcast/db';
import { describe, expect, it } from 'vitest';
import { importFile, runImportBatch } from '../src/index.ts';
import { freshSite, jobsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();
const header = '单位名称,岗位名称,薪资待遇,招聘人数,工作地点';

describe('one posting is one job', () => {
  it('within a file: the same posting written differently counts once', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'twice.csv',
      [
        header,
        '南昌洪城电子科技有限公司,普工,4000-6000元/月,5人,南昌市青山湖区',
        ' 南昌洪城电子科技有限公司 ,“普工”,４０００－６０００元／月,5人,南昌市 青山湖区',
        '南昌洪城电子科技有限公司,普工,4-6千/月,5人,南昌市青山湖区',
      ].join('\n'),
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ rows: 3, imported: 1 });
    expect(summary.updated + summary.duplicates).toBe(2);
    expect(await jobsOf(fixture.db, site.id)).toHaveLength(1);
  });

  it('a re-import imports nothing new and says so; a changed posting updates the job and keeps the version it replaced', async () => {
    const site = await freshSite(fixture.db);
    const lines = [header, '南昌甲公司,普工,4000-6000元/月,5人,东湖区', '南昌乙公司,电工,6000元/月,2人,西湖区'];
    const file = await writeFixture(fixture.dir, 'weekly.csv', lines.join('\n'));
    const first = await importFile(fixture.db, file, { siteCode: site.code });
    expect(first).toMatchObject({ imported: 2, updated: 0, duplicates: 0 });

    const again = await importFile(fixture.db, file, { siteCode: site.code });
    expect(again).toMatchObject({ rows: 2, imported: 0, updated: 0, duplicates: 2 });
    expect(again.message).toMatch(/没有新岗位/);
    expect(again.message).toContain(`批次 #${first.batchId}`);

    const changed = await writeFixture(
      fixture.dir,
      'weekly-2.csv',
      [header, '南昌甲公司,普工,4000-6000元/月,8人,东湖区', '南昌乙公司,电工,6000元/月,2人,西湖区'].join('\n'),
    );
    const third = await importFile(fixture.db, changed, { siteCode: site.code });
    expect(third).toMatchObject({ imported: 0, updated: 1, duplicates: 1 });
    const jobs = await jobsOf(fixture.db, site.id);
    expect(jobs).toHaveLength(2);
    const worker = jobs.find((j) => j.title === '普工');
    expect(worker?.headcount).toBe(8);
    const sources = await getJobSources(fixture.db, site.id, worker?.id as number);
    expect(sources).toEqual([
      {
        batchId: first.batchId,
        row: 2,
        record: expect.objectContaining({ 招聘人数: '5人', 单位名称: '南昌甲公司' }),
        replacedAt: expect.any(Date),
      },
      {
        batchId: third.batchId,
        row: 2,
        record: expect.objectContaining({ 招聘人数: '8人', 单位名称: '南昌甲公司' }),
        replacedAt: null,
      },
    ]);
  });

  it('different pay, location or employer make different jobs', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'distinct.csv',
      [
        header,
        '南昌甲公司,普工,4000-6000元/月,5人,东湖区',
        '南昌甲公司,普工,4500-6000元/月,5人,东湖区',
        '南昌甲公司,普工,4000-6000元/月,5人,西湖区',
        '南昌乙公司,普工,4000-6000元/月,5人,东湖区',
      ].join('\n'),
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ imported: 4, duplicates: 0 });
  });

  it('a batch run twice (a retry after a crash) still reports the jobs it created as imported', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'retried.csv',
      [header, '南昌甲公司,普工,4000-6000元/月,5人,东湖区', '南昌乙公司,电工,6000元/月,2人,西湖区', ',无名,1,1,x'].join(
        '\n',
      ),
    );
    const batch = await createImportBatch(fixture.db, { siteId: site.id, fileName: 'retried.csv' });
    const first = await runImportBatch(fixture.db, batch.id, file, {});
    const retried = await runImportBatch(fixture.db, batch.id, file, {});
    expect(first).toMatchObject({ rows: 3, imported: 2, updated: 0, duplicates: 0, rejected: 1 });
    expect(retried).toMatchObject({ rows: 3, imported: 2, updated: 0, duplicates: 0, rejected: 1, rejectsTotal: 1 });
  });
});
