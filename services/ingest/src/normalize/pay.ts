import type { PayUnit } from '@jobcast/core';
import { chineseNumber } from './numerals.ts';
import { toHalfWidth } from './text.ts';

/** Pay as posted, in whole yuan. min = max for a single figure; one side null for 以上/以下. */
export interface ParsedPay {
  min: number | null;
  max: number | null;
  unit: PayUnit | null;
  negotiable: boolean;
  months: number | null;
}

/** What a scan of pay text found; `unit` is only what the text says (no default) so callers can combine sources. */
interface Scan {
  min: number | null;
  max: number | null;
  unit: PayUnit | null;
  /** A unit word the model cannot hold (周薪): the text is understood but must not be stored as monthly. */
  badUnit: boolean;
  months: number | null;
  /** One figure, not a range (it may still be open-ended: 3000以上). */
  single: boolean;
}

const NEGOTIABLE_RE = /面议|面谈|议定|商议|协商|待议|可议|negotiable/;
const PIECE_RE = /计件|按件/;
const PIECE_START_RE = /^(?:计件|按件)/;
const DIGIT_RE = /\d/;
// Spaces go except between two digits ('2000 3000' must not become one figure); thousands commas go.
const STRIP_RE = /(?<!\d)\s+|\s+(?!\d)|(?<=\d),(?=\d{3}(?!\d))/g;
// A head may only hold these words ("月薪", "税前", "最低"); any other text before the figure means we do not
// know what the figure is (试用期3000, 补贴200), and a pay we do not understand is never guessed.
// 日结/月结 say when pay is paid, and so its period; 一天 and 一个月 are how a rate is said aloud (一天200).
const HEAD_WORD_RE =
  /综合|税前|税后|基本|平均|实发|到手|保底|无责|计件|月薪|年薪|日薪|时薪|周薪|底薪|工资|薪资|薪酬|薪水|待遇|收入|人民币|rmb|大约|约|最低|最高|不低于|不超过|日结|月结|周结|每个|每|一个|一|小时|月|年|天|日|时|件|周|[:：,，￥¥]/g;
