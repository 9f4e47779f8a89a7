/** @jsxImportSource hono/jsx */
import {
  COVERAGE_LEVEL_LABELS,
  coverageLevels,
  formatBytes,
  JobcastError,
  monthStart,
  PLATFORM_LABELS,
  type PublicationPlatform,
  publicationPlatforms,
  shiftMonth,
} from '@jobcast/core';
import {
  type AiComponent,
  type CoverageEvidence,
  type CoverageReport,
  countPublications,
  deleteCoverage,
  deletePublication,
  findPublications,
  getCoverage,
  getJobsByIds,
  getRender,
  listCoverage,
  type Publication,
  type Render,
  recordCoverage,
  recordPublication,
  setCoverageEvidence,
} from '@jobcast/db';
import { monthsOf, type ServiceYear } from '@jobcast/kpi';
import {
  COVERAGE_EVIDENCE_ACCEPT,
  COVERAGE_EVIDENCE_MAX_BYTES,
  isCoverageScreenshot,
  serviceYearOf,
  siteToday,
  storeCoverageEvidence,
} from '@jobcast/ledger';
import { loadTemplateTitle, videoTitles } from '@jobcast/renders';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { anyRole, PUBLICATION_REMOVERS, PUBLISHERS } from '../../roles.ts';
import { coverageEvidenceUrl, rangeOf } from '../../routes/publications/view.ts';
import { idSchema } from '../../schemas.ts';
import { recordReplacing } from '../../stored-file.ts';
import { discardUpload, type StoredUpload, storeUpload } from '../../uploads.ts';
import { yearLabel } from '../format.ts';
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
import {
  errorOptions,
  may,
  NewTabLink,
  Options,
  type PageError,
  pathId,
  siteOf,
  YearPicker,
  yearOfPage,
} from '../parts.tsx';

const MAX_TITLE_CHARS = 200;
const PAGE_SIZE = 25;

/** What the list of videos is narrowed to, from the address; the service year comes from `?year=`. */
interface VideoQuery {
  /** YYYY-MM, one of the service year's months. */
  month: string;
  platform: PublicationPlatform | undefined;
  /** 'yes': AI videos only; 'no': the others. */
  ai: '' | 'yes' | 'no';
  q: string;
  page: number;
}

function videoQuery(c: Context<AppEnv>, sy: ServiceYear): VideoQuery {
  const month = c.req.query('month') ?? '';
  const platform = c.req.query('platform');
  const ai = c.req.query('ai');
  return {
    month: monthsOf(sy).includes(month) ? month : '',
    platform: publicationPlatforms.find((known) => known === platform),
    ai: ai === 'yes' || ai === 'no' ? ai : '',
    q: (c.req.query('q') ?? '').trim().slice(0, 100),
    page: pageNumber(c),
  };
}

function videosFiltered(query: VideoQuery): boolean {
  return Boolean(query.month || query.platform || query.ai || query.q);
}

/** The days the list covers: the service year, or the part of one of its months inside it. */
function videoRange(sy: ServiceYear, month: string): { from: string; to: string } {
  if (!month) return rangeOf(sy);
  // YYYY-MM-DD strings compare as the days they name.
  const [from] = [monthStart(month), sy.start].sort().reverse();
  const [to] = [monthStart(shiftMonth(month, 1)), sy.endExclusive].sort();
  return { from: from as string, to: to as string };
}

/** "2026 年 3 月" for the month picker. */
function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${year} 年 ${m} 月`;
}

function VideoFilters(props: { sy: ServiceYear; query: VideoQuery }) {
  const { sy, query } = props;
  return (
    <form method="get" action="/publications#videos" class="filters card" data-video-filters>
      <input type="hidden" name="year" value={String(sy.year)} />
      <label>
        发布月份
        <select name="month">
          <Options values={monthsOf(sy)} labels={monthLabel} selected={query.month} all="全年" />
        </select>
      </label>
      <label>
        平台
        <select name="platform">
          <Options values={publicationPlatforms} labels={PLATFORM_LABELS} selected={query.platform} all="全部平台" />
        </select>
      </label>
      <label>
        AI 视频
        <select name="ai">
          <option value="">全部</option>
          <option value="yes" selected={query.ai === 'yes'}>
            只看 AI 视频
          </option>
          <option value="no" selected={query.ai === 'no'}>
            只看非 AI 视频
          </option>
        </select>
      </label>
      <label class="span-2">
        标题关键词
        <input type="search" name="q" value={query.q} maxlength={100} placeholder="如：叉车、春风行动" />
      </label>
      <div class="actions">
        <button type="submit">筛选</button>
        {videosFiltered(query) ? (
          <a class="button secondary" href={`/publications?year=${sy.year}#videos`}>
            清除
          </a>
        ) : null}
      </div>
    </form>
  );
}

