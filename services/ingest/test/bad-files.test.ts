import { randomBytes } from 'node:crypto';
import { isJobcastError } from '@jobcast/core';
import { getImportBatch, getJobSources } from '@jobcast/db';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.ts';
import { freshSite, jobsOf, rejectsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();

/** Imports a file that must be refused as a whole; returns the error after checking the batch failed. */
async function refused(name: string, content: string | Buffer) {
  const site = await freshSite(fixture.db);
  const file = await writeFixture(fixture.dir, name, content);
  const error = await importFile(fixture.db, file, { siteCode: site.code }).then(
    () => {
      throw new Error(`${name} was imported`);
    },
    (e: unknown) => e,
  );
  expect(isJobcastError(error) && error.code).toBe('UNREADABLE_FILE');
  const failed = await fixture.db.$client.query(
    'select id, status, error_code from import_batches where site_id = $1',
    [site.id],
  );
  expect(failed.rows).toEqual([expect.objectContaining({ status: 'failed', error_code: 'UNREADABLE_FILE' })]);
  expect(await jobsOf(fixture.db, site.id)).toEqual([]);
  return (error as Error).message;
}

describe('files that cannot be read as a table are refused with a clear message', () => {
  it('an empty file', async () => {
    expect(await refused('empty.csv', '')).toMatch(/empty\.csv.*文件为空/);
  });

  it('a binary file', async () => {
    const bytes = randomBytes(4096);
    bytes[10] = 0;
    expect(await refused('photo.csv', bytes)).toMatch(/二进制/);
  });

  it('an HTML page saved as .xls', async () => {
    const html =
      '<html><head><meta charset="utf-8"></head><body><table><tr><td>单位名称</td><td>岗位名称</td></tr>' +
      '<tr><td>南昌洪城电子科技有限公司</td><td>普工</td></tr></table></body></html>';
    expect(await refused('岗位导出.xls', html)).toMatch(/网页（HTML）.*另存为/);
  });

  it('a legacy binary .xls workbook', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(2048)]);
    expect(await refused('old.xls', ole)).toMatch(/\.xls.*另存为/);
  });

  it('an XLSX cut short half-way (an interrupted download)', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('岗位');
    sheet.addRow(['单位名称', '岗位名称', '薪资待遇', '招聘人数', '工作地点']);
    for (let i = 0; i < 2000; i++) sheet.addRow([`截断测试公司${i}`, `普工${i}`, '4000元/月', '3人', '南昌市']);
    const whole = Buffer.from(await wb.xlsx.writeBuffer());
    const started = Date.now();
    expect(await refused('cut.xlsx', whole.subarray(0, Math.floor(whole.length / 2)))).toMatch(
      /损坏|不完整|没有工作表/,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a corrupt XLSX (a truncated zip)', async () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(300)]);
    expect(await refused('broken.xlsx', zip)).toMatch(/损坏|没有工作表/);
  });

  it('a sheet with no recognisable header', async () => {
    expect(await refused('numbers.csv', '1,2,3\n4,5,6\n')).toMatch(/找不到表头/);
  });

  it('a header without the required employer column', async () => {
    expect(await refused('no-employer.csv', '岗位名称,薪资待遇\n普工,4000元\n')).toMatch(/缺少必需的列 公司名称/);
  });

  it('a header with no rows under it', async () => {
    expect(await refused('header-only.csv', '单位名称,岗位名称\n')).toMatch(/没有任何数据行/);
  });

  it('a JSON object instead of an array', async () => {
    expect(await refused('object.json', '{"单位名称": "某公司"}')).toMatch(/数组/);
  });
});

