/**
 * Text as a voice should say it. Engines misread what a person reads at a glance: eSpeak says 2025年 as
 * 二千二十五年, a phone number as one big amount, and drops the dash of 4500-6000. Every engine gets its
 * text from here: figures spelled out in Chinese, symbols removed or turned into pauses. Pure.
 */
import { applyLexicon, espeakPinyin, type Lexicon, type PinyinMark } from './lexicon.ts';
import { phoneGroups, readClock, readDigits, readNumber, readPhone } from './numerals.ts';

// Between the two ends of a range: 4500-6000, 8~10K, 18至45岁, and 4000一6000 as typed on a Chinese keyboard.
// Dash and tilde look-alikes are folded to - and ~ first.
const SEP = String.raw`\s*(?:[-~]+|至|到|一)\s*`;
const NUM = String.raw`\d+(?:\.\d+)?`;
const MAGNITUDE = '[kKwW千万百](?![A-Za-z])';
const MAGNITUDES: Record<string, number> = { k: 3, w: 4, 千: 3, 万: 4, 百: 2 };

// Words that count things: a 2 before them is 两 (两人, 两个月, 两班倒). Ordinals (二楼, 二号, 二月) are not here.
const MEASURE_AHEAD =
  /^\s*(?:个|人|名|位|班|天|周|年|小时|钟头|点|次|件|台|套|间|家|条|种|倍|岁|周岁|元|块|公里|千米|米|斤|公斤|千克|吨|辆|张|份|本|只|项|门|批|所|座|栋|处|趟|分钟|秒|轮|顿|餐|双|把|部|箱|袋|床|室|厅|遍)/;
// After these a figure keeps its trailing unit (一万五千元, 一百五十人, 四千五百多): 一万五元 could be 10005 元.
const FULL_FORM_AHEAD = /^\s*(?![到至以左上起每])[\p{L}+]/u;
const NUMERAL_CHARS = '零一二两三四五六七八九十百千万亿幺';

// 联系人：张先生 88886666 is a phone number; 咨询月薪12000 is not, hence no pay words in between.
const PHONE_CONTEXT_RE =
  /(?:电话|热线|手机|座机|拨打|致电|联系|咨询|微信|号码|qq|tel|call)[^\d，。；！？,;!?\n薪资元]{0,8}$/i;
const KNOWN_HOTLINES =
  '12333|12345|12315|12348|12366|12329|12320|12355|12356|12338|12351|12388|12368|12306|12319|12310|12358|12369|12365|12395|12123';
const AMOUNT_AHEAD = /^\s*(?:[元块万千百kKwW%人名个位岁年月日号天次件多余以左]|(?:[-~]+|至|到)\s*\d)/;

const FULL_WIDTH_KEPT = new Set(['，', '！', '？', '；', '：']);

/** Full-width letters, digits and symbols to ASCII (４５００ → 4500); Chinese sentence punctuation stays. */
export function foldWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) =>
      FULL_WIDTH_KEPT.has(ch) ? ch : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
    )
    .replace(/\u3000/g, ' ')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63]/g, '-')
    .replace(/[\u301C\u223C\u2053]/g, '~');
}

/**
 * A script as a Chinese voice should read it: `4500-6000元/月` → 四千五到六千元每月, `13812345678` →
 * 幺三八，幺二三四，五六七八, `8:00-17:30` → 八点到十七点半. With a lexicon, its words are then written as inline
 * pinyin by `mark` (eSpeak NG's form by default). Never throws; anything unspeakable is dropped.
 */
export function normalizeForSpeech(text: string, lexicon?: Lexicon, mark: PinyinMark = espeakPinyin): string {
  const spoken = speakSymbols(readFigures(stripUnspeakable(foldWidth(text))));
  // Last, so the pinyin's tone digits are not read as figures.
  return lexicon ? applyLexicon(spoken, lexicon, mark) : spoken;
}

