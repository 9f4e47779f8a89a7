import { RenderInputError } from '@jobcast/renders/templates';
import type { FontFace } from './font.ts';

/**
 * Characters a line may not start with (closing punctuation, and the marks that follow a character),
 * and characters a line may not end with (opening brackets and quotes): the Chinese line-breaking
 * rules (避头尾), with their ASCII counterparts.
 */
const NO_LINE_START = new Set([
  ...'，。、；：？！）」』》〉】〕〗〙〛｝］”’…‥・·～ー々〻ぁぃぅぇぉっゃゅょァィゥェォッャュョ％',
  ...',.;:?!)]}%',
]);
const NO_LINE_END = new Set([...'（「『《〈【〔〖〘〚｛［“‘￥', ...'([{$¥']);

/** ASCII letters, digits and the marks inside a word or figure: 8k-12k, 4000-6000, C++, 17350938429 … */
const WORD_CHAR = /[A-Za-z0-9+\-./@_&#'*·×]/;

/**
 * Splits text into pieces that may not be broken inside: a Chinese character with the punctuation
 * that must stay beside it, a Latin word or figure, or a space (where a line may break, and which is
 * dropped at the edges of a line).
 */
export function segments(text: string): string[] {
  const chars = [...text.replace(/[\t\r ]+/g, ' ')];
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const previous = i > 0 ? (chars[i - 1] as string) : '';
    const mayBreakBefore =
      current.length > 0 &&
      char !== '\n' &&
      previous !== '\n' &&
      !NO_LINE_START.has(char) &&
      !NO_LINE_END.has(previous) &&
      !(WORD_CHAR.test(char) && WORD_CHAR.test(previous));
    if (char === ' ' || char === '\n' || previous === ' ' || previous === '\n' || mayBreakBefore) {
      if (current) pieces.push(current);
      current = char;
    } else {
      current += char;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Marks after which a line breaks well, as after a space: the end of a clause or of a bracketed
 * part (they never start a line, so they already end the piece before the break).
 */
const CLAUSE_END = new Set([...'，。、；：？！）」』》〉】〕…', ...',;:?!)]}']);

/**
 * The ends of the parts of an address or a place's name, after which a line breaks well: 南昌市 |
 * 示范区 | 民营科技园 | 就业服务大厅 | 一楼. Each with the characters that, following it, make a word
 * with it instead (市场, 号码, 园区, 3号楼 …), where the part does not end.
 */
const PLACE_ENDS: readonly (readonly [end: string, notBefore: string])[] = [
  ['大厦', ''],
  ['大厅', ''],
  ['广场', ''],
  ['中心', ''],
  ['公司', ''],
  ['驿站', ''],
  ['大道', ''],
  ['街道', ''],
  ['省', ''],
  ['市', '场民区内级'],
  ['区', '域间块'],
  ['县', '城'],
  ['镇', ''],
  ['乡', '镇村'],
  ['村', '民委'],
  ['路', '线口段'],
  ['街', '道区'],
  ['巷', ''],
  ['号', '码楼线院'],
  ['栋', ''],
  ['幢', ''],
  ['座', '位'],
  ['楼', '层梯盘'],
  ['层', ''],
  ['室', '内外'],
  ['园', '区林艺'],
];

/** How well a line breaks before a piece: 0 anywhere allowed, 1 between words, 2 after a place's part, 3 at a space or after a clause. */
type BreakScore = 0 | 1 | 2 | 3;

interface Piece {
  text: string;
  /** How well a line breaks before this piece. */
  score: BreakScore;
}

/** A line goes back to an earlier, better place to break only if that leaves it at least this full. */
const MIN_FILL = 0.6;

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Where words start (in characters, not UTF-16 units), as the dictionary of Chinese words has them. */
function wordStarts(text: string): Set<number> {
  const starts = new Set<number>();
  let at = 0;
  for (const { segment } of wordSegmenter.segment(text)) {
    starts.add(at);
    at += [...segment].length;
  }
  return starts;
}

/** The last pieces broken, by text: fitting text tries one size after another on the same text. */
const piecesCache = new Map<string, Piece[]>();

/** The text's unbreakable pieces (`segments`), each with how well a line breaks before it. */
function breakPieces(text: string): Piece[] {
  const cached = piecesCache.get(text);
  if (cached) return cached;
  const chars = [...text];
  const words = wordStarts(text);
  const pieces: Piece[] = [];
  let at = 0;
  let previous = '';
  for (const piece of segments(text)) {
    const before = chars.slice(0, at).join('');
    const next = chars[at] ?? '';
    let score: BreakScore = 0;
    if (piece === ' ' || previous === ' ' || CLAUSE_END.has(before.at(-1) ?? '')) score = 3;
    else if (PLACE_ENDS.some(([end, notBefore]) => before.endsWith(end) && !notBefore.includes(next))) score = 2;
    else if (words.has(at)) score = 1;
    pieces.push({ text: piece, score });
    at += [...piece].length;
    previous = piece;
  }
  if (piecesCache.size >= 500) piecesCache.clear();
  piecesCache.set(text, pieces);
  return pieces;
}

/**
 * Breaks text into lines no wider than `maxWidth` at `size`, measured with the real font; '\n' starts
 * a new line. A line that is full breaks at the best place on it that leaves it at least MIN_FILL
 * full: at a space or after a clause, after a part of an address (not "就业服务大 / 厅一楼"), between
 * words; else where it is full. Returns null when one unbreakable piece is wider than the line.
 */
export function breakLines(text: string, face: FontFace, size: number, maxWidth: number): string[] | null {
  const lines: string[] = [];
  let line: { piece: Piece; width: number }[] = [];
  const widthOf = (pieces: typeof line) => pieces.reduce((sum, p) => sum + p.width, 0);
  const flush = (pieces: typeof line) =>
    lines.push(
      pieces
        .map((p) => p.piece.text)
        .join('')
        .trimEnd(),
    );
  for (const piece of breakPieces(text.trim().replace(/[\t\r ]+/g, ' '))) {
    if (piece.text === '\n') {
      flush(line);
      line = [];
      continue;
    }
    if (piece.text === ' ' && line.length === 0) continue;
    const width = face.width(piece.text, size);
    if (piece.text === ' ' || widthOf(line) + width <= maxWidth) {
      line.push({ piece, width });
      continue;
    }
    if (width > maxWidth) return null;
    while (line.length > 0 && widthOf(line) + width > maxWidth) {
      // Break before line[k] (k = line.length: before this piece), the best place first, the latest of equals.
      let best = line.length;
      let bestScore = piece.score;
      let filled = widthOf(line);
      for (let k = line.length - 1; k >= 1; k--) {
        filled -= (line[k] as (typeof line)[number]).width;
        if (filled < MIN_FILL * maxWidth) break;
        const score = (line[k] as (typeof line)[number]).piece.score;
        if (score > bestScore) {
          best = k;
          bestScore = score;
        }
      }
      flush(line.slice(0, best));
      line = line.slice(best);
      while (line[0]?.piece.text === ' ') line.shift();
    }
    line.push({ piece, width });
  }
  if (lines.length === 0 || line.some((p) => p.piece.text.trim() !== '')) flush(line);
  return lines;
}

/** A box a template gives a piece of text, in pixels. */
export interface TextSlot {
  width: number;
  height: number;
  /** Font size the text is set in when it fits. */
  maxSize: number;
  /** The smallest legible size for this slot: below it the text fails rather than shrink further. */
  minSize: number;
  /** Line height as a multiple of the font size. */
  lineHeight: number;
  maxLines?: number | undefined;
}

export interface FittedText {
  size: number;
  lines: string[];
  lineHeightPx: number;
}

/** Who the text belongs to, for an error a person can act on. */
export interface TextOwner {
  field: string;
  /** The job's title or id, when the text is a job's. */
  job?: string | undefined;
}

/**
 * The largest size (down to the slot's minimum, in steps of 1 px) at which the text fits the slot.
 * Text that does not fit at the minimum fails, naming the field and the job: it is never cut.
 */
export function fitText(text: string, slot: TextSlot, face: FontFace, owner: TextOwner): FittedText {
  const missing = face.missing(text);
  if (missing.length > 0) {
    const names = missing.map((c) => `“${c}”(U+${(c.codePointAt(0) as number).toString(16).toUpperCase()})`).join('、');
    throw new RenderInputError(
      'MISSING_GLYPHS',
      `${ownerLabel(owner)}含有字体里没有的字 ${names}，请改用常用字或图片`,
      { field: owner.field, job: owner.job, characters: missing },
    );
  }
  for (let size = Math.floor(slot.maxSize); size >= slot.minSize; size--) {
    const lines = breakLines(text, face, size, slot.width);
    if (lines === null) continue;
    const lineHeightPx = size * slot.lineHeight;
    const fitsLines = slot.maxLines === undefined || lines.length <= slot.maxLines;
    // The last line needs the glyphs' height (about one em), not a whole line's leading.
    const height = (lines.length - 1) * lineHeightPx + size;
    if (fitsLines && height <= slot.height) return { size, lines, lineHeightPx };
  }
  throw new RenderInputError(
    'TEXT_DOES_NOT_FIT',
    `${ownerLabel(owner)}太长，用最小字号 ${slot.minSize} 也放不下（${[...text].length} 个字），请缩短后再制作`,
    { field: owner.field, job: owner.job, chars: [...text].length, minSize: slot.minSize },
  );
}

function ownerLabel(owner: TextOwner): string {
  return owner.job === undefined ? `“${owner.field}”` : `岗位“${owner.job}”的“${owner.field}”`;
}
