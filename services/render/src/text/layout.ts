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
 * Breaks text into lines no wider than `maxWidth` at `size`, measured with the real font; '\n' starts
 * a new line. Returns null when one unbreakable piece is wider than the line.
 */
export function breakLines(text: string, face: FontFace, size: number, maxWidth: number): string[] | null {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const piece of segments(text.trim())) {
    if (piece === '\n') {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
      continue;
    }
    if (piece === ' ' && line === '') continue;
    const pieceWidth = face.width(piece, size);
    if (width + pieceWidth <= maxWidth || (piece === ' ' && line !== '')) {
      line += piece;
      width += pieceWidth;
      continue;
    }
    if (pieceWidth > maxWidth) return null;
    lines.push(line.trimEnd());
    line = piece;
    width = pieceWidth;
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
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
      `${ownerLabel(owner)}含有字体里没有的字 ${names}，请改用常用字或图片 (characters missing from the font: ${missing.join(' ')})`,
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
    `${ownerLabel(owner)}太长，用最小字号 ${slot.minSize} 也放不下（${[...text].length} 个字），请缩短后再制作 (text does not fit at the minimum size)`,
    { field: owner.field, job: owner.job, chars: [...text].length, minSize: slot.minSize },
  );
}

function ownerLabel(owner: TextOwner): string {
  return owner.job === undefined ? `“${owner.field}”` : `岗位“${owner.job}”的“${owner.field}”`;
}
