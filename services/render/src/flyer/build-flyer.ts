/**
 * The flyer drawn as a print-ready PDF: every piece of text fitted with the real font (never cut),
 * set in the embedded, subset Noto Sans CJK SC faces; QR codes as vector squares; colour bands run
 * into the bleed. Pure and CPU-bound: it runs on a thread of its own (flyer-thread.ts).
 */
import { readFileSync } from 'node:fs';
import type { JobView } from '@jobcast/core';
import {
  type FlyerSection,
  type FlyerTemplate,
  type MmBox,
  noticeSlots,
  PAPER_MM,
  PT_PER_MM,
  planFlyer,
  RenderInputError,
} from '@jobcast/renders/templates';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { bound, colorOf, FIELD_LABELS, type SiteSettings } from '../bindings.ts';
import { QR_QUIET_MODULES } from '../qr.ts';
import { type FontWeight, fontFace } from '../text/font.ts';
import { type FittedText, fitText, type TextOwner } from '../text/layout.ts';

export interface FlyerIssue {
  /** 第 N 期. */
  number: number;
  /** YYYY-MM. */
  month: string;
  /** The issue's revision (a month asked for again): in the PDF's metadata, not printed. */
  revision: number;
}

export interface FlyerInput {
  /** In order; gig jobs (category 'gig') go to their own section, the others keep their order. */
  jobs: JobView[];
  issue: FlyerIssue;
  site: SiteSettings;
}

export interface FlyerPdf {
  pdf: Uint8Array;
  pages: number;
  /** The trimmed sheet, in PDF points (what TrimBox says). */
  widthPt: number;
  heightPt: number;
  /** The bleed on each side, in points: MediaBox is the trim grown by this on every side. */
  bleedPt: number;
  /** How many jobs went to each section. */
  regularJobs: number;
  gigJobs: number;
  /** Time spent building the PDF, in milliseconds. */
  buildMs: number;
}

/** The two sides a flyer always has, printed back to back. */
export const FLYER_SIDES = 2;

/** The face names in the Noto Sans CJK collections: a .ttc is opened by its face's PostScript name. */
const FONT_NAMES: Record<FontWeight, string> = { regular: 'jobcast-regular', bold: 'jobcast-bold' };

const pt = (mm: number) => mm * PT_PER_MM;

/** The font files' bytes, read once per thread (about 20 MB each): pdfkit would read them again for every flyer. */
const fontFiles = new Map<string, Buffer>();
function fontFile(path: string): Buffer {
  let bytes = fontFiles.get(path);
  if (!bytes) {
    bytes = readFileSync(path);
    fontFiles.set(path, bytes);
  }
  return bytes;
}

type CardCell = FlyerTemplate['sections']['regular']['card']['rows'][number]['cells'][number];
type TextStyle = CardCell['style'];

/** "2026-11" → "2026年11月". */
export function monthLabel(month: string): string {
  const match = /^(\d{4})-(\d{2})/.exec(month);
  if (!match) throw new RenderInputError('MISSING_FIELD', `小报月份应写作“年-月”，如 2026-11，收到“${month}”`);
  return `${match[1]}年${Number(match[2])}月`;
}

