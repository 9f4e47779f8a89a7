import {
  displayPay,
  JOB_CATEGORY_CHOICES,
  JOB_CATEGORY_LABELS,
  type JobCategory,
  JobcastError,
  type JobView,
  jobCategoryOf,
} from '@jobcast/core';
import { getSiteByCode, listJobs } from '@jobcast/db';
import { type FieldChange, type JobChange, type RenormalizeReport, renormalizeJobs } from '@jobcast/ingest';
import { type CommandContext, print } from '../context.ts';

export async function jobsListCommand(
  ctx: CommandContext,
  options: { site?: string; category?: string; search?: string; limit?: string; json?: boolean },
): Promise<void> {
  const category = options.category ? jobCategoryOf(options.category) : undefined;
  if (options.category && category === undefined) {
    throw new JobcastError(
      'BAD_INPUT',
      `--category 没有“${options.category.slice(0, 20)}”这个类别，可选：${JOB_CATEGORY_CHOICES}`,
    );
  }
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new JobcastError('BAD_INPUT', '--limit 须为 1 到 10000 的整数');
  }
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const { items, total } = await listJobs(ctx.db, {
    siteId: site.id,
    category,
    search: options.search,
    limit,
  });
  print(Boolean(options.json), items.map(publicJob), () =>
    [...items.map(describeJob), `共 ${total} 个岗位，显示 ${items.length} 个`].join('\n'),
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
  const headcount = job.headcountText ?? (job.headcount === null ? '' : `${job.headcount}人`);
  return `#${job.id}  ${job.title}  ${job.employer}  ${displayPay(job.pay) || '—'}  ${headcount}  ${job.location ?? ''}  [${JOB_CATEGORY_LABELS[job.category]}]`;
}

/** Jobs listed one by one in the human report; --json lists them all. */
const CHANGES_SHOWN = 200;

/** `jobcast jobs renormalize`: today's cleaning applied to the jobs already imported. */
export async function jobsRenormalizeCommand(
  ctx: CommandContext,
  options: { site?: string; dryRun?: boolean; json?: boolean },
): Promise<void> {
  const report = await renormalizeJobs(ctx.db, {
    siteCode: options.site ?? ctx.config.siteCode,
    dryRun: Boolean(options.dryRun),
  });
  print(Boolean(options.json), report, () => describeRenormalize(report));
}

export function describeRenormalize(report: RenormalizeReport): string {
  const lines = [
    `站点 ${report.site}：检查了 ${report.jobs} 个岗位${report.dryRun ? '（试运行，没有写入任何改动）' : ''}`,
    `${report.dryRun ? '将改动' : '已改动'} ${report.changed} 个岗位` +
      (report.identityUpdated > 0
        ? `，其中 ${report.identityUpdated} 个的岗位标识随清理后的内容更新（再次导入同一文件时仍对应原岗位）`
        : ''),
  ];
  if (report.notesOnly > 0) lines.push(`另有 ${report.notesOnly} 个岗位只更新了导入提示`);
  if (report.shared > 0) lines.push(`${report.shared} 个岗位清理后与另一个岗位相同，各自保留，未合并`);
  if (report.changed + report.shared + report.notesOnly + report.employersRenamed.length === 0) {
    lines.push('没有需要清理的岗位');
  }
  if (report.employersRenamed.length > 0) {
    lines.push(`单位名称更正 ${report.employersRenamed.length} 个：`);
    for (const e of report.employersRenamed) lines.push(`  ${e.before} → ${e.after}`);
  }
  const shown = report.changes.slice(0, CHANGES_SHOWN);
  if (shown.length > 0) lines.push('岗位改动：');
  for (const change of shown) lines.push(...describeChange(change));
  if (report.changes.length > shown.length) {
    lines.push(`  …另有 ${report.changes.length - shown.length} 个岗位未列出，用 --json 查看全部`);
  }
  if (report.leftAsIs.length > 0) {
    lines.push(`未处理 ${report.leftAsIs.length} 个岗位：`);
    for (const job of report.leftAsIs.slice(0, CHANGES_SHOWN)) {
      lines.push(`  #${job.jobId}  ${job.title} · ${job.employer}：${job.reason}`);
    }
    if (report.leftAsIs.length > CHANGES_SHOWN) {
      lines.push(`  …另有 ${report.leftAsIs.length - CHANGES_SHOWN} 个岗位未列出，用 --json 查看全部`);
    }
  }
  return lines.join('\n');
}

function describeChange(change: JobChange): string[] {
  const note =
    change.identity === 'shared'
      ? `  （清理后与岗位 #${change.sameAs} 是同一岗位，保留原标识，未合并，请人工核对）`
      : '';
  return [
    `  #${change.jobId}  ${change.title} · ${change.employer}${note}`,
    ...change.fields.map(
      (field) => `      ${field.label}：${shownValue(field, field.before)} → ${shownValue(field, field.after)}`,
    ),
  ];
}

function shownValue(field: FieldChange, value: string | null): string {
  if (value === null || value === '') return '（空）';
  return field.field === 'category' ? (JOB_CATEGORY_LABELS[value as JobCategory] ?? value) : value;
}