// A base pay or a guaranteed floor: the figure is what the job pays at least (底薪3000+提成, 保底4000).
const HEAD_MIN_RE = /最低|不低于|底薪|保底/;
const HEAD_UNIT_RE = /(时薪|小时)|(日薪|天|日)|(月薪|月)|(年薪|年)|(计件|件)|(周薪|周)/;
// 4千5 and 1万5 are 4500 and 15000: a single digit right after 千, 万 or 百 is its next place, which may be
// named (3千5百, 1万2千).
const AMOUNT_RE = /(\d+(?:\.\d+)?)(?:(k)|(千|w|万|百)(?:(\d)(?![\d.])(千|百|十)?)?)?(?:元|块|rmb)?/y;
const NEXT_PLACE: Record<string, string> = { 万: '千', w: '千', 千: '百', 百: '十' };
// '一' between two figures is how many people type a dash on a Chinese keyboard (4000一6000).
const SEP_RE = /(?:-|~|〜|—|–|至|到|一)+(?=\d)/y;
// '3000-' is a range with its end missing; '1百五…' a figure the numeral reader could not finish.
const DANGLING_RE = /^(?:-|~|〜|—|–|至|到|[零〇一二两三四五六七八九十百千万])/;
const UNIT_RE = /(?:元|块|rmb)?(?:\/|每|一)?(小时|个月|时|h|天|日|月|年|件|单|个|周)/y;
const MORE_RE = /(?:及|或)?(?:(以上|之上|起|\+)|(以下|之下|以内|之内)|(左右|上下))/y;
const MONTHS_RE = /[·•.*x×,，]?(\d{2})薪/y;
const YUAN_RE = /元|块/y;
// Text after a complete pay may carry other figures (包吃住，月休4天) only once a separator ends the pay; a separator
// right before a digit ('3000,5000') starts a second figure we cannot place.
const TAIL_SEP_RE = /^[+＋,，;；、(（【[。.·][^\d]/;

const UNIT_WORDS: Record<string, PayUnit | 'week'> = {
  小时: 'hour',
  时: 'hour',
  h: 'hour',
  天: 'day',
  日: 'day',
  个月: 'month',
  月: 'month',
  年: 'year',
  件: 'piece',
  单: 'piece',
  个: 'piece',
  周: 'week',
};
const HEAD_UNITS: readonly (PayUnit | 'week')[] = ['hour', 'day', 'month', 'year', 'piece', 'week'];
const MAGNITUDE: Record<string, number> = { k: 1000, 千: 1000, w: 10000, 万: 10000, 百: 100 };
/** Pay with no unit is monthly, but not beyond this: 40-60万 is a year's pay far likelier than a month's. */
const MAX_MONTHLY_UNSTATED = 50_000;

// Chinese numerals before 百, 千 or 万 (五千, 两千五, 一万五, 二十万), with the digit of the next place after it.
const CN_AMOUNT_RE =
  /(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])([百千万])(?:([一二两三四五六七八九])(?![十百千万零〇二两三四五六七八九]|一(?![天日时小月个年周件单])))?/g;
// 两百一天 is 200 a day: 一 before a unit is the unit's "one", not the next place.
const UNIT_START_RE = /[天日时小月个年周件单]/;

function chineseAmounts(s: string): string {
  return s.replace(CN_AMOUNT_RE, (match: string, magnitude: string, next: string | undefined, offset: number) => {
    const lead = match.slice(0, match.length - magnitude.length - (next === undefined ? 0 : 1));
    const n = chineseNumber(lead);
    if (n === null) return match;
    if (next === undefined) return `${n}${magnitude}`;
    if (next === '一' && UNIT_START_RE.test(s.charAt(offset + match.length))) return `${n}${magnitude}一`;
    return `${n}${magnitude}${chineseNumber(next)}`;
  });
}

function prepare(text: string): string {
  const s = toHalfWidth(text).toLowerCase().replace(STRIP_RE, '');
  return s.includes('千') || s.includes('万') || s.includes('百') ? chineseAmounts(s) : s;
}

/**
 * Reads a pay cell as written: '4000-6000元/月', '6-8千/月', '25-35K·13薪', '150元/天', '3000以上', '面议'.
 * undefined = nothing given; null = text present but not understood (the caller keeps the text and warns).
 * A figure without a unit is monthly — that is how Chinese postings state pay.
 */
export function parsePay(text: string | null): ParsedPay | null | undefined {
  if (text === null) return undefined;
  const s = prepare(text);
  if (s.length === 0) return undefined;
  const negotiable = NEGOTIABLE_RE.test(s);
  const scan = DIGIT_RE.test(s) ? scanPay(s) : null;
  if (scan === null || scan.badUnit) {
    if (negotiable) return { min: null, max: null, unit: null, negotiable, months: null };
    // '计件' alone: the pay basis is known even though no rate is.
    if (scan === null && PIECE_RE.test(s) && !DIGIT_RE.test(s) && (s.length <= 6 || PIECE_START_RE.test(s))) {
      return { min: null, max: null, unit: 'piece', negotiable: false, months: null };
    }
    return null;
  }
  if (scan.unit === null && unstatedTooLarge(scan.min, scan.max)) return null;
  return { min: scan.min, max: scan.max, unit: scan.unit ?? 'month', negotiable, months: scan.months };
}

/** A whole number of yuan, allowing for float noise (1.1万 is 11000.000000000002). */
function wholeYuan(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value - Math.round(value)) < 1e-6;
}

function unstatedTooLarge(min: number | null, max: number | null): boolean {
  return (max ?? min ?? 0) > MAX_MONTHLY_UNSTATED;
}

/** A figure as written before its magnitude: 4 of 4千, 4.5 of 4千5; NaN for 4.5千5 or 3千5十, which say nothing sure. */
function amountOf(m: RegExpExecArray): number {
  const figure = m[1] as string;
  if (m[4] === undefined) return Number(figure);
  if (figure.includes('.') || (m[5] !== undefined && NEXT_PLACE[m[3] as string] !== m[5])) return Number.NaN;
  return Number(figure) + Number(m[4]) / 10;
}

