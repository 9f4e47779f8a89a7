import { describe, expect, it } from 'vitest';
import { splitClauses } from '../src/text/clauses.ts';

const length = (text: string) => Array.from(text).length;
const bare = (text: string) => text.replace(/\s+/g, '');

describe('splitClauses at Chinese punctuation, the mark staying with its clause', () => {
  const cases: [string, string[]][] = [
    ['', []],
    ['   ', []],
    ['普工', ['普工']],
    ['普工。', ['普工。']],
    ['招聘普工，月薪4500-6000元。', ['招聘普工，', '月薪4500-6000元。']],
    ['包吃住、五险一金；双休！', ['包吃住、', '五险一金；', '双休！']],
    ['联系电话：13812345678。', ['联系电话：', '13812345678。']],
    ['真的吗？！来吧！！', ['真的吗？！', '来吧！！']],
    ['他说：“好的。”然后走了。', ['他说：', '“好的。”', '然后走了。']],
    ['（急招）普工，', ['（急招）普工，']],
    ['，，普工', ['，，普工']],
    ['普工，，', ['普工，，']],
    ['第一行\n第二行', ['第一行', '第二行']],
    ['时间8:30，薪资4,500元', ['时间8:30，', '薪资4,500元']],
    ['Hello, world', ['Hello, world']],
    ['𠮷野家招聘，店员。', ['𠮷野家招聘，', '店员。']],
    ['<script>alert(1)</script>，', ['<script>alert(1)</script>，']],
    ['%{name}、{{title}}', ['%{name}、', '{{title}}']],
    ["\\'，'", ["\\'，'"]],
    ['😀，😀', ['😀，', '😀']],
  ];
  it.each(cases)('%j', (text, clauses) => {
    expect(splitClauses(text, 40)).toEqual(clauses);
  });
});

describe('splitClauses cuts a clause longer than maxChars between words', () => {
  const long = [
    '南昌洪城电子科技有限公司招聘骨干操作工5人',
    '要求吃苦耐劳能适应两班倒有叉车证和电工证者优先考虑录用',
    '报名请拨打示范区就业服务中心热线0791-88886666',
    '月薪4500-6000元/月·13薪包吃包住',
    '联系电话13812345678联系人张先生',
    '岗位职责负责CNC数控机床的日常操作和维护保养',
    '𠮷野家𠮷野家𠮷野家𠮷野家𠮷野家𠮷野家',
    '😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀',
  ];
  const limits = [6, 8, 11, 15];
  const cases = long.flatMap((text) => limits.map((max): [string, number] => [text, max]));

  it.each(cases)('%j at %i characters', (text, max) => {
    const clauses = splitClauses(text, max);
    expect(bare(clauses.join(''))).toBe(bare(text));
    for (const clause of clauses) {
      expect(clause).not.toBe('');
      // Only a run that must not be cut may make a clause longer than the limit.
      if (length(clause) > max) expect(clause).toMatch(/[0-9A-Za-z][0-9A-Za-z\-:./·%]{5,}/);
    }
    for (let i = 1; i < clauses.length; i++) {
      const before = Array.from(clauses[i - 1] as string).pop() as string;
      const after = Array.from(clauses[i] as string)[0] as string;
      expect(/[0-9A-Za-z]/.test(before) && /[0-9A-Za-z]/.test(after), `${before}|${after}`).toBe(false);
      expect(/[-:./·%~]/.test(before) || /[-:./·%~]/.test(after), `${before}|${after}`).toBe(false);
      expect(after).not.toMatch(/^[，。！？；、：]/);
    }
  });

  it('never cuts a phone number, a pay range or a clock time', () => {
    expect(splitClauses('联系电话13812345678联系人张先生', 6)).toContain('13812345678');
    expect(splitClauses('月薪4500-6000元/月·13薪包吃包住', 6).join('|')).toMatch(/\|4500-6000\|元\/月·13/);
    expect(splitClauses('每天早上8:30准时到岗打卡签到', 5).join('|')).toMatch(/8:30/);
  });

  it('makes pieces of similar length rather than a full one and a scrap', () => {
    const clauses = splitClauses('要求吃苦耐劳能适应两班倒有叉车证和电工证者优先考虑录用', 15);
    expect(clauses.length).toBe(2);
    for (const clause of clauses) expect(length(clause)).toBeGreaterThanOrEqual(10);
  });

  it('splits a 400-character script into clauses that all fit', () => {
    const sentence =
      '南昌洪城电子科技有限公司招聘骨干操作工5人，月薪4500-6000元/月，要求吃苦耐劳能适应两班倒有叉车证者优先。';
    const script = Array.from(sentence.repeat(10)).slice(0, 400).join('');
    const clauses = splitClauses(script, 11);
    expect(bare(clauses.join(''))).toBe(bare(script));
    for (const clause of clauses) expect(length(clause)).toBeLessThanOrEqual(11);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses maxChars %s', (max) => {
    expect(() => splitClauses('普工', max)).toThrow(RangeError);
  });
});
