import { formatPay, type PayUnit } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { type ParsedPay, parsePay, payFromSplit } from '../../src/normalize/pay.ts';

const pay = (
  min: number | null,
  max: number | null,
  unit: PayUnit | null,
  extra: Partial<ParsedPay> = {},
): ParsedPay => ({ min, max, unit, negotiable: false, months: null, ...extra });
const NEGOTIABLE = pay(null, null, null, { negotiable: true });

describe('parsePay', () => {
  it.each<[string, ParsedPay]>([
    ['4000-6000元/月', pay(4000, 6000, 'month')],
    ['6-8千/月', pay(6000, 8000, 'month')],
    ['1-1.5万/月', pay(10000, 15000, 'month')],
    ['15-25万/年', pay(150000, 250000, 'year')],
    ['8k-12k', pay(8000, 12000, 'month')],
    ['25-35K·13薪', pay(25000, 35000, 'month', { months: 13 })],
    ['150元/天', pay(150, 150, 'day')],
    ['150-180/天', pay(150, 180, 'day')],
    ['20-25元/时', pay(20, 25, 'hour')],
    ['17元/小时', pay(17, 17, 'hour')],
    ['3000以上', pay(3000, null, 'month')],
    ['1.5千以下/月', pay(null, 1500, 'month')],
    ['面议', NEGOTIABLE],
    ['10000-20000', pay(10000, 20000, 'month')],
    ['４０００－６０００元／月', pay(4000, 6000, 'month')],
    ['4000~6000', pay(4000, 6000, 'month')],
    ['4000～6000', pay(4000, 6000, 'month')],
    ['4000至6000元', pay(4000, 6000, 'month')],
    ['4000到6000', pay(4000, 6000, 'month')],
    ['4000一6000', pay(4000, 6000, 'month')],
    ['4000 - 6000 元 / 月', pay(4000, 6000, 'month')],
    ['4,000-6,000', pay(4000, 6000, 'month')],
    ['4000元', pay(4000, 4000, 'month')],
    ['4000元一个月', pay(4000, 4000, 'month')],
    ['月薪8000', pay(8000, 8000, 'month')],
    ['月薪：8000元', pay(8000, 8000, 'month')],
    ['年薪15万', pay(150000, 150000, 'year')],
    ['日薪200', pay(200, 200, 'day')],
    ['200元/日', pay(200, 200, 'day')],
    ['时薪20', pay(20, 20, 'hour')],
    ['每小时20元', pay(20, 20, 'hour')],
    ['3元/件', pay(3, 3, 'piece')],
    ['0.5元/单', pay(1, 1, 'piece')],
    ['计件', pay(null, null, 'piece')],
    ['计件工资', pay(null, null, 'piece')],
    ['计件，3元/件', pay(3, 3, 'piece')],
    ['2000-3000元/月+提成', pay(2000, 3000, 'month')],
    ['4000-6000元/月，包吃住，月休4天', pay(4000, 6000, 'month')],
    ['4000-6000元/月(含2个月绩效)', pay(4000, 6000, 'month')],
    ['3000+提成', pay(3000, null, 'month')],
    ['5000元/月起', pay(5000, null, 'month')],
    ['5000左右', pay(5000, 5000, 'month')],
    ['最低3000', pay(3000, null, 'month')],
    ['最高8000元/月', pay(null, 8000, 'month')],
    ['薪资面议', NEGOTIABLE],
    ['面谈', NEGOTIABLE],
    ['4000-6000（可面议）', pay(4000, 6000, 'month', { negotiable: true })],
    ['0.8-1万', pay(8000, 10000, 'month')],
    ['8千-1.2万', pay(8000, 12000, 'month')],
    ['8000-1.2万', pay(8000, 12000, 'month')],
    ['15K-25K', pay(15000, 25000, 'month')],
    ['8-10k', pay(8000, 10000, 'month')],
    ['1-1.5w', pay(10000, 15000, 'month')],
    ['3-5万/月', pay(30000, 50000, 'month')],
    ['17.5元/小时', pay(18, 18, 'hour')],
    ['税前 1.2万/月', pay(12000, 12000, 'month')],
    ['￥4000', pay(4000, 4000, 'month')],
  ])('%s', (input, expected) => {
    expect(parsePay(input)).toEqual(expected);
  });

  it.each([
    '待遇优厚',
    '-K',
    'K',
    '/月',
    '3000-',
    '6000-4000',
    '0',
    '0-0',
    '试用期3000转正4000',
    '补贴200',
    '周薪1000',
    '2000 3000',
    '3000/4000',
    '3000,5000',
    '3000，5000',
    '25-35K·99薪',
    '3000元/月/天',
    '$37K-$66K (Glassdoor est.)',
  ])('%s → not understood', (input) => {
    expect(parsePay(input)).toBeNull();
  });

  it.each([null, '', '   '])('%j → no pay given', (input) => {
    expect(parsePay(input)).toBeUndefined();
  });
});

