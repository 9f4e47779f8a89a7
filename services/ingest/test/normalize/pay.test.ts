import { displayPay, formatPay, type Pay, type PayUnit } from '@jobcast/core';
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
    ['税前 1.2万/月', pay(12000, 12000, 'month')],
    ['￥4000', pay(4000, 4000, 'month')],
  ])('%s', (input, expected) => {
    expect(parsePay(input)).toEqual(expected);
  });

  // The forms people type and public job exports carry (BOSS-style K·薪, 58/赶集-style 元/月, gig-market day
  // and hour rates, spoken Chinese numerals). Each is read only as far as its meaning is certain.
  it.each<[string, ParsedPay]>([
    ['8-10K', pay(8000, 10000, 'month')],
    ['8k-10k', pay(8000, 10000, 'month')],
    ['4K-6K', pay(4000, 6000, 'month')],
    ['4k~6k', pay(4000, 6000, 'month')],
    ['2k-3k', pay(2000, 3000, 'month')],
    ['10K以上', pay(10000, null, 'month')],
    ['8-10K·13薪', pay(8000, 10000, 'month', { months: 13 })],
    ['1.2-1.8万·14薪', pay(12000, 18000, 'month', { months: 14 })],
    ['1.5万', pay(15000, 15000, 'month')],
    ['1.5W+', pay(15000, null, 'month')],
    ['1万以上', pay(10000, null, 'month')],
    ['1万-1.5万', pay(10000, 15000, 'month')],
    ['2-3万/月', pay(20000, 30000, 'month')],
    ['1-1.5万/月', pay(10000, 15000, 'month')],
    ['年薪10-15万', pay(100000, 150000, 'year')],
    ['年薪20万以上', pay(200000, null, 'year')],
    ['20-30万/年', pay(200000, 300000, 'year')],
    ['5千-8千', pay(5000, 8000, 'month')],
    ['4-5千', pay(4000, 5000, 'month')],
    ['5-8千元/月', pay(5000, 8000, 'month')],
    ['8千以上', pay(8000, null, 'month')],
    ['4千5-6千', pay(4500, 6000, 'month')],
    ['1万5', pay(15000, 15000, 'month')],
    ['1万2千', pay(12000, 12000, 'month')],
    ['4千5~6千/月+提成（详谈）', pay(4500, 6000, 'month')],
    ['3000-5000元/月', pay(3000, 5000, 'month')],
    ['3000~5000元/月', pay(3000, 5000, 'month')],
    ['4000元~6000元/月', pay(4000, 6000, 'month')],
    ['5250元-5750元', pay(5250, 5750, 'month')],
    ['6001-8000元', pay(6001, 8000, 'month')],
    ['5000—8000元', pay(5000, 8000, 'month')],
    ['5000--8000', pay(5000, 8000, 'month')],
    ['2500~3500', pay(2500, 3500, 'month')],
    ['5000-8000RMB', pay(5000, 8000, 'month')],
    ['4000以上', pay(4000, null, 'month')],
    ['4000元/月以上', pay(4000, null, 'month')],
    ['3000元以上/月', pay(3000, null, 'month')],
    ['2000以下', pay(null, 2000, 'month')],
    ['2000元/月起', pay(2000, null, 'month')],
    ['不低于4000', pay(4000, null, 'month')],
    ['5000元+', pay(5000, null, 'month')],
    ['8000上下', pay(8000, 8000, 'month')],
    ['约5000', pay(5000, 5000, 'month')],
    ['6000.00', pay(6000, 6000, 'month')],
    ['4000/月', pay(4000, 4000, 'month')],
    ['4000元每月', pay(4000, 4000, 'month')],
    ['一个月4000', pay(4000, 4000, 'month')],
    ['月结5000', pay(5000, 5000, 'month')],
    ['综合工资6000-8000', pay(6000, 8000, 'month')],
    ['薪资：4000-6000', pay(4000, 6000, 'month')],
    ['6000-8000元/月（五险一金）', pay(6000, 8000, 'month')],
    ['2600-3500元/月，包吃住', pay(2600, 3500, 'month')],
    ['3500-4500元/月+全勤', pay(3500, 4500, 'month')],
    ['3000-8000（底薪+提成）', pay(3000, 8000, 'month')],
    // A base is what the job pays at least; what comes on top stays in the posting's words.
    ['底薪3000+提成', pay(3000, null, 'month')],
    ['底薪3000元/月+提成', pay(3000, null, 'month')],
    ['无责底薪3000+提成', pay(3000, null, 'month')],
    ['底薪2500-3500+提成', pay(2500, 3500, 'month')],
    ['底薪3000', pay(3000, null, 'month')],
    ['保底4000', pay(4000, null, 'month')],
    ['基本工资3000+绩效', pay(3000, null, 'month')],
    ['月薪3000-5000+奖金', pay(3000, 5000, 'month')],
    ['150元/天起', pay(150, null, 'day')],
    ['200/天', pay(200, 200, 'day')],
    ['300元/天', pay(300, 300, 'day')],
    ['150元一天', pay(150, 150, 'day')],
    ['每天150元', pay(150, 150, 'day')],
    ['一天200', pay(200, 200, 'day')],
    ['100-150元/天', pay(100, 150, 'day')],
    ['日结200', pay(200, 200, 'day')],
    ['日结150-200元', pay(150, 200, 'day')],
    ['200元/天日结', pay(200, 200, 'day')],
    ['时薪20元', pay(20, 20, 'hour')],
    ['时薪18-22元', pay(18, 22, 'hour')],
    ['26元/时', pay(26, 26, 'hour')],
    ['20元/时起', pay(20, null, 'hour')],
    ['30元一小时', pay(30, 30, 'hour')],
    ['50元/小时', pay(50, 50, 'hour')],
    ['计件工资，多劳多得', pay(null, null, 'piece')],
    ['五千', pay(5000, 5000, 'month')],
    ['五千-八千', pay(5000, 8000, 'month')],
    ['五千一八千', pay(5000, 8000, 'month')],
    ['月薪五千', pay(5000, 5000, 'month')],
    ['两千五', pay(2500, 2500, 'month')],
    ['三千五百', pay(3500, 3500, 'month')],
    ['两千五一个月', pay(2500, 2500, 'month')],
    ['一万五', pay(15000, 15000, 'month')],
    ['年薪二十万', pay(200000, 200000, 'year')],
    ['两百一天', pay(200, 200, 'day')],
    ['一百五一天', pay(150, 150, 'day')],
    ['面议/月', NEGOTIABLE],
    ['薪资：面议', NEGOTIABLE],
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
    // How many months are paid, with no pay.
    '13薪',
    '3-4k*13',
    // Commission with no base figure.
    '底薪+提成',
    '提成',
    '高薪',
    // No unit, and too much for a month: a year's pay is likelier, and which it is would be a guess.
    '40-60万',
    '十万',
    // Fractions of a yuan cannot be stored; rounded, they would be a rate no one offered.
    '0.5元/单',
    '8.5元/单',
    '17.5元/小时',
    '1000元/周',
    '150元/8小时',
    '1万5000',
    '4.5千5',
    '3千5十',
    '4000五险一金',
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
    ['no unit, more than a month pays', split('非面谈', '100000', '200000'), null],
    ['年薪 type', split('年薪', '100000', '200000'), pay(100000, 200000, 'year')],
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
    '底薪3000+提成',
    '4千5-6千',
    '五千-八千',
    '日结200',
    '时薪18-22元',
  ])('round trip of %s', (text) => {
    const parsed = parsePay(text) as ParsedPay;
    expect(parsed).toBeTruthy();
    expect(parsePay(formatPay(parsed))).toEqual(parsed);
  });
});

