export { type RenderInputCode, RenderInputError } from './errors.ts';
export { FONT_FAMILY, FontFace, type FontWeight, fontFace } from './text/font.ts';
export { breakLines, type FittedText, fitText, segments, type TextOwner, type TextSlot } from './text/layout.ts';
export { escapeXml, svgText, type TextStyle } from './text/svg.ts';
