/**
 * The monthly print flyer (招工小报): two sides of A4 or A3 with up to 24 jobs, gig jobs (零工) in a
 * section of their own. Lengths are in millimetres of the trimmed sheet (what a print designer
 * measures), font sizes in points. The arrangement of the bands is fixed; the template gives their
 * sizes, colours, wording and the card grids, and the jobs flow through the grids side by side.
 */
import { z } from 'zod';
import { color, jobBindings, textStyle } from './parts.ts';

/** Trimmed sheet sizes in millimetres (ISO 216, portrait). */
export const PAPER_MM = { A4: { width: 210, height: 297 }, A3: { width: 297, height: 420 } } as const;
export type PaperSize = keyof typeof PAPER_MM;

/** Points (1/72 in, the unit of PDF and of font sizes) in a millimetre. */
export const PT_PER_MM = 72 / 25.4;

const mm = (max: number) => z.number().min(0).max(max);

/** The job fields a card may show: every one a template can bind. */
const cardBindings = jobBindings;

/** One field of a card: a cell of a card row, sharing the row's width with its neighbours by `share`. */
const cardCell = z.object({
  bind: z.enum(cardBindings),
  /** Put before the value: "地点：". */
  prefix: z.string().max(20).default(''),
  /** A field a job may lack: the cell is left empty (or shows `fallback`) instead of failing. */
  optional: z.boolean().default(false),
  /** Shown, after the prefix, when an optional field is empty: "若干", "详询服务热线". */
  fallback: z.string().min(1).max(40).optional(),
  share: z.number().positive().max(10).default(1),
  style: textStyle,
});

const cardRow = z.object({ heightMm: z.number().positive().max(100), cells: z.array(cardCell).min(1).max(3) });

/** A job's card; cards are laid in `columns` equal columns across the page. */
const card = z.object({
  columns: z.number().int().min(1).max(4),
  heightMm: z.number().positive().max(250),
  paddingMm: mm(10).default(2.5),
  radiusMm: mm(10).default(1.5),
  background: color.default('#ffffff'),
  /** A thin outline; none when absent. */
  border: color.optional(),
  /** A band down the card's left edge, this wide, in the section's colour (0: none). */
  barMm: mm(5).default(1.2),
  rows: z.array(cardRow).min(1).max(8),
});

const section = z.object({
  /** The heading over the section's cards: "本月招聘岗位", "零工专区（日结·短期）". */
  title: z.string().min(1).max(40),
  /** The heading's band and the cards' side bar. */
  color,
  card,
});

/** A band across the page at the top or bottom: its colour reaches into the bleed. */
const bandColor = color.default('primary');

