import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.ts';
import { freshSite, jobsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();

const header = '单位名称,岗位名称,薪资待遇,招聘人数,工作地点';

describe('text encodings are detected, never asked for', () => {
  it('reads a GBK export exactly', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'gbk.csv',
      `${header}\n南昌洪城电子科技有限公司,骨干操作工,4000-6000元/月,5人,南昌市青山湖区\n`,
      'gbk',
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ format: 'csv', encoding: 'gbk', rows: 1, imported: 1, rejected: 0 });
    const [job] = await jobsOf(fixture.db, site.id);
    expect(job).toMatchObject({
      employer: '南昌洪城电子科技有限公司',
      title: '骨干操作工',
      location: '南昌市青山湖区',
    });
    expect(job?.pay).toMatchObject({ min: 4000, max: 6000, unit: 'month' });
  });

  it('decodes GB18030 characters outside GBK exactly (✓, 𠮷)', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'gb18030.csv',
      `${header}\n𠮷野家餐饮管理有限公司,✓ 服务员,150元/天,若干,南昌市东湖区\n`,
      'gb18030',
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ encoding: 'gb18030', imported: 1 });
    const [job] = await jobsOf(fixture.db, site.id);
    expect(job?.employer).toBe('𠮷野家餐饮管理有限公司');
    expect(job?.title).toBe('✓ 服务员');
    expect(job?.category).toBe('gig');
  });

  it('reads UTF-8 with a byte-order mark: the first column is still recognised', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'bom.csv',
      `${header}\n南昌赣江物流有限公司,叉车司机,6-8千/月,3人,南昌市经开区\n`,
      'utf-8-bom',
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ encoding: 'utf-8 (BOM)', imported: 1, rejected: 0 });
    const [job] = await jobsOf(fixture.db, site.id);
    expect(job?.employer).toBe('南昌赣江物流有限公司');
    expect(job?.pay).toMatchObject({ min: 6000, max: 8000 });
  });

  it('reads plain UTF-8 with tab separators', async () => {
    const site = await freshSite(fixture.db);
    const file = await writeFixture(
      fixture.dir,
      'tabs.tsv',
      `${header.replaceAll(',', '\t')}\n南昌梅岭医药有限公司\t药剂师\t8k-12k\t2人\t南昌市西湖区\n`,
    );
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ encoding: 'utf-8', imported: 1 });
    const [job] = await jobsOf(fixture.db, site.id);
    expect(job?.pay).toMatchObject({ min: 8000, max: 12000, unit: 'month' });
  });

  it("reads Excel's Unicode text export (UTF-16 LE with a byte-order mark, tab-separated)", async () => {
    const site = await freshSite(fixture.db);
    const text = `${header.replaceAll(',', '\t')}\r\n南昌瑶湖光电有限公司\t质检员\t4500元/月\t2人\t南昌市高新区\r\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const file = await writeFixture(fixture.dir, 'unicode.txt', bytes);
    const summary = await importFile(fixture.db, file, { siteCode: site.code });
    expect(summary).toMatchObject({ encoding: 'utf-16le', imported: 1, rejected: 0 });
    const [job] = await jobsOf(fixture.db, site.id);
    expect(job).toMatchObject({ employer: '南昌瑶湖光电有限公司', title: '质检员', location: '南昌市高新区' });
  });
});
