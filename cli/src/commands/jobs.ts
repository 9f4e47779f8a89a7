import { type JobCategory, JobcastError, type JobView, jobCategories } from '@jobcast/core';
import { getSiteByCode, listJobs } from '@jobcast/db';
import { type CommandContext, print } from '../context.ts';

const unitLabels: Record<string, string> = { hour: '时', day: '天', month: '月', year: '年', piece: '件' };

export async function jobsListCommand(
  ctx: CommandContext,
  options: { site?: string; category?: string; search?: string; limit?: string; json?: boolean },
): Promise<void> {
  if (options.category && !(jobCategories as readonly string[]).includes(options.category)) {
    throw new JobcastError(
      'BAD_INPUT',
      `--category 须为 ${jobCategories.join(' / ')} 之一 (unknown category "${options.category}")`,
    );
  }
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new JobcastError(
      'BAD_INPUT',
      '--limit 须为 1 到 10000 的整数 (--limit must be a whole number from 1 to 10000)',
    );
  }
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const { items, total } = await listJobs(ctx.db, {
    siteId: site.id,
    category: options.category as JobCategory | undefined,
    search: options.search,
    limit,
  });
  print(Boolean(options.json), items.map(publicJob), () =>
    [
      ...items.map(describeJob),
      `共 ${total} 个岗位，显示 ${items.length} 个 (${total} jobs, ${items.length} shown)`,
    ].join('\n'),
  );
}

/** The fields promised to scripts (`--json`); internal bookkeeping stays out. */
const publicJobFields = [
  'id',
  'employer',
  'title',
  'pay',
  'headcount',
  'location',
  'education',
  'experience',
  'category',
  'contact',
  'validFrom',
  'validUntil',
] as const satisfies readonly (keyof JobView)[];

function publicJob(job: JobView): Pick<JobView, (typeof publicJobFields)[number]> {
  return Object.fromEntries(publicJobFields.map((field) => [field, job[field]])) as Pick<
    JobView,
    (typeof publicJobFields)[number]
  >;
}

function describeJob(job: JobView): string {
  const pay = job.pay.negotiable
    ? '面议'
    : job.pay.min !== null || job.pay.max !== null
      ? `${job.pay.min ?? ''}${job.pay.max !== job.pay.min ? `-${job.pay.max ?? ''}` : ''}元/${unitLabels[job.pay.unit ?? 'month']}`
      : (job.pay.text ?? '—');
  return `#${job.id}  ${job.title}  ${job.employer}  ${pay}  ${job.headcount ?? job.headcountText ?? ''}  ${job.location ?? ''}  [${job.category}]`;
}
