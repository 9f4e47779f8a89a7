import { describe, expect, it } from 'vitest';
import { type CanonicalField, findHeaderRow, headerAliases, mapHeaders } from '../../src/normalize/headers.ts';

describe('mapHeaders', () => {
  it.each(Object.entries(headerAliases).flatMap(([field, aliases]) => aliases.map((alias) => [alias, field])))(
    'alias %s → %s',
    (alias, field) => {
      expect(mapHeaders([alias]).columns[0]?.field).toBe(field);
    },
  );

  it.each<[string, CanonicalField | null, boolean]>([
    ['  公司 名称 ', 'employer', false],
    ['ＣＯＭＰＡＮＹ　ＮＡＭＥ', 'employer', false],
    ['company_name', 'employer', false],
    ['*职位名称', 'title', false],
    ['薪资（元/月）', 'pay', false],
    ['联系电话(手机)', 'contactPhone', false],
    ['福利', null, false],
    ['', null, true],
    ['Unnamed: 0', null, true],
    ['序号', null, true],
    ['编号', null, true],
    ['No.', null, true],
    ['index', null, true],
  ])('%j → %s (ignored %s)', (header, field, ignored) => {
    expect(mapHeaders([header]).columns[0]).toEqual({ index: 0, header, field, ignored });
  });

  it('keeps the first of two columns naming the same field', () => {
    const { columns, duplicates } = mapHeaders(['序号', '公司名称', '职位', '企业名称', '工资', '月薪', '福利']);
    expect(columns.map((c) => c.field)).toEqual([null, 'employer', 'title', null, 'pay', null, null]);
    expect(columns.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(duplicates).toEqual(['企业名称', '月薪']);
  });

  it('no two fields share an alias', () => {
    const seen = new Map<string, string>();
    for (const [field, aliases] of Object.entries(headerAliases)) {
      for (const alias of aliases) {
        const key = alias.toLowerCase().replace(/\s+/g, '');
        expect(seen.get(key) ?? field).toBe(field);
        seen.set(key, field);
      }
    }
  });
});

describe('findHeaderRow', () => {
  it.each<[string, string[][], number]>([
    [
      'header first',
      [
        ['公司名称', '职位', '薪资'],
        ['A公司', '销售', '4000'],
      ],
      0,
    ],
    [
      'title banner above',
      [
        ['南昌市2026年3月岗位信息表', '', ''],
        ['', '', ''],
        ['序号', '企业名称', '岗位名称', '薪资'],
        ['1', 'A', '销售', '4000'],
      ],
      2,
    ],
    ['glassdoor export', [['index', 'Job Title', 'Salary Estimate', 'Company Name', 'Location']], 0],
    [
      'needs employer or title',
      [
        ['薪资', '学历', '经验'],
        ['公司', '岗位'],
      ],
      1,
    ],
    [
      'needs two known headers',
      [
        ['公司名称', '备注'],
        ['x', 'y'],
      ],
      -1,
    ],
    [
      'no header',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      -1,
    ],
    ['empty', [], -1],
    ['only the first 10 rows', [...Array.from({ length: 10 }, () => ['x']), ['公司名称', '职位']], -1],
  ])('%s', (_, rows, expected) => {
    expect(findHeaderRow(rows)).toBe(expected);
  });
});
