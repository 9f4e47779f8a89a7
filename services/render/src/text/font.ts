import { execFileSync } from 'node:child_process';
import { RenderInputError } from '@jobcast/renders/templates';
import { type Font, type FontCollection, openSync } from 'fontkit';

/** The family every template writes in: Noto Sans CJK's Simplified Chinese face (Debian's fonts-noto-cjk). */
export const FONT_FAMILY = 'Noto Sans CJK SC';

export type FontWeight = 'regular' | 'bold';

/**
 * A face as fontconfig (and so Pango, librsvg and ffmpeg) resolves the family, read with fontkit to
 * measure text and to know which characters it has. The collection's first face is the Japanese one:
 * the face is taken by the index fontconfig names, never the file's default.
 */
export class FontFace {
  private readonly advances = new Map<number, number>();

  constructor(
    private readonly font: Font,
    readonly file: string,
    readonly weight: FontWeight,
  ) {}

  get postscriptName(): string {
    return this.font.postscriptName;
  }

  /** Whether the face draws this character (whitespace and line breaks need no glyph). */
  has(codePoint: number): boolean {
    return codePoint <= 0x20 || this.font.hasGlyphForCodePoint(codePoint);
  }

  /** Width of the text at `size` px: the sum of the glyphs' advances (CJK faces do not kern Chinese). */
  width(text: string, size: number): number {
    let units = 0;
    for (const char of text) {
      const codePoint = char.codePointAt(0) as number;
      let advance = this.advances.get(codePoint);
      if (advance === undefined) {
        advance = this.font.glyphForCodePoint(codePoint).advanceWidth;
        this.advances.set(codePoint, advance);
      }
      units += advance;
    }
    return (units * size) / this.font.unitsPerEm;
  }

  /** The characters of `text` this face cannot draw, each once, in order of appearance. */
  missing(text: string): string[] {
    const missing = new Set<string>();
    for (const char of text) if (!this.has(char.codePointAt(0) as number)) missing.add(char);
    return [...missing];
  }
}

const faces = new Map<FontWeight, FontFace>();

/** The face of the template family at a weight, found through fontconfig once per process. */
export function fontFace(weight: FontWeight = 'regular'): FontFace {
  let face = faces.get(weight);
  if (!face) {
    face = loadFace(weight);
    faces.set(weight, face);
  }
  return face;
}

function loadFace(weight: FontWeight): FontFace {
  const pattern = `${FONT_FAMILY}:weight=${weight === 'bold' ? 200 : 80}`;
  let match: string;
  try {
    match = execFileSync('fc-match', ['-f', '%{family}|%{file}|%{index}', pattern], { encoding: 'utf8' });
  } catch (error) {
    throw new RenderInputError(
      'FONT_MISSING',
      `找不到 fontconfig（fc-match）：${(error as Error).message}；请先运行 npm run setup`,
    );
  }
  const [families = '', file = '', index = '0'] = match.split('|');
  if (!families.split(',').includes(FONT_FAMILY) || !file) {
    throw new RenderInputError(
      'FONT_MISSING',
      `系统没有安装中文字体 ${FONT_FAMILY}（fontconfig 给出的是 ${families || '无'}）；请安装 fonts-noto-cjk 或运行 npm run setup`,
    );
  }
  const opened = openSync(file);
  const font = 'fonts' in opened ? (opened as FontCollection).fonts[Number(index)] : (opened as Font);
  if (!font) throw new RenderInputError('FONT_MISSING', `字体文件 ${file} 里没有第 ${index} 个字形`);
  return new FontFace(font, file, weight);
}
