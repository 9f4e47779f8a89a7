/** @jsxImportSource hono/jsx */
import {
  isMonth,
  JobcastError,
  MONTH_HINT,
  type RenderKind,
  type RenderStatus,
  renderKinds,
  renderStatuses,
} from '@jobcast/core';
import {
  type AiComponent,
  findRenders,
  getJobsByIds,
  getRender,
  listMediaAssets,
  type Render,
  type schema,
} from '@jobcast/db';
import { siteToday } from '@jobcast/ledger';
import { type RenderRequest, renderRequest } from '@jobcast/queue';
import {
  BUILTIN_MUSIC,
  chooseSiteVoice,
  draftVideoScript,
  RENDER_KIND_LABELS,
  RENDER_STATUS_LABELS,
  renderContentText,
  retryRender,
  type SiteVoice,
  type TemplateChoice,
  templateChoices,
  templateTitle,
  type VideoScriptDraft,
} from '@jobcast/renders';
import { scriptWriterStatus, voiceCatalog } from '@jobcast/speech';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ASSET_UPLOADERS, anyRole, RENDER_MAKERS, VOICE_SETTERS } from '../../roles.ts';
import { queueRender } from '../../routes/renders/create.ts';
import { type SiteVoiceView, siteVoiceView } from '../../routes/site/view.ts';
import { PREVIEW_TEXT } from '../../routes/voices/preview.ts';
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
import { CategoryField, errorOptions, may, Options, type PageError, pathId, Row, siteOf } from '../parts.tsx';
import {
  ExplainerFields,
  emptyMediaForm,
  FootageFields,
  LibraryMusicOptions,
  type MediaForm,
  MediaLibrary,
  mediaFieldLabel,
  mediaRequestOf,
  submittedMediaForm,
} from '../render-media.tsx';
import { rateLabel, SiteVoiceForm } from '../site-voice.tsx';

const STATUS_BADGES: Record<RenderStatus, string> = {
  queued: 'badge',
  running: 'badge warn',
  done: 'badge ok',
  failed: 'badge bad',
};

/** What renders.js needs to redraw a row: each status's words and badge, from the same tables as the page. */
const STATUS_VIEW = JSON.stringify(
  Object.fromEntries(
    Object.entries(RENDER_STATUS_LABELS).map(([status, label]) => [
      status,
      { label, badge: STATUS_BADGES[status as RenderStatus] },
    ]),
  ),
);

const DEFAULT_FILTER_LIMIT = 6;
const DEFAULT_FLYER_COPIES = 1000;
const PAGE_SIZE = 25;

/** What the render list is narrowed to, from the address: every field is optional. */
interface RenderQuery {
  kind: RenderKind | undefined;
  template: string;
  status: RenderStatus | undefined;
  /** YYYY-MM: asked for in that month. */
  month: string;
  q: string;
  page: number;
}

/**
 * The list's filters as the address gives them (`type`, `tpl`, `status`, `made`, `q`: names apart from
 * the queue form's fields on the same page); a month that is not one is set aside, saying so.
 */
function renderQuery(c: Context<AppEnv>): { query: RenderQuery; error?: PageError } {
  const kind = c.req.query('type');
  const status = c.req.query('status');
  const template = (c.req.query('tpl') ?? '').trim();
  const month = (c.req.query('made') ?? '').trim();
  const validMonth = isMonth(month);
  const query: RenderQuery = {
    kind: renderKinds.find((known) => known === kind),
    template: /^[a-z0-9][a-z0-9-]{0,59}$/.test(template) ? template : '',
    status: renderStatuses.find((known) => known === status),
    month: validMonth ? month : '',
    q: (c.req.query('q') ?? '').trim().slice(0, 100),
    page: pageNumber(c),
  };
  if (month && !validMonth) {
    return {
      query,
      error: { status: 400, text: `月份“${month.slice(0, 20)}”有误，${MONTH_HINT}；下面不按月份筛选` },
    };
  }
  return { query };
}

function filtered(query: RenderQuery): boolean {
  return Boolean(query.kind || query.template || query.status || query.month || query.q);
}

