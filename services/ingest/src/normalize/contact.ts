import { toHalfWidth } from './text.ts';
import type { FieldWarning } from './types.ts';

export interface ParsedContact {
  name: string | null;
  phone: string | null;
  warnings: FieldWarning[];
}

// Groups: 1 mobile · 2/3 area code (bracketed / followed by a separator) + 4 local + 5 extension ·
// 6 area code and number typed together · 7-9 400/800 service number · 10 local number without area code.
const PHONE_RE = new RegExp(
  [
    '(?<!\\d)(?:',
    '(?:(?:\\+|00)?86[\\s-]?)?(1[3-9]\\d(?:[\\s-]?\\d){8})',
    '|(?:\\((0\\d{2,3})\\)|(0\\d{2,3})[\\s-])[\\s-]?(\\d{7,8})(?:(?:-|转|ext\\.?|分机)(\\d{1,6}))?',
    '|(0\\d{9,11})',
    '|([48]00)[\\s-]?(\\d{3})[\\s-]?(\\d{4})',
    '|(\\d{7,8})',
    ')(?!\\d)',
  ].join(''),
  'g',
);
const DIGIT_RE = /\d/;
const CANONICAL_RE = /^(?:1[3-9]\d{9}|0(?:10|2\d)-\d{7,8}|0[3-9]\d{2}-\d{7,8})$/;
const SPACES_RE = /\s+/g;
const SEPARATOR_RE = /[\s-]/g;
const EXCEL_FLOAT_RE = /^(\d+)\.0+$/;
const EXCEL_SCI_RE = /^\d(?:\.\d+)?e\+?\d{1,2}$/i;
// Beijing (010) and the 02x cities have three-digit area codes; all others have four.
const SHORT_AREA_RE = /^0(?:10|2\d)/;
const LABEL_RE = /联系人|联系电话|联系方式|电话号码|电话|手机号?|座机|固话|tel|mobile|phone|微信同号|同微信|微信/gi;
const NAME_SPLIT_RE = /[\s\p{P}]+/u;
const NAME_PART_RE = /^[\p{L}·.]{1,12}$/u;

interface Extracted {
  phones: string[];
  rest: string;
}

/** Spreadsheets store phones as numbers; the number then comes back as '17350938429.0' or '1.7350938429E10'. */
function undoExcel(s: string): string {
  const f = EXCEL_FLOAT_RE.exec(s);
  if (f) return f[1] as string;
  if (EXCEL_SCI_RE.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return String(n);
  }
  return s;
}

function extract(text: string): Extracted {
  const s = undoExcel(toHalfWidth(text).trim());
  // Most cells already hold one well-formed number.
  if (CANONICAL_RE.test(s)) return { phones: [s], rest: '' };
  if (!DIGIT_RE.test(s)) return { phones: [], rest: s };
  const phones: string[] = [];
  let rest = '';
  let last = 0;
  for (const m of s.matchAll(PHONE_RE)) {
    const phone = formatMatch(m);
    if (!phones.includes(phone)) phones.push(phone);
    rest += `${s.slice(last, m.index)} `;
    last = m.index + m[0].length;
  }
  return { phones, rest: rest + s.slice(last) };
}

function formatMatch(m: RegExpMatchArray): string {
  if (m[1] !== undefined) return m[1].replace(SEPARATOR_RE, '');
  const area = m[2] ?? m[3];
  if (area !== undefined) return `${area}-${m[4]}${m[5] === undefined ? '' : `-${m[5]}`}`;
  if (m[6] !== undefined) {
    const cut = SHORT_AREA_RE.test(m[6]) ? 3 : 4;
    return `${m[6].slice(0, cut)}-${m[6].slice(cut)}`;
  }
  if (m[7] !== undefined) return `${m[7]}-${m[8]}-${m[9]}`;
  return m[10] as string;
}

/**
 * One canonical spelling per number: mobiles as 11 digits, landlines as 'area-number'. Several numbers are joined
 * with '、'. null when the text holds no recognisable number.
 */
export function normalizePhone(text: string | null): string | null {
  if (text === null) return null;
  const { phones } = extract(text);
  return phones.length ? phones.join('、') : null;
}

/** The names left once numbers and labels are gone, or '' when nothing is left; null when what is left is no name. */
function namesIn(rest: string): string | null {
  const parts = rest.replace(LABEL_RE, ' ').split(NAME_SPLIT_RE);
  const names: string[] = [];
  for (const part of parts) {
    if (part.length === 0) continue;
    if (!NAME_PART_RE.test(part)) return null;
    names.push(part);
  }
  return names.join('、');
}

const MSG_PHONE_UNKNOWN = '联系电话无法识别，按原文保留';
const MSG_PHONE_IN_NAME = '联系人栏含电话号码，已移至联系电话';
const MSG_NAME_DIFFERS = '联系电话栏中的姓名与联系人不同，已保留联系人栏';
const msgExtraText = (text: string) => `联系电话中的其他文字已忽略：${text}`;

/**
 * Splits '张先生 13800000000' style cells, moves a phone typed into the name column, and keeps an unrecognisable
 * phone as text with a warning rather than dropping it.
 */
export function parseContact(name: string | null, phone: string | null): ParsedContact {
  let outName = name?.trim() || null;
  const phoneText = phone?.trim() || null;
  const warnings: FieldWarning[] = [];
  let phones: string[] = [];
  let outPhone: string | null = null;

  if (phoneText !== null) {
    const ex = extract(phoneText);
    if (ex.phones.length === 0) {
      outPhone = phoneText;
      warnings.push({ field: 'contactPhone', reason: MSG_PHONE_UNKNOWN });
    } else {
      phones = ex.phones;
      const names = namesIn(ex.rest);
      if (names === null) {
        warnings.push({ field: 'contactPhone', reason: msgExtraText(ex.rest.trim().replace(SPACES_RE, ' ')) });
      } else if (names !== '') {
        if (outName === null) outName = names;
        else if (!outName.includes(names)) warnings.push({ field: 'contactPhone', reason: MSG_NAME_DIFFERS });
      }
    }
  }

  if (outName !== null && DIGIT_RE.test(outName)) {
    const ex = extract(outName);
    const names = ex.phones.length ? namesIn(ex.rest) : null;
    // Only move numbers out of a name cell that is nothing but names and numbers; '2号楼人事部' stays as it is.
    if (names !== null) {
      const before = phones.length;
      for (const p of ex.phones) if (!phones.includes(p)) phones.push(p);
      outName = names || null;
      // A number that repeats the phone column is just dropped from the name; only a new one is news.
      if (phones.length > before) warnings.push({ field: 'contactName', reason: MSG_PHONE_IN_NAME });
    }
  }
  if (phones.length) outPhone = outPhone === null ? phones.join('、') : `${outPhone}、${phones.join('、')}`;
  return { name: outName, phone: outPhone, warnings };
}
