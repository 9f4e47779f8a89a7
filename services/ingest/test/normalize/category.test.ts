import type { JobCategory, PayUnit } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { inferCategory, parseCategory } from '../../src/normalize/category.ts';

describe('parseCategory', () => {
  it.each<[string | null, JobCategory | null | undefined]>([
    [null, undefined],
    ['', undefined],
    ['全职', 'full-time'],
    ['正式工', 'full-time'],
    ['长期工', 'full-time'],
    ['全日制', 'full-time'],
    ['兼职', 'part-time'],
    ['非全日制', 'part-time'],
    ['非全日制用工', 'part-time'],
    ['零工', 'gig'],
    ['临时工', 'gig'],
    ['日结', 'gig'],
    ['小时工', 'gig'],
    ['灵活用工', 'gig'],
    ['实习', 'internship'],
    ['见习', 'internship'],
    ['见习岗位', 'internship'],
    ['就业见习岗位', 'internship'],
    ['Full-time', 'full-time'],
    ['FULL TIME', 'full-time'],
    ['Part-time', 'part-time'],
    ['Internship', 'internship'],
    ['Gig', 'gig'],
    ['Temporary', 'gig'],
    ['（全职）', 'full-time'],
    ['全职/兼职', null],
    ['其他', null],
    ['-', null],
  ])('%j → %j', (input, expected) => {
    expect(parseCategory(input)).toBe(expected);
  });
});

describe('inferCategory', () => {
  it.each<[string, PayUnit | null, JobCategory]>([
    ['销售代表', 'month', 'full-time'],
    ['销售代表', null, 'full-time'],
    ['销售代表', 'year', 'full-time'],
    ['餐厅服务员', 'hour', 'gig'],
    ['搬运工', 'day', 'gig'],
    ['包装工（日结）', 'month', 'gig'],
    ['普工', 'piece', 'full-time'],
    ['会计实习生', 'month', 'internship'],
    ['见习岗位-行政', null, 'internship'],
    ['实习生', 'day', 'internship'],
    ['见习岗', 'hour', 'internship'],
    ['兼职家教', 'hour', 'part-time'],
    ['Software Intern', null, 'internship'],
  ])('%s, %s → %s', (title, unit, expected) => {
    expect(inferCategory(title, unit)).toBe(expected);
  });
});
