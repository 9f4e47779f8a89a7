import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobView } from '@jobcast/core';
import { type Box, RenderInputError, type StackItem, type TemplateElement, type TextBinding } from '@jobcast/renders';
import QRCode from 'qrcode';
import { bound, colorOf, FIELD_LABELS, type SceneText, type SiteSettings } from './bindings.ts';
import { QR_QUIET_MODULES } from './qr.ts';
import { fontFace } from './text/font.ts';
import { type FittedText, fitText } from './text/layout.ts';
import { escapeXml, svgText } from './text/svg.ts';

/**
 * Refuses a number of jobs the template was not made for, before anything is drawn; `title` is what
 * a person calls the template (「单岗位海报」), as the 制作 form does.
 */
export function checkJobCount(title: string, allowed: { min: number; max: number }, count: number): void {
  if (count < allowed.min || count > allowed.max) {
    const wants =
      allowed.min === allowed.max ? `只能选 ${allowed.min} 个岗位` : `需要 ${allowed.min} 到 ${allowed.max} 个岗位`;
    throw new RenderInputError('MISSING_FIELD', `「${title}」${wants}，给了 ${count} 个`);
  }
}

/** What drawing a page of a template needs besides its elements. */
export interface DrawContext {
  /** The template's folder, for its images. */
  dir: string;
  /** What a person calls the template, for messages. */
  templateTitle: string;
  colors: { primary: string; accent: string };
  site: SiteSettings;
  /** A policy explainer's words for this page. */
  text?: SceneText;
}

/** One element as SVG, placed at `origin`, with its text bound to `job` and the site. */
export async function drawElement(
  element: TemplateElement,
  origin: { x: number; y: number },
  job: JobView | undefined,
  context: DrawContext,
): Promise<string> {
  const box: Box = { ...element.box, x: element.box.x + origin.x, y: element.box.y + origin.y };
  switch (element.type) {
    case 'rect':
      return `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="${element.radius}" fill="${colorOf(element.color, context, context.site)}"${element.opacity < 1 ? ` fill-opacity="${element.opacity}"` : ''}/>`;
    case 'text': {
      const value = textValue(element, job, context);
      if (value === null) return '';
      const fitted = fitText(value, { ...element.style, ...box }, fontFace(element.style.weight), owner(element, job));
      return svgText(fitted, {
        x: alignedX(box, element.style.align),
        y: box.y,
        color: colorOf(element.style.color, context, context.site),
        weight: element.style.weight,
        align: element.style.align,
      });
    }
    case 'image': {
      const bytes =
        element.asset === 'site.logo' ? context.site.logo : await readFile(path.join(context.dir, element.asset));
      if (!bytes) return '';
      const mime = element.asset.endsWith('.svg')
        ? 'image/svg+xml'
        : element.asset.endsWith('.png') || element.asset === 'site.logo'
          ? 'image/png'
          : 'image/jpeg';
      return `<image x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" preserveAspectRatio="xMidYMid meet" href="data:${mime};base64,${bytes.toString('base64')}"/>`;
    }
    case 'qr': {
      const url = context.site.qrUrl?.trim();
      return url ? qrSvg(url, box, colorOf(element.color, context, context.site)) : '';
    }
    case 'stack':
      return drawStack(element.items, box, element, job, context);
  }
}

type When = 'qr' | 'no-qr' | 'hotline' | 'no-hotline';

/** Whether an element shown only with (or without) the site's QR page or hotline is shown. */
export function whenHolds(when: When | undefined, site: SiteSettings): boolean {
  if (when === undefined) return true;
  const has = when.endsWith('qr') ? Boolean(site.qrUrl?.trim()) : Boolean(site.hotline?.trim());
  return when.startsWith('no-') ? !has : has;
}

interface TextSource {
  bind?: TextBinding | undefined;
  text?: string | undefined;
  prefix: string;
  optional: boolean;
  when?: When | undefined;
}

/**
 * What a text element draws (its prefix and value), or null when it is left out: its `when` does not
 * hold, or its field is empty and optional. An empty field it needs fails, naming the field and job.
 */
function textValue(element: TextSource, job: JobView | undefined, context: DrawContext): string | null {
  if (!whenHolds(element.when, context.site)) return null;
  const value =
    element.text ?? bound(element.bind as TextBinding, job, context.site, context.text, context.templateTitle);
  if (value === '') {
    if (element.optional) return null;
    throw new RenderInputError(
      'MISSING_FIELD',
      `${element.bind?.startsWith('explainer.') ? '政策解读' : job ? `岗位“${job.title}”` : '站点设置'}缺少“${FIELD_LABELS[element.bind as TextBinding]}”，「${context.templateTitle}」需要它`,
      { field: element.bind, job: job?.id },
    );
  }
  return element.prefix + value;
}

