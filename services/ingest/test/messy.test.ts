import type { JobView } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/index.ts';
import { freshSite, jobsOf, useImportFixture, writeFixture } from './helpers.ts';

const fixture = useImportFixture();
/** 2026-03-04 10:00 in Shanghai: relative dates in the files resolve against this. */
const now = new Date('2026-03-04T02:00:00Z');

async function importCsv(name: string, lines: string[]) {
  const site = await freshSite(fixture.db);
  const file = await writeFixture(fixture.dir, name, `${lines.join('\r\n')}\r\n`);
  const summary = await importFile(fixture.db, file, { siteCode: site.code, now });
  const jobs = await jobsOf(fixture.db, site.id);
  const byTitle = (title: string) => jobs.find((j) => j.title === title) as JobView;
  return { summary, jobs, byTitle };
}

describe('real-world mess in a provincial export', () => {
  const header =
    ',单位名称,岗位名称,薪资待遇,招聘人数,工作地点,学历要求,工作经验,联系人,联系电话,发布日期,岗位类型,福利';
  const rows = [
    `0,南昌洪城电子科技有限公司,['销售代表'],"1-1.5万/月",5人,[],大专,1-3年,张先生,17350938429.0,46083,,五险一金`,
    `1,"  南昌赣江物流有限公司\t",“叉车司机”,25-35K·13薪,若干,"南昌市\n经开区",,本科,李女士,13912345678,2026/3/2,全职,`,
    `2,南昌瑶湖\ue035家政服务有限公司,保洁员,150-180/天,１２３,南昌市红谷滩区,不限,经验不限,,0791-88886666,3月2日,,`,
    `3,南昌梅岭医药有限公司,药房见习生,1.5千以下/月,若干人,南昌市东湖区,,,王老师,(0791)88887777,2天前,,`,
    `4,南昌象湖餐饮管理有限公司,帮厨,20-25元/时,,南昌市西湖区,,,,,2026-03-02,,`,
    `5,南昌红谷商贸有限公司,理货员,待遇优厚,3人,南昌市新建区,,,,,下周一,临时工,`,
  ];

  it('imports every row and normalises every field', async () => {
    const { summary, byTitle } = await importCsv('messy.csv', [header, ...rows]);
    expect(summary).toMatchObject({ rows: 6, imported: 6, rejected: 0 });

    const sales = byTitle('销售代表');
    expect(sales.employer).toBe('南昌洪城电子科技有限公司');
    expect(sales.pay).toMatchObject({ min: 10000, max: 15000, unit: 'month', negotiable: false, text: '1-1.5万/月' });
    expect(sales.headcount).toBe(5);
    expect(sales.location).toBeNull();
    expect(sales.contact).toEqual({ name: '张先生', phone: '17350938429' });
    expect(sales.validFrom).toBe('2026-03-02');
    expect(sales.category).toBe('full-time');
    expect(sales.extra).toEqual({ 福利: '五险一金' });
    expect(Object.keys(sales.extra)).not.toContain('');

    const forklift = byTitle('叉车司机');
    expect(forklift.employer).toBe('南昌赣江物流有限公司');
    expect(forklift.pay).toMatchObject({ min: 25000, max: 35000, unit: 'month', months: 13 });
    expect(forklift.headcount).toBeNull();
    expect(forklift.headcountText).toBe('若干');
    expect(forklift.location).toBe('南昌市经开区');
    expect(forklift.validFrom).toBe('2026-03-02');
    expect(forklift.education).toBe('本科');
    expect(forklift.experience).toBeNull();
    expect(forklift.warnings.join()).toMatch(/学历值出现在经验列/);

    const cleaner = byTitle('保洁员');
    expect(cleaner.employer).toBe('南昌瑶湖家政服务有限公司');
    expect(cleaner.warnings.join()).toMatch(/公司名称：含有反爬字体/);
    expect(cleaner.pay).toMatchObject({ min: 150, max: 180, unit: 'day' });
    expect(cleaner.headcount).toBe(123);
    expect(cleaner.category).toBe('gig');
    expect(cleaner.contact.phone).toBe('0791-88886666');
    expect(cleaner.validFrom).toBe('2026-03-02');

    const intern = byTitle('药房见习生');
    expect(intern.pay).toMatchObject({ min: null, max: 1500, unit: 'month' });
    expect(intern.category).toBe('internship');
    expect(intern.contact).toEqual({ name: '王老师', phone: '0791-88887777' });
    expect(intern.validFrom).toBe('2026-03-02');

    const kitchen = byTitle('帮厨');
    expect(kitchen.pay).toMatchObject({ min: 20, max: 25, unit: 'hour' });
    expect(kitchen.category).toBe('gig');

    const clerk = byTitle('理货员');
    expect(clerk.pay).toMatchObject({ min: null, max: null, unit: null, negotiable: false, text: '待遇优厚' });
    expect(clerk.warnings.join()).toMatch(/薪资无法识别/);
    expect(clerk.validFrom).toBeNull();
    expect(clerk.extra).toMatchObject({ 发布日期: '下周一' });
    expect(clerk.category).toBe('gig');
  });

  it('counts the warnings and shows where they are', async () => {
    const { summary } = await importCsv('messy-2.csv', [header, ...rows]);
    expect(summary.warnings).toBeGreaterThanOrEqual(4);
    expect(summary.warningSamples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 4, field: '公司名称' }),
        expect.objectContaining({ row: 7, field: '薪资' }),
      ]),
    );
  });

  it('anti-scraping characters in pay leave the pay as text, never a guessed number', async () => {
    const { byTitle } = await importCsv('pua-pay.csv', ['单位名称,岗位名称,薪资', '南昌甲公司,普工,\ue0355-8K']);
    const job = byTitle('普工');
    expect(job.pay).toMatchObject({ min: null, max: null, text: '5-8K' });
    expect(job.warnings.join()).toMatch(/薪资：含有反爬字体/);
  });
});

