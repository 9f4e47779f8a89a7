/** @jsxImportSource hono/jsx */
import { JobcastError } from '@jobcast/core';
import {
  addFairPhoto,
  createFairWithEmployers,
  deleteFair,
  deleteFairPhoto,
  FAIR_KIND_LABELS,
  FAIR_STATUS_LABELS,
  type FairDetail,
  type FairDocument,
  type FairInput,
  type FairMonth,
  fairTime,
  getFair,
  type JudgedFair,
  listFairs,
  listScreenGroups,
  onsiteFairMonths,
  type ScreenGroup,
  type Site,
  setFairEmployers,
  setFairFile,
  setFairPlaylist,
  updateFair,
} from '@jobcast/db';
import { FAIR_RULES } from '@jobcast/kpi';
import { serviceYearOf, siteDayAndTime, siteToday } from '@jobcast/ledger';
import { discardFairPhoto, storeFairDocument, storeFairPhoto } from '@jobcast/renders';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { anyRole, FAIR_MANAGERS, FAIR_REMOVERS } from '../../roles.ts';
import { fairCounts, fairPhotoUrl } from '../../routes/fairs/view.ts';
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
import { errorOptions, may, type PageError, pathId, Row, siteOf, YearPicker, yearOfPage } from '../parts.tsx';

const DOCUMENT_LABELS: Record<FairDocument, string> = { plan: '活动方案', summary: '活动总结' };

/** `2026-05-10 09:00–11:30` on the site's clock (the end's day too when it runs past midnight). */
function timeSpan(timezone: string, start: Date | string, end: Date | string): string {
  const from = siteDayAndTime(timezone, start);
  const to = siteDayAndTime(timezone, end);
  return `${from.day} ${from.time}–${to.day === from.day ? '' : `${to.day} `}${to.time}`;
}

/** 达标 or 未达标 once the fair is over; before that 未举办 or 进行中, with how its registration stands. */
function Verdict(props: { fair: JudgedFair }) {
  const { verdict, status } = props.fair;
  const [badge, text] =
    status !== 'held'
      ? ['badge', FAIR_STATUS_LABELS[status]]
      : verdict.qualified
        ? ['badge ok', '达标']
        : ['badge bad', '未达标'];
  return (
    <div class="fair-verdict" data-field="verdict" data-status={status}>
      <span class={badge}>{text}</span>
      <ul class="fair-reasons">
        {verdict.reasons.map((reason) => (
          <li>{reason}</li>
        ))}
      </ul>
    </div>
  );
}

function orDash(value: number | null): string {
  return value === null ? '—' : String(value);
}

