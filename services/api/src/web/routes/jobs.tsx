/** @jsxImportSource hono/jsx */
import {
  chineseOnly,
  displayPay,
  formatBytes,
  type ImportStatus,
  JOB_CATEGORY_CHOICES,
  JOB_CATEGORY_LABELS,
  type JobCategory,
  JobcastError,
  jobCategoryOf,
  jobFieldLabel,
} from '@jobcast/core';
import {
  getImportBatch,
  getImportSummary,
  getJob,
  getJobSources,
  type ImportBatch,
  type JobSource,
  listImportBatches,
  listJobs,
} from '@jobcast/db';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { anyRole, IMPORTERS } from '../../roles.ts';
import { queueImport, uploadSchema } from '../../routes/imports/create.ts';
import { formatTime } from '../format.ts';
import {
  CsrfField,
  definePage,
  errorText,
  formFields,
  type PageRoute,
  redirectWithNotice,
  renderPage,
} from '../page.tsx';
import { listHref, Pager, pageNumber } from '../pager.tsx';
import { CategoryField, errorOptions, may, type PageError, pathId, siteOf } from '../parts.tsx';

const PAGE_SIZE = 25;

const IMPORT_STATUS: Record<ImportStatus, { label: string; badge: string }> = {
  queued: { label: '排队中', badge: 'badge' },
  running: { label: '导入中', badge: 'badge warn' },
  done: { label: '已完成', badge: 'badge ok' },
  failed: { label: '失败', badge: 'badge bad' },
};

/** The file types the importer reads; an old .xls or a Word file is refused before it is stored. */
const IMPORT_EXTENSIONS = ['.csv', '.xlsx', '.json'];

interface JobQuery {
  q: string;
  category: JobCategory | undefined;
  page: number;
}

/** The list's filters from the address; a category is read by its code or by the name a person types (零工). */
function jobQuery(c: Context<AppEnv>): { query: JobQuery; error?: PageError } {
  const typed = (c.req.query('category') ?? '').trim();
  const category = typed ? jobCategoryOf(typed) : undefined;
  const query = { q: (c.req.query('q') ?? '').trim().slice(0, 100), category, page: pageNumber(c) };
  if (typed && !category) {
    const text = `没有“${typed.slice(0, 20)}”这个类别，可选：${JOB_CATEGORY_CHOICES}；下面显示全部类别`;
    return { query, error: { status: 400, text } };
  }
  return { query };
}

function jobsHref(query: JobQuery, page: number): string {
  return listHref('/jobs', { q: query.q, category: query.category }, page);
}

function JobFilters(props: { query: JobQuery }) {
  const { query } = props;
  return (
    <form method="get" action="/jobs" class="filters card">
      <label class="span-2">
        关键词（岗位、单位或地点）
        <input type="search" name="q" value={query.q} maxlength={100} placeholder="如：普工、物流、青山湖" />
      </label>
      <CategoryField selected={query.category} />
      <div class="actions">
        <button type="submit">搜索</button>
        {query.q || query.category ? (
          <a class="button secondary" href="/jobs">
            清除
          </a>
        ) : null}
      </div>
    </form>
  );
}

function ImportForm(props: { c: Context<AppEnv>; sheet?: string }) {
  const limit = formatBytes(props.c.var.services.config.uploadLimitBytes);
  return (
    <form method="post" action="/jobs/import" enctype="multipart/form-data" class="card">
      <h2>导入岗位文件</h2>
      <p class="muted">支持 CSV、Excel（.xlsx）和 JSON 文件，最大 {limit}。同一岗位再次导入会更新，不会重复。</p>
      <CsrfField c={props.c} />
      <label>
        岗位文件
        <input type="file" name="file" required accept={IMPORT_EXTENSIONS.join(',')} />
      </label>
      <label>
        工作表名称（仅 Excel，可不填，默认第一个工作表）
        <input name="sheet" maxlength={100} value={props.sheet ?? ''} />
      </label>
      <div class="actions">
        <button type="submit">上传并导入</button>
        <a href="/imports">查看导入记录</a>
      </div>
    </form>
  );
}