describe('debris an export site leaves in the values', () => {
  it('is cleaned on import; a value that was only a label is missing, and pay it cannot place is kept with a warning', async () => {
    const { summary, byTitle } = await importCsv('debris.csv', [
      '单位名称,岗位名称,薪资待遇,工作地点,联系人,联系电话',
      '南昌某某投资有限公司 “”,销售顾问,底薪3000+提成,上班地址 : 湖南省长沙市岳麓区,联系人:张先生,联系电话：13800000000',
      "南昌某某物流有限公司 [''],理货员,13薪,工作地点：,,",
      '"南昌某某\n家政   服务有限公司「」",保洁员,日结150-200元,【工作地点】南昌市东湖区,,',
      '公司名称：,普工,4000,南昌市,,',
    ]);
    expect(summary).toMatchObject({ rows: 4, imported: 3, rejected: 1 });
    expect(summary.rejects).toEqual([{ row: 5, field: '单位名称', reason: '缺少公司名称' }]);

    const sales = byTitle('销售顾问');
    expect(sales).toMatchObject({
      employer: '南昌某某投资有限公司',
      location: '湖南省长沙市岳麓区',
      contact: { name: '张先生', phone: '13800000000' },
      pay: { min: 3000, max: null, unit: 'month', text: '底薪3000+提成' },
      warnings: [],
    });
    const clerk = byTitle('理货员');
    expect(clerk).toMatchObject({ employer: '南昌某某物流有限公司', location: null });
    expect(clerk.pay).toMatchObject({ min: null, max: null, text: '13薪' });
    expect(summary.warningSamples).toEqual([{ row: 3, field: '薪资', reason: '薪资无法识别，按原文保留' }]);
    expect(byTitle('保洁员')).toMatchObject({
      employer: '南昌某某家政服务有限公司',
      location: '南昌市东湖区',
      pay: { min: 150, max: 200, unit: 'day' },
    });
  });
});

describe('other layouts', () => {
  it('maps English headers, ignores a pandas index column and keeps unknown columns', async () => {
    const { summary, jobs } = await importCsv('glassdoor.csv', [
      'Unnamed: 0,Job Title,Salary Estimate,Company Name,Location,Rating',
      '0,Data Analyst,10000-20000,Acme Ltd,Shanghai,3.9',
      '1,Warehouse Clerk,8k-12k,Globex,Nanchang,4.1',
    ]);
    expect(summary).toMatchObject({ imported: 2, rejected: 0 });
    const analyst = jobs.find((j) => j.title === 'Data Analyst');
    expect(analyst).toMatchObject({ employer: 'Acme Ltd', location: 'Shanghai', extra: { Rating: '3.9' } });
    expect(analyst?.pay).toMatchObject({ min: 10000, max: 20000, unit: 'month' });
  });

  it('finds the header under a title banner and reads split pay columns (薪资类型 + 起 + 至)', async () => {
    const { summary, byTitle } = await importCsv('split-pay.csv', [
      '南昌市2026年3月零工市场岗位信息表,,,,,',
      '单位名称,岗位名称,薪资类型,薪资范围起,薪资范围至,用工形式',
      '南昌甲公司,装卸工,非面谈,3000,5000,全职',
      '南昌乙公司,调酒师,面谈,,,兼职',
      '南昌丙公司,家政保洁,非面谈,"0.3万","4千",零工',
    ]);
    expect(summary).toMatchObject({ rows: 3, imported: 3, rejected: 0 });
    expect(byTitle('装卸工').pay).toMatchObject({ min: 3000, max: 5000, unit: 'month', negotiable: false });
    expect(byTitle('调酒师')).toMatchObject({ category: 'part-time', pay: { negotiable: true, min: null } });
    expect(byTitle('家政保洁')).toMatchObject({ category: 'gig', pay: { min: 3000, max: 4000 } });
  });
});
