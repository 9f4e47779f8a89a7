/**
 * Render benchmark. Posters so far (videos and the flyer join as their renderers land): the median
 * and 90th percentile of drawing one poster, PNG and JPEG, after a warm-up, for each poster
 * template, beside the 60 ms target.
 *
 *   npm run bench:render [-- --runs 30]
 */
import { loadConfig } from '@jobcast/config';
import { loadTemplate, renderPoster, type SiteSettings } from '@jobcast/render';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > -1 ? Number(process.argv[runsArg + 1]) : 30;
const { templatesDir } = loadConfig();

const job = (i: number, title: string) =>
  samplePosterJob({
    id: i,
    employer: `南昌洪城第${i}电子科技有限公司`,
    title,
    pay: { min: 4000 + i * 100, max: 6000 + i * 100, unit: 'month', negotiable: false, months: null, text: null },
    description: '吃苦耐劳，能适应两班倒，有叉车证者优先。',
  });
const site: SiteSettings = samplePosterSite;

const titles = ['叉车司机', '电工', '缝纫工', '收银员', '保洁员', '厨师'];
const cases = [
  { template: 'job-poster', jobs: [job(1, '骨干操作工（包吃住）')] },
  { template: 'multi-job-poster', jobs: titles.map((t, i) => job(i + 1, t)) },
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
const rows = [];
for (const c of cases) {
  const loaded = await loadTemplate(templatesDir, c.template, 'poster');
  for (let i = 0; i < 3; i++) await renderPoster(loaded, c.jobs, site);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await renderPoster(loaded, c.jobs, site);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = percentile(times, 0.5);
  rows.push({
    poster: c.template,
    jobs: c.jobs.length,
    runs,
    'median ms': median.toFixed(1),
    'p90 ms': percentile(times, 0.9).toFixed(1),
    'target ms': 60,
    'median / target': (median / 60).toFixed(2),
  });
}
console.table(rows);
