import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobView } from '@jobcast/core';
import { type Box, RenderInputError, type TemplateElement, type TextBinding } from '@jobcast/renders';
import QRCode from 'qrcode';
import { bound, colorOf, FIELD_LABELS, type SceneText, type SiteSettings } from './bindings.ts';
import { fontFace } from './text/font.ts';
import { fitText } from './text/layout.ts';
import { escapeXml, svgText } from './text/svg.ts';

/** Refuses a number of jobs the template was not made for, before anything is drawn. */
export function checkJobCount(template: string, allowed: { min: number; max: number }, count: number): void {
  if (count < allowed.min || count > allowed.max) {
    throw new RenderInputError(
      'MISSING_FIELD',
      `模板 ${template} 需要 ${allowed.min}–${allowed.max} 个岗位，给了 ${count} 个 (wrong number of jobs)`,
    );
  }
}

/** What drawing a page of a template needs besides its elements. */
export interface DrawContext {
  /** The template's folder, for its images. */
  dir: string;
  templateName: string;
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
      if (element.when !== undefined && (element.when === 'qr') !== Boolean(context.site.qrUrl)) return '';
      const value = element.text ?? bound(element.bind as TextBinding, job, context.site, context.text);
      if (value === '') {
        if (element.optional) return '';
        throw new RenderInputError(
          'MISSING_FIELD',
          `${element.bind?.startsWith('explainer.') ? '政策解读' : job ? `岗位“${job.title}”` : '站点设置'}缺少“${FIELD_LABELS[element.bind as TextBinding]}”，模板 ${context.templateName} 需要它 (missing field ${element.bind})`,
          { field: element.bind, job: job?.id },
        );
      }
      const field = element.bind ? FIELD_LABELS[element.bind] : '模板文字';
      const face = fontFace(element.style.weight);
      const fitted = fitText(element.prefix + value, { ...element.style, ...box }, face, {
        field,
        job: element.bind?.startsWith('job.') ? job?.title : undefined,
      });
      const x =
        element.style.align === 'middle'
          ? box.x + box.width / 2
          : element.style.align === 'end'
            ? box.x + box.width
            : box.x;
      return svgText(fitted, {
        x,
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
      const url = context.site.qrUrl;
      return url ? qrSvg(url, box, colorOf(element.color, context, context.site)) : '';
    }
  }
}

/** A QR code as vector squares on a white field with its quiet zone, as large as the box allows. */
export function qrSvg(text: string, box: Box, color: string): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 2;
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