describe('displayPay', () => {
  const shown = (p: Omit<Pay, 'text'>, text: string | null): Pay => ({ ...p, text });
  it.each<[string, Pay, string]>([
    ['a range', shown(pay(4000, 6000, 'month'), '4-6千/月'), '4000-6000元/月'],
    ['a base and commission', shown(pay(3000, null, 'month'), '底薪3000+提成'), '3000元/月+提成'],
    ['a base range and more', shown(pay(2000, 3000, 'month'), '2000-3000元/月+提成+奖金'), '2000-3000元/月+提成+奖金'],
    ['an open minimum', shown(pay(4000, null, 'month'), '4000以上'), '4000元/月以上'],
    [
      'negotiable on top',
      shown(pay(3000, null, 'month', { negotiable: true }), '3000+提成，可面议'),
      '3000元/月+提成（可面议）',
    ],
    ['words not understood', shown(pay(null, null, null), '待遇优厚'), '待遇优厚'],
    ['nothing', shown(pay(null, null, null), null), ''],
  ])('%s → %s', (_, input, expected) => {
    expect(displayPay(input)).toBe(expected);
  });

  it.each(['底薪3000+提成', '2000-3000元/月+提成', '3000+提成，可面议'])('reads back as %s was read', (text) => {
    const parsed = parsePay(text) as ParsedPay;
    expect(parsePay(displayPay({ ...parsed, text }))).toEqual(parsed);
  });
});