const jobList = definePage(anyRole, 'get', '/jobs', async (c) => {
  const { query, error } = jobQuery(c);
  const [{ items, total }, site] = await Promise.all([
    listJobs(c.var.services.db, {
      siteId: c.var.principal.siteId,
      category: query.category,
      search: query.q || undefined,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    }),
    siteOf(c),
  ]);
  return renderPage(
    c,
    { title: '岗位', active: 'jobs', ...errorOptions(error) },
    <>
      {may(c, IMPORTERS) ? <ImportForm c={c} /> : null}
      <JobFilters query={query} />
      <p class="muted">
        共 {total} 个岗位{query.q || query.category ? '符合条件' : ''}
      </p>
      {items.length === 0 ? (
        <p class="card">
          {query.q || query.category
            ? '没有符合条件的岗位，请换个关键词或类别。'
            : total > 0
              ? '这一页没有岗位。'
              : '还没有岗位，请先导入岗位文件。'}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="cards" data-list="jobs">
            <thead>
              <tr>
                <th>编号</th>
                <th>岗位</th>
                <th>单位</th>
                <th>薪资</th>
                <th class="num">人数</th>
                <th>地点</th>
                <th>类别</th>
                <th>更新时间</th>
              </tr>
            </thead>
            <tbody>
              {items.map((job) => (
                <tr data-job-id={String(job.id)}>
                  <td class="num card-corner">{job.id}</td>
                  <td class="card-title">
                    <a href={`/jobs/${job.id}`}>{job.title}</a>
                  </td>
                  <td class="card-sub">{job.employer}</td>
                  <td data-label="薪资">{displayPay(job.pay) || '—'}</td>
                  <td class="num" data-label="人数">
                    {job.headcount ?? job.headcountText ?? '—'}
                  </td>
                  <td data-label="地点">{job.location ?? '—'}</td>
                  <td data-label="类别">{JOB_CATEGORY_LABELS[job.category]}</td>
                  <td class="nowrap" data-label="更新时间">
                    {formatTime(site.timezone, job.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={query.page} total={total} pageSize={PAGE_SIZE} href={(page) => jobsHref(query, page)} />
    </>,
  );
});

/** A row of a detail table: a label and its value, or a dash when the file left it empty. */
function Field(props: { label: string; value: string | number | null | undefined }) {
  return (
    <tr>
      <th>{props.label}</th>
      <td>{props.value === null || props.value === undefined || props.value === '' ? '—' : props.value}</td>
    </tr>
  );
}

function SourceRecord(props: { timezone: string; source: JobSource }) {
  const { timezone, source } = props;
  return (
    <div class="card">
      <p>
        {source.batchId ? <a href={`/imports/${source.batchId}`}>导入批次 #{source.batchId}</a> : '导入批次（已删除）'}
        {source.row ? `，第 ${source.row} 行` : ''}
        {source.replacedAt ? (
          <span class="muted">（{formatTime(timezone, source.replacedAt)} 被新版本替换）</span>
        ) : (
          <span class="badge ok">当前版本</span>
        )}
      </p>
      {source.record ? (
        <div class="table-wrap">
          <table>
            <tbody>
              {Object.entries(source.record).map(([column, value]) => (
                <Field label={column} value={value} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

const jobDetail = definePage(anyRole, 'get', '/jobs/:id{[0-9]+}', async (c) => {
  const { db } = c.var.services;
  const siteId = c.var.principal.siteId;
  const id = pathId(c, '个岗位');
  const [job, sources, site] = await Promise.all([getJob(db, siteId, id), getJobSources(db, siteId, id), siteOf(c)]);
  const valid =
    job.validFrom || job.validUntil ? `${job.validFrom ?? '不限'} 至 ${job.validUntil ?? '长期有效'}` : '长期有效';
  return renderPage(
    c,
    { title: job.title, active: 'jobs' },
    <>
      <p>
        <a href="/jobs">← 返回岗位列表</a>
      </p>
      {job.warnings.length > 0 ? (
        <div class="notice error" role="note">
          <strong>导入时发现的问题：</strong>
          <ul>
            {job.warnings.map((warning) => (
              <li>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="table-wrap">
        <table>
          <tbody>
            <Field label="岗位编号" value={job.id} />
            <Field label="单位" value={job.employer} />
            <Field label="岗位" value={job.title} />
            <Field label="类别" value={JOB_CATEGORY_LABELS[job.category]} />
            <Field label="薪资" value={displayPay(job.pay)} />
            <Field label="薪资（原文）" value={job.pay.text} />
            <Field label="招聘人数" value={job.headcount ?? job.headcountText} />
            <Field label="工作地点" value={job.location} />
            <Field label="学历要求" value={job.education} />
            <Field label="经验要求" value={job.experience} />
            <Field label="联系人" value={job.contact.name} />
            <Field label="联系电话" value={job.contact.phone} />
            <Field label="有效期" value={valid} />
            <Field label="岗位描述" value={job.description} />
            {Object.entries(job.extra).map(([label, value]) => (
              <Field label={label} value={value} />
            ))}
            <Field label="更新时间" value={formatTime(site.timezone, job.updatedAt)} />
          </tbody>
        </table>
      </div>
      <h2>来源与导入历史</h2>
      {sources.length === 0 ? <p class="muted">没有来源记录。</p> : null}
      {[...sources].reverse().map((source) => (
        <SourceRecord timezone={site.timezone} source={source} />
      ))}
    </>,
  );
});

function importPage(c: Context<AppEnv>, error?: PageError, sheet?: string) {
  return renderPage(
    c,
    { title: '导入岗位', active: 'jobs', ...errorOptions(error) },
    <ImportForm c={c} sheet={sheet} />,
  );
}

const importForm = definePage(IMPORTERS, 'get', '/jobs/import', (c) => importPage(c));

/** The upload's checks before anything is stored: a file chosen, not empty, a type the importer reads, within the limit. */
function checkUpload(c: Context<AppEnv>, file: File | null, sheet: string): File {
  // A form sent without choosing a file carries an empty part with no name.
  const chosen = file && (file.name !== '' || file.size > 0) ? file : undefined;
  const parsed = uploadSchema.safeParse({ file: chosen, sheet: sheet || undefined });
  if (!parsed.success) {
    throw new JobcastError('BAD_INPUT', `岗位文件：${parsed.error.issues.map((issue) => issue.message).join('；')}`);
  }
  const upload = parsed.data.file;
  const name = upload.name.toLowerCase();
  if (!IMPORT_EXTENSIONS.some((extension) => name.endsWith(extension))) {
    throw new JobcastError(
      'BAD_INPUT',
      `岗位文件：“${upload.name}”不是 CSV、XLSX 或 JSON 文件；旧版 Excel（.xls）请先在 Excel/WPS 中另存为 .xlsx 或 CSV`,
    );
  }
  const limit = c.var.services.config.uploadLimitBytes;
  if (upload.size > limit) {
    const size = formatBytes(limit);
    throw new JobcastError('PAYLOAD_TOO_LARGE', `上传文件超过 ${size} 上限`);
  }
  return upload;
}

const importSubmit = definePage(
  IMPORTERS,
  'post',
  '/jobs/import',
  async (c) => {
    const form = await formFields(c);
    const sheet = form.get('sheet').trim().slice(0, 100);
    let batch: ImportBatch;
    try {
      batch = await queueImport(c, checkUpload(c, form.file('file'), sheet), sheet || undefined);
    } catch (error) {
      return importPage(c, errorText(error), sheet);
    }
    return redirectWithNotice(c, `/imports/${batch.id}`, `已上传“${batch.fileName}”，正在导入`);
  },
  { fileForm: true },
);

function ImportStatusBadge(props: { status: ImportStatus }) {
  const { label, badge } = IMPORT_STATUS[props.status];
  return <span class={badge}>{label}</span>;
}

const importList = definePage(anyRole, 'get', '/imports', async (c) => {
  const [batches, site] = await Promise.all([
    listImportBatches(c.var.services.db, c.var.principal.siteId, 50),
    siteOf(c),
  ]);
  return renderPage(
    c,
    { title: '导入记录', active: 'jobs' },
    <>
      <p class="actions">
        <a href="/jobs">← 岗位列表</a>
        {may(c, IMPORTERS) ? (
          <a class="button" href="/jobs/import">
            导入岗位文件
          </a>
        ) : null}
      </p>
      {batches.length === 0 ? (
        <p class="card">还没有导入过岗位文件。</p>
      ) : (
        <div class="table-wrap">
          <table class="cards" data-list="imports">
            <thead>
              <tr>
                <th>批次</th>
                <th>文件</th>
                <th>状态</th>
                <th class="num">行数</th>
                <th class="num">新增</th>
                <th class="num">更新</th>
                <th class="num">重复</th>
                <th class="num">拒绝</th>
                <th>上传时间</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr>
                  <td class="num card-corner">{batch.id}</td>
                  <td class="card-title">
                    <a href={`/imports/${batch.id}`}>{batch.fileName}</a>
                  </td>
                  <td data-label="状态">
                    <ImportStatusBadge status={batch.status} />
                  </td>
                  <td class="num" data-label="行数">
                    {batch.rows}
                  </td>
                  <td class="num" data-label="新增">
                    {batch.imported}
                  </td>
                  <td class="num" data-label="更新">
                    {batch.updated}
                  </td>
                  <td class="num" data-label="重复">
                    {batch.duplicates}
                  </td>
                  <td class="num" data-label="拒绝">
                    {batch.rejected}
                  </td>
                  <td class="nowrap" data-label="上传时间">
                    {formatTime(site.timezone, batch.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  );
});

function IssueTable(props: { issues: { row: number; field: string; reason: string }[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th class="num">行号</th>
            <th>字段</th>
            <th>原因</th>
          </tr>
        </thead>
        <tbody>
          {props.issues.map((issue) => (
            <tr>
              <td class="num">{issue.row}</td>
              <td>{jobFieldLabel(issue.field)}</td>
              <td>{chineseOnly(issue.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Seconds between reloads of an import still under way: no script needed. */
const IMPORT_REFRESH_S = 3;

const importDetail = definePage(anyRole, 'get', '/imports/:id{[0-9]+}', async (c) => {
  const { db } = c.var.services;
  const [batch, site] = await Promise.all([
    getImportBatch(db, pathId(c, '个导入批次'), c.var.principal.siteId),
    siteOf(c),
  ]);
  const finished = batch.status === 'done' || batch.status === 'failed';
  const summary = finished ? await getImportSummary(db, batch.id) : null;
  return renderPage(
    c,
    {
      title: `导入批次 #${batch.id}`,
      active: 'jobs',
      notice:
        batch.status === 'failed' ? { kind: 'error', text: chineseOnly(batch.errorMessage ?? '导入失败') } : undefined,
    },
    <>
      {finished ? null : <meta http-equiv="refresh" content={String(IMPORT_REFRESH_S)} />}
      <p class="actions">
        <a href="/imports">← 导入记录</a>
        <a href="/jobs">岗位列表</a>
      </p>
      <div class="table-wrap">
        <table>
          <tbody>
            <Field label="文件" value={batch.fileName} />
            <tr>
              <th>状态</th>
              <td>
                <ImportStatusBadge status={batch.status} />
                {finished ? null : <span class="muted"> 正在处理，页面每 {IMPORT_REFRESH_S} 秒自动刷新</span>}
              </td>
            </tr>
            {batch.sheet ? <Field label="工作表" value={batch.sheet} /> : null}
            <Field label="上传时间" value={formatTime(site.timezone, batch.createdAt)} />
            {batch.finishedAt ? <Field label="完成时间" value={formatTime(site.timezone, batch.finishedAt)} /> : null}
            <Field label="读取行数" value={batch.rows} />
            <Field label="新增岗位" value={batch.imported} />
            <Field label="更新岗位" value={batch.updated} />
            <Field label="重复（未改变）" value={batch.duplicates} />
            <Field label="拒绝行数" value={batch.rejected} />
            {summary ? <Field label="提醒" value={summary.warnings} /> : null}
          </tbody>
        </table>
      </div>
      {summary?.message && batch.status === 'done' ? <p class="notice ok">{summary.message}</p> : null}
      {summary && summary.rejects.length > 0 ? (
        <>
          <h2>被拒绝的行（{summary.rejectsTotal}）</h2>
          <p class="muted">这些行没有导入。请在原文件中改正后重新上传，已导入的岗位不会重复。</p>
          <IssueTable issues={summary.rejects} />
          {summary.rejectsTotal > summary.rejects.length ? (
            <p class="muted">另有 {summary.rejectsTotal - summary.rejects.length} 行未列出。</p>
          ) : null}
        </>
      ) : null}
      {summary && summary.warningSamples.length > 0 ? (
        <>
          <h2>提醒（已导入，但请核对）</h2>
          <IssueTable issues={summary.warningSamples} />
        </>
      ) : null}
    </>,
  );
});

export const jobPages: PageRoute[] = [jobList, importForm, importSubmit, jobDetail, importList, importDetail];
