import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJobcastError } from '@jobcast/core';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLexicon, defaultLexicon, espeakPinyin, loadLexicon, parseLexicon } from '../src/text/lexicon.ts';

describe('the default lexicon (lexicon/lexicon.json)', () => {
  const lexicon = defaultLexicon();

  it('holds at least 40 job words and is read once', () => {
    expect(lexicon.size).toBeGreaterThanOrEqual(40);
    expect(defaultLexicon()).toBe(lexicon);
  });

  const words: [string, string][] = [
    ['店长', 'dian4 zhang3'],
    ['会计', 'kuai4 ji4'],
    ['银行', 'yin2 hang2'],
    ['重庆', 'chong2 qing4'],
    ['还款', 'huan2 kuan3'],
    ['厨师长', 'chu2 shi1 zhang3'],
    ['干活', 'gan4 huo2'],
    ['行长', 'hang2 zhang3'],
    ['调度', 'diao4 du4'],
    ['长期', 'chang2 qi1'],
    ['大堂经理', 'da4 tang2 jing1 li3'],
    ['重量', 'zhong4 liang4'],
    ['数据', 'shu4 ju4'],
    ['仓管', 'cang1 guan3'],
    ['销售', 'xiao1 shou4'],
    ['供应链', 'gong1 ying4 lian4'],
    ['着装', 'zhuo2 zhuang1'],
    ['快递员', 'kuai4 di4 yuan2'],
    ['单位', 'dan1 wei4'],
    ['计件', 'ji4 jian4'],
    ['差旅', 'chai1 lv3'],
    ['出差', 'chu1 chai1'],
    ['都市', 'du1 shi4'],
    ['行业', 'hang2 ye4'],
  ];
  it.each(words)('%s is %s', (word, pinyin) => {
    expect(lexicon.get(word)).toBe(pinyin);
  });

  it('is the file loadLexicon reads by default', () => {
    expect(loadLexicon()).toEqual(lexicon);
  });
});

describe('applyLexicon', () => {
  const lexicon = parseLexicon({
    words: {
      店长: 'dian4 zhang3',
      银行: 'yin2 hang2',
      行长: 'hang2 zhang3',
      长期: 'chang2 qi1',
      成长: 'cheng2 zhang3',
      厨师长: 'chu2 shi1 zhang3',
      大堂经理: 'da4 tang2 jing1 li3',
      𠮷祥: 'ji2 xiang2',
    },
  });
  const cases: [string, string][] = [
    ['招聘店长', '招聘dian4zhang3'],
    ['银行行长', 'yin2hang2hang2zhang3'],
    ['银行长期招聘', 'yin2hang2chang2qi1招聘'],
    ['成长期', 'cheng2zhang3期'],
    ['厨师长', 'chu2shi1zhang3'],
    ['厨师', '厨师'],
    ['大堂经理和店长', 'da4tang2jing1li3和dian4zhang3'],
    ['𠮷祥店长', 'ji2xiang2dian4zhang3'],
    ['𠮷野家', '𠮷野家'],
    ['', ''],
    ['长', '长'],
    ['店', '店'],
  ];
  it.each(cases)('%j → %j (longest word first, left to right)', (text, marked) => {
    expect(applyLexicon(text, lexicon, espeakPinyin)).toBe(marked);
  });

  it("writes what the engine's mark returns, and leaves the word where it returns null", () => {
    const ssml = (word: string, pinyin: string) => `<phoneme ph="${pinyin}">${word}</phoneme>`;
    expect(applyLexicon('店长好', lexicon, ssml)).toBe('<phoneme ph="dian4 zhang3">店长</phoneme>好');
    expect(applyLexicon('店长好', lexicon, () => null)).toBe('店长好');
  });

  it('an empty lexicon changes nothing', () => {
    expect(applyLexicon('店长', new Map(), espeakPinyin)).toBe('店长');
  });
});

