import { chineseNumber } from './numerals.ts';
import { toHalfWidth } from './text.ts';

export interface ParsedHeadcount {
  /** Number of people to hire; the lower bound of a range. */
  value: number | null;
  /**
   * Text to show when `value` alone would lose something ('若干', '10-20人', '5人以上'); null when `value` says it
   * all ('5', '招5人'), so readers show `text ?? value` without storing the same fact twice.
   */
  text: string | null;
  /** false: not understood; the caller keeps `text` and warns. */
  ok: boolean;
}

const BLANK: ParsedHeadcount = Object.freeze({ value: null, text: null, ok: true }) as ParsedHeadcount;
const SPACE_RE = /\s+/g;
const PLAIN_RE = /^(?:招聘?|需要?|共|计)?(\d+|[零〇一二两三四五六七八九十]{1,3})(?:\.0+)?(?:人|名|位|个)?$/;
const RANGE_RE =
  /^(?:招聘?|需要?|共|计)?(\d+)(?:人|名)?(?:-|~|〜|—|–|至|到)(\d+)(?:人|名|位|个)?$|^(?:招聘?|需要?)?(\d+)(?:人|名|位|个)?(?:及|或)?(?:以上|左右|多|余|\+)(?:人|名)?$/;
const SOME_RE = /^(?:招聘?)?若干(?:人|名|位)?$/;
const OPEN_RE = /^(?:不限|人数不限|不限人数|多名|多人|大量|长期招聘?)$/;
// Beyond this a figure is another field's value slipped into the column (a phone number, a pay figure).
const MAX_HEADCOUNT = 100_000;

/** Reads a headcount cell: '5人' → 5, '若干' → text only, '10-20人' → 10 with the text kept. */
export function parseHeadcount(text: string | null): ParsedHeadcount {
  if (text === null) return BLANK;
  const original = text.trim();
  if (original.length === 0) return BLANK;
  const s = toHalfWidth(original).replace(SPACE_RE, '');

  const plain = PLAIN_RE.exec(s);
  if (plain) {
    const raw = plain[1] as string;
    const n = raw.charCodeAt(0) < 0x80 ? Number(raw) : chineseNumber(raw);
    return n !== null && n > 0 && n <= MAX_HEADCOUNT ? { value: n, text: null, ok: true } : bad(original);
  }
  const range = RANGE_RE.exec(s);
  if (range) {
    const lo = Number(range[1] ?? range[3]);
    const hi = range[2] === undefined ? lo : Number(range[2]);
    return lo > 0 && lo <= hi && hi <= MAX_HEADCOUNT ? { value: lo, text: original, ok: true } : bad(original);
  }
  if (SOME_RE.test(s)) return { value: null, text: '若干', ok: true };
  if (OPEN_RE.test(s)) return { value: null, text: original, ok: true };
  return bad(original);
}

function bad(text: string): ParsedHeadcount {
  return { value: null, text, ok: false };
}