/** The list's address with its filters: the fragment brings the reader past the forms to the list. */
function rendersHref(query: RenderQuery, page: number): string {
  const { kind, template, status, month, q } = query;
  return listHref('/renders', { type: kind, tpl: template, status, made: month, q }, page, 'render-list');
}

/** The queue form's fields as typed, so a refused request comes back with them. */
interface RenderForm {
  kind: string;
  template: string;
  jobIds: string;
  category: string;
  search: string;
  limit: string;
  month: string;
  copies: string;
  /** `provider:voice`, or '' for the site's voice. */
  voice: string;
  rate: string;
  /** '' for the template's music, `none`, or a built-in bed. */
  music: string;
  silent: boolean;
  /** The media team's script; '' lets the rule writer (or, with `aiWriter`, the AI writer) write it. */
  script: string;
  /** 制作时由 AI 写稿: the render asks the AI writer when the script is left empty. */
  aiWriter: boolean;
  /** The draft button pressed: 'ai' for 用 AI 写稿, '' for the rule writer's. */
  draftWith: string;
  /** A footage video's clips, a policy explainer's title, points and photos. */
  media: MediaForm;
}

/** The form as it first shows: a poster of the first jobs, or this month's flyer on the site's calendar. */
function emptyForm(timezone: string): RenderForm {
  return {
    kind: 'poster',
    template: '',
    jobIds: '',
    category: '',
    search: '',
    limit: String(DEFAULT_FILTER_LIMIT),
    month: siteToday(timezone).slice(0, 7),
    copies: String(DEFAULT_FLYER_COPIES),
    voice: '',
    rate: '1',
    music: '',
    silent: false,
    script: '',
    aiWriter: false,
    draftWith: '',
    media: emptyMediaForm(),
  };
}

/** The console's speaking rates: what a person picks, not a number to type. */
const RATES = [
  { value: '0.85', label: '稍慢' },
  { value: '1', label: '正常' },
  { value: '1.15', label: '稍快' },
  { value: '1.3', label: '快' },
];

const FIELD_LABELS: Record<string, string> = {
  kind: '制作类型',
  template: '模板',
  jobIds: '岗位编号',
  filter: '筛选条件',
  'filter.category': '类别',
  'filter.search': '关键词',
  'filter.limit': '岗位数量',
  month: '月份',
  copies: '计划印数',
  script: '配音稿',
  voice: '配音声音',
  'voice.rate': '语速',
  music: '音乐',
};

/** "12, 15、18 20" → [12, 15, 18, 20]; empty → undefined (the filter is used instead). */
function parseJobIds(text: string): number[] | undefined {
  const parts = text.split(/[\s,，、;；]+/).filter((part) => part !== '');
  if (parts.length === 0) return undefined;
  const bad = parts.find((part) => !/^[1-9]\d{0,9}$/.test(part));
  if (bad !== undefined) {
    throw new JobcastError('BAD_INPUT', `岗位编号：“${bad}”不是岗位编号，请填写数字，用逗号隔开，如 12, 15, 18`);
  }
  return parts.map(Number);
}