function DeleteButton(props: { c: Context<AppEnv>; action: string; what: string }) {
  return (
    <form method="post" action={props.action} data-confirm={`确定删除${props.what}吗？删除后不再计入考核。`}>
      <CsrfField c={props.c} />
      <button type="submit" class="secondary">
        删除
      </button>
    </form>
  );
}

function VideoTable(props: { c: Context<AppEnv>; rows: Publication[]; sources: Map<number, string> }) {
  const { c, rows, sources } = props;
  const remover = may(c, PUBLICATION_REMOVERS);
  return (
    <div class="table-wrap">
      <table class="cards" data-list="publications">
        <thead>
          <tr>
            <th>标题</th>
            <th>发布日期</th>
            <th>平台</th>
            <th>AI 视频</th>
            <th>制作来源</th>
            {remover ? <th>操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr data-publication-id={String(row.id)}>
              <td class="wide card-title">
                <NewTabLink href={row.url}>{row.title}</NewTabLink>
              </td>
              <td data-label="发布日期">{row.publishedOn}</td>
              <td data-label="平台">{PLATFORM_LABELS[row.platform]}</td>
              <td data-label="AI 视频">
                {row.aiVideo ? <span class="badge ok">AI</span> : <span class="muted">否</span>}
              </td>
              <td class="source" data-label="制作来源">
                {row.renderId ? (
                  <a href={`/renders/${row.renderId}`}>{sources.get(row.renderId) ?? `制作 #${row.renderId}`}</a>
                ) : (
                  '外部制作'
                )}
              </td>
              {remover ? (
                <td class="card-actions">
                  <DeleteButton c={c} action={`/publications/${row.id}/delete`} what={`「${row.title}」的发布记录`} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CoverageTable(props: { c: Context<AppEnv>; rows: CoverageReport[] }) {
  const { c, rows } = props;
  const remover = may(c, PUBLICATION_REMOVERS);
  return (
    <div class="table-wrap">
      <table class="cards" data-list="coverage">
        <thead>
          <tr>
            <th>报道日期</th>
            <th>媒体</th>
            <th>级别</th>
            <th>标题</th>
            <th>佐证</th>
            {remover ? <th>操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr data-coverage-id={String(row.id)}>
              <td data-label="报道日期">{row.publishedOn}</td>
              <td data-label="媒体">{row.outlet}</td>
              <td data-label="级别">
                <span class={row.level === 'national' ? 'badge ok' : 'badge'}>{COVERAGE_LEVEL_LABELS[row.level]}</span>
              </td>
              <td class="wide card-title">
                <NewTabLink href={row.url}>{row.title}</NewTabLink>
              </td>
              <td data-label="佐证" data-field="evidence">
                <CoverageEvidenceLink c={c} row={row} />
              </td>
              {remover ? (
                <td class="card-actions">
                  <DeleteButton
                    c={c}
                    action={`/publications/coverage/${row.id}/delete`}
                    what={`${row.outlet}的报道「${row.title}」`}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const publicationList = definePage(anyRole, 'get', '/publications', async (c) => {
  const { site, sy, current, error } = await yearOfPage(c);
  const { db, config } = c.var.services;
  const query = videoQuery(c, sy);
  const [counts, videos, coverage] = await Promise.all([
    countPublications(db, site.id, rangeOf(sy)),
    findPublications(db, {
      siteId: site.id,
      range: videoRange(sy, query.month),
      platform: query.platform,
      aiVideo: query.ai === '' ? undefined : query.ai === 'yes',
      search: query.q || undefined,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    }),
    listCoverage(db, site.id, rangeOf(sy)),
  ]);
  const renderIds = videos.items.flatMap((row) => (row.renderId ? [row.renderId] : []));
  const sources = await videoTitles(db, config.templatesDir, site.id, renderIds);
  const which = sy.year === current ? '本服务年度' : `${yearLabel(sy)}服务年度`;
  const filteredVideos = videosFiltered(query);
  const videosHref = (page: number) => {
    const { month, platform, ai, q } = query;
    return listHref('/publications', { year: sy.year, month, platform, ai, q }, page, 'videos');
  };
  const national = coverage.filter((row) => row.level === 'national').length;
  return renderPage(
    c,
    {
      title: '发布',
      active: 'publications',
      assets: ['publications.css'],
      ...errorOptions(error),
    },
    <>
      <YearPicker action="/publications" shown={sy.year} current={current} start={site.serviceYearStart} />
      <section class="card" data-field="counts">
        <p>
          {which}已发布短视频 <strong data-field="videos">{counts.videos}</strong> 条，其中 AI 视频{' '}
          <strong data-field="ai">{counts.ai}</strong> 条。
        </p>
        <p>
          媒体报道 <strong data-field="coverage">{coverage.length}</strong> 篇，其中国家级或部级{' '}
          <strong data-field="national">{national}</strong> 篇。
        </p>
        <p class="muted">
          统计期间：{sy.start} 至 {sy.lastDay}。同一个链接只计一次。
        </p>
      </section>
      {may(c, PUBLISHERS) ? (
        <p class="actions">
          <a class="button" href="/publications/new">
            登记已发布的短视频
          </a>
          <a class="button secondary" href="/publications/coverage/new">
            登记媒体报道
          </a>
        </p>
      ) : null}
      <section id="videos">
        <h2>已发布的短视频（{counts.videos}）</h2>
        {counts.videos > 0 ? <VideoFilters sy={sy} query={query} /> : null}
        {filteredVideos ? <p class="muted">符合条件的 {videos.total} 条</p> : null}
        {videos.items.length > 0 ? (
          <VideoTable c={c} rows={videos.items} sources={sources} />
        ) : (
          <p class="card">
            {filteredVideos
              ? '没有符合条件的短视频，请换个条件。'
              : videos.total > 0
                ? '这一页没有短视频。'
                : `${which}还没有登记发布的短视频。`}
          </p>
        )}
        <Pager page={query.page} total={videos.total} pageSize={PAGE_SIZE} href={videosHref} />
      </section>
      <h2>媒体报道（{coverage.length}）</h2>
      {coverage.length === 0 ? (
        <p class="card">{which}还没有登记媒体报道。</p>
      ) : (
        <CoverageTable c={c} rows={coverage} />
      )}
    </>,
  );
});

/** The publication form's fields as typed, so a refused one comes back with them. */
interface VideoForm {
  renderId: string;
  platform: string;
  url: string;
  publishedOn: string;
  title: string;
  aiVideo: boolean;
  aiTool: string;
}

/** The render a publication is of, as the form shows it. */
interface RenderSource {
  render: Render;
  templateTitle: string;
}

/**
 * A title to start from, from the jobs the video shows ("南昌洪城物流有限公司招聘叉车司机", "叉车司机、帮厨、
 * 保洁员等 6 个岗位"); the template's title when its jobs are gone.
 */
async function suggestedTitle(c: Context<AppEnv>, source: RenderSource): Promise<string> {
  const { jobs } = await getJobsByIds(c.var.services.db, c.var.principal.siteId, source.render.jobIds);
  const [only] = jobs;
  if (!only) return source.templateTitle;
  if (jobs.length === 1) return `${only.employer}招聘${only.title}`.slice(0, MAX_TITLE_CHARS);
  const titles = jobs
    .slice(0, 3)
    .map((job) => job.title)
    .join('、');
  return `${titles}${jobs.length > 3 ? `等 ${jobs.length} 个岗位` : ''}`.slice(0, MAX_TITLE_CHARS);
}

/** Today in the site's time zone: what a date field starts from. */
async function siteDay(c: Context<AppEnv>): Promise<string> {
  return siteToday((await siteOf(c)).timezone);
}

/** The form's hidden render id as a number; one tampered with is refused as bad input. */
function renderIdOf(text: string): number {
  const parsed = idSchema.safeParse(text);
  if (!parsed.success) {
    throw new JobcastError('BAD_INPUT', `制作编号有误：${text.slice(0, 20)}`, {
      field: 'renderId',
    });
  }
  return parsed.data;
}

function videoFormPage(
  c: Context<AppEnv>,
  data: { form: VideoForm; source: RenderSource | null; error?: PageError | undefined },
) {
  const { form, source, error } = data;
  return renderPage(
    c,
    {
      title: '登记已发布的短视频',
      active: 'publications',
      ...errorOptions(error),
    },
    <>
      <p>
        <a href="/publications">← 发布</a>
      </p>
      <form method="post" action="/publications/new" class="card narrow">
        <CsrfField c={c} />
        {source ? (
          <p data-field="render">
            视频来自 <a href={`/renders/${source.render.id}`}>制作 #{source.render.id}</a>（{source.templateTitle}
            {source.render.aiVideo ? '，AI 视频' : ''}）
            <input type="hidden" name="renderId" value={String(source.render.id)} />
          </p>
        ) : (
          <p class="muted">在别处制作的视频也在这里登记。若是岗播制作的视频，请从该视频的制作页点“登记发布”。</p>
        )}
        <label>
          发布平台
          <select name="platform" required>
            <Options values={publicationPlatforms} labels={PLATFORM_LABELS} selected={form.platform} />
          </select>
        </label>
        <label>
          视频链接（复制平台上的分享链接）
          <input
            name="url"
            type="url"
            value={form.url}
            required
            maxlength={2000}
            placeholder="https://www.douyin.com/video/…"
          />
        </label>
        <label>
          发布日期
          <input name="publishedOn" type="date" value={form.publishedOn} required />
        </label>
        <label>
          标题
          <input name="title" value={form.title} required maxlength={MAX_TITLE_CHARS} />
        </label>
        {source ? (
          <p class="muted">
            {source.render.aiVideo
              ? `AI 视频：制作时使用了${aiComponentsText(source.render.aiComponents)}，按 AI 视频计`
              : '不是 AI 视频：制作时没有使用 AI 配音等 AI 组件'}
          </p>
        ) : (
          <>
            <label>
              <input type="checkbox" name="aiVideo" value="1" checked={form.aiVideo} />
              这是 AI 视频
            </label>
            <label>
              所用 AI 工具（登记为 AI 视频时必填，作为考核佐证）
              <input name="aiTool" value={form.aiTool} maxlength={60} placeholder="如：剪映 AI 配音、即梦" />
            </label>
          </>
        )}
        <div class="actions">
          <button type="submit">登记</button>
          <a href="/publications">取消</a>
        </div>
      </form>
    </>,
  );
}

/** `?render=12`: the render to prefill from, or why it cannot be published. */
async function renderSource(
  c: Context<AppEnv>,
  id: string,
): Promise<{ source: RenderSource | null; error?: PageError }> {
  let render: Render;
  try {
    render = await getRender(c.var.services.db, renderIdOf(id), c.var.principal.siteId);
  } catch (error) {
    return { source: null, error: errorText(error) };
  }
  if (render.kind !== 'video' || render.status !== 'done') {
    return {
      source: null,
      error: { status: 400, text: `制作 #${render.id} 不是制作完成的短视频，不能登记发布；可以登记在别处制作的视频` },
    };
  }
  return { source: { render, templateTitle: await loadTemplateTitle(c.var.services.config.templatesDir, render) } };
}

const videoForm = definePage(PUBLISHERS, 'get', '/publications/new', async (c) => {
  const asked = c.req.query('render');
  const { source, error } = asked ? await renderSource(c, asked) : { source: null };
  const form: VideoForm = {
    renderId: source ? String(source.render.id) : '',
    platform: 'douyin',
    url: '',
    publishedOn: await siteDay(c),
    title: source ? await suggestedTitle(c, source) : '',
    aiVideo: source?.render.aiVideo ?? false,
    aiTool: '',
  };
  return videoFormPage(c, { form, source, error });
});

/** Where to go after recording something published on `day`: the list of the service year it counts in. */
async function listOf(c: Context<AppEnv>, day: string): Promise<string> {
  return `/publications?year=${serviceYearOf(day, (await siteOf(c)).serviceYearStart)}`;
}

const videoSubmit = definePage(PUBLISHERS, 'post', '/publications/new', async (c) => {
  const fields = await formFields(c);
  const form: VideoForm = {
    renderId: fields.get('renderId').trim(),
    platform: fields.get('platform'),
    url: fields.get('url').slice(0, 4000),
    publishedOn: fields.get('publishedOn'),
    title: fields.get('title').slice(0, 1000),
    aiVideo: fields.get('aiVideo') !== '',
    aiTool: fields.get('aiTool').slice(0, 200),
  };
  let row: Publication;
  try {
    row = await recordPublication(c.var.services.db, {
      siteId: c.var.principal.siteId,
      renderId: form.renderId ? renderIdOf(form.renderId) : null,
      platform: form.platform,
      url: form.url,
      publishedOn: form.publishedOn,
      title: form.title,
      aiVideo: form.aiVideo,
      aiTool: form.aiTool,
      createdBy: c.var.principal.userId,
    });
  } catch (error) {
    const source = form.renderId ? (await renderSource(c, form.renderId)).source : null;
    return videoFormPage(c, { form, source, error: errorText(error) });
  }
  return redirectWithNotice(
    c,
    await listOf(c, row.publishedOn),
    `已登记：${PLATFORM_LABELS[row.platform]} ${row.publishedOn}「${row.title}」${row.aiVideo ? '（AI 视频）' : ''}`,
  );
});

/** The media report form's fields as typed. */
interface CoverageForm {
  outlet: string;
  level: string;
  url: string;
  publishedOn: string;
  title: string;
}

/** What a report's evidence may be, as the file fields say it. */
const EVIDENCE_KINDS = `PNG、JPEG 或 PDF，最大 ${formatBytes(COVERAGE_EVIDENCE_MAX_BYTES)}`;

/** A report's screenshot or PDF in the list: its link, or for the media team where to give one. */
function CoverageEvidenceLink(props: { c: Context<AppEnv>; row: CoverageReport }) {
  const { c, row } = props;
  const page = `/publications/coverage/${row.id}/evidence`;
  if (row.evidenceKey) return <a href={page}>{isCoverageScreenshot(row.evidenceKey) ? '截图' : 'PDF'}</a>;
  return may(c, PUBLISHERS) ? <a href={page}>上传截图或 PDF</a> : <span class="muted">仅链接</span>;
}

function EvidenceField(props: { label: string; required?: boolean }) {
  return (
    <label>
      {props.label}
      <input type="file" name="file" accept={COVERAGE_EVIDENCE_ACCEPT} required={props.required ?? false} />
    </label>
  );
}

function coverageFormPage(c: Context<AppEnv>, form: CoverageForm, error?: PageError) {
  return renderPage(
    c,
    {
      title: '登记媒体报道',
      active: 'publications',
      ...errorOptions(error),
    },
    <>
      <p>
        <a href="/publications">← 发布</a>
      </p>
      <form method="post" action="/publications/coverage/new" enctype="multipart/form-data" class="card narrow">
        <CsrfField c={c} />
        <label>
          媒体名称
          <input name="outlet" value={form.outlet} required maxlength={100} placeholder="如：人民网、江西日报" />
        </label>
        <label>
          媒体级别
          <select name="level" required>
            <Options values={coverageLevels} labels={COVERAGE_LEVEL_LABELS} selected={form.level} />
          </select>
        </label>
        <label>
          报道链接
          <input name="url" type="url" value={form.url} required maxlength={2000} placeholder="https://…" />
        </label>
        <label>
          报道日期
          <input name="publishedOn" type="date" value={form.publishedOn} required />
        </label>
        <label>
          报道标题
          <input name="title" value={form.title} required maxlength={MAX_TITLE_CHARS} />
        </label>
        <EvidenceField label={`报道截图或 PDF（选填，${EVIDENCE_KINDS}；原网页改版或删除后，它仍可作佐证）`} />
        <div class="actions">
          <button type="submit">登记</button>
          <a href="/publications">取消</a>
        </div>
      </form>
    </>,
  );
}

const coverageForm = definePage(PUBLISHERS, 'get', '/publications/coverage/new', async (c) =>
  coverageFormPage(c, { outlet: '', level: 'provincial', url: '', publishedOn: await siteDay(c), title: '' }),
);

/** The file chosen in the page's file field, where the form's upload wrote it; null when none was chosen. */
async function chosenFile(c: Context<AppEnv>): Promise<StoredUpload | null> {
  const file = (await formFields(c)).file('file');
  if (!file || (file.name === '' && file.size === 0)) return null;
  return storeUpload(c.var.services.config.uploadDir, file);
}

const coverageSubmit = definePage(
  PUBLISHERS,
  'post',
  '/publications/coverage/new',
  async (c) => {
    const { db, store } = c.var.services;
    const { siteId, userId } = c.var.principal;
    const fields = await formFields(c);
    const form: CoverageForm = {
      outlet: fields.get('outlet').slice(0, 500),
      level: fields.get('level'),
      url: fields.get('url').slice(0, 4000),
      publishedOn: fields.get('publishedOn'),
      title: fields.get('title').slice(0, 1000),
    };
    let upload: StoredUpload | null = null;
    let evidence: CoverageEvidence | null = null;
    let row: CoverageReport;
    try {
      upload = await chosenFile(c);
      if (upload) {
        evidence = await storeCoverageEvidence(store, {
          siteId,
          file: upload.storedPath,
          displayName: upload.displayName,
          // The upload folder may be on another disk than the media store.
          take: 'copy',
        });
      }
      row = await recordCoverage(db, { siteId, ...form, evidence, createdBy: userId });
    } catch (error) {
      if (evidence) await store.remove(evidence.key).catch(() => undefined);
      const { status, text } = errorText(error);
      // A browser cannot give the file back to the form: the person chooses it again.
      return coverageFormPage(c, form, { status, text: upload ? `${text}（请重新选择截图或 PDF）` : text });
    } finally {
      if (upload) await discardUpload(upload.storedPath);
    }
    return redirectWithNotice(
      c,
      await listOf(c, row.publishedOn),
      `已登记媒体报道：${row.outlet}（${COVERAGE_LEVEL_LABELS[row.level]}）${row.publishedOn}「${row.title}」` +
        (evidence ? `，附${isCoverageScreenshot(evidence.key) ? '截图' : ' PDF'}「${evidence.name}」` : ''),
    );
  },
  { fileForm: true },
);

/** One report's screenshot or PDF: shown (a screenshot) or linked (a PDF), and for the media team, the form to give or replace it. */
async function coverageEvidenceView(c: Context<AppEnv>, id: number, error?: PageError) {
  const report = await getCoverage(c.var.services.db, c.var.principal.siteId, id);
  const file = coverageEvidenceUrl(report.id);
  const size = formatBytes(report.evidenceBytes ?? 0);
  return renderPage(
    c,
    { title: '媒体报道的佐证', active: 'publications', ...errorOptions(error) },
    <>
      <p>
        <a href={await listOf(c, report.publishedOn)}>← 发布</a>
      </p>
      <section class="card" data-field="report">
        <h2>{report.title}</h2>
        <p>
          {report.outlet}（{COVERAGE_LEVEL_LABELS[report.level]}），{report.publishedOn}。
          <NewTabLink href={report.url}>打开原文</NewTabLink>
        </p>
      </section>
      <section class="card" data-field="evidence">
        <h2>报道截图或 PDF</h2>
        {!report.evidenceKey ? (
          <p class="muted">还没有。原网页改版或删除后，截图或 PDF 是这篇报道的佐证，并放进媒体宣传的佐证材料包。</p>
        ) : isCoverageScreenshot(report.evidenceKey) ? (
          <figure>
            <a href={file}>
              <img class="preview" src={file} alt={`${report.outlet}报道「${report.title}」的截图`} />
            </a>
            <figcaption>
              {report.evidenceName}（{size}）
            </figcaption>
          </figure>
        ) : (
          <p>
            PDF：
            <NewTabLink href={file}>{report.evidenceName ?? '打开'}</NewTabLink>（{size}）
          </p>
        )}
        {may(c, PUBLISHERS) ? (
          <form method="post" action={`/publications/coverage/${report.id}/evidence`} enctype="multipart/form-data">
            <CsrfField c={c} />
            <EvidenceField
              label={`${report.evidenceKey ? '换一个文件' : '上传截图或 PDF'}（${EVIDENCE_KINDS}）`}
              required
            />
            <div class="actions">
              <button type="submit">上传</button>
            </div>
          </form>
        ) : null}
      </section>
    </>,
  );
}

const coverageEvidencePage = definePage(anyRole, 'get', '/publications/coverage/:id{[0-9]+}/evidence', (c) =>
  coverageEvidenceView(c, pathId(c, '条媒体报道记录')),
);

const coverageEvidenceSubmit = definePage(
  PUBLISHERS,
  'post',
  '/publications/coverage/:id{[0-9]+}/evidence',
  async (c) => {
    const { db, store } = c.var.services;
    const { siteId } = c.var.principal;
    const report = await getCoverage(db, siteId, pathId(c, '条媒体报道记录'));
    let upload: StoredUpload | null = null;
    let stored: CoverageEvidence;
    try {
      upload = await chosenFile(c);
      if (!upload) throw new JobcastError('BAD_INPUT', '请选择报道的截图或 PDF 文件', { field: 'file' });
      const evidence = await storeCoverageEvidence(store, {
        siteId,
        file: upload.storedPath,
        displayName: upload.displayName,
        take: 'copy',
      });
      await recordReplacing(c, evidence.key, () => setCoverageEvidence(db, siteId, report.id, evidence));
      stored = evidence;
    } catch (error) {
      const { status, text } = errorText(error);
      return coverageEvidenceView(c, report.id, { status, text: `未能上传：${text}` });
    } finally {
      if (upload) await discardUpload(upload.storedPath);
    }
    return redirectWithNotice(
      c,
      `/publications/coverage/${report.id}/evidence`,
      `已上传「${report.title}」的${isCoverageScreenshot(stored.key) ? '截图' : ' PDF'}「${stored.name}」`,
    );
  },
  { fileForm: true },
);

const videoDelete = definePage(PUBLICATION_REMOVERS, 'post', '/publications/:id{[0-9]+}/delete', async (c) => {
  const row = await deletePublication(c.var.services.db, c.var.principal.siteId, pathId(c, '条发布记录'));
  return redirectWithNotice(c, await listOf(c, row.publishedOn), `已删除发布记录「${row.title}」`);
});

const coverageDelete = definePage(
  PUBLICATION_REMOVERS,
  'post',
  '/publications/coverage/:id{[0-9]+}/delete',
  async (c) => {
    const { db, store } = c.var.services;
    const row = await deleteCoverage(db, c.var.principal.siteId, pathId(c, '条媒体报道记录'));
    if (row.evidenceKey) await store.remove(row.evidenceKey).catch(() => undefined);
    return redirectWithNotice(c, await listOf(c, row.publishedOn), `已删除媒体报道「${row.title}」`);
  },
);

export const publicationPages: PageRoute[] = [
  publicationList,
  videoForm,
  videoSubmit,
  coverageForm,
  coverageSubmit,
  coverageEvidencePage,
  coverageEvidenceSubmit,
  videoDelete,
  coverageDelete,
];

/** What made part of a video with AI, as the form and the render page say it: 离线语音（eSpeak NG）配音 … */
export function aiComponentsText(components: readonly AiComponent[]): string {
  const kinds = { voice: '配音', script: '文案', presenter: '数字人' } as const;
  return components.map((c) => `${c.providerLabel}${kinds[c.kind]}`).join('、');
}