export const flyerTemplate = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    kind: z.literal('flyer'),
    title: z.string().min(1),
    page: z.object({
      size: z.enum(['A4', 'A3']),
      /** Colour printed past the trim on every side, so a band cut slightly off still reaches the edge. */
      bleedMm: mm(10).default(3),
      /** Text and cards stay this far inside the trim (printers ask for at least 3 mm). */
      marginMm: z.number().min(3).max(40).default(8),
      /** Between cards, rows and sections. */
      gapMm: mm(20).default(3),
    }),
    colors: z.object({ primary: color, accent: color }),
    background: color.default('#ffffff'),
    /** `max` jobs in all, of which at most `gigMax` gig jobs (零工). */
    jobs: z.object({ max: z.number().int().min(1).max(24), gigMax: z.number().int().min(0).max(24) }),
    /** The front's top band: the flyer's name and the office on the left, issue and month on the right. */
    masthead: z.object({
      heightMm: z.number().positive().max(150),
      color: bandColor,
      /** The flyer's name as printed: "招工小报". */
      title: z.string().min(1).max(20),
      /** Of the band's height, what the name takes; the office's name has the rest. */
      titleHeightMm: z.number().positive().max(150),
      /** The issue box at the right: 第N期 over the month, white. */
      issueWidthMm: z.number().positive().max(150),
      titleStyle: textStyle,
      officeStyle: textStyle,
      issueStyle: textStyle,
      monthStyle: textStyle,
    }),
    /** The back's top band: the flyer's name, issue and month; the office on the right. */
    runningHead: z.object({ heightMm: z.number().positive().max(60), color: bandColor, style: textStyle }),
    /** Both sides' bottom band: the office's name, hotline and address, and the QR code of its site. */
    footer: z.object({
      heightMm: z.number().positive().max(100),
      color: bandColor,
      qrSizeMm: z.number().min(15).max(80),
      /** Under the address, beside the QR code: "扫码查看更多岗位". */
      qrCaption: z.string().min(1).max(40),
      nameStyle: textStyle,
      lineStyle: textStyle,
    }),
    sectionTitle: z.object({ heightMm: z.number().positive().max(40), style: textStyle }),
    sections: z.object({ regular: section, gig: section }),
    /**
     * Fixed wording for job seekers (求职提示: no deposits, report abuse), above the back's footer. It
     * is printed when the jobs leave it room, and left out when they do not: jobs come first.
     */
    notice: z
      .object({
        heightMm: z.number().positive().max(150),
        title: z.string().min(1).max(20),
        text: z.string().min(1).max(400),
        /** The title's colour and the box's outline. */
        color: color.default('accent'),
        background: color.default('#ffffff'),
        titleStyle: textStyle,
        textStyle,
      })
      .optional(),
  })
  // The consistency of the numbers: checked once each is within its bounds (a column count of 0
  // would never end the plan).
  .superRefine(
    (t, ctx) => {
      const paper = PAPER_MM[t.page.size];
      const { marginMm: margin } = t.page;
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', message, path });
      if (2 * margin + t.masthead.issueWidthMm + 20 > paper.width) {
        issue(['masthead', 'issueWidthMm'], `${t.page.size} 纸上放不下小报名称`);
      }
      const m = mastheadSlots(t);
      if (m.office <= 0) {
        issue(['masthead', 'titleHeightMm'], `报头高 ${t.masthead.heightMm} 毫米，放不下单位名称`);
      }
      if (t.footer.qrSizeMm > bandInnerMm(t, 'footer')) {
        issue(['footer', 'qrSizeMm'], `${t.footer.qrSizeMm} 毫米的二维码在页边距内放不进页脚`);
      }
      // Every slot must hold one line at its smallest size, or nothing could ever be printed there.
      const fits = (heightMm: number, style: { minSize: number }, path: (string | number)[]) => {
        if (style.minSize > heightMm * PT_PER_MM) {
          issue([...path, 'minSize'], `${style.minSize} 磅的字放不进 ${heightMm.toFixed(1)} 毫米高的位置`);
        }
      };
      fits(m.title, t.masthead.titleStyle, ['masthead', 'titleStyle']);
      fits(m.office, t.masthead.officeStyle, ['masthead', 'officeStyle']);
      fits(m.issue, t.masthead.issueStyle, ['masthead', 'issueStyle']);
      fits(m.month, t.masthead.monthStyle, ['masthead', 'monthStyle']);
      fits(bandInnerMm(t, 'runningHead'), t.runningHead.style, ['runningHead', 'style']);
      const line = footerLineMm(t);
      fits(line, t.footer.nameStyle, ['footer', 'nameStyle']);
      fits(line, t.footer.lineStyle, ['footer', 'lineStyle']);
      fits(t.sectionTitle.heightMm, t.sectionTitle.style, ['sectionTitle', 'style']);
      if (t.notice) {
        const n = noticeSlots(t.notice);
        if (n.text <= 0) issue(['notice', 'heightMm'], '标题下面放不下正文');
        else fits(n.text, t.notice.textStyle, ['notice', 'textStyle']);
      }
      for (const kind of ['regular', 'gig'] as const) {
        const c = t.sections[kind].card;
        const path = ['sections', kind, 'card'];
        const rows = c.rows.reduce((sum, r) => sum + r.heightMm, 0);
        if (rows + 2 * c.paddingMm > c.heightMm) {
          issue([...path, 'rows'], `各行共 ${rows} 毫米，超过卡片高 ${c.heightMm} 毫米减去内边距`);
        }
        for (const [i, row] of c.rows.entries()) {
          for (const [j, cell] of row.cells.entries())
            fits(row.heightMm, cell.style, [...path, 'rows', i, 'cells', j, 'style']);
        }
        if (cardWidthMm(t, kind) < 30) issue([...path, 'columns'], `分 ${c.columns} 栏时卡片窄于 30 毫米`);
      }
      if (t.jobs.gigMax > t.jobs.max) issue(['jobs', 'gigMax'], `不能超过 jobs.max（${t.jobs.max}）`);
      // The grids must take every allowed mix of jobs: the most jobs, with any number of gig jobs.
      for (let gig = 0; gig <= Math.min(t.jobs.gigMax, t.jobs.max); gig++) {
        const plan = planFlyer(t, { regular: t.jobs.max - gig, gig });
        if (!plan) {
          issue(['jobs', 'max'], `${t.jobs.max} 个岗位（其中零工 ${gig} 个）两面放不下`);
          break;
        }
      }
    },
    { when: (payload) => payload.issues.length === 0 },
  );