/** The form as a render request, checked by the same schema as the API's; problems name the form's fields. */
function requestOf(form: RenderForm): RenderRequest {
  const jobIds = parseJobIds(form.jobIds);
  const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const raw =
    form.kind === 'flyer'
      ? { kind: form.kind, template: form.template, month: form.month, copies: optionalNumber(form.copies), jobIds }
      : {
          kind: form.kind,
          template: form.template,
          ...(form.kind === 'video' ? soundOf(form) : {}),
          ...(form.kind === 'video' ? mediaRequestOf(form.media) : {}),
          // A policy explainer given without job ids speaks of no job: no filter picks any for it.
          ...(jobIds
            ? { jobIds }
            : form.kind === 'video' && form.media.explainerTitle.trim() !== ''
              ? {}
              : {
                  filter: {
                    category: form.category || undefined,
                    search: form.search.trim() || undefined,
                    limit: optionalNumber(form.limit),
                  },
                }),
        };
  const parsed = renderRequest.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${FIELD_LABELS[path] ?? mediaFieldLabel(path) ?? (path || '表单')}：${issue.message}`;
    });
    throw new JobcastError('BAD_INPUT', `制作请求有误：${problems.join('；')}`);
  }
  return parsed.data;
}

function StatusBadge(props: { status: RenderStatus }) {
  return (
    <span class={STATUS_BADGES[props.status]} data-field="status">
      {RENDER_STATUS_LABELS[props.status]}
    </span>
  );
}

function Progress(props: { render: Render }) {
  return (
    <span class="render-progress">
      <progress max={100} value={props.render.progress} data-field="progress">
        {props.render.progress}%
      </progress>{' '}
      <span data-field="percent">{props.render.progress}%</span>
    </span>
  );
}

function TemplateSelect(props: { templates: TemplateChoice[]; selected: string }) {
  return (
    <select id="render-template" name="template" required data-template-select>
      {renderKinds.map((kind) => (
        <optgroup label={RENDER_KIND_LABELS[kind]} data-kind={kind}>
          {props.templates
            .filter((template) => template.kind === kind)
            .map((template) => (
              <option
                value={template.name}
                selected={template.name === props.selected}
                data-jobs-max={String(template.jobs.max)}
                data-footage={template.footage ? '1' : undefined}
                data-explainer={template.explainer ? '1' : undefined}
              >
                {template.title}
                {template.narrated ? '（配音）' : ''}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

/** The video's voice, pace, music and script as the request takes them; what is left at its default is left out. */
function soundOf(form: RenderForm): Record<string, unknown> {
  const [provider, voice] = form.voice.split(':', 2);
  const rate = form.rate && form.rate !== '1' ? Number(form.rate) : undefined;
  return {
    script: form.script.trim() || undefined,
    voice:
      provider || rate !== undefined ? { provider: provider || undefined, voice: voice || undefined, rate } : undefined,
    music: form.music || undefined,
    silent: form.silent || undefined,
    writer: form.aiWriter ? 'ai' : undefined,
  };
}

/** The AI writer the page offers, when the server has one configured. */
type AiWriterOffer = { label: string } | null;

function aiWriterOffer(): AiWriterOffer {
  const status = scriptWriterStatus();
  return status.available ? { label: status.label } : null;
}

function SoundFields(props: {
  form: RenderForm;
  draft?: VideoScriptDraft;
  aiWriter: AiWriterOffer;
  /** The site's music library, offered beside the built-in beds. */
  library: schema.MediaAsset[];
}) {
  const { form, draft, aiWriter } = props;
  return (
    <fieldset data-kinds="video">
      <legend>配音与音乐（短视频）</legend>
      <div class="grid two">
        <label>
          配音声音
          <select name="voice" data-voice-select>
            <option value="" selected={form.voice === ''}>
              站点默认
            </option>
            {voiceCatalog().map((provider) => (
              <optgroup label={provider.label}>
                {provider.voices.map((voice) => (
                  <option value={`${provider.id}:${voice.id}`} selected={form.voice === `${provider.id}:${voice.id}`}>
                    {voice.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          语速
          <select name="rate" data-rate-select>
            {RATES.map((rate) => (
              <option value={rate.value} selected={form.rate === rate.value}>
                {rate.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          音乐
          <select name="music">
            <option value="" selected={form.music === ''}>
              模板默认
            </option>
            {BUILTIN_MUSIC.map((music) => (
              <option value={music.id} selected={form.music === music.id}>
                {music.label}
              </option>
            ))}
            <LibraryMusicOptions tracks={props.library} selected={form.music} />
            <option value="none" selected={form.music === 'none'}>
              不要音乐
            </option>
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="silent" value="1" checked={form.silent} />
          不配音（只要画面和音乐）
        </label>
      </div>
      <div class="voice-preview">
        <span>试听所选声音：</span>
        {/* biome-ignore lint/a11y/useMediaCaption: the words it says are printed beside it. */}
        <audio controls preload="none" src={voicePreviewUrl(form)} data-voice-preview />
        <span class="muted">「{PREVIEW_TEXT}」</span>
      </div>
      <label>
        配音稿（可不填：制作时按岗位自动撰写。每屏一段，段与段之间空一行；某一屏不说话写“-”）
        <textarea name="script" rows={9} maxlength={3000} placeholder="先点“生成配音稿”，再按需要修改">
          {form.script}
        </textarea>
      </label>
      {draft && draft.omitted.length > 0 ? (
        <p class="muted">为了放进视频时长，配音稿省去了：{draft.omitted.join('、')}</p>
      ) : null}
      {draft?.writer ? (
        <p class="muted" data-script-writer>
          {`配音稿由 ${draft.writer.providerLabel}的 ${draft.writer.model} 模型撰写，数字、电话、单位和时长已与岗位信息核对，可修改后提交。`}
        </p>
      ) : null}
      {draft?.note ? (
        <p class="notice" data-script-note>
          {draft.note}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" formaction="/renders/script" formnovalidate class="secondary">
          按所选岗位生成配音稿
        </button>
        {aiWriter ? (
          <button
            type="submit"
            formaction="/renders/script"
            formnovalidate
            class="secondary"
            name="draftWith"
            value="ai"
          >
            用 AI 写稿
          </button>
        ) : null}
      </div>
      {aiWriter ? (
        <label class="check">
          <input type="checkbox" name="aiWriter" value="1" checked={form.aiWriter} />
          {`制作时由 AI 写稿：${aiWriter.label}。配音稿留空时有效，AI 稿核对不通过则用规则稿并注明原因`}
        </label>
      ) : null}
    </fieldset>
  );
}

/** What an AI component did, as the render page names it. */
const AI_KIND_LABELS: Record<AiComponent['kind'], string> = { voice: '配音', script: '写稿', presenter: '数字人' };

/** A voice's Chinese name (离线女声), or its id where the catalogue does not know it. */
function voiceLabel(provider: string, voice: string): string {
  return (
    voiceCatalog()
      .find((p) => p.id === provider)
      ?.voices.find((v) => v.id === voice)?.label ?? voice
  );
}

/** The preview of the chosen voice at the chosen pace (a fixed sentence; renders.js follows the selects). */
function voicePreviewUrl(form: RenderForm): string {
  const params = new URLSearchParams({ voice: form.voice, rate: form.rate || '1' });
  return `/api/voices/preview?${params}`;
}

function QueueForm(props: {
  c: Context<AppEnv>;
  templates: TemplateChoice[];
  form: RenderForm;
  draft?: VideoScriptDraft;
  aiWriter: AiWriterOffer;
  assets: schema.MediaAsset[];
}) {
  const { c, templates, form, assets } = props;
  const footage = assets.filter((asset) => asset.kind !== 'music');
  return (
    <form method="post" action="/renders" class="card" data-render-form>
      <h2>新建制作</h2>
      <CsrfField c={c} />
      <div class="grid two">
        <label>
          制作类型
          <select name="kind" required data-kind-select>
            <Options values={renderKinds} labels={RENDER_KIND_LABELS} selected={form.kind} />
          </select>
        </label>
        <label for="render-template">
          模板（须与制作类型一致）
          <TemplateSelect templates={templates} selected={form.template} />
        </label>
      </div>
      <label data-job-picker>
        岗位编号（在“岗位”页面查看，用逗号隔开；不填则按下面的条件选岗位）
        <input name="jobIds" value={form.jobIds} placeholder="如：12, 15, 18" inputmode="numeric" />
      </label>
      <fieldset data-kinds="video poster" data-job-picker>
        <legend>按条件选岗位（短视频、海报；已填岗位编号时不用）</legend>
        <div class="filters">
          <CategoryField selected={form.category} />
          <label>
            关键词
            <input name="search" value={form.search} maxlength={100} placeholder="岗位、单位或地点" />
          </label>
          <label>
            岗位数量
            <input name="limit" type="number" min={1} max={24} value={form.limit} />
          </label>
        </div>
      </fieldset>
      <FootageFields form={form.media} footage={footage} />
      <ExplainerFields form={form.media} photos={footage.filter((asset) => asset.kind === 'photo')} />
      <SoundFields
        form={form}
        draft={props.draft}
        aiWriter={props.aiWriter}
        library={assets.filter((asset) => asset.kind === 'music')}
      />
      <fieldset data-kinds="flyer">
        <legend>招工小报（不填岗位编号时自动挑选当月在招岗位）</legend>
        <div class="grid two">
          <label>
            月份
            <input name="month" type="month" value={form.month} />
          </label>
          <label>
            计划印数（份）
            <input name="copies" type="number" min={1} value={form.copies} />
          </label>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit">加入制作队列</button>
      </div>
    </form>
  );
}

/** A finished render's picture for the list: a video's or poster's cover, a flyer's first page. */
function thumbnailUrl(render: Render): string | null {
  if (render.status !== 'done') return null;
  if (render.coverKey) return outputUrl(render, 'cover');
  return render.previewKeys && render.previewKeys.length > 0 ? outputUrl(render, 'page-1') : null;
}

function RenderFilters(props: { query: RenderQuery; templates: TemplateChoice[] }) {
  const { query, templates } = props;
  return (
    <form method="get" action="/renders#render-list" class="filters card" data-render-filters>
      <label>
        类型
        <select name="type">
          <Options values={renderKinds} labels={RENDER_KIND_LABELS} selected={query.kind} all="全部类型" />
        </select>
      </label>
      <label>
        模板
        <select name="tpl">
          <option value="">全部模板</option>
          {renderKinds.map((kind) => (
            <optgroup label={RENDER_KIND_LABELS[kind]}>
              {templates
                .filter((template) => template.kind === kind)
                .map((template) => (
                  <option value={template.name} selected={template.name === query.template}>
                    {template.title}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label>
        状态
        <select name="status">
          <Options values={renderStatuses} labels={RENDER_STATUS_LABELS} selected={query.status} all="全部状态" />
        </select>
      </label>
      <label>
        制作月份
        <input type="month" name="made" value={query.month} />
      </label>
      <label class="span-2">
        关键词（岗位、单位或小报月份）
        <input type="search" name="q" value={query.q} maxlength={100} placeholder="如：叉车、2026-11" />
      </label>
      <div class="actions">
        <button type="submit">筛选</button>
        {filtered(query) ? (
          <a class="button secondary" href="/renders#render-list">
            清除
          </a>
        ) : null}
      </div>
    </form>
  );
}

function RenderList(props: {
  timezone: string;
  templates: TemplateChoice[];
  renders: Render[];
  jobTitles: Map<number, string>;
}) {
  const { timezone, templates, renders, jobTitles } = props;
  return (
    <div class="table-wrap" data-render-states={STATUS_VIEW}>
      <table class="cards render-list" data-list="renders">
        <thead>
          <tr>
            <th>编号</th>
            <th>封面</th>
            <th>内容</th>
            <th>模板</th>
            <th>类型</th>
            <th>状态</th>
            <th>进度</th>
            <th class="num">岗位数</th>
            <th>创建时间</th>
          </tr>
        </thead>
        <tbody>
          {renders.map((render) => {
            const thumbnail = thumbnailUrl(render);
            return (
              <tr data-render-id={String(render.id)} data-status={render.status}>
                <td class="num card-corner">{render.id}</td>
                <td class="thumb-cell">
                  {thumbnail ? <img class="thumb" src={thumbnail} alt="" loading="lazy" /> : <span class="thumb" />}
                </td>
                <td class="card-title">
                  <a href={`/renders/${render.id}`}>{renderContentText(render, jobTitles)}</a>
                </td>
                <td class="card-sub">{templateTitle(render, templates)}</td>
                <td class="nowrap card-skip" data-label="类型">
                  {RENDER_KIND_LABELS[render.kind]}
                </td>
                <td class="nowrap" data-label="状态">
                  <StatusBadge status={render.status} />
                </td>
                <td class="nowrap progress-cell" data-label="进度">
                  <Progress render={render} />
                </td>
                <td class="num" data-label="岗位数">
                  {render.jobIds.length}
                </td>
                <td class="nowrap" data-label="创建时间">
                  {formatTime(timezone, render.createdAt)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function rendersPage(
  c: Context<AppEnv>,
  data: {
    timezone: string;
    templates: TemplateChoice[];
    renders: Render[];
    total: number;
    query: RenderQuery;
    jobTitles: Map<number, string>;
    form: RenderForm;
    error?: PageError;
    draft?: VideoScriptDraft;
    aiWriter: AiWriterOffer;
    assets: schema.MediaAsset[];
    siteVoice: SiteVoiceView;
  },
) {
  const { templates, renders, total, query, form, error } = data;
  return renderPage(
    c,
    {
      title: '制作',
      active: 'renders',
      ...errorOptions(error),
      assets: ['renders.js', 'renders.css'],
    },
    <>
      {may(c, RENDER_MAKERS) ? (
        <QueueForm
          c={c}
          templates={templates}
          form={form}
          draft={data.draft}
          aiWriter={data.aiWriter}
          assets={data.assets}
        />
      ) : null}
      {may(c, VOICE_SETTERS) ? <SiteVoiceForm c={c} voice={data.siteVoice} /> : null}
      <MediaLibrary assets={data.assets} uploader={may(c, ASSET_UPLOADERS)} />
      <section id="render-list">
        <h2>制作队列</h2>
        <RenderFilters query={query} templates={templates} />
        <p class="muted">
          共 {total} 个制作任务{filtered(query) ? '符合条件' : ''}
        </p>
        {renders.length === 0 ? (
          <p class="card">
            {filtered(query)
              ? '没有符合条件的制作任务，请换个条件。'
              : total > 0
                ? '这一页没有制作任务。'
                : '还没有制作任务。'}
          </p>
        ) : (
          <RenderList timezone={data.timezone} templates={templates} renders={renders} jobTitles={data.jobTitles} />
        )}
        <Pager page={query.page} total={total} pageSize={PAGE_SIZE} href={(page) => rendersHref(query, page)} />
      </section>
    </>,
  );
}

async function pageData(c: Context<AppEnv>) {
  const { db, config } = c.var.services;
  const { query, error } = renderQuery(c);
  const siteId = c.var.principal.siteId;
  const site = await siteOf(c);
  const [templates, { items: renders, total }, assets] = await Promise.all([
    templateChoices(config.templatesDir),
    findRenders(db, {
      siteId,
      kind: query.kind,
      template: query.template || undefined,
      status: query.status,
      month: query.month ? { month: query.month, timezone: site.timezone } : undefined,
      search: query.q || undefined,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    }),
    listMediaAssets(db, siteId, null),
  ]);
  // One query for the titles of every listed render's jobs (a video or poster shows up to 24).
  const ids = [...new Set(renders.filter((r) => r.kind !== 'flyer').flatMap((r) => r.jobIds))];
  const { jobs } = await getJobsByIds(db, siteId, ids);
  const jobTitles = new Map(jobs.map((job) => [job.id, job.title]));
  const siteVoice = siteVoiceView(site);
  return {
    timezone: site.timezone,
    templates,
    renders,
    total,
    query,
    queryError: error,
    jobTitles,
    aiWriter: aiWriterOffer(),
    assets,
    siteVoice,
  };
}

const renderList = definePage(anyRole, 'get', '/renders', async (c) => {
  const data = await pageData(c);
  return rendersPage(c, { ...data, form: emptyForm(data.timezone), error: data.queryError });
});

async function submittedForm(c: Context<AppEnv>): Promise<RenderForm> {
  const fields = await formFields(c);
  return {
    kind: fields.get('kind'),
    template: fields.get('template'),
    jobIds: fields.get('jobIds').slice(0, 500),
    category: fields.get('category'),
    search: fields.get('search').slice(0, 100),
    limit: fields.get('limit'),
    month: fields.get('month'),
    copies: fields.get('copies'),
    voice: fields.get('voice').slice(0, 130),
    rate: fields.get('rate').slice(0, 10),
    music: fields.get('music').slice(0, 40),
    silent: fields.get('silent') !== '',
    script: fields.get('script').slice(0, 6000),
    aiWriter: fields.get('aiWriter') !== '',
    draftWith: fields.get('draftWith') === 'ai' ? 'ai' : '',
    media: submittedMediaForm(fields),
  };
}

const renderSubmit = definePage(RENDER_MAKERS, 'post', '/renders', async (c) => {
  const form = await submittedForm(c);
  let render: Render;
  try {
    render = await queueRender(c, requestOf(form));
  } catch (error) {
    return rendersPage(c, { ...(await pageData(c)), form, error: errorText(error) });
  }
  return redirectWithNotice(c, '/renders', `已加入制作队列：${RENDER_KIND_LABELS[render.kind]} #${render.id}`);
});