describe('payFromSplit', () => {
  const split = (type: string | null, from: string | null, to: string | null, unit: string | null = null) => ({
    type,
    from,
    to,
    unit,
  });
  it.each<[string, ReturnType<typeof split>, ParsedPay | null | undefined]>([
    ['all empty', split(null, null, null), undefined],
    ['typed numbers', split('非面谈', '3000', '5000'), pay(3000, 5000, 'month')],
    ['no type', split(null, '3000', '5000'), pay(3000, 5000, 'month')],
    ['text numbers', split('非面谈', '3000元', '5千'), pay(3000, 5000, 'month')],
    ['万', split('非面谈', '0.3万', '0.5万'), pay(3000, 5000, 'month')],
    ['full width', split('非面谈', '３０００', '５０００'), pay(3000, 5000, 'month')],
    ['unit column 元/月', split('非面谈', '3000', '5000', '元/月'), pay(3000, 5000, 'month')],
    ['unit column 天', split('非面谈', '150', '200', '天'), pay(150, 200, 'day')],
    ['unit column 小时', split(null, '20', '25', '小时'), pay(20, 25, 'hour')],
    ['unit column 元/时', split(null, '20', '25', '元/时'), pay(20, 25, 'hour')],
    ['unit column 元 is just currency', split(null, '3000', '5000', '元'), pay(3000, 5000, 'month')],
    ['unit in the number cell', split(null, '150元/天', '200元/天'), pay(150, 200, 'day')],
    ['from only', split('非面谈', '3000', null), pay(3000, null, 'month')],
    ['to only', split('非面谈', null, '5000'), pay(null, 5000, 'month')],
    ['面谈 without figures', split('面谈', null, null), NEGOTIABLE],
    ['面议 with zeros', split('面议', '0', '0'), NEGOTIABLE],
    ['面谈 keeps figures', split('面谈', '3000', '5000'), pay(3000, 5000, 'month', { negotiable: true })],
    ['计件 type', split('计件', '3', '5'), pay(3, 5, 'piece')],
    ['non-negotiable without figures', split('非面谈', null, null), null],
    ['from above to', split('非面谈', '5000', '3000'), null],
    ['figure not understood', split('非面谈', '看情况', '5000'), null],
    ['range in one cell', split('非面谈', '3000-4000', '5000'), null],
    ['unknown unit', split('非面谈', '3000', '5000', '双周'), null],
    ['conflicting units', split(null, '150元/天', '5000', '月'), null],
    ['unknown type', split('看情况', '3000', '5000'), null],
  ])('%s', (_, input, expected) => {
    expect(payFromSplit(input)).toEqual(expected);
  });
});

describe('formatPay', () => {
  it.each<[ParsedPay, string]>([
    [pay(4000, 6000, 'month'), '4000-6000元/月'],
    [pay(150, 150, 'day'), '150元/天'],
    [pay(20, 25, 'hour'), '20-25元/小时'],
    [pay(3000, null, 'month'), '3000元/月以上'],
    [pay(null, 1500, 'month'), '1500元/月以下'],
    [NEGOTIABLE, '面议'],
    [pay(25000, 35000, 'month', { months: 13 }), '2.5万-3.5万元/月·13薪'],
    [pay(150000, 250000, 'year'), '15万-25万元/年'],
    [pay(8000, 12000, 'month'), '8000-1.2万元/月'],
    [pay(12345, 15000, 'month'), '12345-1.5万元/月'],
    [pay(3, 3, 'piece'), '3元/件'],
    [pay(null, null, 'piece'), '计件'],
    [pay(4000, 6000, 'month', { negotiable: true }), '4000-6000元/月（可面议）'],
  ])('%j → %s', (input, expected) => {
    expect(formatPay(input)).toBe(expected);
  });

  it.each([
    '4000-6000元/月',
    '6-8千/月',
    '1-1.5万/月',
    '15-25万/年',
    '25-35K·13薪',
    '150元/天',
    '20-25元/时',
    '3000以上',
    '1.5千以下/月',
    '面议',
    '8千-1.2万',
    '3元/件',
    '计件',
    '4000-6000（可面议）',
    '1.25万',
  ])('round trip of %s', (text) => {
    const parsed = parsePay(text) as ParsedPay;
    expect(parsed).toBeTruthy();
    expect(parsePay(formatPay(parsed))).toEqual(parsed);
  });
});
