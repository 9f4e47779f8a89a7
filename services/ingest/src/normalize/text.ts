/**
 * Cell cleaning shared by every field. These run on every cell of every row (millions), so the common case —
 * an ordinary trimmed string — must pass through a couple of cheap regex tests without allocating.
 */

export interface CleanedCell {
  text: string | null;
  puaRemoved: boolean;
}

const EMPTY: CleanedCell = Object.freeze({ text: null, puaRemoved: false }) as CleanedCell;

// Anti-scraping web fonts map digits to private-use code points; the glyphs are meaningless once copied.
const PUA_RE = /[\uE000-\uF8FF\u{F0000}-\u{10FFFF}]/gu;
// Zero-width characters, C0 controls (other than whitespace) and Excel's escaped carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing stray control characters is the point.
const INVISIBLE_RE = /[\u200B-\u200D\u2060\uFEFF\x00-\x08\x0E-\x1F\x7F]|_x000[dD]_/g;
// One non-global test that decides whether the two removals above are worth running at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: see INVISIBLE_RE.
const ODD_RE = /[\uE000-\uF8FF\uDB80-\uDBFF\u200B-\u200D\u2060\uFEFF\x00-\x08\x0E-\x1F\x7F]|_x000[dD]_/;
const WS_RUN_RE = /\s+/g;
// Anything that would change under collapse+trim: a space-class char that is not a lone inner ASCII space.
const WS_WORK_RE = /^\s|\s$|[^\S ]| {2}/;
const CJK = '\\u2E80-\\u2FDF\\u3001-\\u303F\\u3040-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF01-\\uFF60';
const CJK_SPACE_RE = new RegExp(`([${CJK}]) (?=[${CJK}])`, 'g');
// Spreadsheet and pandas markers for "no value". '无' is deliberately not here: in 学历/经验 columns it means
// "none required", which is information the reader needs; fields where '无' means blank can treat it so themselves.
const NULL_TOKEN_RE = /^(?:[-—–―－/／\\]+|nan|null|none|n\/a|#n\/a|undefined|\\n)$/i;
// One element of a Python list repr: 'text' or "text" with backslash escapes, then a comma or the end.
const PY_ITEM_RE = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(?:,|$)/y;
const PY_ESCAPE_RE = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g;

const OPEN_TO_CLOSE: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '"': '"', "'": "'" };
const CLOSE_TO_OPEN: Record<string, string> = { '”': '“', '’': '‘', '」': '「', '』': '『', '"': '"', "'": "'" };

/** Turns a raw cell (string, Excel number/date/boolean, ExcelJS rich text, hyperlink or formula) into clean text. */
export function cleanCell(value: unknown): CleanedCell {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'string') return cleanString(value);
  if (typeof value === 'number') return { text: numberText(value), puaRemoved: false };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', puaRemoved: false };
  if (value instanceof Date) return { text: dateText(value), puaRemoved: false };
  if (typeof value === 'bigint') return { text: value.toString(), puaRemoved: false };
  if (Array.isArray(value)) return joinCells(value);
  if (typeof value === 'object') return cleanObject(value as Record<string, unknown>);
  return EMPTY;
}

function cleanObject(obj: Record<string, unknown>): CleanedCell {
  const rich = obj.richText;
  if (Array.isArray(rich)) {
    let joined = '';
    for (const run of rich) {
      const t = (run as { text?: unknown } | null)?.text;
      if (typeof t === 'string') joined += t;
    }
    return cleanString(joined);
  }
  // Formula cells: the cached result is what the user saw; an error result (#N/A) is no value.
  if ('result' in obj) return cleanCell(obj.result);
  if ('text' in obj) return cleanCell(obj.text);
  return EMPTY;
}

function joinCells(values: readonly unknown[]): CleanedCell {
  const parts: string[] = [];
  let puaRemoved = false;
  for (const v of values) {
    const c = cleanCell(v);
    if (c.puaRemoved) puaRemoved = true;
    if (c.text !== null) parts.push(c.text);
  }
  return { text: parts.length ? parts.join('、') : null, puaRemoved };
}