/** 本站默认配音: the form's `provider:voice` and pace, checked as the API checks them, kept for the site. */
const siteVoiceSubmit = definePage(VOICE_SETTERS, 'post', '/renders/voice', async (c) => {
  const fields = await formFields(c);
  let saved: SiteVoice;
  try {
    const [provider = '', voice = ''] = fields.get('voice').slice(0, 130).split(':', 2);
    if (provider === '') throw new JobcastError('BAD_INPUT', '本站默认配音：请选择声音');
    const rate = Number(fields.get('rate') || '1');
    saved = await chooseSiteVoice(c.var.services.db, c.var.principal.siteId, { provider, voice: voice || null, rate });
  } catch (error) {
    const data = await pageData(c);
    return rendersPage(c, { ...data, form: emptyForm(data.timezone), error: errorText(error) });
  }
  const view = siteVoiceView(saved);
  return redirectWithNotice(
    c,
    '/renders',
    `本站默认配音已改为：${view.providerLabel} · ${view.voiceLabel ?? '默认声音'} · ${rateLabel(view.rate)}`,
  );
});

/**
 * 生成配音稿 and 用 AI 写稿: the rule writer's script (or the AI writer's, once checked; else the rule
 * writer's and why) for the chosen template and jobs, put in the form to edit.
 */