function FairTable(props: { site: Site; fairs: JudgedFair[]; kind: 'ai' | 'onsite' }) {
  const { site, fairs, kind } = props;
  return (
    <div class="table-wrap">
      <table class="fair-table" data-list={`fairs-${kind}`}>
        <thead>
          <tr>
            <th>时间</th>
            <th>名称</th>
            <th>地点</th>
            <th class="num">单位</th>
            <th class="num">岗位</th>
            <th class="num">求职者</th>
            <th class="num">意向</th>
            {kind === 'ai' ? <th class="num">完整播放</th> : null}
            <th>结论</th>
          </tr>
        </thead>
        <tbody>
          {fairs.map((fair) => (
            <tr data-fair-id={String(fair.id)}>
              <td class="when">{timeSpan(site.timezone, fair.startsAt, fair.endsAt)}</td>
              <td class="wide title">
                <a href={`/fairs/${fair.id}`}>{fair.title}</a>
              </td>
              <td class="wide venue">{fair.venue}</td>
              <td class="num" data-label="单位">
                {fair.employerIds.length}
              </td>
              <td class="num" data-label="岗位">
                {fair.jobCount}
              </td>
              <td class="num" data-label="求职者">
                {orDash(fair.jobSeekers)}
              </td>
              <td class="num" data-label="意向">
                {orDash(fair.offers)}
              </td>
              {kind === 'ai' ? (
                <td class="num" data-label="完整播放">
                  {fair.facts.completedPlays}
                </td>
              ) : null}
              <td class="reasons">
                <Verdict fair={fair} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CountCard(props: { kind: 'ai' | 'onsite'; qualified: number; held: number; upcoming: number }) {
  const rule = FAIR_RULES[props.kind];
  return (
    <section class="card fair-count" data-count={props.kind}>
      <h2>{rule.label}</h2>
      <p>
        达标 <strong data-field="qualified">{props.qualified}</strong> / {rule.target} 场
        <span class="muted" data-field="held">
          （已举办 {props.held} 场{props.upcoming > 0 ? `，另有 ${props.upcoming} 场未举办，结束后计入` : ''}）
        </span>
      </p>
      <progress max={rule.target} value={Math.min(props.qualified, rule.target)}>
        {props.qualified} / {rule.target}
      </progress>
      <p class="muted">
        {props.kind === 'ai'
          ? `每场 ${FAIR_RULES.ai.minEmployers}–${FAIR_RULES.ai.maxEmployers} 家用人单位，职播机在招聘会期间播放带岗视频`
          : `每场至少 ${FAIR_RULES.onsite.minEmployers} 家用人单位，每月至少一场`}
      </p>
    </section>
  );
}

/** The service year's months: which have a qualifying on-site fair (the monthly minimum). */
function MonthStrip(props: { months: FairMonth[]; today: string }) {
  const thisMonth = props.today.slice(0, 7);
  return (
    <ol class="fair-months" aria-label="每月线下招聘会">
      {props.months.map((month) => {
        const state = month.met ? 'met' : month.month < thisMonth ? 'missed' : 'open';
        const pending = month.upcoming > 0 ? `；已登记 ${month.upcoming} 场尚未举办` : '';
        const title = month.met
          ? `${month.month}：达标 ${month.qualified} 场${pending}`
          : month.fairs > 0
            ? `${month.month}：${month.fairs} 场，均未达标${pending}`
            : month.upcoming > 0
              ? `${month.month}：已登记 ${month.upcoming} 场，尚未举办`
              : `${month.month}：没有线下招聘会`;
        const count = month.met
          ? `✓ ${month.qualified}`
          : month.fairs > 0
            ? `✗ ${month.fairs}`
            : month.upcoming > 0
              ? `待 ${month.upcoming}`
              : '—';
        return (
          <li class={state} title={title} data-month={month.month}>
            <span class="m">{Number(month.month.slice(5))}月</span>
            <span class="n">{count}</span>
          </li>
        );
      })}
    </ol>
  );
}

const fairList = definePage(anyRole, 'get', '/fairs', async (c) => {
  const { site, sy, current, error } = await yearOfPage(c);
  const fairs = await listFairs(c.var.services.db, site.id, sy.start, sy.endExclusive);
  const counts = fairCounts(fairs);
  const months = onsiteFairMonths(sy, fairs);
  const today = siteToday(site.timezone);
  const missed = months.filter((month) => !month.met && month.month < today.slice(0, 7));
  const ai = fairs.filter((fair) => fair.kind === 'ai');
  const onsite = fairs.filter((fair) => fair.kind === 'onsite');
  const which = sy.year === current ? '本服务年度' : `${yearLabel(sy)}服务年度`;
  return renderPage(
    c,
    { title: '招聘会', active: 'fairs', assets: ['fairs.css'], ...errorOptions(error) },
    <>
      {may(c, FAIR_MANAGERS) ? (
        <p class="actions">
          <a class="button" href="/fairs/new">
            登记招聘会
          </a>
        </p>
      ) : null}
      <YearPicker action="/fairs" shown={sy.year} current={current} start={site.serviceYearStart} />
      <div class="grid two">
        <CountCard kind="ai" qualified={counts.ai.qualified} held={counts.ai.held} upcoming={counts.ai.upcoming} />
        <CountCard
          kind="onsite"
          qualified={counts.onsite.qualified}
          held={counts.onsite.held}
          upcoming={counts.onsite.upcoming}
        />
      </div>
      <section class="card fair-section" data-field="months">
        <h2>线下招聘会 · 每月至少一场</h2>
        <MonthStrip months={months} today={today} />
        {missed.length > 0 ? (
          <p class="notice error" data-field="missed-months">
            {missed.map((month) => `${Number(month.month.slice(5))}月`).join('、')}
            没有达标的线下招聘会（每月至少一场）。
          </p>
        ) : null}
      </section>
      <h2>AI数智招聘会（{ai.length}）</h2>
      {ai.length === 0 ? (
        <p class="card">{which}还没有登记 AI数智招聘会。</p>
      ) : (
        <FairTable site={site} fairs={ai} kind="ai" />
      )}
      <h2>线下招聘会（{onsite.length}）</h2>
      {onsite.length === 0 ? (
        <p class="card">{which}还没有登记线下招聘会。</p>
      ) : (
        <FairTable site={site} fairs={onsite} kind="onsite" />
      )}
    </>,
  );
});

// ---------------------------------------------------------------------------------------------
// The record's form

/** The form's fields as typed, so a refused one comes back with them. */
interface FairForm {
  kind: string;
  title: string;
  startDay: string;
  startTime: string;
  endDay: string;
  endTime: string;
  venue: string;
  groupId: string;
  jobSeekers: string;
  offers: string;
  employers: string;
  plan: string;
  summary: string;
}

function FairFormFields(props: { form: FairForm; groups: ScreenGroup[] }) {
  const { form, groups } = props;
  return (
    <>
      <fieldset class="fair-kind">
        <legend>类型</legend>
        {(['ai', 'onsite'] as const).map((kind) => (
          <label>
            <input type="radio" name="kind" value={kind} checked={form.kind === kind} required />
            {FAIR_KIND_LABELS[kind]}
          </label>
        ))}
      </fieldset>
      <label>
        名称
        <input
          name="title"
          value={form.title}
          required
          maxlength={100}
          placeholder="如：五月 AI 数智招聘会（青山湖专场）"
        />
      </label>
      <div class="fair-times">
        <label>
          开始日期
          <input name="startDay" type="date" value={form.startDay} required />
        </label>
        <label>
          开始时间
          <input name="startTime" type="time" value={form.startTime} required />
        </label>
        <label>
          结束日期（当天结束可不填）
          <input name="endDay" type="date" value={form.endDay} />
        </label>
        <label>
          结束时间
          <input name="endTime" type="time" value={form.endTime} required />
        </label>
      </div>
      <label>
        地点
        <input name="venue" value={form.venue} required maxlength={100} placeholder="如：区人力资源市场一楼大厅" />
      </label>
      <label>
        屏幕分组（AI数智招聘会必选：职播机在招聘会期间的播放记录是达标依据）
        <select name="groupId">
          <option value="">不选</option>
          {groups.map((group) => (
            <option value={String(group.id)} selected={String(group.id) === form.groupId}>
              {group.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        用人单位（岗位库中的单位名称，每行一个；岗位默认取该单位在招聘会当天有效的岗位）
        <textarea name="employers" rows={8} placeholder={'南昌洪城物流有限公司\n南昌瑶湖家政服务有限公司'}>
          {form.employers}
        </textarea>
      </label>
      <div class="fair-times">
        <label>
          到场求职者（人）
          <input name="jobSeekers" type="number" min={0} value={form.jobSeekers} inputmode="numeric" />
        </label>
        <label>
          达成意向（人）
          <input name="offers" type="number" min={0} value={form.offers} inputmode="numeric" />
        </label>
      </div>
      <label>
        活动方案（也可在登记后上传 PDF 或 Word 文件）
        <textarea name="plan" rows={4}>
          {form.plan}
        </textarea>
      </label>
      <label>
        活动总结
        <textarea name="summary" rows={4}>
          {form.summary}
        </textarea>
      </label>
    </>
  );
}

function fairFormPage(
  c: Context<AppEnv>,
  data: { form: FairForm; groups: ScreenGroup[]; fairId?: number; error?: PageError | undefined },
) {
  const { form, groups, fairId, error } = data;
  const back = fairId ? `/fairs/${fairId}` : '/fairs';
  return renderPage(
    c,
    {
      title: fairId ? '修改招聘会记录' : '登记招聘会',
      active: 'fairs',
      assets: ['fairs.css'],
      ...errorOptions(error),
    },
    <>
      <p>
        <a href={back}>← 返回</a>
      </p>
      <form method="post" action={fairId ? `/fairs/${fairId}/edit` : '/fairs/new'} class="card fair-form">
        <CsrfField c={c} />
        <FairFormFields form={form} groups={groups} />
        <div class="actions">
          <button type="submit">{fairId ? '保存' : '登记'}</button>
          <a href={back}>取消</a>
        </div>
      </form>
    </>,
  );
}

function readForm(fields: Awaited<ReturnType<typeof formFields>>): FairForm {
  const get = (name: string, max = 400) => fields.get(name).slice(0, max);
  return {
    kind: get('kind'),
    title: get('title'),
    startDay: get('startDay', 20),
    startTime: get('startTime', 20),
    endDay: get('endDay', 20),
    endTime: get('endTime', 20),
    venue: get('venue'),
    groupId: get('groupId', 20),
    jobSeekers: get('jobSeekers', 20),
    offers: get('offers', 20),
    employers: get('employers', 40_000),
    plan: get('plan', 40_000),
    summary: get('summary', 40_000),
  };
}

function countOf(text: string, field: string, what: string): number | null {
  const value = text.trim();
  if (!value) return null;
  if (!/^\d{1,7}$/.test(value)) {
    throw new JobcastError('BAD_INPUT', `${what}须为非负整数：${value.slice(0, 20)}`, {
      field,
    });
  }
  return Number(value);
}

function employerNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The form as the database takes a fair: times read on the site's clock. */
async function inputOf(c: Context<AppEnv>, site: Site, form: FairForm): Promise<FairInput> {
  const { db } = c.var.services;
  if (!form.startDay || !form.startTime) {
    throw new JobcastError('BAD_INPUT', '请填写开始日期和时间', { field: 'startsAt' });
  }
  if (!form.endTime) throw new JobcastError('BAD_INPUT', '请填写结束时间', { field: 'endsAt' });
  const groupText = form.groupId.trim();
  return {
    kind: form.kind,
    title: form.title,
    venue: form.venue,
    startsAt: await fairTime(db, site.id, `${form.startDay} ${form.startTime}`, 'startsAt'),
    endsAt: await fairTime(db, site.id, `${form.endDay || form.startDay} ${form.endTime}`, 'endsAt'),
    groupId: /^\d{1,9}$/.test(groupText) ? Number(groupText) : null,
    jobSeekers: countOf(form.jobSeekers, 'jobSeekers', '到场求职者'),
    offers: countOf(form.offers, 'offers', '达成意向'),
    plan: form.plan,
    summary: form.summary,
  };
}

function mergedText(merged: readonly string[]): string {
  return merged.length > 0 ? `；重复的单位已合并：${merged.join('、')}` : '';
}

const newForm = definePage(FAIR_MANAGERS, 'get', '/fairs/new', async (c) => {
  const site = await siteOf(c);
  const groups = await listScreenGroups(c.var.services.db, site.id);
  const today = siteToday(site.timezone);
  const form: FairForm = {
    kind: 'ai',
    title: '',
    startDay: today,
    startTime: '09:00',
    endDay: '',
    endTime: '11:30',
    venue: '',
    groupId: groups.length === 1 ? String(groups[0]?.id) : '',
    jobSeekers: '',
    offers: '',
    employers: '',
    plan: '',
    summary: '',
  };
  return fairFormPage(c, { form, groups });
});

const newSubmit = definePage(FAIR_MANAGERS, 'post', '/fairs/new', async (c) => {
  const { db } = c.var.services;
  const site = await siteOf(c);
  const form = readForm(await formFields(c));
  let fairId: number;
  let merged: string[];
  try {
    // One transaction: refused as a whole, the form comes back with what was typed and no fair is made.
    const created = await createFairWithEmployers(
      db,
      { ...(await inputOf(c, site, form)), siteId: site.id, createdBy: c.var.principal.userId },
      employerNames(form.employers).map((name) => ({ name })),
    );
    fairId = created.fair.id;
    merged = created.merged;
  } catch (error) {
    const groups = await listScreenGroups(db, site.id);
    return fairFormPage(c, { form, groups, error: errorText(error) });
  }
  return redirectWithNotice(c, `/fairs/${fairId}`, `已登记招聘会「${form.title.trim()}」${mergedText(merged)}`);
});

function formOf(site: Site, fair: FairDetail): FairForm {
  const start = siteDayAndTime(site.timezone, fair.startsAt);
  const end = siteDayAndTime(site.timezone, fair.endsAt);
  return {
    kind: fair.kind,
    title: fair.title,
    startDay: start.day,
    startTime: start.time,
    endDay: end.day === start.day ? '' : end.day,
    endTime: end.time,
    venue: fair.venue,
    groupId: fair.groupId === null ? '' : String(fair.groupId),
    jobSeekers: fair.jobSeekers === null ? '' : String(fair.jobSeekers),
    offers: fair.offers === null ? '' : String(fair.offers),
    employers: fair.employers.map((employer) => employer.name).join('\n'),
    plan: fair.plan ?? '',
    summary: fair.summary ?? '',
  };
}

const editForm = definePage(FAIR_MANAGERS, 'get', '/fairs/:id{[0-9]+}/edit', async (c) => {
  const site = await siteOf(c);
  const fair = await getFair(c.var.services.db, site.id, pathId(c, '场招聘会'));
  const groups = await listScreenGroups(c.var.services.db, site.id);
  return fairFormPage(c, { form: formOf(site, fair), groups, fairId: fair.id });
});

const editSubmit = definePage(FAIR_MANAGERS, 'post', '/fairs/:id{[0-9]+}/edit', async (c) => {
  const { db } = c.var.services;
  const site = await siteOf(c);
  const fair = await getFair(db, site.id, pathId(c, '场招聘会'));
  const form = readForm(await formFields(c));
  let merged: string[] = [];
  try {
    await updateFair(db, site.id, fair.id, await inputOf(c, site, form));
    const names = employerNames(form.employers);
    // Unchanged names keep the jobs chosen before (perhaps through the API); changed ones are set again.
    if (names.join('\n') !== fair.employers.map((employer) => employer.name).join('\n')) {
      merged = (
        await setFairEmployers(
          db,
          site.id,
          fair.id,
          names.map((name) => ({ name })),
        )
      ).merged;
    }
  } catch (error) {
    const groups = await listScreenGroups(db, site.id);
    return fairFormPage(c, { form, groups, fairId: fair.id, error: errorText(error) });
  }
  return redirectWithNotice(c, `/fairs/${fair.id}`, `已保存招聘会「${form.title.trim()}」${mergedText(merged)}`);
});

// ---------------------------------------------------------------------------------------------
// One fair

function FileForm(props: { c: Context<AppEnv>; action: string; label: string; accept: string; button: string }) {
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" class="fair-upload">
      <CsrfField c={props.c} />
      <label>
        {props.label}
        <input type="file" name="file" accept={props.accept} required />
      </label>
      <button type="submit" class="secondary">
        {props.button}
      </button>
    </form>
  );
}

function DocumentSection(props: { c: Context<AppEnv>; fair: FairDetail; which: FairDocument; manager: boolean }) {
  const { c, fair, which, manager } = props;
  const text = which === 'plan' ? fair.plan : fair.summary;
  const fileName = which === 'plan' ? fair.planName : fair.summaryName;
  return (
    <section class="card fair-section" data-field={which}>
      <h2>{DOCUMENT_LABELS[which]}</h2>
      {text ? <p class="fair-text">{text}</p> : null}
      {fileName ? (
        <p>
          文件：<a href={`/api/fairs/${fair.id}/files/${which}`}>{fileName}</a>
        </p>
      ) : null}
      {!text && !fileName ? <p class="muted">还没有{DOCUMENT_LABELS[which]}。</p> : null}
      {manager ? (
        <FileForm
          c={c}
          action={`/fairs/${fair.id}/files/${which}`}
          label={`上传${DOCUMENT_LABELS[which]}文件（PDF 或 Word，最大 20 MB）`}
          accept=".pdf,.doc,.docx,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          button="上传"
        />
      ) : null}
    </section>
  );
}

/** One fair's page; shown again with what went wrong when an upload or a change was refused. */
async function showFair(c: Context<AppEnv>, fairId: number, error?: PageError) {
  const site = await siteOf(c);
  const fair = await getFair(c.var.services.db, site.id, fairId);
  const manager = may(c, FAIR_MANAGERS);
  const year = serviceYearOf(fair.day, site.serviceYearStart);
  return renderPage(
    c,
    { title: fair.title, active: 'fairs', assets: ['fairs.css'], ...errorOptions(error) },
    <>
      <p class="actions">
        <a href={`/fairs?year=${year}`}>← 招聘会</a>
        {manager ? (
          <a class="button secondary" href={`/fairs/${fair.id}/edit`}>
            修改记录
          </a>
        ) : null}
      </p>
      <section class="card">
        <h2 class="fair-card-title">{FAIR_KIND_LABELS[fair.kind]}</h2>
        <Verdict fair={fair} />
      </section>
      <div class="table-wrap">
        <table class="fair-facts">
          <tbody>
            <Row label="时间">{timeSpan(site.timezone, fair.startsAt, fair.endsAt)}</Row>
            <Row label="地点">{fair.venue}</Row>
            <Row label="屏幕分组">{fair.groupName ?? <span class="muted">未选</span>}</Row>
            <Row label="用人单位">
              {fair.employers.length} 家，岗位 {fair.jobCount} 个
            </Row>
            <Row label="到场求职者">{fair.jobSeekers === null ? '未填' : `${fair.jobSeekers} 人`}</Row>
            <Row label="达成意向">{fair.offers === null ? '未填' : `${fair.offers} 人`}</Row>
            {fair.kind === 'ai' || fair.groupId !== null ? (
              <Row label="职播机播放">
                <span data-field="plays">
                  招聘会期间播放带岗视频 {fair.plays} 次，完整播放 {fair.facts.completedPlays} 次，共{' '}
                  {fair.facts.videosPlayed} 条视频
                </span>
              </Row>
            ) : null}
          </tbody>
        </table>
      </div>

      <h2>用人单位和岗位（{fair.employers.length}）</h2>
      {fair.employers.length === 0 ? (
        <p class="card">还没有登记用人单位。{manager ? <a href={`/fairs/${fair.id}/edit`}>去填写</a> : null}</p>
      ) : (
        <div class="table-wrap">
          <table class="fair-employers" data-list="fair-employers">
            <thead>
              <tr>
                <th>单位</th>
                <th>带来的岗位</th>
              </tr>
            </thead>
            <tbody>
              {fair.employers.map((employer) => (
                <tr>
                  <td class="employer">{employer.name}</td>
                  <td class="wide">
                    {employer.jobs.length === 0 ? (
                      <span class="muted">没有当天有效的岗位</span>
                    ) : (
                      employer.jobs.map((job, i) => (
                        <>
                          {i > 0 ? '、' : ''}
                          <a href={`/jobs/${job.id}`}>{job.title}</a>
                        </>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>现场照片（{fair.photos.length}）</h2>
      {fair.photos.length === 0 ? <p class="muted">还没有照片。</p> : null}
      <ul class="fair-photos">
        {fair.photos.map((photo) => (
          <li data-photo-id={String(photo.id)}>
            <a href={fairPhotoUrl(fair.id, photo.id)} target="_blank" rel="noopener noreferrer">
              <img src={fairPhotoUrl(fair.id, photo.id, true)} alt={photo.displayName} loading="lazy" />
            </a>
            <span class="muted name">{photo.displayName}</span>
            {manager ? (
              <form
                method="post"
                action={`/fairs/${fair.id}/photos/${photo.id}/delete`}
                data-confirm={`确定删除照片「${photo.displayName}」吗？`}
              >
                <CsrfField c={c} />
                <button type="submit" class="link">
                  删除
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {manager ? (
        <FileForm
          c={c}
          action={`/fairs/${fair.id}/photos`}
          label="上传现场照片（JPEG、PNG 或 WebP；会去除拍摄地点等信息）"
          accept="image/jpeg,image/png,image/webp"
          button="上传照片"
        />
      ) : null}

      <div class="grid two">
        <DocumentSection c={c} fair={fair} which="plan" manager={manager} />
        <DocumentSection c={c} fair={fair} which="summary" manager={manager} />
      </div>

      <section class="card fair-section" data-field="playlist">
        <h2>招聘会播放列表</h2>
        <p class="muted">招聘会期间，所选屏幕分组的职播机播放这里的视频；不设则播放分组自己的列表。</p>
        {fair.playlist.length === 0 ? (
          <p>未设置。</p>
        ) : (
          <p>
            {fair.playlist.map((id, i) => (
              <>
                {i > 0 ? '、' : ''}
                <a href={`/renders/${id}`}>制作 #{id}</a>
              </>
            ))}
          </p>
        )}
        {manager ? (
          <form method="post" action={`/fairs/${fair.id}/playlist`} class="fair-playlist-form">
            <CsrfField c={c} />
            <label>
              视频的制作编号，按播放顺序，用逗号分隔
              <input name="renderIds" value={fair.playlist.join(', ')} placeholder="如：12, 15, 9" />
            </label>
            <button type="submit" class="secondary">
              保存播放列表
            </button>
          </form>
        ) : null}
      </section>

      {may(c, FAIR_REMOVERS) ? (
        <form
          method="post"
          action={`/fairs/${fair.id}/delete`}
          data-confirm={`确定删除招聘会「${fair.title}」吗？删除后不再计入考核。`}
        >
          <CsrfField c={c} />
          <button type="submit" class="secondary">
            删除这场招聘会
          </button>
        </form>
      ) : null}
    </>,
  );
}

const fairPage = definePage(anyRole, 'get', '/fairs/:id{[0-9]+}', (c) => showFair(c, pathId(c, '场招聘会')));

/** The page's uploaded file, where the console's file form wrote it; refused when none was chosen. */
async function uploaded(c: Context<AppEnv>, what: string): Promise<StoredUpload> {
  const file = (await formFields(c)).file('file');
  if (!file || (file.name === '' && file.size === 0)) {
    throw new JobcastError('BAD_INPUT', `请选择${what}文件`, { field: 'file' });
  }
  return storeUpload(c.var.services.config.uploadDir, file);
}

/** Runs an upload's work; a refusal comes back to the fair's page as its notice, the file is let go either way. */
async function withUpload(
  c: Context<AppEnv>,
  fairId: number,
  what: string,
  run: (file: StoredUpload) => Promise<string>,
) {
  let file: StoredUpload | undefined;
  let notice: string;
  try {
    file = await uploaded(c, what);
    notice = await run(file);
  } catch (error) {
    const { status, text } = errorText(error);
    return showFair(c, fairId, { status, text: `未能上传：${text}` });
  } finally {
    if (file) await discardUpload(file.storedPath);
  }
  return redirectWithNotice(c, `/fairs/${fairId}`, notice);
}

const photoUpload = definePage(
  FAIR_MANAGERS,
  'post',
  '/fairs/:id{[0-9]+}/photos',
  async (c) => {
    const { db, store } = c.var.services;
    const { siteId, userId } = c.var.principal;
    const fair = await getFair(db, siteId, pathId(c, '场招聘会'));
    return withUpload(c, fair.id, '照片', async (file) => {
      const stored = await storeFairPhoto(store, {
        siteId,
        fairId: fair.id,
        file: file.storedPath,
        displayName: file.displayName,
      });
      await addFairPhoto(db, {
        siteId,
        fairId: fair.id,
        ...stored,
        displayName: file.displayName,
        uploadedBy: userId,
      }).catch(async (error: unknown) => {
        await discardFairPhoto(store, stored.storageKey);
        throw error;
      });
      return `已上传照片「${file.displayName}」（已去除拍摄地点等信息）`;
    });
  },
  { fileForm: true },
);

const photoDelete = definePage(
  FAIR_MANAGERS,
  'post',
  '/fairs/:id{[0-9]+}/photos/:photoId{[0-9]+}/delete',
  async (c) => {
    const { db, store } = c.var.services;
    const fairId = pathId(c, '场招聘会');
    const photoId = Number(c.req.param('photoId'));
    const photo = await deleteFairPhoto(db, c.var.principal.siteId, fairId, photoId);
    await discardFairPhoto(store, photo.storageKey).catch(() => undefined);
    return redirectWithNotice(c, `/fairs/${fairId}`, `已删除照片「${photo.displayName}」`);
  },
);

/** The plan's or the summary's file form: one page each, so every path of the table is a real one. */
function documentUpload(which: FairDocument): PageRoute {
  return definePage(
    FAIR_MANAGERS,
    'post',
    `/fairs/:id{[0-9]+}/files/${which}`,
    async (c) => {
      const { db, store } = c.var.services;
      const { siteId } = c.var.principal;
      const fair = await getFair(db, siteId, pathId(c, '场招聘会'));
      return withUpload(c, fair.id, DOCUMENT_LABELS[which], async (file) => {
        const stored = await storeFairDocument(store, {
          siteId,
          fairId: fair.id,
          which,
          file: file.storedPath,
          displayName: file.displayName,
          // The upload folder may be on another disk than the media store.
          take: 'copy',
        });
        const { replacedKey } = await setFairFile(db, siteId, fair.id, which, stored).catch(async (error: unknown) => {
          await store.remove(stored.key);
          throw error;
        });
        if (replacedKey) await store.remove(replacedKey).catch(() => undefined);
        return `已上传${DOCUMENT_LABELS[which]}「${file.displayName}」`;
      });
    },
    { fileForm: true },
  );
}

const playlistSubmit = definePage(FAIR_MANAGERS, 'post', '/fairs/:id{[0-9]+}/playlist', async (c) => {
  const { db } = c.var.services;
  const fairId = pathId(c, '场招聘会');
  const text = (await formFields(c)).get('renderIds').slice(0, 4000);
  const parts = text
    .split(/[\s,，、]+/)
    .map((part) => part.replace(/^#/, ''))
    .filter((part) => part !== '');
  try {
    const bad = parts.find((part) => !/^\d{1,9}$/.test(part));
    if (bad !== undefined) {
      throw new JobcastError('BAD_INPUT', `制作编号须为数字：${bad.slice(0, 20)}`);
    }
    await setFairPlaylist(db, c.var.principal.siteId, fairId, parts.map(Number));
  } catch (error) {
    const { status, text } = errorText(error);
    return showFair(c, fairId, { status, text: `未能保存播放列表：${text}` });
  }
  return redirectWithNotice(
    c,
    `/fairs/${fairId}`,
    parts.length === 0 ? '已清空招聘会播放列表' : `已保存招聘会播放列表（${parts.length} 条视频）`,
  );
});

const fairDelete = definePage(FAIR_REMOVERS, 'post', '/fairs/:id{[0-9]+}/delete', async (c) => {
  const { db, store } = c.var.services;
  const site = await siteOf(c);
  const { fair, fileKeys } = await deleteFair(db, site.id, pathId(c, '场招聘会'));
  for (const key of fileKeys) await store.remove(key).catch(() => undefined);
  const year = serviceYearOf(siteDayAndTime(site.timezone, fair.startsAt).day, site.serviceYearStart);
  return redirectWithNotice(c, `/fairs?year=${year}`, `已删除招聘会「${fair.title}」`);
});

export const fairPages: PageRoute[] = [
  fairList,
  newForm,
  newSubmit,
  fairPage,
  editForm,
  editSubmit,
  photoUpload,
  photoDelete,
  documentUpload('plan'),
  documentUpload('summary'),
  playlistSubmit,
  fairDelete,
];