export type FlyerTemplate = z.infer<typeof flyerTemplate>;
export type FlyerCard = FlyerTemplate['sections']['regular']['card'];
export type FlyerSection = 'regular' | 'gig';

/** The files of the template's folder a flyer template names (none: it draws no pictures). */
export function flyerAssets(_template: FlyerTemplate): string[] {
  return [];
}

/** A rectangle in millimetres from the trimmed sheet's top left corner. */
export interface MmBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FlyerBlock =
  | { type: 'title'; section: FlyerSection; box: MmBox }
  | { type: 'notice'; box: MmBox }
  /** `job`: the job's place among its section's jobs (0-based). */
  | { type: 'card'; section: FlyerSection; job: number; box: MmBox };

/** One side: its top band (the masthead on the front), its bottom band, and the sections between. */
export interface FlyerSide {
  head: 'masthead' | 'runningHead';
  headBox: MmBox;
  footBox: MmBox;
  blocks: FlyerBlock[];
}

/**
 * The height a band leaves for text: text keeps the page margin from the trim at the sheet's edge
 * (the band's colour runs on into the bleed) and the gap on the side of the cards.
 */
export function bandInnerMm(t: FlyerTemplate, band: 'masthead' | 'runningHead' | 'footer'): number {
  return t[band].heightMm - t.page.marginMm - t.page.gapMm;
}

/** The heights of the masthead's four text slots: name over office on the left, issue over month on the right. */
export function mastheadSlots(t: FlyerTemplate) {
  const inner = bandInnerMm(t, 'masthead');
  return {
    title: t.masthead.titleHeightMm,
    office: inner - t.masthead.titleHeightMm,
    issue: inner * 0.58,
    month: inner * 0.42,
  };
}

/** Inside the notice box: its padding, the title's line and what is left for the text (mm). */
export function noticeSlots(n: { heightMm: number; titleStyle: { maxSize: number } }) {
  const padding = 2.5;
  const title = (n.titleStyle.maxSize * 1.3) / PT_PER_MM;
  return { padding, title, text: n.heightMm - 2 * padding - title };
}

/** The footer's text lines: office, hotline, address and the QR caption, one above the other. */
export function footerLineMm(t: FlyerTemplate): number {
  return bandInnerMm(t, 'footer') / 4;
}

export function cardWidthMm(t: FlyerTemplate, section: FlyerSection): number {
  const { columns } = t.sections[section].card;
  const content = PAPER_MM[t.page.size].width - 2 * t.page.marginMm;
  return (content - (columns - 1) * t.page.gapMm) / columns;
}

/** How much taller than the template's cards a side's cards may grow to fill what the jobs leave empty. */
const MAX_CARD_GROWTH = 0.4;
/** How much wider, in template gaps, the space above a section's heading may grow after that. */
const MAX_BREAK_GROWTH = 3;

/**
 * Where everything goes for `counts` jobs: the regular jobs' section, then the gig jobs', each a
 * heading and rows of cards, flowing down the front and on down the back. A heading never ends a
 * side without a row under it. A side the jobs do not fill is filled by the jobs, not left as a
 * blank band: its cards grow (at most MAX_CARD_GROWTH) and the space above a later section's
 * heading widens (at most MAX_BREAK_GROWTH gaps). Null when the jobs do not fit the two sides.
 */
