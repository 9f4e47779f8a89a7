/** @jsxImportSource hono/jsx */
import {
  COVERAGE_LEVEL_LABELS,
  coverageLevels,
  JobcastError,
  PLATFORM_LABELS,
  publicationPlatforms,
  type UserRole,
} from '@jobcast/core';
import {
  type AiComponent,
  type CoverageReport,
  deleteCoverage,
  deletePublication,
  getJobsByIds,
  getRender,
  listCoverage,
  listPublications,
  type Publication,
  type Render,
  recordCoverage,
  recordPublication,
} from '@jobcast/db';
import { serviceYearOf, siteToday } from '@jobcast/ledger';
import { loadTemplate } from '@jobcast/renders';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { PUBLISHERS, rangeOf } from '../../routes/publications/view.ts';
import { anyRole } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
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
import { errorOptions, may, NewTabLink, type PageError, pathId, siteOf, YearPicker, yearOfPage } from '../parts.tsx';

/** Only an admin takes back a record: it changes what the year counts. */
const REMOVERS: readonly UserRole[] = ['admin'];

const MAX_TITLE_CHARS = 200;

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

function VideoTable(props: { c: Context<AppEnv>; rows: Publication[] }) {
  const { c, rows } = props;
  const remover = may(c, REMOVERS);
  return (
    <div class="table-wrap">
      <table data-list="publications">
        <thead>
          <tr>
            <th>发布日期</th>
            <th>平台</th>
            <th>标题</th>
            <th>AI 视频</th>
            <th>制作来源</th>
            {remover ? <th>操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr data-publication-id={String(row.id)}>
              <td>{row.publishedOn}</td>
              <td>{PLATFORM_LABELS[row.platform]}</td>
              <td class="wide">
                <NewTabLink href={row.url}>{row.title}</NewTabLink>
              </td>
              <td>{row.aiVideo ? <span class="badge ok">AI</span> : <span class="muted">否</span>}</td>
              <td>{row.renderId ? <a href={`/renders/${row.renderId}`}>制作 #{row.renderId}</a> : '外部制作'}</td>
              {remover ? (
                <td>
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
  const remover = may(c, REMOVERS);
  return (
    <div class="table-wrap">
      <table data-list="coverage">
        <thead>
          <tr>
            <th>报道日期</th>
            <th>媒体</th>
            <th>级别</th>
            <th>标题</th>
            {remover ? <th>操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr data-coverage-id={String(row.id)}>
              <td>{row.publishedOn}</td>
              <td>{row.outlet}</td>
              <td>
                <span class={row.level === 'national' ? 'badge ok' : 'badge'}>{COVERAGE_LEVEL_LABELS[row.level]}</span>
              </td>
              <td class="wide">
                <NewTabLink href={row.url}>{row.title}</NewTabLink>
              </td>
              {remover ? (
                <td>
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
  const { db } = c.var.services;
  const [videos, coverage] = await Promise.all([
    listPublications(db, site.id, rangeOf(sy)),
    listCoverage(db, site.id, rangeOf(sy)),
  ]);
  const which = sy.year === current ? '本服务年度' : `${yearLabel(sy)}服务年度`;
  const ai = videos.filter((row) => row.aiVideo).length;
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
          {which}已发布短视频 <strong data-field="videos">{videos.length}</strong> 条，其中 AI 视频{' '}
          <strong data-field="ai">{ai}</strong> 条。
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
      <h2>已发布的短视频（{videos.length}）</h2>
      {videos.length === 0 ? <p class="card">{which}还没有登记发布的短视频。</p> : <VideoTable c={c} rows={videos} />}
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

async function templateTitle(c: Context<AppEnv>, render: Render): Promise<string> {
  const loaded = await loadTemplate(c.var.services.config.templatesDir, render.template, 'video').catch(() => null);
  return loaded?.template.title ?? render.template;
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
    throw new JobcastError('BAD_INPUT', `制作编号有误：${text.slice(0, 20)} (renderId: not a render id)`, {
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
            {publicationPlatforms.map((platform) => (
              <option value={platform} selected={platform === form.platform}>
                {PLATFORM_LABELS[platform]}
              </option>
            ))}
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
  return { source: { render, templateTitle: await templateTitle(c, render) } };
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
      <form method="post" action="/publications/coverage/new" class="card narrow">
        <CsrfField c={c} />
        <label>
          媒体名称
          <input name="outlet" value={form.outlet} required maxlength={100} placeholder="如：人民网、江西日报" />
        </label>
        <label>
          媒体级别
          <select name="level" required>
            {coverageLevels.map((level) => (
              <option value={level} selected={level === form.level}>
                {COVERAGE_LEVEL_LABELS[level]}
              </option>
            ))}
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

const coverageSubmit = definePage(PUBLISHERS, 'post', '/publications/coverage/new', async (c) => {
  const fields = await formFields(c);
  const form: CoverageForm = {
    outlet: fields.get('outlet').slice(0, 500),
    level: fields.get('level'),
    url: fields.get('url').slice(0, 4000),
    publishedOn: fields.get('publishedOn'),
    title: fields.get('title').slice(0, 1000),
  };
  let row: CoverageReport;
  try {
    row = await recordCoverage(c.var.services.db, {
      siteId: c.var.principal.siteId,
      ...form,
      createdBy: c.var.principal.userId,
    });
  } catch (error) {
    return coverageFormPage(c, form, errorText(error));
  }
  return redirectWithNotice(
    c,
    await listOf(c, row.publishedOn),
    `已登记媒体报道：${row.outlet}（${COVERAGE_LEVEL_LABELS[row.level]}）${row.publishedOn}「${row.title}」`,
  );
});

const videoDelete = definePage(REMOVERS, 'post', '/publications/:id{[0-9]+}/delete', async (c) => {
  const row = await deletePublication(c.var.services.db, c.var.principal.siteId, pathId(c, '条发布记录'));
  return redirectWithNotice(c, await listOf(c, row.publishedOn), `已删除发布记录「${row.title}」`);
});

const coverageDelete = definePage(REMOVERS, 'post', '/publications/coverage/:id{[0-9]+}/delete', async (c) => {
  const row = await deleteCoverage(c.var.services.db, c.var.principal.siteId, pathId(c, '条媒体报道记录'));
  return redirectWithNotice(c, await listOf(c, row.publishedOn), `已删除媒体报道「${row.title}」`);
});

export const publicationPages: PageRoute[] = [
  publicationList,
  videoForm,
  videoSubmit,
  coverageForm,
  coverageSubmit,
  videoDelete,
  coverageDelete,
];

/** What made part of a video with AI, as the form and the render page say it: 离线语音（eSpeak NG）配音 … */
export function aiComponentsText(components: readonly AiComponent[]): string {
  const kinds = { voice: '配音', script: '文案', presenter: '数字人' } as const;
  return components.map((c) => `${c.providerLabel}${kinds[c.kind]}`).join('、');
}