export async function buildFlyerPdf(t: FlyerTemplate, input: FlyerInput): Promise<FlyerPdf> {
  const started = performance.now();
  const { site, issue } = input;
  const jobs: Record<FlyerSection, JobView[]> = {
    regular: input.jobs.filter((j) => j.category !== 'gig'),
    gig: input.jobs.filter((j) => j.category === 'gig'),
  };
  if (input.jobs.length < 1 || input.jobs.length > t.jobs.max) {
    throw new RenderInputError(
      'MISSING_FIELD',
      `「${t.title}」需要 1 到 ${t.jobs.max} 个岗位，给了 ${input.jobs.length} 个`,
    );
  }
  if (jobs.gig.length > t.jobs.gigMax) {
    throw new RenderInputError(
      'MISSING_FIELD',
      `「${t.title}」的零工专区最多放 ${t.jobs.gigMax} 个零工岗位，给了 ${jobs.gig.length} 个`,
    );
  }
  const plan = planFlyer(t, { regular: jobs.regular.length, gig: jobs.gig.length });
  if (!plan) {
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `「${t.title}」两面放不下 ${jobs.regular.length} 个岗位和 ${jobs.gig.length} 个零工岗位`,
    );
  }
  const month = monthLabel(issue.month);
  const issueLabel = `第${issue.number}期`;

  const paper = PAPER_MM[t.page.size];
  const width = pt(paper.width);
  const height = pt(paper.height);
  const bleed = pt(t.page.bleedMm);
  const faces = { regular: fontFace('regular'), bold: fontFace('bold') };
  const doc = new PDFDocument({
    size: [width + 2 * bleed, height + 2 * bleed],
    margin: 0,
    autoFirstPage: false,
    // No default font: pdfkit would otherwise reference Helvetica, which is never embedded.
    font: null as unknown as string,
    info: {
      Title: `${t.masthead.title} ${issueLabel} ${month}`,
      Author: site.name,
      Subject: `${t.title}; revision ${issue.revision}`,
      Creator: 'JobCast',
    },
  });
  for (const weight of ['regular', 'bold'] as const) {
    doc.registerFont(FONT_NAMES[weight], fontFile(faces[weight].file), faces[weight].postscriptName);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const hex = (c: string) => colorOf(c, t, site);

  /** Fits `text` into a box (millimetres) and sets it; the box's top is the first line's top. */
  const text = (value: string, box: MmBox, style: TextStyle, owner: TextOwner) => {
    const face = faces[style.weight];
    const slot = { ...style, width: pt(box.width), height: pt(box.height) };
    const fitted = fitText(value, slot, face, owner);
    setLines(fitted, box, style);
  };
  const setLines = (fitted: FittedText, box: MmBox, style: TextStyle) => {
    const face = faces[style.weight];
    doc.font(FONT_NAMES[style.weight]).fontSize(fitted.size).fillColor(hex(style.color));
    // Centred in the box's height, as the poster's rows are not: a flyer's slots are tight.
    const used = (fitted.lines.length - 1) * fitted.lineHeightPx + fitted.size;
    const top = pt(box.y) + Math.max(0, (pt(box.height) - used) / 2);
    for (const [i, line] of fitted.lines.entries()) {
      if (line === '') continue;
      const lineWidth = face.width(line, fitted.size);
      const free = pt(box.width) - lineWidth;
      const x = pt(box.x) + (style.align === 'middle' ? free / 2 : style.align === 'end' ? free : 0);
      // The baseline: the glyphs' ascent (about 0.88 em) below the line's top, as in the SVG renderer.
      const baseline = top + i * fitted.lineHeightPx + fitted.size * 0.88;
      doc.text(line, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
    }
  };
  /** A rectangle in millimetres, filled. */
  const fill = (box: MmBox, color: string, radiusMm = 0) => {
    const [x, y, w, h] = [pt(box.x), pt(box.y), pt(box.width), pt(box.height)];
    (radiusMm > 0 ? doc.roundedRect(x, y, w, h, pt(radiusMm)) : doc.rect(x, y, w, h)).fill(hex(color));
  };
  /** A band across the sheet, grown into the bleed on its three outer sides. */
  const band = (box: MmBox, color: string, edge: 'top' | 'bottom') => {
    const b = t.page.bleedMm;
    fill({ x: -b, y: edge === 'top' ? -b : box.y, width: paper.width + 2 * b, height: box.height + b }, color);
  };
  const siteText = (binding: 'site.name' | 'site.hotline' | 'site.address') => bound(binding, undefined, site);
  const siteOwner = (binding: 'site.name' | 'site.hotline' | 'site.address'): TextOwner => ({
    field: FIELD_LABELS[binding],
  });

  const { marginMm: margin, gapMm: gap } = t.page;
  const inner = paper.width - 2 * margin;

  const drawMasthead = (box: MmBox) => {
    const m = t.masthead;
    band(box, m.color, 'top');
    const top = margin;
    const innerHeight = m.heightMm - margin - gap;
    const leftWidth = inner - m.issueWidthMm - gap;
    text(m.title, { x: margin, y: top, width: leftWidth, height: m.titleHeightMm }, m.titleStyle, {
      field: '小报名称',
    });
    text(
      siteText('site.name'),
      { x: margin, y: top + m.titleHeightMm, width: leftWidth, height: innerHeight - m.titleHeightMm },
      m.officeStyle,
      siteOwner('site.name'),
    );
    const issueBox = { x: paper.width - margin - m.issueWidthMm, y: top, width: m.issueWidthMm, height: innerHeight };
    fill(issueBox, '#ffffff', 2);
    const pad = 1.5;
    const inside = { x: issueBox.x + pad, width: issueBox.width - 2 * pad };
    const numberHeight = (innerHeight - 2 * pad) * 0.58;
    text(issueLabel, { ...inside, y: top + pad, height: numberHeight }, m.issueStyle, { field: '期号' });
    text(
      month,
      { ...inside, y: top + pad + numberHeight, height: innerHeight - 2 * pad - numberHeight },
      m.monthStyle,
      { field: '月份' },
    );
  };

  const drawRunningHead = (box: MmBox) => {
    const r = t.runningHead;
    band(box, r.color, 'top');
    const slot = { y: margin, height: r.heightMm - margin - gap };
    const leftWidth = inner * 0.55;
    text(`${t.masthead.title} · ${issueLabel} · ${month}`, { ...slot, x: margin, width: leftWidth }, r.style, {
      field: '页眉',
    });
    text(
      siteText('site.name'),
      { ...slot, x: margin + leftWidth + gap, width: inner - leftWidth - gap },
      { ...r.style, align: 'end' },
      siteOwner('site.name'),
    );
  };

  const drawFooter = (box: MmBox) => {
    const f = t.footer;
    band(box, f.color, 'bottom');
    const top = box.y + gap;
    const innerHeight = f.heightMm - gap - margin;
    const line = innerHeight / 4;
    const qr = site.qrUrl?.trim() || null;
    const textWidth = qr ? inner - f.qrSizeMm - gap : inner;
    const lines: [string, TextStyle, TextOwner][] = [[siteText('site.name'), f.nameStyle, siteOwner('site.name')]];
    const hotline = siteText('site.hotline');
    if (hotline) lines.push([`服务热线：${hotline}`, f.lineStyle, siteOwner('site.hotline')]);
    const address = siteText('site.address');
    if (address) lines.push([`地址：${address}`, f.lineStyle, siteOwner('site.address')]);
    if (qr) lines.push([f.qrCaption, f.lineStyle, { field: '二维码说明' }]);
    for (const [i, [value, style, owner]] of lines.entries()) {
      text(value, { x: margin, y: top + i * line, width: textWidth, height: line }, style, owner);
    }
    if (qr) {
      const side = f.qrSizeMm;
      drawQr(qr, {
        x: paper.width - margin - side,
        y: top + (innerHeight - side) / 2,
        width: side,
        height: side,
      });
    }
  };

  /** The QR code as vector squares (a row's adjacent dark modules as one), on a white field with its quiet zone. */
  const drawQr = (url: string, box: MmBox) => {
    fill(box, '#ffffff', 1);
    const modules = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
    const count = modules.size;
    const quiet = QR_QUIET_MODULES;
    const size = pt(box.width) / (count + 2 * quiet);
    const x0 = pt(box.x) + quiet * size;
    const y0 = pt(box.y) + quiet * size;
    for (let row = 0; row < count; row++) {
      for (let col = 0; col < count; ) {
        if (!modules.get(row, col)) {
          col++;
          continue;
        }
        const start = col;
        while (col < count && modules.get(row, col)) col++;
        doc.rect(x0 + start * size, y0 + row * size, (col - start) * size, size);
      }
    }
    doc.fill('#000000');
  };

  const drawTitle = (section: FlyerSection, box: MmBox) => {
    const s = t.sections[section];
    fill(box, s.color, 1);
    const pad = 2.5;
    text(s.title, { x: box.x + pad, y: box.y, width: box.width - 2 * pad, height: box.height }, t.sectionTitle.style, {
      field: '栏目标题',
    });
  };

  /** The template's notice to job seekers: a title over its text, in an outlined box. */
  const drawNotice = (box: MmBox) => {
    const n = t.notice;
    if (!n) return;
    const [x, y, w, h] = [pt(box.x), pt(box.y), pt(box.width), pt(box.height)];
    doc.roundedRect(x, y, w, h, pt(1.5)).lineWidth(0.75).fillAndStroke(hex(n.background), hex(n.color));
    const slots = noticeSlots(n);
    const left = box.x + slots.padding;
    const innerWidth = box.width - 2 * slots.padding;
    text(n.title, { x: left, y: box.y + slots.padding, width: innerWidth, height: slots.title }, n.titleStyle, {
      field: '提示标题',
    });
    text(
      n.text,
      { x: left, y: box.y + slots.padding + slots.title, width: innerWidth, height: slots.text },
      n.textStyle,
      { field: '提示内容' },
    );
  };

  /** A card's cells with their boxes: rows spread over the card's height, cells sharing a row by `share`. */
  const cardCells = (section: FlyerSection, box: MmBox): { cell: CardCell; box: MmBox }[] => {
    const c = t.sections[section].card;
    const left = box.x + c.barMm + c.paddingMm;
    const contentWidth = box.width - c.barMm - 2 * c.paddingMm;
    const rowsHeight = c.rows.reduce((sum, r) => sum + r.heightMm, 0);
    const innerHeight = box.height - 2 * c.paddingMm;
    // What the rows leave of the card is spread between them.
    const spacing = c.rows.length > 1 ? (innerHeight - rowsHeight) / (c.rows.length - 1) : 0;
    const cells: { cell: CardCell; box: MmBox }[] = [];
    let rowTop = box.y + c.paddingMm;
    for (const row of c.rows) {
      const shares = row.cells.reduce((sum, cell) => sum + cell.share, 0);
      const free = contentWidth - (row.cells.length - 1) * gap;
      let cellLeft = left;
      for (const cell of row.cells) {
        const cellWidth = (free * cell.share) / shares;
        cells.push({ cell, box: { x: cellLeft, y: rowTop, width: cellWidth, height: row.heightMm } });
        cellLeft += cellWidth + gap;
      }
      rowTop += row.heightMm + spacing;
    }
    return cells;
  };

  const jobName = (job: JobView) => `${job.title} #${job.id}`;

  /** What a cell shows for a job: its value after the prefix, the fallback, or null (left empty). */
  const cellText = (cell: CardCell, job: JobView): string | null => {
    const value = bound(cell.bind, job, site, undefined, t.title);
    if (value !== '') return cell.prefix + value;
    if (!cell.optional) {
      throw new RenderInputError(
        'MISSING_FIELD',
        `岗位“${jobName(job)}”缺少“${FIELD_LABELS[cell.bind]}”，「${t.title}」需要它`,
        { field: cell.bind, job: job.id },
      );
    }
    return cell.fallback ? cell.prefix + cell.fallback : null;
  };

  /**
   * Pay is set at one size on every card of the flyer, so no job's pay looks more or less than
   * another's: the largest size at which each card's pay fits its cell.
   */
  const paySize = Math.min(
    ...plan.flatMap((side) =>
      side.blocks.flatMap((block) => {
        if (block.type !== 'card') return [];
        const job = jobs[block.section][block.job] as JobView;
        return cardCells(block.section, block.box).flatMap(({ cell, box }) => {
          const shown = cell.bind === 'job.pay' ? cellText(cell, job) : null;
          if (shown === null) return [];
          const slot = { ...cell.style, width: pt(box.width), height: pt(box.height) };
          return [
            fitText(shown, slot, faces[cell.style.weight], { field: FIELD_LABELS[cell.bind], job: jobName(job) }).size,
          ];
        });
      }),
    ),
  );

  const drawCard = (section: FlyerSection, job: JobView, box: MmBox) => {
    const c = t.sections[section].card;
    const [x, y, w, h] = [pt(box.x), pt(box.y), pt(box.width), pt(box.height)];
    const shape = doc.roundedRect(x, y, w, h, pt(c.radiusMm));
    if (c.border) shape.lineWidth(0.5).fillAndStroke(hex(c.background), hex(c.border));
    else shape.fill(hex(c.background));
    if (c.barMm > 0) {
      doc.save();
      doc.roundedRect(x, y, w, h, pt(c.radiusMm)).clip();
      doc.rect(x, y, pt(c.barMm), h).fill(hex(t.sections[section].color));
      doc.restore();
    }
    for (const { cell, box: cellBox } of cardCells(section, box)) {
      const shown = cellText(cell, job);
      if (shown === null) continue;
      const style =
        cell.bind === 'job.pay'
          ? { ...cell.style, maxSize: paySize, minSize: Math.min(cell.style.minSize, paySize) }
          : cell.style;
      text(shown, cellBox, style, { field: FIELD_LABELS[cell.bind], job: jobName(job) });
    }
  };

  for (const side of plan) {
    doc.addPage({ size: [width + 2 * bleed, height + 2 * bleed], margin: 0 });
    // pdfkit writes neither box: the trimmed sheet, and the bleed (the whole page).
    const page = doc.page as unknown as { dictionary: { data: Record<string, unknown> } };
    page.dictionary.data.TrimBox = [bleed, bleed, bleed + width, bleed + height];
    page.dictionary.data.BleedBox = [0, 0, width + 2 * bleed, height + 2 * bleed];
    // From here on, millimetres are measured from the trimmed sheet's top left corner.
    doc.translate(bleed, bleed);
    fill(
      {
        x: -t.page.bleedMm,
        y: -t.page.bleedMm,
        width: paper.width + 2 * t.page.bleedMm,
        height: paper.height + 2 * t.page.bleedMm,
      },
      t.background,
    );
    if (side.head === 'masthead') drawMasthead(side.headBox);
    else drawRunningHead(side.headBox);
    for (const block of side.blocks) {
      if (block.type === 'title') drawTitle(block.section, block.box);
      else if (block.type === 'notice') drawNotice(block.box);
      else drawCard(block.section, jobs[block.section][block.job] as JobView, block.box);
    }
    drawFooter(side.footBox);
  }
  doc.end();
  await ended;
  const pdf = Buffer.concat(chunks);
  return {
    pdf,
    pages: plan.length,
    widthPt: width,
    heightPt: height,
    bleedPt: bleed,
    regularJobs: jobs.regular.length,
    gigJobs: jobs.gig.length,
    buildMs: performance.now() - started,
  };
}