export function planFlyer(t: FlyerTemplate, counts: Record<FlyerSection, number>): FlyerSide[] | null {
  const paper = PAPER_MM[t.page.size];
  const { marginMm: margin, gapMm: gap } = t.page;
  const width = paper.width - 2 * margin;
  const footBox = { x: 0, y: paper.height - t.footer.heightMm, width: paper.width, height: t.footer.heightMm };
  const sides: FlyerSide[] = [
    {
      head: 'masthead',
      headBox: { x: 0, y: 0, width: paper.width, height: t.masthead.heightMm },
      footBox,
      blocks: [],
    },
    {
      head: 'runningHead',
      headBox: { x: 0, y: 0, width: paper.width, height: t.runningHead.heightMm },
      footBox,
      blocks: [],
    },
  ];
  const bottom = footBox.y - gap;
  const topOf = (side: number) => (sides[side] as FlyerSide).headBox.height + gap;

  type Strip = { section: FlyerSection; height: number; jobs: number[] | null };
  const strips: Strip[] = [];
  for (const section of ['regular', 'gig'] as const) {
    const n = counts[section];
    if (n <= 0) continue;
    const { columns, heightMm } = t.sections[section].card;
    strips.push({ section, height: t.sectionTitle.heightMm, jobs: null });
    for (let first = 0; first < n; first += columns) {
      strips.push({
        section,
        height: heightMm,
        jobs: Array.from({ length: Math.min(columns, n - first) }, (_, i) => first + i),
      });
    }
  }

  // Which side each strip goes on.
  const onSide: Strip[][] = sides.map(() => []);
  let side = 0;
  let y = topOf(0);
  for (const [i, strip] of strips.entries()) {
    const next = strips[i + 1];
    // A heading needs its first row beside it on the same side.
    const need = strip.jobs === null && next ? strip.height + gap + next.height : strip.height;
    if (y + need > bottom) {
      side++;
      if (side >= sides.length) return null;
      y = topOf(side);
      if (y + need > bottom) return null;
    }
    (onSide[side] as Strip[]).push(strip);
    y += strip.height + gap;
  }

  const last = sides.length - 1;
  const back = sides[last] as FlyerSide;
  let end = sides.map(() => bottom);
  if (t.notice) {
    const noticeTop = bottom - t.notice.heightMm;
    if (noticeTop >= (side === last ? y : topOf(last))) {
      back.blocks.push({ type: 'notice', box: { x: margin, y: noticeTop, width, height: t.notice.heightMm } });
      end = end.map((e, i) => (i === last ? noticeTop - gap : e));
    }
  }

  for (const [i, placed] of onSide.entries()) {
    const top = topOf(i);
    const used = placed.reduce((sum, strip) => sum + strip.height, 0) + Math.max(0, placed.length - 1) * gap;
    let free = Math.max(0, (end[i] as number) - top - used);
    const cardHeight = placed.reduce((sum, strip) => sum + (strip.jobs ? strip.height : 0), 0);
    const growth = cardHeight > 0 ? Math.min(free / cardHeight, MAX_CARD_GROWTH) : 0;
    free -= growth * cardHeight;
    const breaks = placed.filter((strip, n) => n > 0 && strip.jobs === null).length;
    const breakGrowth = breaks > 0 ? Math.min(free / breaks, MAX_BREAK_GROWTH * gap) : 0;

    const blocks = (sides[i] as FlyerSide).blocks;
    let at = top;
    for (const [n, strip] of placed.entries()) {
      if (n > 0 && strip.jobs === null) at += breakGrowth;
      if (strip.jobs === null) {
        blocks.push({ type: 'title', section: strip.section, box: { x: margin, y: at, width, height: strip.height } });
        at += strip.height + gap;
        continue;
      }
      const height = strip.height * (1 + growth);
      const cardWidth = cardWidthMm(t, strip.section);
      for (const [column, job] of strip.jobs.entries()) {
        blocks.push({
          type: 'card',
          section: strip.section,
          job,
          box: { x: margin + column * (cardWidth + gap), y: at, width: cardWidth, height },
        });
      }
      at += height + gap;
    }
  }
  return sides;
}