const renderScript = definePage(RENDER_MAKERS, 'post', '/renders/script', async (c) => {
  const form = await submittedForm(c);
  try {
    const request = requestOf({ ...form, kind: 'video', script: '', aiWriter: form.draftWith === 'ai' });
    if (request.kind !== 'video') throw new JobcastError('BAD_INPUT', '配音稿只用于短视频');
    const { db, config } = c.var.services;
    const draft = await draftVideoScript({ db, templatesDir: config.templatesDir }, c.var.principal.siteId, request);
    const drafted = { ...form, kind: 'video', script: draft.script, draftWith: '' };
    return rendersPage(c, { ...(await pageData(c)), form: drafted, draft });
  } catch (error) {
    return rendersPage(c, { ...(await pageData(c)), form, error: errorText(error) });
  }
});

/** A render's file under the API's output route (which serves byte ranges to the video player). */
export function outputUrl(render: Render, file?: string): string {
  return `/api/renders/${render.id}/output${file ? `?file=${file}` : ''}`;
}

function Preview(props: { render: Render }) {
  const { render } = props;
  if (render.kind === 'video') {
    return (
      // biome-ignore lint/a11y/useMediaCaption: what the voice says is burned into the picture as captions.
      <video
        controls
        preload="metadata"
        src={outputUrl(render)}
        poster={render.coverKey ? outputUrl(render, 'cover') : undefined}
      >
        您的浏览器无法播放视频，请下载后观看。
      </video>
    );
  }
  if (render.kind === 'poster') return <img class="preview" src={outputUrl(render)} alt="海报预览" />;
  return <FlyerPages render={render} />;
}

