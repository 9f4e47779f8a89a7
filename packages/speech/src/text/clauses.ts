/**
 * A script cut into clauses: one caption cue and one synthesis call each, so caption timing comes from the
 * audio of any engine. Cuts fall after Chinese punctuation; a clause still too long is cut between words.
 */

const CLAUSE_END = new Set(['。', '！', '？', '；', '，', '、', '：']);
// Marks that belong to the clause before them: a second ！, a closing quote or bracket.
const TRAILING_RE = /^[\p{Pe}\p{Pf}。！？；，、：…—]$/u;
// Never cut around these: 4500-6000, 8:30, 3.5, 元/月, 25%, 13812345678, HR.
const GLUE_RE = /^[./:：\-~%+·@_'’]$/;
const ALNUM_RE = /^[0-9A-Za-z]$/;
const OPENING_RE = /^[\p{Ps}\p{Pi}]$/u;

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Clauses of at most `maxChars` characters (code points), each keeping the punctuation that ends it. A run of
 * digits or Latin letters is never cut, so a clause holding a longer run is longer than `maxChars`.
 */
export function splitClauses(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`maxChars must be a positive integer: ${maxChars}`);
  }
  const clauses: string[] = [];
  for (const clause of punctuationClauses(text)) {
    if (Array.from(clause).length <= maxChars) clauses.push(clause);
    else clauses.push(...splitLong(clause, maxChars));
  }
  return clauses;
}

function punctuationClauses(text: string): string[] {
  const chars = Array.from(text);
  const clauses: string[] = [];
  let current = '';
  const close = () => {
    const clause = current.trim();
    current = '';
    if (clause === '') return;
    // A clause of punctuation alone (a leading ，) joins its neighbour.
    if (/^[\p{P}\s]+$/u.test(clause) && clauses.length > 0) clauses[clauses.length - 1] += clause;
    else clauses.push(clause);
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '\n') {
      close();
      continue;
    }
    current += ch;
    if (!CLAUSE_END.has(ch)) continue;
    while (i + 1 < chars.length && TRAILING_RE.test(chars[i + 1] as string)) current += chars[++i];
    close();
  }
  close();
  if (clauses.length > 1 && /^[\p{P}\s]+$/u.test(clauses[0] as string)) {
    clauses[1] = (clauses[0] as string) + clauses[1];
    clauses.shift();
  }
  return clauses;
}

/** Cut points (code point offsets) between words where a cut reads naturally. */
function cutPoints(chars: readonly string[], clause: string): number[] {
  // The segmenter counts UTF-16 units; cuts are counted in characters, 𠮷 being one.
  const charAt = new Map<number, number>();
  let units = 0;
  chars.forEach((ch, i) => {
    charAt.set(units, i);
    units += ch.length;
  });
  const points: number[] = [];
  for (const { index, segment } of wordSegmenter.segment(clause)) {
    const at = charAt.get(index + segment.length);
    if (at === undefined || at === 0) continue;
    const before = chars[at - 1] as string;
    const after = chars[at] as string;
    if (GLUE_RE.test(before) || GLUE_RE.test(after)) continue;
    if (ALNUM_RE.test(before) && ALNUM_RE.test(after)) continue;
    if (TRAILING_RE.test(after) || OPENING_RE.test(before)) continue;
    points.push(at);
  }
  return points;
}

/** Cuts near equal lengths (two 9s read better than 11 and 7) without passing `maxChars`. */
function splitLong(clause: string, maxChars: number): string[] {
  const chars = Array.from(clause);
  const points = cutPoints(chars, clause);
  const pieces: string[] = [];
  let start = 0;
  while (chars.length - start > maxChars) {
    const left = chars.length - start;
    const target = Math.ceil(left / Math.ceil(left / maxChars));
    const within = points.filter((p) => p > start && p - start <= maxChars);
    const cut =
      within.length > 0
        ? within.reduce((best, p) => (Math.abs(p - start - target) < Math.abs(best - start - target) ? p : best))
        : points.find((p) => p > start);
    if (cut === undefined) break;
    pieces.push(chars.slice(start, cut).join('').trim());
    start = cut;
  }
  pieces.push(chars.slice(start).join('').trim());
  return pieces.filter((piece) => piece !== '');
}
