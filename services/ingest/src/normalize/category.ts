import type { JobCategory, PayUnit } from '@jobcast/core';
import { foldKey } from './text.ts';

// Longer words first: the alternation is tried left to right at each position, so '非全日制' wins over '全日制'.
const CATEGORY_WORDS: readonly (readonly [string, JobCategory])[] = [
  ['非全日制', 'part-time'],
  ['兼职', 'part-time'],
  ['parttime', 'part-time'],
  ['就业见习', 'internship'],
  ['见习岗位', 'internship'],
  ['见习', 'internship'],
  ['实习', 'internship'],
  ['internship', 'internship'],
  ['intern', 'internship'],
  ['灵活用工', 'gig'],
  ['临时工', 'gig'],
  ['短期工', 'gig'],
  ['小时工', 'gig'],
  ['零工', 'gig'],
  ['日结', 'gig'],
  ['临时', 'gig'],
  ['temporary', 'gig'],
  ['temp', 'gig'],
  ['gig', 'gig'],
  ['casual', 'gig'],
  ['全日制', 'full-time'],
  ['全职', 'full-time'],
  ['正式工', 'full-time'],
  ['长期工', 'full-time'],
  ['合同工', 'full-time'],
  ['正式', 'full-time'],
  ['长期', 'full-time'],
  ['fulltime', 'full-time'],
  ['permanent', 'full-time'],
];
const BY_WORD = new Map<string, JobCategory>(CATEGORY_WORDS);
const WORDS_RE = new RegExp(CATEGORY_WORDS.map(([w]) => w).join('|'), 'g');

/**
 * A category cell ('全职', '见习岗位', 'Part-time') → JobCategory. undefined = empty; null = not understood,
 * including cells naming two categories ('全职/兼职'), which we do not pick from.
 */
export function parseCategory(text: string | null): JobCategory | null | undefined {
  if (text === null) return undefined;
  const key = foldKey(text);
  if (key.length === 0) return text.trim().length === 0 ? undefined : null;
  const exact = BY_WORD.get(key);
  if (exact !== undefined) return exact;
  let found: JobCategory | null = null;
  for (const m of key.matchAll(WORDS_RE)) {
    const c = BY_WORD.get(m[0]) as JobCategory;
    if (found !== null && found !== c) return null;
    found = c;
  }
  return found;
}

const INTERN_TITLE_RE = /实习|见习|intern/i;
const PART_TIME_TITLE_RE = /兼职|非全日制|part-?time/i;
const GIG_TITLE_RE = /零工|临时工|日结|小时工|短期工/;

/**
 * Category when the sheet has none. Precedence: an internship title wins over everything (a 见习 post paid by
 * the day is still a 见习 post, and the subsidy ledgers count it as one); then an explicit 兼职 title; then gig
 * words in the title or hourly/daily pay; otherwise full-time.
 */
export function inferCategory(title: string, payUnit: PayUnit | null): JobCategory {
  if (INTERN_TITLE_RE.test(title)) return 'internship';
  if (PART_TIME_TITLE_RE.test(title)) return 'part-time';
  if (payUnit === 'hour' || payUnit === 'day' || GIG_TITLE_RE.test(title)) return 'gig';
  return 'full-time';
}
