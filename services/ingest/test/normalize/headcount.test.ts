import { describe, expect, it } from 'vitest';
import { type ParsedHeadcount, parseHeadcount } from '../../src/normalize/headcount.ts';

describe('parseHeadcount', () => {
  it.each<[string | null, ParsedHeadcount]>([
    [null, { value: null, text: null, ok: true }],
    ['', { value: null, text: null, ok: true }],
    ['  ', { value: null, text: null, ok: true }],
    ['5', { value: 5, text: null, ok: true }],
    ['5人', { value: 5, text: null, ok: true }],
    ['招5人', { value: 5, text: null, ok: true }],
    ['招聘 12 名', { value: 12, text: null, ok: true }],
    ['５', { value: 5, text: null, ok: true }],
    ['5.0', { value: 5, text: null, ok: true }],
    ['五人', { value: 5, text: null, ok: true }],
    ['二十名', { value: 20, text: null, ok: true }],
    ['若干', { value: null, text: '若干', ok: true }],
    ['若干人', { value: null, text: '若干', ok: true }],
    ['若干名', { value: null, text: '若干', ok: true }],
    ['不限', { value: null, text: '不限', ok: true }],
    ['多名', { value: null, text: '多名', ok: true }],
    ['10-20人', { value: 10, text: '10-20人', ok: true }],
    ['10~20', { value: 10, text: '10~20', ok: true }],
    ['5人以上', { value: 5, text: '5人以上', ok: true }],
    ['10余人', { value: 10, text: '10余人', ok: true }],
    ['20-10人', { value: null, text: '20-10人', ok: false }],
    ['0', { value: null, text: '0', ok: false }],
    ['abc', { value: null, text: 'abc', ok: false }],
    ['本科', { value: null, text: '本科', ok: false }],
    ['17350938429', { value: null, text: '17350938429', ok: false }],
  ])('%j', (input, expected) => {
    expect(parseHeadcount(input)).toEqual(expected);
  });
});
