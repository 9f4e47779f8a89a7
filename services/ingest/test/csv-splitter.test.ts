import { describe, expect, it } from 'vitest';
import { CsvSplitter, type SplitEvent } from '../src/readers/csv-splitter.ts';

type Expected = (string[] | 'unclosed-quote' | 'malformed-quote' | 'too-long')[];

function splitAll(chunks: string[], options: { delimiter?: string; lineBreak?: '\n' | '\r'; max?: number } = {}) {
  const splitter = new CsvSplitter(options.delimiter ?? ',', options.lineBreak ?? '\n', options.max ?? 1 << 20);
  const out: SplitEvent[] = [];
  for (const chunk of chunks) splitter.push(chunk, out);
  splitter.end(out);
  return out.map((e) => (e.type === 'record' ? e.cells : e.reason));
}

const cases: { name: string; text: string; expected: Expected; lineBreak?: '\n' | '\r'; delimiter?: string }[] = [
  {
    name: 'plain rows',
    text: 'a,b,c\n1,2,3\n',
    expected: [
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ],
  },
  {
    name: 'no line break at the end',
    text: 'a,b\n1,2',
    expected: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'CRLF line breaks',
    text: 'a,b\r\n1,2\r\n',
    expected: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  {
    name: 'mixed CRLF and LF',
    text: 'a,b\r\n1,2\n3,4\r\n',
    expected: [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'old Mac CR only',
    text: 'a,b\r1,2\r',
    lineBreak: '\r',
    expected: [
      ['a', 'b'],
      ['1', '2'],
    ],
  },
  { name: 'empty cells', text: ',a,,\n', expected: [['', 'a', '', '']] },
  { name: 'a trailing delimiter at the end of the file', text: 'a,', expected: [['a', '']] },
  { name: 'an empty line is a record with one empty cell', text: 'a\n\nb\n', expected: [['a'], [''], ['b']] },
  { name: 'quoted cells with delimiters', text: '"a,b",c\n', expected: [['a,b', 'c']] },
  { name: 'doubled quotes inside a quoted cell', text: '"say ""hi""",x\n', expected: [['say "hi"', 'x']] },
  {
    name: 'line breaks inside a quoted cell',
    text: '"line1\nline2",x\ny,z\n',
    expected: [
      ['line1\nline2', 'x'],
      ['y', 'z'],
    ],
  },
  { name: 'CRLF inside and after a quoted cell', text: '"a\r\nb"\r\nc\r\n', expected: [['a\r\nb'], ['c']] },
  { name: 'a quoted cell last on the line', text: 'x,"q"\ny\n', expected: [['x', 'q'], ['y']] },
  { name: 'a quoted cell at the very end', text: 'x,"q"', expected: [['x', 'q']] },
  { name: 'an empty quoted cell', text: '"",a\n', expected: [['', 'a']] },
  { name: 'a quote inside an unquoted cell is text', text: 'ab"c,d\n', expected: [['ab"c', 'd']] },
  { name: 'Chinese quotes are text', text: '“急招”销售,x\n', expected: [['“急招”销售', 'x']] },
  { name: 'tab-separated', text: 'a\tb,c\n', delimiter: '\t', expected: [['a', 'b,c']] },
  {
    name: 'an unclosed quote costs its line only',
    text: 'a,b\n1,"open\n2,3\n',
    expected: [['a', 'b'], 'unclosed-quote', ['2', '3']],
  },
  {
    name: 'a malformed closing quote costs its line only',
    text: 'a,b\n"x"y,1\n2,3\n',
    expected: [['a', 'b'], 'malformed-quote', ['2', '3']],
  },
  {
    name: 'an unclosed quote that meets a later quoted cell',
    text: 'h\n1,"open\n2,"q",3\n4,5\n',
    expected: [['h'], 'malformed-quote', ['2', 'q', '3'], ['4', '5']],
  },
];

describe('CSV splitting', () => {
  for (const c of cases) {
    it(`${c.name}, whole and cut at every point`, () => {
      const options = { lineBreak: c.lineBreak ?? '\n', delimiter: c.delimiter ?? ',' };
      expect(splitAll([c.text], options)).toEqual(c.expected);
      for (let cut = 1; cut < c.text.length; cut++) {
        expect(splitAll([c.text.slice(0, cut), c.text.slice(cut)], options), `cut at ${cut}`).toEqual(c.expected);
      }
      expect(splitAll([...c.text], options), 'one character at a time').toEqual(c.expected);
    });
  }

  it('a record longer than the limit is broken, and the rows after it are read', () => {
    const long = `1,"${'x'.repeat(300)}`;
    const chunks = ['h\n', long.slice(0, 100), long.slice(100, 200), long.slice(200), '\n2,3\n'];
    expect(splitAll(chunks, { max: 150 })).toEqual([['h'], 'unclosed-quote', ['2', '3']]);
  });

  it('a line longer than the limit with no line break yet is skipped to its end, as too long', () => {
    const chunks = ['h\n', 'y'.repeat(200), 'y'.repeat(200), 'y\n2,3\n'];
    expect(splitAll(chunks, { max: 150 })).toEqual([['h'], 'too-long', ['2', '3']]);
  });
});
