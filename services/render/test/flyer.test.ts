import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@jobcast/config';
import type { JobView } from '@jobcast/core';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  createRender,
  type Database,
  ensureSite,
  getRender,
  prepareJob,
  requestFlyerIssue,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import type { Producer } from '@jobcast/queue';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { LocalMediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  checkFlyerPdf,
  type FlyerPdf,
  flyerPreviews,
  type LoadedTemplate,
  loadTemplate,
  pdfFonts,
  pdfPages,
  RenderInputError,
  renderFlyer,
  runRender,
  type SiteSettings,
  stopFlyerThread,
} from '../src/index.ts';
import { failure } from './helpers.ts';

const run = promisify(execFile);
const { templatesDir } = loadConfig({});
const site: SiteSettings = samplePosterSite;
const issue = { number: 3, month: '2026-11', revision: 1 };
const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const BLEED = 3 * MM;

const titles = [
  '叉车司机',
  '电工',
  '缝纫工',
  '收银员',
  '保洁员',
  '厨师',
  '仓库管理员',
  '普工（长白班）',
  '质检员',
  '焊工',
  '客服专员',
  '外卖配送员',
  '电子装配工',
  '保安',
  '数控车床操作工',
  '会计',
  '货车司机（C照）',
  '导购',
];
const gigTitles = ['临时搬运工', '日结装卸工', '家政保洁（钟点）', '活动布展', '采摘工', '发传单'];
const evil = `<script>&%{x}'\\:{{t}}`;

/** 18 jobs and 6 gig jobs (mixed in, as a person picks them): the template's 24. */
function fullFlyerJobs(): JobView[] {
  const regular = titles.map((title, i) =>
    samplePosterJob({ id: i + 1, title, employer: `南昌洪城第${i + 1}电子科技有限公司`, headcount: 3 + i }),
  );
  const gig = gigTitles.map((title, i) =>
    samplePosterJob({
      id: 100 + i,
      title,
      employer: `南昌瑶湖第${i + 1}劳务服务有限公司`,
      category: 'gig',
      pay: { min: 150, max: 200, unit: 'day', negotiable: false, months: null, text: null },
      location: '南昌县莲塘镇',
    }),
  );
  return regular.flatMap((job, i) => (i % 3 === 2 && gig.length > 0 ? [job, gig.shift() as JobView] : [job]));
}

let dir: string;
let a4: LoadedTemplate<'flyer'>;
/** The 24-job flyer with injection strings in one job and the site's address, built once. */
let full: FlyerPdf;
let fullPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-flyer-'));
  a4 = await loadTemplate(templatesDir, 'monthly-flyer', 'flyer');
  const jobs = fullFlyerJobs();
  jobs[4] = {
    ...(jobs[4] as JobView),
    title: evil,
    employer: evil,
    location: evil,
    contact: { name: evil, phone: null },
  };
  full = await renderFlyer(a4, { jobs, issue, site: { ...site, address: `${evil}大厅` } });
  fullPath = path.join(dir, 'full.pdf');
  await writeFile(fullPath, full.pdf);
});
afterAll(async () => {
  await stopFlyerThread();
  await rm(dir, { recursive: true, force: true });
});

async function pdfText(file: string): Promise<string> {
  return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
}

/** A copy of the A4 template in a folder of its own, changed by `edit`. */
async function variant(edit: (template: Record<string, unknown>) => void): Promise<string> {
  const templates = path.join(dir, `templates-${randomBytes(3).toString('hex')}`);
  await mkdir(path.join(templates, 'monthly-flyer'), { recursive: true });
  const json = JSON.parse(await readFile(path.join(templatesDir, 'monthly-flyer', 'template.json'), 'utf8'));
  edit(json);
  await writeFile(path.join(templates, 'monthly-flyer', 'template.json'), JSON.stringify(json));
  return templates;
}

const near = (actual: number[], expected: number[]) =>
  expect(actual.map((v) => v.toFixed(1))).toEqual(expected.map((v) => v.toFixed(1)));