/** Whose text it is, for a message about text that cannot be drawn. */
function owner(element: Pick<TextSource, 'bind'>, job: JobView | undefined) {
  return {
    field: element.bind ? FIELD_LABELS[element.bind] : '模板文字',
    job: element.bind?.startsWith('job.') ? job?.title : undefined,
  };
}

/** Where a line aligned `align` in a box is anchored. */
function alignedX(box: Pick<Box, 'x' | 'width'>, align: 'start' | 'middle' | 'end', pad = 0): number {
  return align === 'middle' ? box.x + box.width / 2 : align === 'end' ? box.x + box.width - pad : box.x + pad;
}

/** The height fitted text takes: its lines' leading, and the glyphs' height (about one em) for the last. */
function textHeight(fitted: FittedText): number {
  return (fitted.lines.length - 1) * fitted.lineHeightPx + fitted.size;
}

/** How far a stack's text, code and gaps may shrink (in steps) before a stack too tall fails. */
const STACK_SCALES = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];

/**
 * A stack's items top to bottom in `box`, each as tall as it needs and left out when it has nothing to
 * show, the whole centred in the box's height (or from its top). When the items are taller than the
 * box they are set smaller (never below their minimum size); still too tall fails, naming the job.
 */
function drawStack(
  items: readonly StackItem[],
  box: Box,
  stack: { gap: number; valign: 'top' | 'middle' },
  job: JobView | undefined,
  context: DrawContext,
): string {
  let pieces: StackPiece[] = [];
  let total = 0;
  for (const [i, scale] of STACK_SCALES.entries()) {
    try {
      pieces = stackPieces(items, box, scale, stack.gap, job, context);
    } catch (error) {
      // Text that does not fit its own slot at full size fails as itself; smaller slots only fit less.
      if (i === 0 || !(error instanceof RenderInputError) || error.code !== 'TEXT_DOES_NOT_FIT') throw error;
      break;
    }
    total = pieces.reduce((sum, piece, n) => sum + piece.height + (n > 0 ? piece.gap : 0), 0);
    if (total <= box.height + 0.5) break;
  }
  if (total > box.height + 0.5) {
    const whose = job ? `岗位“${job.title}”的内容` : '内容';
    throw new RenderInputError(
      'TEXT_DOES_NOT_FIT',
      `${whose}在「${context.templateTitle}」的一块版面里排不下（需要 ${Math.ceil(total)} 像素高，只有 ${box.height}），请缩短岗位要求等文字后再制作`,
      { job: job?.id, height: Math.ceil(total), available: box.height },
    );
  }
  let y = box.y + (stack.valign === 'middle' ? (box.height - total) / 2 : 0);
  const drawn: string[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) y += piece.gap;
    drawn.push(piece.draw(Math.round(y)));
    y += piece.height;
  }
  return drawn.join('\n');
}

interface StackPiece {
  height: number;
  /** Space above it (none above the first drawn). */
  gap: number;
  draw: (y: number) => string;
}

type StackTextStyle = Extract<StackItem, { type: 'text' }>['style'];

/** A text slot at `scale` of its size: the height and largest size shrink, the smallest legible size does not. */
function scaledSlot(style: StackTextStyle, width: number, height: number, scale: number) {
  return {
    ...style,
    width,
    height: height * scale,
    maxSize: Math.max(style.minSize, Math.floor(style.maxSize * scale)),
  };
}

/** Where a panel `width` wide sits in `box` for text aligned `align`. */
function panelX(box: Pick<Box, 'x' | 'width'>, width: number, align: 'start' | 'middle' | 'end'): number {
  return align === 'middle' ? box.x + (box.width - width) / 2 : align === 'end' ? box.x + box.width - width : box.x;
}