describe('parseLexicon names every bad entry', () => {
  const bad: [string, unknown, string[]][] = [
    ['no words', {}, ['"words" 应为「词: 拼音」的对象']],
    ['words not an object', { words: ['店长'] }, ['"words" 应为「词: 拼音」的对象']],
    ['pinyin not text', { words: { 店长: 3 } }, ['「店长」拼音应为文字']],
    [
      'missing tone',
      { words: { 店长: 'dian4 zhang' } },
      ['「店长」拼音 "dian4 zhang" 中的 "zhang" 不是带声调数字（1–5）的音节'],
    ],
    [
      'tone out of range',
      { words: { 店长: 'dian4 zhang7' } },
      ['「店长」拼音 "dian4 zhang7" 中的 "zhang7" 不是带声调数字（1–5）的音节'],
    ],
    [
      'syllables joined',
      { words: { 店长: 'dian4zhang3' } },
      ['「店长」拼音 "dian4zhang3" 中的 "dian4zhang3" 不是带声调数字（1–5）的音节'],
    ],
    ['wrong count', { words: { 店长: 'dian4 zhang3 ba1' } }, ['「店长」有 2 个字，拼音却有 3 个音节']],
    ['one character', { words: { 长: 'zhang3' } }, ['「长」词条应为 2 到 8 个汉字']],
    ['not Chinese', { words: { HR: 'ei1 qi1' } }, ['「HR」词条应为 2 到 8 个汉字']],
    ['markup', { words: { '<b>店长': 'dian4 zhang3' } }, ['「<b>店长」词条应为 2 到 8 个汉字']],
    ['empty pinyin', { words: { 店长: '' } }, ['「店长」拼音 "" 中的 "" 不是带声调数字（1–5）的音节']],
    [
      'several at once',
      { words: { 店长: 'dian4', 银行: 'yin2 hang2', 会计: 'kuai ji4' } },
      ['「店长」有 2 个字，拼音却有 1 个音节', '「会计」拼音 "kuai ji4" 中的 "kuai" 不是带声调数字（1–5）的音节'],
    ],
  ];
  it.each(bad)('%s', (_title, json, issues) => {
    let caught: unknown;
    try {
      parseLexicon(json, 'test.json');
    } catch (error) {
      caught = error;
    }
    expect(isJobcastError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'BAD_INPUT', details: { issues } });
    expect((caught as Error).message).toBe(`发音词库 test.json 有 ${issues.length} 处错误：${issues.join('；')}`);
  });

  it('accepts upper case, extra spaces, ü and v, and the neutral tone', () => {
    const lexicon = parseLexicon({ words: { 差旅: ' CHAI1   lü3 ', 律师: 'lv4 shi1', 扎实: 'zha1 shi5' } });
    expect([...lexicon]).toEqual([
      ['差旅', 'chai1 lü3'],
      ['律师', 'lv4 shi1'],
      ['扎实', 'zha1 shi5'],
    ]);
  });
});

describe('loadLexicon reads a file an editor wrote', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'jobcast-lexicon-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('loads a good file', () => {
    const file = write('good.json', '{"words": {"店长": "dian4 zhang3"}}');
    expect(loadLexicon(file).get('店长')).toBe('dian4 zhang3');
  });

  it('names a word written twice (JSON would keep only the last)', () => {
    const file = write('twice.json', '{"words": {"店长": "dian4 zhang3", "店长": "dian4 chang2"}}');
    expect(() => loadLexicon(file)).toThrow('发音词库 twice.json 有 1 处错误：「店长」出现了不止一次');
  });

  it('says when the file is not JSON', () => {
    const file = write('broken.json', '{"words": {"店长": "dian4 zhang3",}}');
    expect(() => loadLexicon(file)).toThrow(/^发音词库 broken\.json 不是有效的 JSON：/);
  });

  it('says when the file cannot be read, naming the file but not the machine path', () => {
    let caught: unknown;
    try {
      loadLexicon(path.join(dir, 'missing.json'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'UNREADABLE_FILE' });
    expect((caught as Error).message).toBe('读不到发音词库 missing.json：文件不存在');
  });
});