describe('the monthly-flyer template, 24 jobs', () => {
  it('prints two sides of A4 with 3 mm of bleed on every side', async () => {
    expect(full.pages).toBe(2);
    expect([full.regularJobs, full.gigJobs]).toEqual([18, 6]);
    const pages = await pdfPages(fullPath);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      // MediaBox 612.3 × 858.9 pt: the trim (595.3 × 841.9, A4) grown by 8.5 pt (3 mm) each side.
      near(page.mediaBox, [0, 0, A4.width + 2 * BLEED, A4.height + 2 * BLEED]);
      near(page.trimBox, [BLEED, BLEED, BLEED + A4.width, BLEED + A4.height]);
      near(page.bleedBox, page.mediaBox);
    }
    const { stdout } = await run('pdfinfo', [fullPath]);
    expect(stdout).toMatch(/^Pages:\s+2$/m);
    expect(stdout).toMatch(/^Page size:\s+612\.28\d* x 858\.89\d* pts/m);
    await checkFlyerPdf(fullPath, full);
  });

  it('embeds and subsets every font, as CID fonts', async () => {
    const fonts = await pdfFonts(fullPath);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'NotoSansCJKsc-Bold',
      'NotoSansCJKsc-Regular',
    ]);
    for (const font of fonts) {
      expect(font).toMatchObject({ type: 'CID Type 0C', encoding: 'Identity-H', embedded: true, subset: true });
    }
    // Subset: two faces of a 20 MB collection come to little.
    expect(full.pdf.length).toBeLessThan(600_000);
  });

  it('has no raster image: text and QR codes are vectors', async () => {
    const { stdout } = await run('pdfimages', ['-list', fullPath]);
    expect(stdout.trim().split('\n')).toHaveLength(2); // the heading and its rule, no image
    const text = await pdfText(fullPath);
    expect(text).toContain('微信扫码，查看更多岗位、在线报名');
  });

  it('shows the issue, the office, every job and the gig section, and user text literally', async () => {
    const text = await pdfText(fullPath);
    for (const expected of [
      '招工小报',
      '第3期',
      '2026年11月',
      '示范区就业服务中心',
      '服务热线：0791-88886666',
      '本月招聘岗位',
      '零工专区（日结·短期·灵活用工）',
      '4000-6000元/月',
      '150-200元/天',
      '招5人',
      '南昌洪城第1电子科技有限公司',
      '求职提示',
      ...titles.filter((_, i) => i !== 3),
      ...gigTitles,
    ]) {
      expect(text).toContain(expected);
    }
    // The jobs' own text and the site's address, drawn as the characters they are.
    expect(text.split(evil).length - 1).toBeGreaterThanOrEqual(5);
    expect(text).toContain(`地址：${evil}大厅`);
    // The gig jobs follow the regular ones, under their heading, on the back.
    const back = (await run('pdftotext', ['-f', '2', '-l', '2', fullPath, '-'])).stdout;
    expect(back.indexOf('零工专区')).toBeLessThan(back.indexOf('临时搬运工'));
    expect(back.indexOf('导购')).toBeLessThan(back.indexOf('零工专区'));
  });

  it('shows each gig job’s employer on its card', async () => {
    const back = (await run('pdftotext', ['-f', '2', '-l', '2', fullPath, '-'])).stdout;
    for (const [i] of gigTitles.entries()) expect(back).toContain(`南昌瑶湖第${i + 1}劳务服务有限公司`);
  });

  it('sets every job’s pay at one size, on both sides and in both sections', async () => {
    const jobs = fullFlyerJobs();
    // The longest pay decides the size of all.
    jobs[0] = { ...(jobs[0] as JobView), pay: { ...(jobs[0] as JobView).pay, min: 12000, max: 15000 } };
    const file = path.join(dir, 'pay.pdf');
    await writeFile(file, (await renderFlyer(a4, { jobs, issue, site })).pdf);
    const { stdout } = await run('pdftotext', ['-bbox', file, '-']);
    const heights = [
      ...stdout.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ]
      .filter((m) => /元\/(月|天)$/.test(m[3] as string))
      .map((m) => Number(m[2]) - Number(m[1]));
    expect(heights).toHaveLength(24);
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(0.01);
  });

  it('fills the back with the jobs when the gig section is short: no blank band', async () => {
    const regular = fullFlyerJobs().filter((j) => j.category !== 'gig');
    const gig = fullFlyerJobs().filter((j) => j.category === 'gig');
    for (const [name, jobs] of [
      ['18 jobs and 6 gig jobs', [...regular, ...gig]],
      ['17 jobs and 3 gig jobs', [...regular.slice(0, 17), ...gig.slice(0, 3)]],
    ] as const) {
      const file = path.join(dir, `band-${jobs.length}.pdf`);
      await writeFile(file, (await renderFlyer(a4, { jobs: [...jobs], issue, site })).pdf);
      // The back at 72 dpi (a pixel a point), bleed included; the rows between the running head and the footer.
      await run('pdftoppm', ['-png', '-r', '72', '-f', '2', '-l', '2', file, path.join(dir, `band-${jobs.length}`)]);
      const { data, info } = await sharp(path.join(dir, `band-${jobs.length}-2.png`))
        .removeAlpha()
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const blankRow = (y: number) => data.subarray(y * info.width, (y + 1) * info.width).every((v) => v >= 250);
      let longest = 0;
      let run_ = 0;
      for (let y = Math.ceil(BLEED + 18 * MM); y < Math.floor(BLEED + (297 - 34) * MM); y++) {
        run_ = blankRow(y) ? run_ + 1 : 0;
        longest = Math.max(longest, run_);
      }
      expect(longest / MM, name).toBeLessThan(20);
    }
  });

  it('keeps two sides for a few jobs, with the notice to job seekers on the back', async () => {
    const jobs = fullFlyerJobs()
      .filter((j) => j.category !== 'gig')
      .slice(0, 3);
    const flyer = await renderFlyer(a4, { jobs, issue, site: { ...site, qrUrl: null } });
    expect([flyer.pages, flyer.regularJobs, flyer.gigJobs]).toEqual([2, 3, 0]);
    const file = path.join(dir, 'few.pdf');
    await writeFile(file, flyer.pdf);
    const back = (await run('pdftotext', ['-f', '2', '-l', '2', file, '-'])).stdout;
    expect(back).toContain('求职提示');
    const text = await pdfText(file);
    expect(text).not.toContain('零工专区');
    // No QR code without the site's page, and no caption promising one.
    expect(text).not.toContain('微信扫码');
  });

  it('gives a PNG preview of each page, the trimmed sheet', async () => {
    const out = path.join(dir, 'previews');
    await mkdir(out);
    const files = await flyerPreviews(fullPath, out, full);
    expect(files.map((f) => path.basename(f))).toEqual(['page-1.png', 'page-2.png']);
    for (const file of files) {
      const meta = await sharp(file).metadata();
      expect(meta.format).toBe('png');
      expect((meta.width as number) / (meta.height as number)).toBeCloseTo(210 / 297, 2);
      expect(meta.width).toBeGreaterThanOrEqual(595);
    }
  });

  it('runs the colour bands into the bleed, in the site colour when it has one', async () => {
    const flyer = await renderFlyer(a4, {
      jobs: fullFlyerJobs(),
      issue,
      site: { ...site, primaryColor: '#aa2200' },
    });
    const file = path.join(dir, 'colours.pdf');
    await writeFile(file, flyer.pdf);
    // The whole page, bleed included, at 72 dpi: one pixel a point.
    await run('pdftoppm', ['-png', '-r', '72', '-f', '1', '-l', '1', file, path.join(dir, 'colours')]);
    const { data, info } = await sharp(path.join(dir, 'colours-1.png'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    // Top left and bottom right corners of the sheet, in the bleed: masthead and footer bands.
    expect(pixel(1, 1)).toEqual([0xaa, 0x22, 0x00]);
    expect(pixel(info.width - 2, info.height - 2)).toEqual([0xaa, 0x22, 0x00]);
  });

  it('builds off the event loop, which keeps turning while the PDF is made', async () => {
    // The build itself is one synchronous stretch: made on this thread, the loop would not turn
    // during it. (How fast it is, is bench/render's business.)
    const jobs = fullFlyerJobs();
    await renderFlyer(a4, { jobs, issue, site });
    let turns = 0;
    let spinning = true;
    const spin = () => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    try {
      await renderFlyer(a4, { jobs, issue, site });
    } finally {
      spinning = false;
    }
    expect(turns).toBeGreaterThan(100);
  });

  it('fails a flyer whose thread ends with a plain error (retried), and starts another thread for the next', async () => {
    const jobs = fullFlyerJobs();
    const lost = renderFlyer(a4, { jobs, issue, site });
    await stopFlyerThread();
    const error = await lost.then(
      () => expect.unreachable('it rendered'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RenderInputError);
    expect((error as Error).message).toMatch(/小报线程意外退出/);
    expect((await renderFlyer(a4, { jobs, issue, site })).pages).toBe(2);
  });
});

describe('what a flyer refuses', () => {
  it('a character the font lacks, naming it, the field and the job', async () => {
    const jobs = fullFlyerJobs();
    // Noto Sans CJK SC has 𠮷 (U+20BB7); it lacks 𪛖 (U+2A6D6), as the poster test finds.
    jobs[2] = { ...(jobs[2] as JobView), employer: '南昌𪛖记餐饮有限公司' };
    const error = await failure(renderFlyer(a4, { jobs, issue, site }));
    expect(error.code).toBe('MISSING_GLYPHS');
    expect(error.message).toMatch(/岗位“缝纫工 #3”的“公司名称”含有字体里没有的字 “𪛖”\(U\+2A6D6\)/);
  });

  it('a 60-character company name fits whole at a smaller size; a 120-character one is refused, naming the job', async () => {
    const name60 =
      '南昌市青山湖区洪城大市场电子科技产业园区第三分园智能制造装备研发生产销售服务一体化有限责任公司'.padEnd(60, '司');
    expect([...name60]).toHaveLength(60);
    const jobs = fullFlyerJobs();
    jobs[0] = { ...(jobs[0] as JobView), employer: name60 };
    const flyer = await renderFlyer(a4, { jobs, issue, site });
    const file = path.join(dir, 'long-name.pdf');
    await writeFile(file, flyer.pdf);
    // Whole, over three lines.
    expect((await pdfText(file)).replace(/\s+/g, '')).toContain(name60);

    jobs[0] = { ...(jobs[0] as JobView), employer: name60.repeat(2) };
    const error = await failure(renderFlyer(a4, { jobs, issue, site }));
    expect(error.code).toBe('TEXT_DOES_NOT_FIT');
    expect(error.message).toMatch(/岗位“叉车司机 #1”的“公司名称”太长，用最小字号 7 也放不下（120 个字）/);
  });

  it('more than 24 jobs, or more gig jobs than the gig section takes', async () => {
    const jobs = fullFlyerJobs();
    const extra = samplePosterJob({ id: 999, title: '门卫' });
    expect((await failure(renderFlyer(a4, { jobs: [...jobs, extra], issue, site }))).message).toMatch(
      /^「招工小报（A4 双面，最多 24 个岗位，零工专区最多 6 个）」需要 1 到 24 个岗位，给了 25 个$/,
    );
    const gig = (id: number) => samplePosterJob({ id, title: `零工${id}`, category: 'gig' });
    const sevenGigs = [...jobs.filter((j) => j.category !== 'gig').slice(0, 10), ...[1, 2, 3, 4, 5, 6, 7].map(gig)];
    expect((await failure(renderFlyer(a4, { jobs: sevenGigs, issue, site }))).message).toMatch(
      /零工专区最多放 6 个零工岗位，给了 7 个/,
    );
    expect((await failure(renderFlyer(a4, { jobs: [], issue, site }))).message).toMatch(/给了 0 个/);
  });

  it('a job without pay, naming the job', async () => {
    const jobs = fullFlyerJobs();
    jobs[1] = {
      ...(jobs[1] as JobView),
      pay: { min: null, max: null, unit: null, negotiable: false, months: null, text: null },
    };
    const error = await failure(renderFlyer(a4, { jobs, issue, site }));
    expect(error.code).toBe('MISSING_FIELD');
    expect(error.message).toMatch(/岗位“电工 #2”缺少“薪资”/);
  });

  it('a template with a bad field, naming its path', async () => {
    const templates = await variant((t) => {
      (t.jobs as { max: number }).max = 25;
    });
    const error = await failure(loadTemplate(templates, 'monthly-flyer', 'flyer'));
    expect(error.code).toBe('BAD_TEMPLATE');
    expect(error.details.problems).toEqual(['jobs.max：不能大于 24']);

    const crowded = await variant((t) => {
      const card = (t.sections as { gig: { card: { rows: { heightMm: number }[] } } }).gig.card;
      (card.rows[0] as { heightMm: number }).heightMm = 30;
      (t.sections as { regular: { card: { heightMm: number } } }).regular.card.heightMm = 70;
    });
    const problems = (await failure(loadTemplate(crowded, 'monthly-flyer', 'flyer'))).details.problems as string[];
    expect(problems).toContainEqual(
      expect.stringMatching(/^sections\.gig\.card\.rows：各行共 51\.5 毫米，超过卡片高 32 毫米减去内边距/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^jobs\.max：24 个岗位（其中零工 0 个）两面放不下$/));

    const unreadable = await variant((t) => {
      (t.footer as { lineStyle: { minSize: number } }).lineStyle.minSize = 40;
    });
    expect((await failure(loadTemplate(unreadable, 'monthly-flyer', 'flyer'))).details.problems).toContainEqual(
      expect.stringMatching(/^footer\.lineStyle\.minSize：/),
    );
  });
});

describe('an A3 template', () => {
  it('prints A3 pages with the same bleed', async () => {
    const templates = await variant((t) => {
      (t.page as { size: string }).size = 'A3';
    });
    const a3 = await loadTemplate(templates, 'monthly-flyer', 'flyer');
    const flyer = await renderFlyer(a3, { jobs: fullFlyerJobs(), issue, site });
    const file = path.join(dir, 'a3.pdf');
    await writeFile(file, flyer.pdf);
    expect([flyer.widthPt, flyer.heightPt].map(Math.round)).toEqual([842, 1191]);
    const pages = await pdfPages(file);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      near(page.trimBox, [BLEED, BLEED, BLEED + 297 * MM, BLEED + 420 * MM]);
      near(page.mediaBox, [0, 0, 297 * MM + 2 * BLEED, 420 * MM + 2 * BLEED]);
    }
    await checkFlyerPdf(file, flyer);
  });
});

describe('a flyer render', () => {
  let db: Database;
  let store: LocalMediaStore;

  beforeAll(async () => {
    db = createDatabase(inject('databaseUrl'), 2);
    store = new LocalMediaStore(path.join(dir, 'media'));
  });
  afterAll(async () => {
    await closeDatabase(db);
  });

  it('stores the PDF and a preview of each page under the render, and records them', async () => {
    const created = await ensureSite(db, { code: `f-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
    await db.$client.query(
      "update sites set hotline = '0791-88886666', address = '南昌市青山湖区民营科技园', qr_url = 'https://jobs.example.cn' where id = $1",
      [created.id],
    );
    const batch = await createImportBatch(db, { siteId: created.id, fileName: 'jobs.csv' });
    const records = [...titles.slice(0, 8), ...gigTitles.slice(0, 2)].map((title, i) =>
      prepareJob(
        testJobRecord({
          rowNumber: i + 2,
          employerName: `南昌第${i}电子厂`,
          title,
          category: i >= 8 ? 'gig' : 'full-time',
          fingerprint: `fp-${created.id}-${i}`,
        }),
      ),
    );
    await writeImportChunk(db, { siteId: created.id, batchId: batch.id, jobs: records, rejects: [], rowsRead: 10 });
    const ids = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1 order by source_row', [
      created.id,
    ]);
    await requestFlyerIssue(db, { siteId: created.id, month: '2026-11' });
    const flyerIssue = await requestFlyerIssue(db, { siteId: created.id, month: '2026-11' });
    // November of a January year: 第11期, whichever month was made first.
    expect([flyerIssue.issueNumber, flyerIssue.revision]).toEqual([11, 2]);
    const render = await createRender(db, {
      siteId: created.id,
      kind: 'flyer',
      template: 'monthly-flyer',
      jobIds: ids.rows.map((r) => r.id),
      flyerIssueId: flyerIssue.id,
    });

    const deps = { db, store, templatesDir, producer: {} as Producer };
    const done = await runRender(deps, render.id, false);
    expect(done?.status).toBe('done');
    const row = await getRender(db, render.id);
    expect(row).toMatchObject({
      outputKey: `renders/${render.id}/flyer.pdf`,
      coverKey: `renders/${render.id}/flyer-page-1.png`,
      previewKeys: [`renders/${render.id}/flyer-page-1.png`, `renders/${render.id}/flyer-page-2.png`],
      mimeType: 'application/pdf',
      width: 595,
      height: 842,
      pages: 2,
      progress: 100,
    });
    const pdfPath = store.localPath(row.outputKey as string);
    expect(row.bytes).toBe((await readFile(pdfPath)).length);
    const text = await pdfText(pdfPath);
    for (const expected of ['第11期', '2026年11月', '南昌第0电子厂', '零工专区', '南昌市青山湖区民营科技园']) {
      expect(text).toContain(expected);
    }
    for (const key of row.previewKeys as string[]) {
      expect((await sharp(store.localPath(key)).metadata()).format).toBe('png');
    }
  });
});
