import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createImportBatch, type Database, prepareJob, resolveEmployers, writeImportChunk } from '@jobcast/db';
import type { JobRecord } from '@jobcast/db/job-records';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importFile, renormalizeJobs } from '../src/index.ts';
import { RowNormalizer } from '../src/row-normalizer.ts';
import { freshSite, jobsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();
const now = new Date('2026-03-04T02:00:00Z');
const header = ['单位名称', '岗位名称', '薪资待遇', '工作地点', '联系人'];

/** The rows of an export as a site wrote them, debris and all. */
const rows = [
  ['南昌某某投资有限公司 “”', '销售顾问', '底薪3000+提成', '上班地址 : 湖南省长沙市岳麓区', '联系人:张先生'],
  ['南昌洪城物流有限公司', '理货员', '13薪', '南昌市青山湖区', '李女士'],
  ['南昌甲公司', '普工', '4000-6000元/月', '工作地点：南昌市东湖区', '王先生'],
  ['南昌甲公司', '普工', '4000-6000元/月', '南昌市东湖区', '王先生'],
  ['南昌乙公司', '电工', '6000元/月', '南昌市西湖区', '赵先生'],
  ['南昌某某投资有限公司 “”', '出纳', '5000元/月', '南昌市红谷滩区', '刘女士'],
];

/**
 * A row as the importer before this cleaning stored it: the same reading, but with the debris kept,
 * 13薪 read as 13 yuan a month and English in its notes. The debris made another content hash, and
 * where it was in a value that makes a posting's identity (location, pay), another fingerprint.
 */
function oldRecord(index: number): JobRecord {
  const cells = rows[index] as string[];
  const outcome = new RowNormalizer(header, now, 'Asia/Shanghai').normalize(index + 2, cells);
  if (outcome.kind !== 'job') throw new Error(`row ${index + 2} not read`);
  const record: JobRecord = {
    ...outcome.record,
    employerName: cells[0] as string,
    location: cells[3] as string,
    contactName: cells[4] as string,
  };
  if (index <= 2) record.fingerprint = `old-${index}`;
  if (index <= 2 || index === 5) record.contentHash = `old-${index}`;
  if (index === 1) Object.assign(record, { payMin: 13, payMax: 13, payUnit: 'month', warnings: [] });
  if (index === 4) record.warnings = ['薪资：薪资无法识别，按原文保留 (pay not understood, kept as text)'];
  return record;
}

async function importAsBefore(db: Database, siteId: number): Promise<number> {
  const batch = await createImportBatch(db, { siteId, fileName: 'old-export.csv' });
  await db.$client.query("update import_batches set status = 'done', format = 'csv', started_at = $2 where id = $1", [
    batch.id,
    now,
  ]);
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    jobs: rows.map((_, i) => prepareJob(oldRecord(i))),
    rejects: [],
    rowsRead: rows.length,
    columns: header,
  });
  return batch.id;
}

