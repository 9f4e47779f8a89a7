import { describe, expect, it } from 'vitest';
import { phoneGroups, readClock, readDigits, readNumber, readPhone } from '../src/text/numerals.ts';

describe('readNumber reads amounts as a Mandarin speaker says them', () => {
  const cases: [number | string, string][] = [
    [0, '零'],
    [1, '一'],
    [2, '二'],
    [10, '十'],
    [11, '十一'],
    [15, '十五'],
    [20, '二十'],
    [22, '二十二'],
    [100, '一百'],
    [110, '一百一'],
    [150, '一百五'],
    [101, '一百零一'],
    [200, '两百'],
    [250, '两百五'],
    [222, '两百二十二'],
    [1000, '一千'],
    [1005, '一千零五'],
    [1010, '一千零一十'],
    [2000, '两千'],
    [2500, '两千五'],
    [4050, '四千零五十'],
    [4500, '四千五'],
    [4550, '四千五百五十'],
    [6000, '六千'],
    [10000, '一万'],
    [10500, '一万零五百'],
    [12000, '一万二'],
    [15000, '一万五'],
    [20000, '两万'],
    [22000, '两万二'],
    [25000, '两万五'],
    [35000, '三万五'],
    [100000, '十万'],
    [100005, '十万零五'],
    [100010, '十万零一十'],
    [120000, '十二万'],
    [1_200_000, '一百二十万'],
    [1_500_000, '一百五十万'],
    [10_000_000, '一千万'],
    [100_000_000, '一亿'],
    [120_000_000, '一亿二'],
    [100_050_000, '一亿零五万'],
    [200_000_000, '两亿'],
    ['4500', '四千五'],
    ['007', '零零七'],
    ['3.5', '三点五'],
    ['0.5', '零点五'],
    ['2.5', '二点五'],
    ['12.05', '十二点零五'],
    [3.5, '三点五'],
    [-5, '负五'],
  ];
  it.each(cases)('%s → %s', (value, spoken) => {
    expect(readNumber(value)).toBe(spoken);
  });

  const full: [number, string][] = [
    [4500, '四千五百'],
    [12000, '一万两千'],
    [15000, '一万五千'],
    [150, '一百五十'],
    [2200, '两千两百'],
    [6000, '六千'],
  ];
  it.each(full)('%s before a unit word → %s', (value, spoken) => {
    expect(readNumber(value, { short: false })).toBe(spoken);
  });

  const counted: [number, string][] = [
    [2, '两'],
    [12, '十二'],
    [22, '二十二'],
    [5, '五'],
  ];
  it.each(counted)('%s counting something → %s', (value, spoken) => {
    expect(readNumber(value, { measure: true })).toBe(spoken);
  });

  it('reads a figure of more than 16 digits digit by digit', () => {
    expect(readNumber('12345678901234567')).toBe('一二三四五六七八九零一二三四五六七');
  });

  it.each([['abc'], ['1e21x'], [''], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses %s', (value) => {
    expect(() => readNumber(value as string)).toThrow(RangeError);
  });
});

describe('readDigits, phones and clock times', () => {
  const digits: [string, boolean, string][] = [
    ['2025', false, '二零二五'],
    ['1998', false, '一九九八'],
    ['12333', true, '幺二三三三'],
    ['110', true, '幺幺零'],
    ['0791', true, '零七九幺'],
  ];
  it.each(digits)('readDigits(%s, yao %s) → %s', (text, yao, spoken) => {
    expect(readDigits(text, { yao })).toBe(spoken);
  });

  const groups: [string, string[]][] = [
    ['13812345678', ['138', '1234', '5678']],
    ['4001234567', ['400', '123', '4567']],
    ['88886666', ['8888', '6666']],
    ['8888666', ['888', '8666']],
    ['123456789012', ['1234', '5678', '9012']],
    ['12333', ['12333']],
    ['123456789', ['1234', '5678', '9']],
  ];
  it.each(groups)('phoneGroups(%s)', (number, expected) => {
    expect(phoneGroups(number)).toEqual(expected);
  });

  it('reads a phone number group by group with 1 as 幺', () => {
    expect(readPhone(['138', '1234', '5678'])).toBe('幺三八，幺二三四，五六七八');
  });

  const clocks: [number, number, string][] = [
    [8, 0, '八点'],
    [8, 30, '八点半'],
    [9, 5, '九点零五分'],
    [17, 45, '十七点四十五分'],
    [2, 0, '两点'],
    [12, 0, '十二点'],
    [0, 0, '零点'],
    [22, 10, '二十二点十分'],
  ];
  it.each(clocks)('readClock(%i, %i) → %s', (hour, minute, spoken) => {
    expect(readClock(hour, minute)).toBe(spoken);
  });
});
