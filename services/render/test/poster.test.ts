import { loadConfig } from '@jobcast/config';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadTemplate, posterSvg, renderPoster, type SiteSettings } from '../src/index.ts';
import { failure, hostileJob, INJECTION, INJECTION_IN_SVG } from './helpers.ts';

const { templatesDir } = loadConfig({});

const site: SiteSettings = samplePosterSite;
const job = samplePosterJob;

describe('the job-poster template', () => {
  it('renders a 1080×1920 PNG and JPEG with the job on it', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const poster = await renderPoster(loaded, [job()], site);
    const png = await sharp(poster.png).metadata();
    const jpeg = await sharp(poster.jpeg).metadata();
    expect([png.format, png.width, png.height]).toEqual(['png', 1080, 1920]);
    expect([jpeg.format, jpeg.width, jpeg.height]).toEqual(['jpeg', 1080, 1920]);
    const svg = await posterSvg(loaded, [job()], site);
    for (const text of [
      '骨干操作工',
      '4000-6000元/月',
      '南昌洪城电子科技有限公司',
      '招聘人数：5人',
      '联系方式：张先生 13800000000',
    ]) {
      expect(svg).toContain(text);
    }
  });

  it('fits a 60-character company name, smaller but whole', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const employer =
      '南昌市青山湖区洪城大市场电子科技产业园区第三分园智能制造装备研发生产销售服务一体化有限责任公司'.padEnd(60, '司');
    const svg = await posterSvg(loaded, [job({ employer })], site);
    const drawn = [...svg.matchAll(/font-size="(\d+)"[^>]*>([^<]*)<\/text>/g)].filter(
      ([, , text]) => employer.includes(text as string) && (text as string).length > 8,
    );
    expect(drawn.map(([, , text]) => text).join('')).toBe(employer);
    expect(Number(drawn[0]?.[1])).toBeLessThan(52);
    await renderPoster(loaded, [job({ employer })], site);
  });

  it('draws injection strings in every field literally', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const evil = INJECTION;
    const hostile = hostileJob();
    const svg = await posterSvg(loaded, [hostile], { ...site, name: evil, hotline: evil, address: evil });
    expect(svg).not.toContain('<script>');
    // Every field but pay: a posting's pay words are never printed, its read pay is.
    expect(svg.match(INJECTION_IN_SVG)?.length).toBeGreaterThanOrEqual(7);
    expect(svg).toContain('4000-6000元/月');
    const poster = await renderPoster(loaded, [hostile], { ...site, name: evil });
    expect((await sharp(poster.png).metadata()).width).toBe(1080);
  });

  it('refuses a character the font lacks, naming it, the field and the job', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const error = await failure(renderPoster(loaded, [job({ employer: '南昌𪛖记餐饮有限公司' })], site));
    expect(error.code).toBe('MISSING_GLYPHS');
    expect(error.message).toMatch(/岗位“骨干操作工”的“公司名称”含有字体里没有的字 “𪛖”/);
  });

  it('refuses a second job by the name the 制作 form gives the template', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const error = await failure(renderPoster(loaded, [job(), job({ id: 2, title: '电工' })], site));
    expect(error.message).toBe('「单岗位竖版海报」只能选 1 个岗位，给了 2 个');
  });

  it('ignores a site colour that is not #rrggbb instead of writing it into the SVG', async () => {
    const loaded = await loadTemplate(templatesDir, 'job-poster', 'poster');
    const svg = await posterSvg(loaded, [job()], { ...site, primaryColor: '"/><script>x</script>' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('fill="#0b5cad"');
  });
});

describe('the multi-job-poster template', () => {
  it('renders up to six jobs, one row each', async () => {
    const loaded = await loadTemplate(templatesDir, 'multi-job-poster', 'poster');
    const jobs = ['叉车司机', '电工', '缝纫工', '收银员', '保洁员', '厨师'].map((title, i) =>
      job({ id: i + 1, title }),
    );
    const svg = await posterSvg(loaded, jobs, site);
    for (const j of jobs) expect(svg).toContain(j.title);
    const poster = await renderPoster(loaded, jobs, site);
    expect((await sharp(poster.png).metadata()).height).toBe(1920);
    const seven = [...jobs, job({ id: 7, title: '门卫' })];
    expect((await failure(renderPoster(loaded, seven, site))).message).toBe(
      '「多岗位竖版海报（最多 6 个岗位）」需要 1 到 6 个岗位，给了 7 个',
    );
  });

  it('labels its QR code and keeps it clear: a quiet zone of four modules, and a margin from the edge', async () => {
    const loaded = await loadTemplate(templatesDir, 'multi-job-poster', 'poster');
    const jobs = ['叉车司机', '电工'].map((title, i) => job({ id: i + 1, title }));
    const svg = await posterSvg(loaded, jobs, site);
    const field =
      /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="#ffffff"\/><path d="M([\d.]+) ([\d.]+)h([\d.]+)/.exec(
        svg,
      );
    expect(field).not.toBeNull();
    const [x, y, side, firstX, firstY, module] = (field as RegExpExecArray).slice(1).map(Number) as number[];
    // The first module drawn is the top left finder pattern's corner: four modules in from the field's edge.
    expect(((firstX as number) - (x as number)) / (module as number)).toBeCloseTo(4, 1);
    expect(((firstY as number) - (y as number)) / (module as number)).toBeCloseTo(4, 1);
    const label = /<text x="[\d.]+" y="([\d.]+)"[^>]*>扫码查看岗位详情<\/text>/.exec(svg);
    expect(Number(label?.[1])).toBeGreaterThan((y as number) + (side as number));
    expect(Number(label?.[1])).toBeLessThan(1920 - 16);
    expect((x as number) + (side as number)).toBeLessThanOrEqual(1080 - 40);

    const noPage = await posterSvg(loaded, jobs, { ...site, qrUrl: null });
    expect(noPage).not.toContain('扫码查看岗位详情');
    expect(noPage).not.toContain('<desc>');
  });
});
