import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { breakLines, fitText, fontFace, RenderInputError, segments, svgText } from '../src/index.ts';

const regular = fontFace('regular');
const bold = fontFace('bold');

const NO_START = [...'，。、；：？！）」'];
const NO_END = [...'（「'];

/** A deterministic stream of job-like Chinese text with punctuation, figures and Latin words. */
function* texts(count: number): Generator<string> {
  const words = [
    '南昌',
    '洪城',
    '电子科技',
    '有限公司',
    '招聘',
    '普工',
    '包吃住',
    '月薪',
    '8k-12k',
    'Java',
    '4000-6000元/月',
  ];
  const marks = [...'，。、；：？！）」（「'];
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let t = 0; t < count; t++) {
    let text = '';
    const length = 5 + next(40);
    for (let i = 0; i < length; i++) {
      text += next(4) === 0 ? (marks[next(marks.length)] as string) : (words[next(words.length)] as string);
    }
    yield text;
  }
}

describe('the Simplified Chinese face', () => {
  it('is the SC face of the collection, not its first (Japanese) one, for both weights', () => {
    expect(regular.postscriptName).toBe('NotoSansCJKsc-Regular');
    expect(bold.postscriptName).toBe('NotoSansCJKsc-Bold');
  });

  it('names the characters it cannot draw', () => {
    expect(regular.missing('𠮷野家 南昌𪛖记饭店 𪛖')).toEqual(['𪛖']);
    expect(regular.missing('南昌洪城电子科技有限公司 8k-12k ✓')).toEqual([]);
  });

  it('measures text as Pango draws it (within 2%)', async () => {
    const text = '南昌洪城电子科技有限公司招聘普工 8k-12k，包吃住';
    const size = 48;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100"><rect width="2000" height="100" fill="#fff"/>${svgText(
      { size, lines: [text], lineHeightPx: size * 1.3 },
      { x: 0, y: 10, color: '#000', weight: 'regular' },
    )}</svg>`;
    const { info } = await sharp(Buffer.from(svg)).trim({ threshold: 10 }).toBuffer({ resolveWithObject: true });
    const measured = regular.width(text, size);
    expect(Math.abs(info.width - measured) / measured).toBeLessThan(0.02);
  });
});

describe('line breaking', () => {
  it('never starts a line with closing punctuation nor ends one with an opening bracket', () => {
    let checked = 0;
    for (const text of texts(300)) {
      for (const width of [120, 200, 333, 480]) {
        const lines = breakLines(text, regular, 32, width);
        if (lines === null) continue;
        checked += lines.length;
        for (const [i, line] of lines.entries()) {
          if (i > 0) expect(NO_START, `${JSON.stringify(lines)}`).not.toContain(line[0]);
          if (i < lines.length - 1) expect(NO_END, `${JSON.stringify(lines)}`).not.toContain(line.at(-1));
          expect(regular.width(line, 32)).toBeLessThanOrEqual(width);
        }
        expect(lines.join('')).toBe(text);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('keeps figures and Latin words whole, and breaks between Chinese characters', () => {
    expect(segments('月薪8k-12k，包吃住')).toEqual(['月', '薪', '8k-12k，', '包', '吃', '住']);
    const lines = breakLines('招聘Java开发工程师 月薪25-35K·13薪', regular, 40, 300) as string[];
    expect(lines.join('|')).toContain('Java');
    expect(lines.some((l) => l.includes('25-35K·13'))).toBe(true);
  });

  it.each([
    [
      'an address, after its parts',
      '南昌市示范区民营科技园就业服务大厅一楼',
      50,
      840,
      ['南昌市示范区民营科技园', '就业服务大厅一楼'],
    ],
    [
      'a label and an address',
      '地址：南昌市示范区民营科技园就业服务大厅一楼',
      32,
      620,
      ['地址：南昌市示范区民营科技园', '就业服务大厅一楼'],
    ],
    [
      'a street number and a building',
      '南昌市红谷滩区丰和中大道1000号华润大厦A座12楼',
      40,
      500,
      ['南昌市红谷滩区丰和中大道', '1000号华润大厦A座12楼'],
    ],
    [
      'a clause, after its comma',
      '岗位要求：高中 · 1年以上 · 吃苦耐劳，能适应两班倒',
      40,
      900,
      ['岗位要求：高中 · 1年以上 · 吃苦耐劳，', '能适应两班倒'],
    ],
    ['an office, between words', '南昌市示范区公共就业服务中心', 76, 840, ['南昌市示范区公共就业', '服务中心']],
    ['a market, not inside 市场', '南昌县零工市场服务站', 40, 300, ['南昌县零工市场', '服务站']],
  ] as const)('breaks %s, never inside a word', (_what, text, size, width, expected) => {
    expect(breakLines(text, regular, size, width)).toEqual(expected);
  });

  it('breaks a line at a better place only when that leaves it well filled', () => {
    // After “地址：” the line would be 30% full: it fills up instead, between characters.
    const lines = breakLines(`地址：${'啊'.repeat(17)}`, regular, 40, 400) as string[];
    expect(lines.map((line) => [...line].length)).toEqual([10, 10]);
  });

  it('starts a new line at a line break in the text', () => {
    expect(breakLines('包吃包住\n五险一金', regular, 30, 1000)).toEqual(['包吃包住', '五险一金']);
  });
});

describe('fitting text to its box', () => {
  const titleSlot = { width: 900, height: 260, maxSize: 96, minSize: 40, lineHeight: 1.25, maxLines: 2 };

  it('sets short text at the largest size', () => {
    expect(fitText('叉车司机', titleSlot, bold, { field: '职位名称' })).toMatchObject({
      size: 96,
      lines: ['叉车司机'],
    });
  });

  it('shrinks a 60-character company name, down to no less than the minimum, and keeps every character', () => {
    const name =
      '南昌市青山湖区洪城大市场电子科技产业园区第三分园智能制造装备研发生产销售服务一体化有限责任公司'.padEnd(60, '司');
    expect([...name]).toHaveLength(60);
    const fitted = fitText(name, { ...titleSlot, maxLines: 3, height: 300 }, regular, { field: '公司名称' });
    expect(fitted.size).toBeLessThan(96);
    expect(fitted.size).toBeGreaterThanOrEqual(40);
    expect(fitted.lines.join('')).toBe(name);
  });

  it('fails text that cannot fit at the minimum size, naming the job and the field, never cutting it', () => {
    const long = '负责生产线设备的日常操作、点检、保养和简单维修，'.repeat(20);
    try {
      fitText(long, titleSlot, regular, { field: '岗位要求', job: '设备维修工' });
      expect.unreachable('a 500-character text fitted a two-line title box');
    } catch (error) {
      expect(error).toBeInstanceOf(RenderInputError);
      expect((error as RenderInputError).code).toBe('TEXT_DOES_NOT_FIT');
      expect((error as Error).message).toMatch(/岗位“设备维修工”的“岗位要求”太长.*最小字号 40/);
    }
  });

  it('finds a character the font lacks before rendering and names it', () => {
    expect(() => fitText('南昌𪛖记饭店', titleSlot, regular, { field: '公司名称', job: '服务员' })).toThrow(
      /岗位“服务员”的“公司名称”含有字体里没有的字 “𪛖”\(U\+2A6D6\)/,
    );
  });
});

describe('user text in SVG', () => {
  it('draws markup, entities and template syntax literally', async () => {
    const evil = `<script>alert(1)</script> & %{pts} ' \\ : {{title}} "x"`;
    const svg = svgText(
      { size: 30, lines: [evil], lineHeightPx: 40 },
      { x: 0, y: 0, color: '#000', weight: 'regular' },
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
    // librsvg parses it and draws text: a page-wide image with ink on it, no parse error.
    const image = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="60"><rect width="1200" height="60" fill="#fff"/>${svg}</svg>`;
    const { info } = await sharp(Buffer.from(image)).trim({ threshold: 10 }).toBuffer({ resolveWithObject: true });
    expect(info.width).toBeGreaterThan(regular.width(evil, 30) * 0.95);
  });
});
