import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isJobcastError } from '@jobcast/core';
import { getJobSources } from '@jobcast/db';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.ts';
import { freshSite, jobsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();

async function workbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const file = path.join(fixture.dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('XLSX', () => {
  const fill = (wb: ExcelJS.Workbook) => {
    const notes = wb.addWorksheet('说明');
    notes.addRow(['本表由就业之家平台导出']);
    const sheet = wb.addWorksheet('岗位');
    sheet.addRow([
      '单位名称',
      '岗位名称',
      '薪资类型',
      '薪资范围起',
      '薪资范围至',
      '招聘人数',
      '联系电话',
      '发布日期',
      '截止日期',
    ]);
    // Typed numbers, as Excel stores them.
    sheet.addRow([
      '南昌洪城电子科技有限公司',
      '普工',
      '非面谈',
      3000,
      5000,
      5,
      17350938429,
      new Date(Date.UTC(2026, 2, 2)),
      46112,
    ]);
    // The same kinds of values typed in as text.
    sheet.addRow([
      '南昌赣江物流有限公司',
      '分拣员',
      '非面谈',
      '3000',
      '4500',
      '8人',
      '17350938430.0',
      '2026-03-02',
      '2026/3/31',
    ]);
    sheet.addRow([
      { richText: [{ text: '南昌瑶湖' }, { text: '食品有限公司' }] },
      '包装工',
      '面谈',
      null,
      null,
      '若干',
      null,
      null,
      null,
    ]);
  };

  it('reads the named sheet, with typed and text numbers alike', async () => {
    const site = await freshSite(fixture.db);
    const file = await workbook('typed.xlsx', fill);
    const summary = await importFile(fixture.db, file, { siteCode: site.code, sheet: '岗位' });
    expect(summary).toMatchObject({ format: 'xlsx', sheet: '岗位', encoding: null, rows: 3, imported: 3, rejected: 0 });
    const jobs = await jobsOf(fixture.db, site.id);
    const typed = jobs.find((j) => j.title === '普工');
    const text = jobs.find((j) => j.title === '分拣员');
    expect(typed).toMatchObject({
      headcount: 5,
      contact: { phone: '17350938429' },
      validFrom: '2026-03-02',
      validUntil: '2026-03-31',
    });
    expect(typed?.pay).toMatchObject({ min: 3000, max: 5000, unit: 'month', negotiable: false });
    expect(text).toMatchObject({
      headcount: 8,
      contact: { phone: '17350938430' },
      validFrom: '2026-03-02',
      validUntil: '2026-03-31',
    });
    expect(text?.pay).toMatchObject({ min: 3000, max: 4500 });
    const rich = jobs.find((j) => j.title === '包装工');
    expect(rich).toMatchObject({ employer: '南昌瑶湖食品有限公司', headcountText: '若干', pay: { negotiable: true } });
  });

  it('reads the first sheet by default, and names the sheets when --sheet matches none', async () => {
    const site = await freshSite(fixture.db);
    const file = await workbook('sheets.xlsx', (wb) => {
      const first = wb.addWorksheet('三月');
      first.addRow(['公司名称', '职位名称']);
      first.addRow(['南昌甲公司', '电工']);
      fill(wb);
    });
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ sheet: '三月', imported: 1 });
    const error = await importFile(fixture.db, file, { siteCode: site.code, sheet: '四月' }).catch((e: unknown) => e);
    expect(isJobcastError(error) && error.code).toBe('UNREADABLE_FILE');
    expect((error as Error).message).toMatch(/没有名为“四月”的工作表.*三月、说明、岗位/);
  });
  it('reads a workbook whose zip lists the sheets before xl/workbook.xml, which the streaming reader loses', async () => {
    const site = await freshSite(fixture.db);
    const written = await workbook('order-source.xlsx', (wb) => {
      const first = wb.addWorksheet('三月');
      first.addRow(['公司名称', '职位名称']);
      first.addRow(['南昌乙公司', '焊工']);
      fill(wb);
    });
    // The same parts, re-zipped so that the relationships and shared strings come first, then the
    // sheets, and the workbook part (which names the sheets) last.
    const source = await JSZip.loadAsync(await readFile(written));
    const names = Object.keys(source.files).filter((name) => !source.files[name]?.dir);
    const rank = (name: string) => (name === 'xl/workbook.xml' ? 3 : name.startsWith('xl/worksheets/sheet') ? 2 : 1);
    const reordered = new JSZip();
    for (const name of [...names].sort((a, b) => rank(a) - rank(b))) {
      reordered.file(name, await (source.file(name) as JSZip.JSZipObject).async('uint8array'));
    }
    const file = path.join(fixture.dir, 'order.xlsx');
    await writeFile(file, await reordered.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
    expect(await importFile(fixture.db, file, { siteCode: site.code })).toMatchObject({ sheet: '三月', imported: 1 });
    const error = await importFile(fixture.db, file, { siteCode: site.code, sheet: '四月' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/没有名为“四月”的工作表.*三月、说明、岗位/);
    expect(await importFile(fixture.db, file, { siteCode: site.code, sheet: '岗位' })).toMatchObject({ sheet: '岗位' });
  });
});

describe('JSON', () => {
  it('imports an array of objects, keeping unknown keys and reporting elements that are not jobs', async () => {
    const site = await freshSite(fixture.db);
    const records = [
      { 公司名称: '南昌甲公司', 职位名称: '保安', 薪资: '3500-4000元/月', 福利: ['五险', '双休'] },
      { 公司名称: '南昌乙公司', 职位名称: '厨师', 薪资: '面议', 人数: 2 },
      'not a job',
      { 公司名称: '', 职位名称: '无名岗位' },
    ];
    const file = await writeFixture(fixture.dir, 'jobs.json', JSON.stringify(records, null, 2));
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ format: 'json', rows: 4, imported: 2, rejected: 2 });
    expect(summary.rejects.map((r) => r.row)).toEqual([3, 4]);
    const jobs = await jobsOf(fixture.db, site.id);
    expect(jobs.find((j) => j.title === '保安')?.extra).toEqual({ 福利: '五险、双休' });
    expect(jobs.find((j) => j.title === '厨师')).toMatchObject({ headcount: 2, pay: { negotiable: true } });
  });

  it('names each source record by the keys of its own object, as new keys appear further down', async () => {
    const site = await freshSite(fixture.db);
    const records = [
      { 公司名称: '南昌甲公司', 职位名称: '保安' },
      { 职位名称: '厨师', 人数: '2人', 公司名称: '南昌乙公司' },
    ];
    const file = await writeFixture(fixture.dir, 'growing.json', JSON.stringify(records));
    expect(await importFile(fixture.db, file, { siteCode: site.code })).toMatchObject({ imported: 2 });
    const jobs = await jobsOf(fixture.db, site.id);
    const sourceOf = async (title: string) =>
      (await getJobSources(fixture.db, site.id, jobs.find((j) => j.title === title)?.id as number))[0]?.record;
    expect(await sourceOf('保安')).toEqual({ 公司名称: '南昌甲公司', 职位名称: '保安' });
    expect(await sourceOf('厨师')).toEqual({ 公司名称: '南昌乙公司', 职位名称: '厨师', 人数: '2人' });
  });

  it('keeps the jobs before a syntax error and reports where reading stopped', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'truncated.json',
      '[{"公司名称":"南昌甲公司","职位名称":"保安"},{"公司名称":"南昌乙公司","职位名称":"厨师"},{"公司名称": "南昌丙',
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ imported: 2, rejected: 1 });
    expect(summary.rejects[0]).toMatchObject({ row: 3, reason: expect.stringMatching(/JSON 格式错误/) });
  });
});