/** URLs, e-mail addresses, markup, unfilled template fields ({{x}}, %{x}), emoji, control characters and list numbering. */
function stripUnspeakable(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<\/?[a-z!][^<>]*>/gi, ' ')
      .replace(/\{\{[^{}]*\}\}|[%$]\{[^{}]*\}/g, ' ')
      .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ')
      .replace(/(?:https?:\/\/|www\.)[\w\-.~:/?#@!$&*+,;=%]*/gi, ' ')
      .replace(
        /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|gov|edu|info|top|xyz|io|me|cc)\b(?:\/[\w\-.~/?#=&%]*)?/gi,
        ' ',
      )
      // Emoji are bullets and decoration in postings: a pause, so 急招🔥普工 does not run together.
      .replace(/[\p{Extended_Pictographic}\p{Regional_Indicator}]/gu, ' ')
      .replace(/\p{Emoji_Modifier}|\u{FE0E}|\u{FE0F}|\u{200D}|\u{20E3}|[\u{E0020}-\u{E007F}]/gu, '')
      // "1、负责… 2.能吃苦" at the start of a line or after a stop: numbering, not a figure to read.
      .replace(/(^|[\n。；：;:！？!?])\s*\d{1,2}\s*[.、)）](?!\d)/g, '$1')
      .replace(/[(（]\d{1,2}[)）]/g, ' ')
      .replace(/[\u2460-\u249B\u24EA-\u24FF\u2776-\u2793]/g, ' ')
      .replace(/\n/g, '，')
      .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, '')
  );
}

/** Every figure to Chinese words, the most specific reading first: dates, phones, times, percentages, amounts. */
function readFigures(text: string): string {
  // Thousands commas go, and spaces between a figure and its unit (6000 元), which would become pauses.
  let s = text
    .replace(/(?<=\d),(?=\d{3}(?!\d))/g, '')
    .replace(/(?<=\d)\s+(?=[元块万千百kKwW%‰人名个位岁年月日号天次件多余以左起/])/g, '');
  // Dates first: 咨询截止2026-03-05 is not a phone number for all the 咨询 before it.
  s = readPhones(readDates(s));
  s = s.replace(/(?<=\d)\s*\+\s*(?=\d)/g, '加');
  s = s.replace(
    new RegExp(String.raw`[¥￥]\s*(${NUM}(?:\s*${MAGNITUDE})?(?:${SEP}${NUM}(?:\s*${MAGNITUDE})?)?)(?:\s*元)?`, 'g'),
    '$1元',
  );
  s = readClocks(s);
  s = s.replace(new RegExp(String.raw`(?<![\d.])(${NUM})(?:${SEP}(${NUM}))?\s*([%‰])`, 'g'), (_m, lo, hi, sign) => {
    const per = sign === '%' ? '百分之' : '千分之';
    const low = per + readNumber(lo, { short: false });
    return hi === undefined ? low : `${low}到${per}${readNumber(hi, { short: false })}`;
  });
  s = s.replace(
    /(?<=\d)\s*(kg|km|cm|mm|m²|m2|h)(?![A-Za-z\d])/gi,
    (_m, unit: string) => ASCII_UNITS[unit.toLowerCase()] ?? unit,
  );
  s = readMagnitudes(s);
  s = s.replace(
    new RegExp(String.raw`(?<![\d.])(${NUM})(?:${SEP}(${NUM}))?(?!\d)`, 'g'),
    (whole, lo, hi, offset, all) => {
      const before = all.slice(Math.max(0, offset - 1), offset);
      const rest = all.slice(offset + whole.length);
      if (hi === undefined) return readFigure(lo, before, rest);
      // 两到三人: the low end counts what the high end counts.
      return `${readFigure(lo, before, '到', MEASURE_AHEAD.test(rest))}到${readFigure(hi, '', rest)}`;
    },
  );
  // Whatever digits survive (v1.2.3) are read one by one rather than left to the engine.
  return s.replace(/\d+/g, (digits) => readDigits(digits));
}

const ASCII_UNITS: Record<string, string> = {
  kg: '公斤',
  km: '公里',
  cm: '厘米',
  mm: '毫米',
  'm²': '平方米',
  m2: '平方米',
  h: '小时',
};

function readFigure(raw: string, before: string, rest: string, measure = MEASURE_AHEAD.test(rest)): string {
  if (raw.includes('.')) return readNumber(raw);
  // Nine digits and more are an id or a phone number nobody marked as one, never an amount in a posting.
  if (raw.length >= 9) return readPhone(phoneGroups(raw));
  if (raw.length >= 3 && raw.startsWith('0')) return readDigits(raw);
  const ordinal = before === '第';
  return readNumber(raw.replace(/^0+(?=\d)/, ''), {
    short: !ordinal && !FULL_FORM_AHEAD.test(rest),
    measure: !ordinal && measure,
  });
}

