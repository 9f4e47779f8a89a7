import type { PayUnit } from '@jobcast/core';
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
const DIGIT_RE = /\d/;
// Spaces go except between two digits ('2000 3000' must not become one figure); thousands commas go.
const STRIP_RE = /(?<!\d)\s+|\s+(?!\d)|(?<=\d),(?=\d{3}(?!\d))/g;
// A head may only hold these words ("月薪", "税前", "最低"); any other text before the figure means we do not
// know what the figure is (试用期3000, 补贴200), and a pay we do not understand is never guessed.
const HEAD_WORD_RE =
  /综合|税前|税后|基本|平均|实发|到手|保底|计件|月薪|年薪|日薪|时薪|周薪|底薪|工资|薪资|薪酬|薪水|待遇|收入|人民币|rmb|大约|约|最低|最高|不低于|不超过|每个|每|小时|月|年|天|日|时|件|周|[:：,，￥¥]/g;
const HEAD_UNIT_RE = /(时薪|小时)|(日薪|天|日)|(月薪|月)|(年薪|年)|(计件|件)|(周薪|周)/;
const AMOUNT_RE = /(\d+(?:\.\d+)?)(k|千|w|万|百)?(?:元|块|rmb)?/y;
// '一' between two figures is how many people type a dash on a Chinese keyboard (4000一6000).
const SEP_RE = /(?:-|~|〜|—|–|至|到|一)+(?=\d)/y;
const DANGLING_RE = /^(?:-|~|〜|—|–|至|到)/;
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

function prepare(text: string): string {
  return toHalfWidth(text).toLowerCase().replace(STRIP_RE, '');
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
    if (scan === null && PIECE_RE.test(s) && !DIGIT_RE.test(s) && s.length <= 6) {
      return { min: null, max: null, unit: 'piece', negotiable: false, months: null };
    }
    return null;
  }
  return { min: scan.min, max: scan.max, unit: scan.unit ?? 'month', negotiable, months: scan.months };
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
    if (head.includes('最低') || head.includes('不低于')) side = 'min';
    else if (head.includes('最高') || head.includes('不超过')) side = 'max';
  }

  AMOUNT_RE.lastIndex = start;
  const a = AMOUNT_RE.exec(s);
  if (!a) return null;
  let pos = AMOUNT_RE.lastIndex;
  let lo = Number(a[1]);
  const loMag = a[2];
  let hi = lo;
  let single = true;
  SEP_RE.lastIndex = pos;
  if (SEP_RE.exec(s)) {
    AMOUNT_RE.lastIndex = SEP_RE.lastIndex;
    // SEP_RE only matches before a digit, so a second figure is always there.
    const b = AMOUNT_RE.exec(s) as RegExpExecArray;
    pos = AMOUNT_RE.lastIndex;
    hi = Number(b[1]);
    const hiMag = b[2];
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
  // '3000-' is a range with its end missing, not a figure.
  if (tail.length > 0 && (DANGLING_RE.test(tail) || (DIGIT_RE.test(tail) && !TAIL_SEP_RE.test(tail)))) return null;

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
  return { min, max, unit: unit ?? 'month', negotiable, months: null };
}
