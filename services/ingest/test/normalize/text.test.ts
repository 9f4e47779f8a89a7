import { describe, expect, it } from 'vitest';
import { cleanCell, foldKey, toHalfWidth } from '../../src/normalize/text.ts';

describe('cleanCell', () => {
  it.each<[string, unknown, string | null]>([
    ['null', null, null],
    ['undefined', undefined, null],
    ['empty string', '', null],
    ['blank string', ' \n\t\u3000\u00a0 ', null],
    ['plain text', '销售代表', '销售代表'],
    ['trims', '  销售代表  ', '销售代表'],
    ['phone as number', 17350938429, '17350938429'],
    ['integer', 4000, '4000'],
    ['fraction', 1.5, '1.5'],
    ['float noise', 0.1 + 0.2, '0.3'],
    ['large integer, no exponent', 123456789012345680000, '123456789012345680000'],
    ['negative zero', -0, '0'],
    ['NaN number', Number.NaN, null],
    ['boolean', true, 'TRUE'],
    ['midnight date', new Date(Date.UTC(2026, 2, 2)), '2026-03-02'],
    ['date with time', new Date(Date.UTC(2026, 2, 2, 10, 20)), '2026-03-02 10:20'],
    ['date a millisecond short of the minute', new Date(Date.UTC(2026, 2, 2, 10, 20) - 1), '2026-03-02 10:20'],
    ['invalid date', new Date(Number.NaN), null],
    ['rich text', { richText: [{ text: '销售' }, { font: {}, text: '代表 ' }] }, '销售代表'],
    ['hyperlink', { text: '官网', hyperlink: 'https://example.cn' }, '官网'],
    ['hyperlink with rich text', { text: { richText: [{ text: 'A' }] }, hyperlink: 'x' }, 'A'],
    ['formula number', { formula: 'A1*2', result: 8000 }, '8000'],
    ['formula error', { formula: 'VLOOKUP()', result: { error: '#N/A' } }, null],
    ['unknown object', { foo: 1 }, null],
    ['array from JSON', ['a', null, 'b'], 'a、b'],
    ['newline between CJK', '销售\n代表', '销售代表'],
    ['space between Latin and CJK kept', 'Java  工程师', 'Java 工程师'],
    ['full-width space between CJK', '南昌\u3000红谷滩', '南昌红谷滩'],
    ['space before CJK bracket', '销售 （急招）', '销售（急招）'],
    ['runs of whitespace', 'a \t\n b', 'a b'],
    ['python list', "['销售代表']", '销售代表'],
    ['python list, double quotes', '["销售代表"]', '销售代表'],
    ['python list, several', "['五险一金', '包吃住']", '五险一金、包吃住'],
    ['python list with escapes', "['带薪\\xa0年假', 'Java\\xa0开发', 'it\\'s']", "带薪年假、Java 开发、it's"],
    ['python list with empty items', "['', 'nan', '周末双休']", '周末双休'],
    ['empty python list', '[]', null],
    ['brackets that are no list', '[急招]销售', '[急招]销售'],
    ['whole bracketed text', '[急招]', '[急招]'],
    ['curly quotes', '“销售代表”', '销售代表'],
    ['straight quotes', '"销售代表"', '销售代表'],
    ['single quotes', "'销售代表'", '销售代表'],
    ['corner brackets', '「销售代表」', '销售代表'],
    ['left quote only', '“销售代表', '销售代表'],
    ['right quote only', '销售代表”', '销售代表'],
    ['stray straight quote', '销售代表"', '销售代表'],
    ['inner quotes kept', '“A”和“B”', '“A”和“B”'],
    ['leading bracket that closes inside kept', '「急招」销售', '「急招」销售'],
    ['nested quotes', '"“销售”"', '销售'],
    ['nan', 'nan', null],
    ['NaN', 'NaN', null],
    ['null', 'null', null],
    ['None', 'None', null],
    ['dash', '-', null],
    ['double dash', '--', null],
    ['full-width dash', '－', null],
    ['slash', '/', null],
    ['#N/A', '#N/A', null],
    ['无 is information, kept', '无', '无'],
    ['zero-width and BOM', '\ufeff销售\u200b代表', '销售代表'],
    ['excel escaped CR', '第一行_x000D_\n第二行', '第一行第二行'],
    ['ordinary number text', '4000', '4000'],
  ])('%s', (_, input, expected) => {
    expect(cleanCell(input).text).toBe(expected);
  });

  it.each<[string, unknown, string | null, boolean]>([
    ['PUA in BMP', '月薪\ue031\ue032千', '月薪千', true],
    ['PUA in plane 15', '电话\u{F0001}', '电话', true],
    ['PUA in plane 16', '\u{100002}销售', '销售', true],
    ['only PUA', '\ue000\ue001', null, true],
    ['PUA escaped inside a python list', "['\\ue031销售']", '销售', true],
    ['no PUA', '销售', '销售', false],
    ['CJK ideograph next to the PUA block is kept', '\ufa11', '\ufa11', false],
  ])('%s', (_, input, text, puaRemoved) => {
    expect(cleanCell(input)).toEqual({ text, puaRemoved });
  });
});

describe('toHalfWidth', () => {
  it.each([
    ['４０００－６０００元／月', '4000-6000元/月'],
    ['ＡＢＣ！～', 'ABC!~'],
    ['南昌\u3000市', '南昌 市'],
    ['（分公司）', '(分公司)'],
    ['already ascii', 'already ascii'],
    ['兼容字\uF900不变', '兼容字\uF900不变'],
    ['①②', '①②'],
  ])('%s → %s', (input, expected) => {
    expect(toHalfWidth(input)).toBe(expected);
  });

  it('returns the same string when nothing changes', () => {
    const s = '销售代表4000';
    expect(toHalfWidth(s)).toBe(s);
  });
});

describe('foldKey', () => {
  it.each<[string | null, string]>([
    ['南昌 XX 有限公司（分公司）', '南昌xx有限公司分公司'],
    ['南昌XX有限公司(分公司)', '南昌xx有限公司分公司'],
    ['Company Name', 'companyname'],
    ['【急招】销售·代表', '急招销售代表'],
    ['a.b,c，d。e、f-g—h_i/j', 'abcdefghij'],
    ['★ 金牌 ★', '金牌'],
    ['C++ 工程师', 'c++工程师'],
    ['', ''],
    [null, ''],
  ])('%s', (input, expected) => {
    expect(foldKey(input)).toBe(expected);
  });
});