/** A flyer's pages as the renderer drew them, side by side where there is room. */
export function FlyerPages(props: { render: Render }) {
  const { render } = props;
  return (
    <div class="grid two">
      {(render.previewKeys ?? []).map((_, i) => (
        <figure>
          <img class="preview" src={outputUrl(render, `page-${i + 1}`)} alt={`小报第 ${i + 1} 页`} />
          <figcaption class="muted">第 {i + 1} 页</figcaption>
        </figure>
      ))}
    </div>
  );
}

const renderDetail = definePage(anyRole, 'get', '/renders/:id{[0-9]+}', async (c) => {
  const { db, config } = c.var.services;
  const siteId = c.var.principal.siteId;
  const render = await getRender(db, pathId(c, '个制作任务'), siteId);
  const [{ jobs, missing }, templates, site] = await Promise.all([
    getJobsByIds(db, siteId, render.jobIds),
    templateChoices(config.templatesDir),
    siteOf(c),
  ]);
  const maker = may(c, RENDER_MAKERS);
  const finished = render.status === 'done' || render.status === 'failed';
  const kind = render.kind;
  const extension = render.outputKey?.split('.').pop() ?? 'bin';
  return renderPage(
    c,
    {
      title: `${RENDER_KIND_LABELS[kind]} #${render.id}`,
      active: 'renders',
      assets: ['renders.js', 'renders.css'],
      notice: render.errorMessage ? { kind: 'error', text: `制作失败的原因：${render.errorMessage}` } : undefined,
    },
    <>
      <p>
        <a href="/renders">← 制作队列</a>
      </p>
      <div
        class="table-wrap"
        data-render-states={STATUS_VIEW}
        data-render-id={String(render.id)}
        data-status={render.status}
        data-reload-when-finished
      >
        <table>
          <tbody>
            <Row label="状态">
              <StatusBadge status={render.status} />
              {finished ? null : <span class="muted"> 完成后页面会自动显示预览</span>}
            </Row>
            <Row label="进度">
              <Progress render={render} />
            </Row>
            <Row label="模板">{templateTitle(render, templates)}</Row>
            {kind === 'flyer' ? (
              <Row label="月份 / 计划印数">
                {String(render.request.month ?? '—')} / {String(render.request.copies ?? '—')} 份
              </Row>
            ) : null}
            {kind === 'video' ? (
              <Row label="AI 视频">
                {render.aiVideo
                  ? `是（${render.aiComponents.map((a) => `${AI_KIND_LABELS[a.kind]}：${a.providerLabel}${a.voice ? ` ${voiceLabel(a.provider, a.voice)}` : ''}（${a.model}）`).join('；')}）`
                  : '否（没有使用 AI 组件）'}
              </Row>
            ) : null}
            {kind === 'video' && render.script ? (
              <Row label="配音稿">
                <div class="script">{render.script.split('\n\n').map((p) => (p === '-' ? null : <p>{p}</p>))}</div>
              </Row>
            ) : null}
            {kind === 'video' && render.scriptNote ? (
              <Row label="AI 写稿">
                <span data-script-note>{render.scriptNote}</span>
              </Row>
            ) : null}
            {render.captionsKey && render.status === 'done' ? (
              <Row label="字幕文件">
                <a href={`/api/renders/${render.id}/output?file=captions`}>下载 .srt</a>
              </Row>
            ) : null}
            <Row label="尝试次数">{render.attempts}</Row>
            <Row label="创建时间">{formatTime(site.timezone, render.createdAt)}</Row>
            {render.finishedAt ? <Row label="完成时间">{formatTime(site.timezone, render.finishedAt)}</Row> : null}
          </tbody>
        </table>
      </div>
      {render.status === 'failed' && maker ? (
        <form method="post" action={`/renders/${render.id}/retry`} class="actions">
          <CsrfField c={c} />
          <button type="submit">重新制作</button>
          <span class="muted">用同样的模板和岗位再做一次</span>
        </form>
      ) : null}
      {render.status === 'done' && render.outputKey ? (
        <>
          <h2>预览</h2>
          <div class="render-preview">
            <Preview render={render} />
          </div>
          <p class="actions">
            <a class="button" href={outputUrl(render)} download={`${kind}-${render.id}.${extension}`}>
              下载成品
            </a>
            {kind === 'video' && maker ? (
              <a class="button secondary" href={`/publications/new?render=${render.id}`}>
                登记发布
              </a>
            ) : null}
          </p>
        </>
      ) : null}
      <h2>岗位（{render.jobIds.length}）</h2>
      <ol>
        {jobs.map((job) => (
          <li>
            <a href={`/jobs/${job.id}`}>{job.title}</a> <span class="muted">{job.employer}</span>
          </li>
        ))}
        {missing.map((id) => (
          <li class="muted">岗位 {id}（已删除）</li>
        ))}
      </ol>
    </>,
  );
});

const renderRetry = definePage(RENDER_MAKERS, 'post', '/renders/:id{[0-9]+}/retry', async (c) => {
  const { db, producer } = c.var.services;
  const render = await retryRender({ db, producer }, c.var.principal.siteId, pathId(c, '个制作任务'));
  return redirectWithNotice(c, `/renders/${render.id}`, `已重新加入制作队列：#${render.id}`);
});

export const renderPages: PageRoute[] = [
  renderList,
  renderSubmit,
  renderScript,
  siteVoiceSubmit,
  renderDetail,
  renderRetry,
];