/** A stack's items that have something to show, measured and ready to draw at `scale` of their size. */
function stackPieces(
  items: readonly StackItem[],
  box: Box,
  scale: number,
  stackGap: number,
  job: JobView | undefined,
  context: DrawContext,
): StackPiece[] {
  const pieces: StackPiece[] = [];
  for (const item of items) {
    const gap = (item.gapBefore ?? stackGap) * scale;
    if (item.type === 'rule') {
      if (!whenHolds(item.when, context.site)) continue;
      const width = Math.min(item.width ?? box.width, box.width);
      const x = panelX(box, width, item.align);
      const fill = colorOf(item.color, context, context.site);
      pieces.push({
        height: item.height,
        gap,
        draw: (y) =>
          `<rect x="${x}" y="${y}" width="${width}" height="${item.height}" rx="${item.height / 2}" fill="${fill}"/>`,
      });
      continue;
    }
    if (item.type === 'qr') {
      const url = context.site.qrUrl?.trim();
      if (!url) continue;
      const side = Math.round(Math.min(item.height * scale, box.width));
      const color = colorOf(item.color, context, context.site);
      pieces.push({
        height: side,
        gap,
        draw: (y) => qrSvg(url, { x: box.x + (box.width - side) / 2, y, width: side, height: side }, color),
      });
      continue;
    }
    const value = textValue(item, job, context);
    if (value === null) continue;
    const backdrop = item.backdrop;
    const padX = backdrop?.padX ?? 0;
    const padY = (backdrop?.padY ?? 0) * scale;
    const inner = box.width - 2 * padX;
    const face = fontFace(item.style.weight);
    const fitted = fitText(value, scaledSlot(item.style, inner, item.height, scale), face, owner(item, job));
    const label = item.label;
    const labelFace = label ? fontFace(label.style.weight) : null;
    const labelFitted =
      label && labelFace
        ? fitText(label.text, scaledSlot(label.style, inner, label.height, scale), labelFace, { field: '模板文字' })
        : null;
    const labelHeight = label && labelFitted ? textHeight(labelFitted) + label.gap * scale : 0;
    const height = 2 * padY + labelHeight + textHeight(fitted);
    // The panel: across the stack, or as wide as the widest line (a pill), placed as the text is aligned.
    let panel: Pick<Box, 'x' | 'width'> = { x: box.x, width: box.width };
    if (backdrop?.width === 'text') {
      const widths = fitted.lines.map((line) => face.width(line, fitted.size));
      if (labelFitted && labelFace)
        widths.push(...labelFitted.lines.map((line) => labelFace.width(line, labelFitted.size)));
      const width = Math.min(box.width, Math.ceil(Math.max(...widths) + 2 * padX));
      panel = { x: panelX(box, width, item.style.align), width };
    }
    pieces.push({
      height,
      gap,
      draw: (y) => {
        const parts: string[] = [];
        if (backdrop) {
          parts.push(
            `<rect x="${panel.x}" y="${y}" width="${panel.width}" height="${Math.round(height)}" rx="${backdrop.radius}" fill="${colorOf(backdrop.color, context, context.site)}"/>`,
          );
        }
        if (label && labelFitted) {
          parts.push(
            svgText(labelFitted, {
              x: alignedX(panel, label.style.align, padX),
              y: y + padY,
              color: colorOf(label.style.color, context, context.site),
              weight: label.style.weight,
              align: label.style.align,
            }),
          );
        }
        parts.push(
          svgText(fitted, {
            x: alignedX(panel, item.style.align, padX),
            y: y + padY + labelHeight,
            color: colorOf(item.style.color, context, context.site),
            weight: item.style.weight,
            align: item.style.align,
          }),
        );
        return parts.join('\n');
      },
    });
  }
  return pieces;
}

/** A QR code as vector squares on a white field with its quiet zone, as large as the box allows. */
export function qrSvg(text: string, box: Box, color: string): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = QR_QUIET_MODULES;
  const side = Math.min(box.width, box.height);
  const module = side / (count + quiet * 2);
  const x0 = box.x + (box.width - side) / 2 + quiet * module;
  const y0 = box.y + (box.height - side) / 2 + quiet * module;
  let d = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(row, col))
        d += `M${(x0 + col * module).toFixed(2)} ${(y0 + row * module).toFixed(2)}h${module.toFixed(2)}v${module.toFixed(2)}h-${module.toFixed(2)}z`;
    }
  }
  return (
    `<rect x="${box.x + (box.width - side) / 2}" y="${box.y + (box.height - side) / 2}" width="${side}" height="${side}" fill="#ffffff"/>` +
    `<path d="${d}" fill="${color}" shape-rendering="crispEdges"/><desc>${escapeXml(text)}</desc>`
  );
}

/** A whole page as SVG: the background, then each element in order (all bound to one job). */
export async function pageSvg(
  size: { width: number; height: number },
  background: string,
  elements: readonly TemplateElement[],
  job: JobView | undefined,
  context: DrawContext,
): Promise<string> {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">`,
    `<rect width="${size.width}" height="${size.height}" fill="${colorOf(background, context, context.site)}"/>`,
  ];
  for (const element of elements) parts.push(await drawElement(element, { x: 0, y: 0 }, job, context));
  parts.push('</svg>');
  return parts.join('\n');
}
