import { FONT_FAMILY, type FontWeight } from './font.ts';
import type { FittedText } from './layout.ts';

/** Text as SVG character data: markup characters are escaped, so user text is always drawn literally. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface TextStyle {
  x: number;
  y: number;
  color: string;
  weight: FontWeight;
  align?: 'start' | 'middle' | 'end';
}

/**
 * Fitted lines as SVG <text> elements; `y` is the top of the box. Colours come from templates and
 * site settings, which are validated as #rrggbb before they get here.
 */
export function svgText(fitted: FittedText, style: TextStyle): string {
  const anchor = style.align ?? 'start';
  const weight = style.weight === 'bold' ? 700 : 400;
  return fitted.lines
    .map((line, i) => {
      // The baseline of each line: one line height down per line, the glyphs' ascent (about 0.88 em) from the top.
      const baseline = style.y + i * fitted.lineHeightPx + fitted.size * 0.88;
      return (
        `<text x="${style.x}" y="${baseline.toFixed(1)}" font-family="${FONT_FAMILY}" font-size="${fitted.size}" ` +
        `font-weight="${weight}" fill="${style.color}" text-anchor="${anchor}" xml:space="preserve">${escapeXml(line)}</text>`
      );
    })
    .join('\n');
}