describe('a bad row costs that row only', () => {
  it('imports every good row of a file with 10% bad rows and reports every bad row by its number', async () => {
    const site = await freshSite(fixture.db);
    const lines = ['序号,单位名称,岗位名称,薪资待遇,招聘人数'];
    const bad: number[] = [];
    for (let i = 1; i <= 200; i++) {
      const row = i + 1;
      if (i % 10 === 3) {
        bad.push(row);
        lines.push(i % 20 === 3 ? `${i},,普工${i},4000元/月,2人` : `${i},南昌第${i}电子厂,,4000元/月,2人`);
      } else {
        lines.push(`${i},南昌第${i}电子厂,普工${i},4000元/月,2人`);
      }
    }
    const file = await writeFixture(fixture.dir, 'ten-percent.csv', `${lines.join('\n')}\n`);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ rows: 200, imported: 180, rejected: 20, rejectsTotal: 20 });
    const rejects = await rejectsOf(fixture.db, summary.batchId);
    expect(rejects.map((r) => r.row_number)).toEqual(bad);
    expect(rejects[0]).toMatchObject({
      row_number: 4,
      field: '单位名称',
      reason: expect.stringMatching(/缺少公司名称/),
    });
    expect(rejects[1]).toMatchObject({
      row_number: 14,
      field: '岗位名称',
      reason: expect.stringMatching(/缺少职位名称/),
    });
    expect((await jobsOf(fixture.db, site.id)).length).toBe(180);
  });

  it('rejects a ragged row with more cells than the header, keeps a short row that has what is required', async () => {
    const site = await freshSite(fixture.db);
    const csv = [
      '单位名称,岗位名称,薪资待遇,工作地点',
      '南昌甲公司,普工,4000元/月,东湖区',
      '南昌乙公司,焊工,5000,6000元/月,西湖区',
      '南昌丙公司,保洁员',
      '南昌丁公司,电工,6000元/月,青山湖区',
    ].join('\n');
    const file = await writeFixture(fixture.dir, 'ragged.csv', csv);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ rows: 4, imported: 3, rejected: 1 });
    expect(summary.rejects).toEqual([{ row: 3, field: '整行', reason: expect.stringMatching(/多于表头.*错位/) }]);
    const titles = (await jobsOf(fixture.db, site.id)).map((j) => j.title).sort();
    expect(titles).toEqual(['保洁员', '普工', '电工'].sort());
  });

  it('an unclosed quote costs one row: reading resumes on the next line', async () => {
    const site = await freshSite(fixture.db);
    const csv = [
      '单位名称,岗位名称,薪资待遇',
      '南昌甲公司,"普工",4000元/月',
      '南昌乙公司,"焊工,5000元/月',
      '南昌丙公司,保洁员,150元/天',
      '南昌丁公司,电工,6000元/月',
    ].join('\n');
    const file = await writeFixture(fixture.dir, 'unclosed.csv', `${csv}\n`);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary.rejects).toEqual([{ row: 3, field: '整行', reason: expect.stringMatching(/引号未闭合/) }]);
    const titles = (await jobsOf(fixture.db, site.id)).map((j) => j.title).sort();
    expect(titles).toEqual(['保洁员', '普工', '电工'].sort());
    expect(summary).toMatchObject({ imported: 3, rejected: 1 });
    expect((await getImportBatch(fixture.db, summary.batchId)).status).toBe('done');
  });

  it('an unclosed quote in a file with old-Mac line breaks (\\r only) also costs one row', async () => {
    const site = await freshSite(fixture.db);
    const csv = [
      '单位名称,岗位名称',
      '南昌甲公司,普工',
      '南昌乙公司,"焊工',
      '南昌丙公司,保洁员',
      '南昌丁公司,电工',
    ].join('\r');
    const file = await writeFixture(fixture.dir, 'mac.csv', `${csv}\r`);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary.rejects).toEqual([{ row: 3, field: '整行', reason: expect.stringMatching(/引号未闭合/) }]);
    expect((await jobsOf(fixture.db, site.id)).map((j) => j.title).sort()).toEqual(['保洁员', '普工', '电工'].sort());
  });

  it('stores SQL-like and script-like text literally', async () => {
    const site = await freshSite(fixture.db);
    const evil = [
      "Robert'); DROP TABLE jobs;--",
      '<script>alert("x")</script>',
      '=HYPERLINK("http://x")',
      '%{pts} {{title}} \\ :',
    ];
    const csv = [
      '单位名称,岗位名称,工作地点',
      ...evil.map((text, i) => `"南昌${i}公司","${text.replaceAll('"', '""')}",东湖区`),
    ].join('\n');
    const file = await writeFixture(fixture.dir, 'evil.csv', csv);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ imported: 4, rejected: 0 });
    const titles = (await jobsOf(fixture.db, site.id)).map((j) => j.title).sort();
    expect(titles).toEqual([...evil].sort());
    const tables = await fixture.db.$client.query("select to_regclass('jobs') is not null as present");
    expect(tables.rows[0].present).toBe(true);
  });

  it('keeps each row as read, in its column order: quotes, backslashes, tabs, line breaks and a repeated header', async () => {
    const site = await freshSite(fixture.db);
    const note = '他说"好"\\ C:\\路径\t制表\n换行 <b>&amp;</b>';
    const csv = `单位名称,岗位名称,备注,备注\n南昌引号公司,焊工,"${note.replaceAll('"', '""')}",第二个备注\n`;
    const file = await writeFixture(fixture.dir, 'source.csv', csv);
    expect(await importFile(fixture.db, file, { siteCode: site.code })).toMatchObject({ imported: 1 });
    const [job] = await jobsOf(fixture.db, site.id);
    const [source] = await getJobSources(fixture.db, site.id, job?.id as number);
    expect(source?.record).toEqual({ 单位名称: '南昌引号公司', 岗位名称: '焊工', 备注: note, '备注 #4': '第二个备注' });
    expect(Object.keys(source?.record ?? {})).toEqual(['单位名称', '岗位名称', '备注', '备注 #4']);
  });

  it('survives characters PostgreSQL cannot store (NUL deep in a CSV, a lone surrogate in JSON) and absurd pay', async () => {
    const site = await freshSite(fixture.db);
    const filler = Array.from({ length: 300 }, (_, i) => `南昌第${i}电子厂,普工${i},4000元/月`);
    const csv = [
      '单位名称,岗位名称,薪资待遇',
      ...filler,
      '南昌零字节公司,操作\u0000工,5000元/月',
      '南昌巨款公司,会计,99999999999元/月',
    ];
    const csvFile = await writeFixture(fixture.dir, 'nul.csv', `${csv.join('\n')}\n`);
    const summary = await importFile(fixture.db, csvFile, { siteCode: site.code });
    expect(summary).toMatchObject({ rows: 302, imported: 302, rejected: 0 });
    const jobs = await jobsOf(fixture.db, site.id);
    const nulJob = jobs.find((j) => j.employer === '南昌零字节公司');
    expect(nulJob?.title).toBe('操作工');
    const [nulSource] = await getJobSources(fixture.db, site.id, nulJob?.id as number);
    expect(nulSource?.record).toMatchObject({ 岗位名称: '操作工' });
    const absurd = jobs.find((j) => j.employer === '南昌巨款公司');
    expect(absurd?.pay).toMatchObject({ min: null, max: null, text: '99999999999元/月' });
    expect(absurd?.warnings.join()).toMatch(/薪资无法识别/);

    const json = '[{"公司名称":"南昌半字公司","职位名称":"保安","备注":"\\ud800 半个字"}]';
    const jsonFile = await writeFixture(fixture.dir, 'surrogate.json', json);
    const jsonSummary = await importFile(fixture.db, jsonFile, { siteCode: site.code });
    expect(jsonSummary).toMatchObject({ imported: 1, rejected: 0 });
  });

  it('a failure half-way marks the batch failed and keeps the counts of what was committed', async () => {
    const site = await freshSite(fixture.db);
    const rows = Array.from(
      { length: 10 },
      (_, i) => `南昌第${i}服装厂,${i === 7 ? '爆炸测试岗' : `缝纫工${i}`},4000元/月`,
    );
    const file = await writeFixture(fixture.dir, 'half.csv', `单位名称,岗位名称,薪资待遇\n${rows.join('\n')}\n`);
    // A real database refusal in the third chunk (rows 7-9), after two chunks have committed.
    await fixture.db.$client.query(
      "alter table jobs add constraint test_refuse check (title <> '爆炸测试岗') not valid",
    );
    try {
      const error = await importFile(fixture.db, file, { siteCode: site.code, chunkRows: 3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
    } finally {
      await fixture.db.$client.query('alter table jobs drop constraint test_refuse');
    }
    const batch = await fixture.db.$client.query(
      'select status, error_code, rows, imported from import_batches where site_id = $1',
      [site.id],
    );
    const jobs = await jobsOf(fixture.db, site.id);
    expect(batch.rows[0]).toMatchObject({ status: 'failed', error_code: 'INTERNAL' });
    expect(batch.rows[0].imported).toBe(jobs.length);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(jobs.map((j) => j.title)).not.toContain('爆炸测试岗');
  });
});