describe('jobcast jobs renormalize', () => {
  it('cleans jobs stored before, reports each change, and keeps each job the one a re-import finds', async () => {
    const site = await freshSite(fixture.db);
    await importAsBefore(fixture.db, site.id);
    const before = await jobsOf(fixture.db, site.id);
    expect(before).toHaveLength(6);
    const idOf = (location: string) => before.find((j) => j.location === location)?.id as number;
    const sales = idOf('上班地址 : 湖南省长沙市岳麓区');
    const clerk = idOf('南昌市青山湖区');
    const labelled = idOf('工作地点：南昌市东湖区');
    const plain = idOf('南昌市东湖区');

    const dry = await renormalizeJobs(fixture.db, { siteCode: site.code, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, jobs: 6, changed: 3 });
    expect(await jobsOf(fixture.db, site.id)).toEqual(before);

    const report = await renormalizeJobs(fixture.db, { siteCode: site.code });
    expect(report).toMatchObject({
      dryRun: false,
      jobs: 6,
      changed: 3,
      identityUpdated: 2,
      shared: 1,
      notesOnly: 1,
      leftAsIs: [],
      employersRenamed: [{ before: '南昌某某投资有限公司 “”', after: '南昌某某投资有限公司' }],
    });
    expect(report.changes).toEqual([
      {
        jobId: sales,
        employer: '南昌某某投资有限公司',
        title: '销售顾问',
        fields: [
          {
            field: 'location',
            label: '工作地点',
            before: '上班地址 : 湖南省长沙市岳麓区',
            after: '湖南省长沙市岳麓区',
          },
          { field: 'contactName', label: '联系人', before: '联系人:张先生', after: '张先生' },
        ],
        identity: 'updated',
        sameAs: null,
      },
      {
        jobId: clerk,
        employer: '南昌洪城物流有限公司',
        title: '理货员',
        fields: [{ field: 'pay', label: '薪资', before: '13元/月', after: '13薪' }],
        identity: 'updated',
        sameAs: null,
      },
      {
        jobId: labelled,
        employer: '南昌甲公司',
        title: '普工',
        fields: [{ field: 'location', label: '工作地点', before: '工作地点：南昌市东湖区', after: '南昌市东湖区' }],
        identity: 'shared',
        sameAs: plain,
      },
    ]);

    const after = await jobsOf(fixture.db, site.id);
    expect(after).toHaveLength(6);
    const job = (id: number) => after.find((j) => j.id === id);
    expect(job(sales)).toMatchObject({
      employer: '南昌某某投资有限公司',
      location: '湖南省长沙市岳麓区',
      contact: { name: '张先生' },
      pay: { min: 3000, max: null, text: '底薪3000+提成' },
    });
    expect(job(clerk)?.pay).toMatchObject({ min: null, max: null, text: '13薪' });
    expect(job(clerk)?.warnings).toEqual(['薪资：薪资无法识别，按原文保留']);
    expect(after.flatMap((j) => j.warnings).join()).not.toMatch(/[a-z]/);
    // The versions it replaced are kept, as for any change.
    const versions = await fixture.db.$client.query('select job_id from job_versions where job_id = any($1)', [
      [sales, clerk, labelled],
    ]);
    expect(versions.rowCount).toBe(3);
    const versionCount = async () =>
      (
        await fixture.db.$client.query(
          'select 1 from job_versions v join jobs j on j.id = v.job_id where j.site_id = $1',
          [site.id],
        )
      ).rowCount;
    const versionsBefore = await versionCount();

    const file = await writeFixture(
      fixture.dir,
      'old-export.csv',
      [header, ...rows].map((cells) => cells.join(',')).join('\n'),
    );
    const again = await importFile(fixture.db, file, { siteCode: site.code, now });
    // The same file finds every job as it is now: nothing imported, nothing updated, no new version.
    expect(again).toMatchObject({ rows: 6, imported: 0, updated: 0, rejected: 0 });
    expect(await jobsOf(fixture.db, site.id)).toEqual(after);
    expect(await versionCount()).toBe(versionsBefore);

    const twice = await renormalizeJobs(fixture.db, { siteCode: site.code });
    expect(twice).toMatchObject({ changed: 0, identityUpdated: 0, shared: 1, notesOnly: 0, employersRenamed: [] });
    expect(twice.changes).toEqual([expect.objectContaining({ jobId: labelled, fields: [], sameAs: plain })]);
  });

  it('reads XLSX rows back as Excel gave them: rich text, links and dates change nothing', async () => {
    const site = await freshSite(fixture.db);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('岗位');
    sheet.addRow(['单位名称', '岗位名称', '工作地点', '发布日期', '薪资']);
    sheet.addRow([
      { richText: [{ text: '南昌洪城' }, { font: { bold: true }, text: '电子科技有限公司' }] },
      { text: '普工', hyperlink: 'https://example.cn/job/1' },
      '南昌市青山湖区',
      new Date(Date.UTC(2026, 2, 2)),
      { formula: 'A1', result: '4000-6000元/月' },
    ]);
    const file = path.join(fixture.dir, 'rich.xlsx');
    await wb.xlsx.writeFile(file);
    expect(await importFile(fixture.db, file, { siteCode: site.code, now })).toMatchObject({ imported: 1 });

    const report = await renormalizeJobs(fixture.db, { siteCode: site.code });
    expect(report).toMatchObject({ jobs: 1, changed: 0, notesOnly: 0, leftAsIs: [], changes: [] });
    expect(await importFile(fixture.db, file, { siteCode: site.code, now })).toMatchObject({ imported: 0 });
  });

  it('waits for an import writing at the same time, and both finish', async () => {
    const site = await freshSite(fixture.db);
    const columns = ['单位名称', '岗位名称', '薪资待遇', '工作地点'];
    const cells = ['公司名称：南昌丙公司', '焊工', '7000元/月', '南昌市新建区'];
    const outcome = new RowNormalizer(columns, now, 'Asia/Shanghai').normalize(2, cells);
    if (outcome.kind !== 'job') throw new Error('row not read');
    const today = outcome.record;
    // Stored before: the label made an employer of its own. Read again, the job moves to 南昌丙公司.
    const batch = await createImportBatch(fixture.db, { siteId: site.id, fileName: 'old.csv' });
    const old = { ...today, employerName: cells[0] as string, employerKey: cells[0] as string };
    await writeImportChunk(fixture.db, {
      siteId: site.id,
      batchId: batch.id,
      jobs: [prepareJob(old)],
      rejects: [],
      rowsRead: 1,
      columns,
    });

    // An import's chunk writes its employers first (here the one renormalize moves the job to), then jobs.
    const importer = await fixture.db.$client.connect();
    try {
      await importer.query('begin');
      await resolveEmployers(importer, site.id, [today], new Map());
      const pid = (await importer.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
      const renormalized = renormalizeJobs(fixture.db, { siteCode: site.code });
      while (
        !(await fixture.db.$client.query('select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [pid]))
          .rowCount
      ) {
        await sleep(20);
      }
      // The lock the chunk's insert into jobs takes: a rewrite holding jobs and waiting for the new employer deadlocks here.
      await importer.query('lock table jobs in row exclusive mode');
      await importer.query('commit');
      expect(await renormalized).toMatchObject({ jobs: 1, changed: 1, leftAsIs: [] });
    } finally {
      importer.release();
    }
    const [job] = await jobsOf(fixture.db, site.id);
    expect(job).toMatchObject({ employer: '南昌丙公司', title: '焊工' });
  });

  it('leaves a job it cannot read again as it is, and says why', async () => {
    const site = await freshSite(fixture.db);
    const batch = await createImportBatch(fixture.db, { siteId: site.id, fileName: 'api.csv' });
    const record = { ...oldRecord(4), sourceJson: 'null' };
    await writeImportChunk(fixture.db, {
      siteId: site.id,
      batchId: batch.id,
      jobs: [prepareJob(record)],
      rejects: [],
      rowsRead: 1,
    });
    const report = await renormalizeJobs(fixture.db, { siteCode: site.code });
    expect(report).toMatchObject({
      jobs: 1,
      changed: 0,
      leftAsIs: [{ employer: '南昌乙公司', title: '电工', reason: '没有保存导入时的原始行' }],
    });
  });
});