function readPhones(text: string): string {
  return (
    text
      // Mobile: 138 1234 5678, with +86 dropped (nobody dials it locally).
      .replace(/(?<!\d)(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g, (_m, a, b, c) =>
        readPhone([a, b, c]),
      )
      .replace(/(?<!\d)([48]00)[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)/g, (_m, a, b, c) => readPhone([a, b, c]))
      // Landline: 010 and 02x have 3-digit area codes, the rest 4; an extension is read after 转.
      .replace(
        /(?<!\d)[(（]?(0(?:10|2\d|[3-9]\d{2}))[)）]?[\s-]?([1-9]\d{6,7})(?:\s*(?:-|转|分机)\s*(\d{1,5}))?(?!\d)/g,
        (_m, area: string, local: string, extension: string | undefined) =>
          readPhone([area, ...phoneGroups(local)]) + (extension ? `转${readDigits(extension, { yao: true })}` : ''),
      )
      .replace(new RegExp(String.raw`(?<!\d)(${KNOWN_HOTLINES})(?!\d)`, 'g'), (number, _n, offset, all) => {
        const rest = all.slice(offset + number.length);
        const before = all.slice(Math.max(0, offset - 12), offset);
        if (AMOUNT_AHEAD.test(rest) || /\d\s*(?:[-~]+|至|到)\s*$/.test(before)) return number;
        return readPhone([number]);
      })
      // Any other run of 5+ digits right after 电话, 热线, 微信…: a number to dial, however it is grouped.
      .replace(/(?<!\d)\d(?:[\s-]?\d){4,}(?!\d)/g, (number, offset, all) => {
        if (!PHONE_CONTEXT_RE.test(all.slice(Math.max(0, offset - 12), offset))) return number;
        const groups = number.split(/[\s-]+/);
        return readPhone(groups.length > 1 ? groups : phoneGroups(number));
      })
  );
}

function readDates(text: string): string {
  return (
    text
      .replace(
        /(?<![\d.])((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*([日号]))?(?!\d|\.\d)/g,
        (whole, year: string, month: string, day: string, suffix: string | undefined) => {
          const m = Number(month);
          const d = Number(day);
          if (m < 1 || m > 12 || d < 1 || d > 31) return whole;
          return `${readDigits(year)}年${readNumber(m)}月${readNumber(d)}${suffix ?? '日'}`;
        },
      )
      .replace(
        new RegExp(String.raw`(?<![\d.])((?:19|20)\d{2})${SEP}((?:19|20)\d{2})(?=\s*(?:年|学年|届|级))`, 'g'),
        (_m, from: string, to: string) => `${readDigits(from)}到${readDigits(to)}`,
      )
      // Years, and graduating classes (25届 is said 二五届), digit by digit.
      .replace(/(?<![\d.])((?:19|20)\d{2})(?=\s*(?:年|届|级))/g, (year) => readDigits(year))
      .replace(/(?<![\d.])(\d{2})(?=届)/g, (year) => readDigits(year))
  );
}

function readClocks(text: string): string {
  const clock = String.raw`([01]?\d|2[0-4])[:：]([0-5]\d)`;
  return text.replace(
    new RegExp(String.raw`(?<![\d.:])${clock}(?:${SEP}${clock})?(?![\d:：])`, 'g'),
    (whole, h1: string, m1: string, h2: string | undefined, m2: string | undefined) => {
      const first = clockWords(h1, m1);
      if (first === null) return whole;
      if (h2 === undefined || m2 === undefined) return first;
      const second = clockWords(h2, m2);
      return second === null ? whole : `${first}到${second}`;
    },
  );
}

function clockWords(hour: string, minute: string): string | null {
  const h = Number(hour);
  const m = Number(minute);
  if (h > 24 || (h === 24 && m > 0)) return null;
  return readClock(h, m);
}

/** 8-10K, 1.5万, 0.8-1万: amounts with a magnitude, the bare end of a range taking the other end's. */
function readMagnitudes(text: string): string {
  const re = new RegExp(
    String.raw`(?<![\d.])(${NUM})\s*(?:(${MAGNITUDE})(?:${SEP}(${NUM})\s*(${MAGNITUDE})?)?|${SEP}(${NUM})\s*(${MAGNITUDE}))`,
    'g',
  );
  return text.replace(re, (whole, a: string, aMag, b, bMag, c, cMag, offset: number, all: string) => {
    const rest = all.slice(offset + whole.length);
    const read = (value: string, short: boolean) =>
      value.includes('.') ? readNumber(value) : readNumber(value, { short });
    const tail = !FULL_FORM_AHEAD.test(rest);
    if (c !== undefined) {
      // 8-10K: the low end is in thousands too, unless it is already the larger figure (8000-1.2万).
      const low = Number(a) <= Number(c) ? scale(a, cMag) : a;
      return `${read(low, true)}到${read(scale(c, cMag), tail)}`;
    }
    const low = scale(a, aMag);
    if (b === undefined) return read(low, tail);
    // 8k-10 means 8k-10k; 1万-15000 already says yuan.
    const high = bMag !== undefined ? scale(b, bMag) : Number(b) < Number(low) ? scale(b, aMag) : b;
    return `${read(low, true)}到${read(high, tail)}`;
  });
}

/** '1.5' × 万 → '15000', exactly (1.1 × 1000 is 1100.0000000000002 in floating point). */
function scale(value: string, magnitude: string): string {
  const places = MAGNITUDES[magnitude.toLowerCase()] ?? 0;
  const [whole = '', fraction = ''] = value.split('.');
  const digits = `${whole}${fraction.padEnd(places, '0')}`;
  const point = whole.length + places;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const decimals = digits.slice(point).replace(/0+$/, '');
  return decimals === '' ? integer : `${integer}.${decimals}`;
}

const PAUSES = '，。！？；：、';
const PAUSE_STRENGTH: Record<string, number> = { '、': 0, '，': 1, '：': 2, '；': 3, '。': 4, '！': 4, '？': 4 };
const ASCII_PUNCTUATION: Record<string, string> = { ',': '，', ';': '；', ':': '：', '!': '！', '?': '？' };
const HAN_RE = /\p{Script=Han}/u;
const PER_UNIT_AFTER = `元块${NUMERAL_CHARS}半`;
const WORD_RE = /[\p{L}\p{Nd}]/u;

/** Units after a slash, symbols, spacing and punctuation, once every figure is words. */
function speakSymbols(text: string): string {
  const s = text
    // 元/月 and 工资/天 are 每月, 每天; 普工/月结 is two words.
    .replace(
      /\s*\/\s*(小时|h|天|日|月|年|周|件|次|单|个|人|班|台|套|箱|袋|份|趟|平方米|平米|公斤|斤|吨|车)/gi,
      (slash, unit: string, offset: number, all: string) => {
        const before = all[offset - 1];
        const after = all.slice(offset + slash.length);
        const per = before === undefined || PER_UNIT_AFTER.includes(before) || !HAN_RE.test(after.slice(0, 1));
        return per ? `每${unit.toLowerCase() === 'h' ? '小时' : unit}` : slash;
      },
    )
    .replace(/℃/g, '摄氏度')
    .replace(/㎡/g, '平方米')
    .replace(new RegExp(`(?<=[${NUMERAL_CHARS}])\\s*\\+`, 'g'), '多')
    .replace(/(?<=\p{Script=Han})\s*&\s*(?=\p{Script=Han})/gu, '和')
    // 八点-晚五点, 三月五日-三月八日: a range between spoken figures.
    .replace(
      new RegExp(
        `(?<=[${NUMERAL_CHARS}点分半日号月年时岁元块天周])\\s*[-~]+\\s*(?=[^\\s${PAUSES}]{0,2}[${NUMERAL_CHARS}])`,
        'g',
      ),
      '到',
    )
    .replace(/['"“”‘’`´\\^]/g, '')
    .replace(/[,;:!?]/g, (ch) => ASCII_PUNCTUATION[ch] ?? ch)
    .replace(new RegExp(`[^\\p{L}\\p{M}\\p{Nd}〇\\s${PAUSES}]`, 'gu'), ' ');
  return tidyPauses(joinWords(s));
}

/** Spaces: a pause between two Chinese words (五险一金 包吃住), a space between Latin words, else nothing. */
function joinWords(text: string): string {
  const words = text.split(/\s+/);
  let out = words[0] ?? '';
  for (const word of words.slice(1)) {
    if (word === '') continue;
    const prev = Array.from(out.slice(-2)).pop() ?? '';
    const next = String.fromCodePoint(word.codePointAt(0) ?? 32);
    if (prev === '' || PAUSES.includes(prev) || PAUSES.includes(next)) out += word;
    else if (HAN_RE.test(prev) && HAN_RE.test(next)) out += `，${word}`;
    else if (WORD_RE.test(prev) && WORD_RE.test(next) && !HAN_RE.test(prev) && !HAN_RE.test(next)) out += ` ${word}`;
    else out += word;
  }
  return out;
}

/** One mark where several meet (the strongest), none at the start, and only a full stop at the end. */
function tidyPauses(text: string): string {
  return text
    .replace(new RegExp(`[${PAUSES}]{2,}`, 'g'), (run) =>
      Array.from(run).reduce((best, ch) => ((PAUSE_STRENGTH[ch] ?? 0) > (PAUSE_STRENGTH[best] ?? 0) ? ch : best)),
    )
    .replace(new RegExp(`^[${PAUSES}]+`), '')
    .replace(/[，、：；]+$/, '');
}
