import { chineseNumber } from './numerals.ts';
import { toHalfWidth } from './text.ts';

interface Ymd {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;
// Excel's 1900 date system counts from 1899-12-30 (it believes 1900 was a leap year); 25569 is 1970-01-01.
const EXCEL_EPOCH_OFFSET = 25_569;
// 20000–80000 is 1954–2119: wide enough for any posting, narrow enough that a stray 5-digit pay figure is not a date.
const SERIAL_MIN = 20_000;
const SERIAL_MAX = 80_000;

const SPACE_RE = /\s+/g;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SERIAL_RE = /^\d{5}(?:\.\d+)?$/;
const ZONED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const TIME = '(?:[ T]?\\d{1,2}[:：]\\d{2}(?:[:：]\\d{2}(?:\\.\\d+)?)?)?';
const YMD_RE = new RegExp(`^(\\d{4}) ?[-/.年] ?(\\d{1,2}) ?[-/.月] ?(\\d{1,2}) ?日?${TIME}$`);
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const MD_RE = new RegExp(`^(\\d{1,2}) ?[-/.月] ?(\\d{1,2}) ?日?${TIME}$`);
const AGO_RE =
  /^(\d+|[一二两三四五六七八九十]{1,3}) ?(秒钟?|分钟?|个?小时|个?钟头|天|日|周|星期|个?礼拜|个月|月|年)前$/;
const WORD_RE = new RegExp(`^(刚刚|刚才|今天|今日|昨天|昨日|前天)${TIME}$`);
const EN_AGO_RE = /^(\d+)\+? ?(second|sec|minute|min|hour|hr|day|week|month|year)s? ago$/i;
const EN_WORD_RE = /^(just now|today|yesterday)$/i;

const WORD_DAYS: Record<string, number> = { 刚刚: 0, 刚才: 0, 今天: 0, 今日: 0, 昨天: 1, 昨日: 1, 前天: 2 };
const EN_WORD_DAYS: Record<string, number> = { 'just now': 0, today: 0, yesterday: 1 };
type Step = 'ms' | 'day' | 'month' | 'year';
const AGO_UNITS: Record<string, readonly [Step, number]> = {
  秒: ['ms', 1000],
  秒钟: ['ms', 1000],
  分: ['ms', 60_000],
  分钟: ['ms', 60_000],
  小时: ['ms', 3_600_000],
  个小时: ['ms', 3_600_000],
  钟头: ['ms', 3_600_000],
  个钟头: ['ms', 3_600_000],
  天: ['day', 1],
  日: ['day', 1],
  周: ['day', 7],
  星期: ['day', 7],
  礼拜: ['day', 7],
  个礼拜: ['day', 7],
  月: ['month', 1],
  个月: ['month', 1],
  年: ['year', 1],
  second: ['ms', 1000],
  sec: ['ms', 1000],
  minute: ['ms', 60_000],
  min: ['ms', 60_000],
  hour: ['ms', 3_600_000],
  hr: ['ms', 3_600_000],
  day: ['day', 1],
  week: ['day', 7],
  month: ['month', 1],
  year: ['year', 1],
};

const formatters = new Map<string, Intl.DateTimeFormat>();
// An import passes the same `now` for every row, so one remembered answer serves the whole file.
let memoKey = '';
let memoYmd: Ymd = { y: 1970, m: 1, d: 1 };

/** The calendar date of an instant in an IANA time zone. */
function dateIn(ms: number, timeZone: string): Ymd {
  const key = `${ms}|${timeZone}`;
  if (key === memoKey) return memoYmd;
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(timeZone, fmt);
  }
  const out: Ymd = { y: 0, m: 0, d: 0 };
  for (const part of fmt.formatToParts(ms)) {
    if (part.type === 'year') out.y = Number(part.value);
    else if (part.type === 'month') out.m = Number(part.value);
    else if (part.type === 'day') out.d = Number(part.value);
  }
  memoKey = key;
  memoYmd = out;
  return out;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function iso(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function fromUtcMs(ms: number): string | null {
  const d = new Date(ms);
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function ago(n: number, step: Step, size: number, now: Date, timeZone: string): string | null {
  if (step === 'ms') {
    const t = dateIn(now.getTime() - n * size, timeZone);
    return iso(t.y, t.m, t.d);
  }
  const today = dateIn(now.getTime(), timeZone);
  if (step === 'day') return fromUtcMs(Date.UTC(today.y, today.m - 1, today.d - n * size));
  // Calendar months and years back, keeping the day where the shorter month allows (3月31日 − 1个月 → 2月28日).
  const back = step === 'month' ? n : n * 12;
  const first = new Date(Date.UTC(today.y, today.m - 1 - back, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth() + 1;
  return iso(y, m, Math.min(today.d, daysInMonth(y, m)));
}

/**
 * A posting date as 'YYYY-MM-DD': Excel serials, written dates, '3月2日' (this year), and '2天前'/'昨天' relative to
 * `now` in `timeZone`. undefined = empty; null = not understood (including impossible dates such as 2026-02-30).
 */
export function parseDate(text: string | null, now: Date, timeZone: string): string | null | undefined {
  if (text === null) return undefined;
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  const iso10 = ISO_RE.exec(trimmed);
  if (iso10) return iso(Number(iso10[1]), Number(iso10[2]), Number(iso10[3]));
  const s = toHalfWidth(trimmed).replace(SPACE_RE, ' ');

  if (SERIAL_RE.test(s)) {
    const serial = Math.floor(Number(s));
    if (serial < SERIAL_MIN || serial > SERIAL_MAX) return null;
    return fromUtcMs((serial - EXCEL_EPOCH_OFFSET) * DAY_MS);
  }
  let m = YMD_RE.exec(s) ?? COMPACT_RE.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  if (ZONED_RE.test(s)) {
    // An instant with an offset is a moment, not a calendar date: its date is the one in the site's zone.
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) return null;
    const t = dateIn(ms, timeZone);
    return iso(t.y, t.m, t.d);
  }
  m = MD_RE.exec(s);
  if (m) return iso(dateIn(now.getTime(), timeZone).y, Number(m[1]), Number(m[2]));
  m = WORD_RE.exec(s);
  if (m) return ago(WORD_DAYS[m[1] as string] ?? 0, 'day', 1, now, timeZone);
  m = AGO_RE.exec(s);
  if (m) {
    const raw = m[1] as string;
    const n = raw.charCodeAt(0) < 0x80 ? Number(raw) : chineseNumber(raw);
    const unit = AGO_UNITS[m[2] as string];
    if (n === null || unit === undefined) return null;
    return ago(n, unit[0], unit[1], now, timeZone);
  }
  m = EN_AGO_RE.exec(s);
  if (m) {
    const unit = AGO_UNITS[(m[2] as string).toLowerCase()];
    return unit === undefined ? null : ago(Number(m[1]), unit[0], unit[1], now, timeZone);
  }
  m = EN_WORD_RE.exec(s);
  if (m) return ago(EN_WORD_DAYS[(m[1] as string).toLowerCase()] ?? 0, 'day', 1, now, timeZone);
  return null;
}