function scanPay(s: string): Scan | null {
  const start = s.search(DIGIT_RE);
  const head = s.slice(0, start);
  let unit: PayUnit | null = null;
  let badUnit = false;
  let side: 'min' | 'max' | null = null;
  if (head.length > 0) {
    if (head.replace(HEAD_WORD_RE, '').length > 0) return null;
    const hu = HEAD_UNIT_RE.exec(head);
    if (hu) {
      let u: PayUnit | 'week' | undefined;
      for (let i = 1; i < hu.length && u === undefined; i++) if (hu[i] !== undefined) u = HEAD_UNITS[i - 1];
      if (u === 'week') badUnit = true;
      else if (u !== undefined) unit = u;
    }
    if (HEAD_MIN_RE.test(head)) side = 'min';
    else if (head.includes('最高') || head.includes('不超过')) side = 'max';
  }

  AMOUNT_RE.lastIndex = start;
  const a = AMOUNT_RE.exec(s);
  if (!a) return null;
  let pos = AMOUNT_RE.lastIndex;
  // '13薪' alone is how many months are paid, not a pay.
  if (s.charAt(pos) === '薪') return null;
  let lo = amountOf(a);
  const loMag = a[2] ?? a[3];
  let hi = lo;
  let single = true;
  SEP_RE.lastIndex = pos;
  if (SEP_RE.exec(s)) {
    AMOUNT_RE.lastIndex = SEP_RE.lastIndex;
    // SEP_RE only matches before a digit, so a second figure is always there.
    const b = AMOUNT_RE.exec(s) as RegExpExecArray;
    pos = AMOUNT_RE.lastIndex;
    hi = amountOf(b);
    const hiMag = b[2] ?? b[3];
    // '6-8千', '0.8-1万': a bare first figure takes the second's magnitude, unless that would make it the larger
    // figure ('8000-1.2万' is already in yuan).
    lo *= loMag ? (MAGNITUDE[loMag] ?? 1) : hiMag && lo <= hi ? (MAGNITUDE[hiMag] ?? 1) : 1;
    hi *= hiMag ? (MAGNITUDE[hiMag] ?? 1) : 1;
    single = false;
  }
  if (single) {
    lo *= loMag ? (MAGNITUDE[loMag] ?? 1) : 1;
    hi = lo;
  }

  let months: number | null = null;
  let open: 'min' | 'max' | 'about' | null = null;
  for (let progress = true; progress && pos < s.length; ) {
    progress = false;
    UNIT_RE.lastIndex = pos;
    const u = UNIT_RE.exec(s);
    if (u) {
      const word = UNIT_WORDS[u[1] as string];
      if (word === 'week') badUnit = true;
      else if (word !== undefined) {
        if (unit !== null && unit !== word) return null;
        unit = word;
      }
      pos = UNIT_RE.lastIndex;
      progress = true;
      continue;
    }
    MORE_RE.lastIndex = pos;
    const m = MORE_RE.exec(s);
    if (m && open === null) {
      open = m[1] ? 'min' : m[2] ? 'max' : 'about';
      pos = MORE_RE.lastIndex;
      progress = true;
      continue;
    }
    MONTHS_RE.lastIndex = pos;
    const mo = MONTHS_RE.exec(s);
    if (mo) {
      const n = Number(mo[1]);
      if (n < 12 || n > 24) return null;
      months = n;
      pos = MONTHS_RE.lastIndex;
      progress = true;
      continue;
    }
    YUAN_RE.lastIndex = pos;
    if (YUAN_RE.exec(s)) {
      pos = YUAN_RE.lastIndex;
      progress = true;
    }
  }
  const tail = s.slice(pos);
  if (tail.length > 0 && (DANGLING_RE.test(tail) || (DIGIT_RE.test(tail) && !TAIL_SEP_RE.test(tail)))) return null;

  // Pay is stored in whole yuan: 0.5元/单 rounded would be a rate the posting never offered.
  if (!wholeYuan(lo) || !wholeYuan(hi)) return null;
  let min: number | null = Math.round(lo);
  let max: number | null = Math.round(hi);
  if (min <= 0 || max <= 0 || min > max) return null;
  if (single) {
    const which = open === 'min' || open === 'max' ? open : side;
    if (which === 'min') max = null;
    else if (which === 'max') min = null;
  }
  return { min, max, unit, badUnit, months, single };
}

