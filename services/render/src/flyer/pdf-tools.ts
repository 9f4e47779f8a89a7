/** What poppler-utils says of a PDF (pdffonts, pdfinfo), and its pages as PNG (pdftoppm). */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function poppler(tool: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(`找不到 ${tool}：请安装 poppler-utils 或运行 npm run setup`);
    }
    throw new Error(`${tool} 运行失败：${e.stderr?.trim() || e.message}`);
  }
}

export interface PdfFont {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
  subset: boolean;
}

/** The fonts of a PDF as pdffonts lists them. */
export async function pdfFonts(pdfPath: string): Promise<PdfFont[]> {
  const lines = (await poppler('pdffonts', [pdfPath])).split('\n');
  // The columns are as wide as the dashes under their headings (a type may have spaces: "CID Type 0C").
  const rule = lines.findIndex((line) => line.startsWith('---'));
  if (rule < 0) throw new Error(`pdffonts 没有列出 ${path.basename(pdfPath)} 的字体表`);
  const columns: [number, number][] = [];
  for (const match of (lines[rule] as string).matchAll(/-+/g))
    columns.push([match.index, match.index + match[0].length]);
  const cell = (line: string, i: number) => line.slice(...(columns[i] as [number, number])).trim();
  return lines
    .slice(rule + 1)
    .filter((line) => line.trim() !== '')
    .map((line) => ({
      name: cell(line, 0),
      type: cell(line, 1),
      encoding: cell(line, 2),
      embedded: cell(line, 3) === 'yes',
      subset: cell(line, 4) === 'yes',
    }));
}

export interface PdfPageBoxes {
  /** [x0, y0, x1, y1] in points. */
  mediaBox: number[];
  trimBox: number[];
  bleedBox: number[];
}

/** The page count and each page's boxes, as pdfinfo reads them. */
export async function pdfPages(pdfPath: string): Promise<PdfPageBoxes[]> {
  const count = Number(/^Pages:\s+(\d+)/m.exec(await poppler('pdfinfo', [pdfPath]))?.[1] ?? Number.NaN);
  if (!Number.isInteger(count) || count < 1) throw new Error(`pdfinfo 在 ${path.basename(pdfPath)} 里没有找到页面`);
  const info = await poppler('pdfinfo', ['-box', '-f', '1', '-l', String(count), pdfPath]);
  const box = (page: number, name: string) => {
    const match = new RegExp(`^Page\\s+${page} ${name}:((?:\\s+-?[\\d.]+){4})`, 'm').exec(info);
    if (!match) throw new Error(`pdfinfo 没有给出第 ${page} 页的 ${name}`);
    return (match[1] as string).trim().split(/\s+/).map(Number);
  };
  return Array.from({ length: count }, (_, i) => ({
    mediaBox: box(i + 1, 'MediaBox'),
    trimBox: box(i + 1, 'TrimBox'),
    bleedBox: box(i + 1, 'BleedBox'),
  }));
}

export interface FlyerShape {
  pages: number;
  widthPt: number;
  heightPt: number;
  bleedPt: number;
}

/**
 * Checks a written flyer before it is stored: every font embedded and subset, the page count, and
 * every page the trimmed size with its bleed. A failure is a plain Error (the render is retried).
 */
export async function checkFlyerPdf(pdfPath: string, expected: FlyerShape): Promise<void> {
  const fonts = await pdfFonts(pdfPath);
  if (fonts.length === 0) throw new Error('小报 PDF 里没有字体');
  const bad = fonts.filter((f) => !f.embedded || !f.subset);
  if (bad.length > 0) {
    const names = bad.map((f) => `${f.name}（${f.embedded ? '未子集化' : '未嵌入'}）`).join('、');
    throw new Error(`小报 PDF 的字体须嵌入并子集化：${names}`);
  }
  const pages = await pdfPages(pdfPath);
  if (pages.length !== expected.pages) {
    throw new Error(`小报 PDF 有 ${pages.length} 页，应为 ${expected.pages} 页`);
  }
  const { widthPt: w, heightPt: h, bleedPt: b } = expected;
  const media = [0, 0, w + 2 * b, h + 2 * b];
  const trim = [b, b, b + w, b + h];
  const near = (a: number[], e: number[]) => a.length === 4 && a.every((v, i) => Math.abs(v - (e[i] as number)) < 0.05);
  for (const [i, page] of pages.entries()) {
    if (!near(page.mediaBox, media) || !near(page.trimBox, trim) || !near(page.bleedBox, media)) {
      throw new Error(
        `小报第 ${i + 1} 页尺寸不对：MediaBox ${page.mediaBox.join(' ')}、TrimBox ${page.trimBox.join(' ')}，应为 ${media.map((v) => v.toFixed(2)).join(' ')} 和 ${trim.map((v) => v.toFixed(2)).join(' ')}`,
      );
    }
  }
}

/** The resolution of the previews: a whole A4 page on a screen, 794×1123 pixels. */
export const PREVIEW_DPI = 96;

/**
 * A PNG of each page of the flyer, the trimmed sheet only (the bleed is cut off, as the printer
 * will), written into `outDir`. Returns the files in page order.
 */
export async function flyerPreviews(pdfPath: string, outDir: string, shape: FlyerShape): Promise<string[]> {
  const px = (points: number) => Math.round((points * PREVIEW_DPI) / 72);
  await poppler('pdftoppm', [
    '-png',
    '-r',
    String(PREVIEW_DPI),
    '-x',
    String(px(shape.bleedPt)),
    '-y',
    String(px(shape.bleedPt)),
    '-W',
    String(px(shape.widthPt)),
    '-H',
    String(px(shape.heightPt)),
    pdfPath,
    path.join(outDir, 'page'),
  ]);
  // pdftoppm numbers the files page-1.png, or page-01.png from 10 pages on.
  const files = (await readdir(outDir))
    .map((name) => ({ name, page: Number(/^page-(\d+)\.png$/.exec(name)?.[1] ?? Number.NaN) }))
    .filter((f) => Number.isInteger(f.page))
    .sort((a, b) => a.page - b.page);
  if (files.length !== shape.pages) {
    throw new Error(`pdftoppm 生成了 ${files.length} 张预览图，应为 ${shape.pages} 张`);
  }
  return files.map((f) => path.join(outDir, f.name));
}