function numberText(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  // Integers print without exponent below 1e21; fractions are rounded to the 15 significant digits Excel shows,
  // so 0.1+0.2 style float noise does not leak into the text.
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : String(n);
  return String(Number(n.toPrecision(15)));
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function dateText(date: Date): string | null {
  const raw = date.getTime();
  if (Number.isNaN(raw)) return null;
  // Serial-to-Date conversion can land a millisecond before the minute (10:19:59.999 for 10:20).
  const t = Math.round(raw / 60_000) * 60_000;
  const d = t === raw ? date : new Date(t);
  // Spreadsheet readers hand over wall-clock dates as UTC instants, so UTC parts are the cell's own date.
  const ymd = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0) return ymd;
  return `${ymd} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

// Set by scrub(); a module-level flag instead of a result object keeps the hot path allocation-free.
let scrubbedPua = false;

function scrub(s: string): string {
  if (!ODD_RE.test(s)) return s;
  const noPua = s.replace(PUA_RE, '');
  if (noPua.length !== s.length) scrubbedPua = true;
  return noPua.replace(INVISIBLE_RE, '');
}

function cleanString(raw: string): CleanedCell {
  scrubbedPua = false;
  let s = collapse(scrub(raw));
  if (s.length > 1 && s.charCodeAt(0) === 0x5b && s.charCodeAt(s.length - 1) === 0x5d) {
    const items = pythonList(s);
    if (items !== undefined) {
      const parts: string[] = [];
      // Python's repr escapes private-use characters (\ue000), so they surface only after unescaping.
      for (const item of items) {
        const t = finish(collapse(scrub(item)));
        if (t !== null) parts.push(t);
      }
      s = parts.join('、');
      return s || scrubbedPua ? { text: s || null, puaRemoved: scrubbedPua } : EMPTY;
    }
  }
  const text = s.length === 0 ? null : finish(s);
  return text === null && !scrubbedPua ? EMPTY : { text, puaRemoved: scrubbedPua };
}

/** Quote stripping, CJK space removal and empty-marker check on already collapsed text. */
function finish(collapsed: string): string | null {
  let s = stripQuotes(collapsed);
  if (s.length === 0) return null;
  if (s.includes(' ')) s = s.replace(CJK_SPACE_RE, '$1');
  if (s.length <= 9 && NULL_TOKEN_RE.test(s)) return null;
  return s;
}

function collapse(s: string): string {
  return WS_WORK_RE.test(s) ? s.replace(WS_RUN_RE, ' ').trim() : s;
}

/** Items of a Python list repr (`['a', 'b']`), or undefined when the brackets are ordinary text like `[急招]`. */
function pythonList(s: string): string[] | undefined {
  const inner = s.slice(1, -1);
  if (inner.trim() === '') return [];
  const items: string[] = [];
  PY_ITEM_RE.lastIndex = 0;
  while (PY_ITEM_RE.lastIndex < inner.length) {
    const m = PY_ITEM_RE.exec(inner);
    if (!m) return undefined;
    const body = m[1] ?? m[2] ?? '';
    items.push(body.includes('\\') ? body.replace(PY_ESCAPE_RE, unescapePy) : body);
  }
  return items;
}

function unescapePy(_: string, esc: string): string {
  const c = esc[0];
  if (c === 'n' || c === 'r' || c === 't') return ' ';
  if ((c === 'x' || c === 'u' || c === 'U') && esc.length > 1)
    return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
  return esc;
}

/**
 * Removes quotes wrapping the whole value, or a lone quote at either end — a leftover of broken CSV quoting or of
 * copying from a quoted web snippet. Quotes that pair with one inside the text ('“A”和“B”', '「急招」销售') stay.
 */
function stripQuotes(input: string): string {
  if (!isQuoteChar(input.charCodeAt(0)) && !isQuoteChar(input.charCodeAt(input.length - 1))) return input;
  let s = input;
  for (let guard = 0; guard < 4 && s.length > 0; guard++) {
    const first = s[0] as string;
    const last = s[s.length - 1] as string;
    const close = OPEN_TO_CLOSE[first];
    const open = CLOSE_TO_OPEN[last];
    let next = s;
    if (close !== undefined && s.length >= 2 && last === close && !hasQuote(s.slice(1, -1), first, close)) {
      next = s.slice(1, -1);
    } else if (close !== undefined && !hasQuote(s.slice(1), first, close)) {
      next = s.slice(1);
    } else if (open !== undefined && !hasQuote(s.slice(0, -1), open, last)) {
      next = s.slice(0, -1);
    }
    if (next === s) break;
    s = next.trim();
  }
  return s;
}

/** " ' “ ” ‘ ’ 「 」 『 』: the characters stripQuotes looks at. */
function isQuoteChar(code: number): boolean {
  return code === 0x22 || code === 0x27 || (code >= 0x2018 && code <= 0x201d) || (code >= 0x300c && code <= 0x300f);
}

function hasQuote(s: string, open: string, close: string): boolean {
  return s.includes(open) || (close !== open && s.includes(close));
}

const FULL_WIDTH_RE = /[\uFF01-\uFF5E\u3000]/;
const FULL_WIDTH_G_RE = /[\uFF01-\uFF5E\u3000]/g;
const toHalf = (ch: string): string => {
  const c = ch.charCodeAt(0);
  return c === 0x3000 ? ' ' : String.fromCharCode(c - 0xfee0);
};

/** Full-width ASCII (Ａ１！) and the ideographic space to ASCII; leaves CJK compatibility characters alone, unlike NFKC. */
export function toHalfWidth(text: string): string {
  return FULL_WIDTH_RE.test(text) ? text.replace(FULL_WIDTH_G_RE, toHalf) : text;
}

// Decorative symbols (★, ~, |) go with punctuation; math and currency symbols stay so 'C++' and 'C' differ.
const FOLD_DROP_RE = /[\s\p{P}\p{So}\p{Sk}~|]+/gu;

/** A key for "is this the same name": width, case, spacing and punctuation differences vanish. */
export function foldKey(text: string | null): string {
  if (text === null) return '';
  return toHalfWidth(text).toLowerCase().replace(FOLD_DROP_RE, '');
}