const TYPE_NEGOTIABLE_RE = /^(?:薪资)?(?:面谈|面议|协商|议定|待议)$/;
const TYPE_FIXED_RE = /^(?:非面谈|非面议|不面议|固定|固定薪资|范围|区间|薪资范围|月薪|具体薪资|明确薪资)$/;
const SPLIT_UNIT_RE = /^(?:元|块|rmb)?(?:\/|每|按|计)?(小时|个月|时|h|天|日|月|年|件|单|个|周)(?:计|薪|结)?$/;
const CURRENCY_ONLY_RE = /^(?:元|块|人民币|rmb)$/;
const ZERO_RE = /^0+(?:\.0+)?(?:元|块)?$/;
const SPLIT_UNIT_WORDS: Record<string, PayUnit> = {
  计件: 'piece',
  月薪: 'month',
  年薪: 'year',
  日薪: 'day',
  时薪: 'hour',
};

/**
 * Pay from sheets that split it over 薪资类型 (面谈 / 非面谈) + 薪资范围起 + 薪资范围至 (+ unit).
 * Numbers may be typed or text ('3000元', '3千', '0.3万', full width). Negotiable rows keep any figures given.
 */
export function payFromSplit(input: {
  type: string | null;
  from: string | null;
  to: string | null;
  unit: string | null;
}): ParsedPay | null | undefined {
  const type = input.type === null ? '' : prepare(input.type);
  let from = input.from === null ? '' : prepare(input.from);
  let to = input.to === null ? '' : prepare(input.to);
  const unitText = input.unit === null ? '' : prepare(input.unit);
  if (!type && !from && !to && !unitText) return undefined;
  // Such sheets fill the range with 0 when there is none (typically for 面谈 rows).
  if (ZERO_RE.test(from)) from = '';
  if (ZERO_RE.test(to)) to = '';

  let negotiable = false;
  let unit: PayUnit | null = null;
  if (type) {
    if (TYPE_NEGOTIABLE_RE.test(type)) negotiable = true;
    else if (SPLIT_UNIT_WORDS[type] !== undefined) unit = SPLIT_UNIT_WORDS[type] ?? null;
    else if (!TYPE_FIXED_RE.test(type)) return null;
  }
  if (unitText && !CURRENCY_ONLY_RE.test(unitText)) {
    const word = SPLIT_UNIT_WORDS[unitText] ?? SPLIT_UNIT_RE.exec(unitText)?.[1];
    const u = word === undefined ? undefined : (SPLIT_UNIT_WORDS[word] ?? UNIT_WORDS[word]);
    if (u === undefined || u === 'week' || (unit !== null && u !== unit)) return null;
    unit = u;
  }
  let min: number | null = null;
  let max: number | null = null;
  for (const [cell, isFrom] of [
    [from, true],
    [to, false],
  ] as const) {
    if (!cell) continue;
    const scan = DIGIT_RE.test(cell) ? scanPay(cell) : null;
    if (scan === null || !scan.single || scan.min === null || scan.max === null) return null;
    if (scan.badUnit || scan.months !== null) return null;
    if (scan.unit !== null) {
      if (unit !== null && scan.unit !== unit) return null;
      unit = scan.unit;
    }
    if (isFrom) min = scan.min;
    else max = scan.max;
  }
  if (min !== null && max !== null && min > max) return null;
  if (min === null && max === null) {
    // 非面谈 with no figures claims a pay that is not there.
    if (!negotiable && unit !== 'piece') return null;
    return { min: null, max: null, unit, negotiable, months: null };
  }
  if (unit === null && unstatedTooLarge(min, max)) return null;
  return { min, max, unit: unit ?? 'month', negotiable, months: null };
}
