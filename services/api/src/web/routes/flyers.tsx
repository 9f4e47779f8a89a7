/** @jsxImportSource hono/jsx */
import { JobcastError } from '@jobcast/core';
import {
  type FlyerIssue,
  getRender,
  getSiteFlyerIssue,
  markFlyerDistributed,
  markFlyerPrinted,
  type Render,
} from '@jobcast/db';
import { KPI_RULES } from '@jobcast/kpi';
import { serviceYearOf, siteToday } from '@jobcast/ledger';
import { renderRequest } from '@jobcast/queue';
import { RENDER_STATUS_LABELS } from '@jobcast/renders';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { anyRole, PUBLISHERS } from '../../roles.ts';
import { renumberFlyerIssue } from '../../routes/flyers/number.ts';
import { countsToward, flyerMonths } from '../../routes/flyers/view.ts';
import { queueRender } from '../../routes/renders/create.ts';
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
import { FlyerPages, outputUrl } from './renders.tsx';

const MIN_COPIES = KPI_RULES.flyers.minCopies;
const FLYER_TEMPLATE = 'monthly-flyer';

/** "2026年3月" for 2026-03. */
function monthName(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** Whether the year counts the issue, and if not, what is missing. */
function Counting(props: { issue: FlyerIssue | null }) {
  const { issue } = props;
  if (!issue) return <span class="badge bad">未制作</span>;
  if (countsToward(issue)) return <span class="badge ok">计入</span>;
  return (
    <span class="badge warn">
      {issue.copiesPrinted === null
        ? '未计入：还没有登记印刷'
        : `未计入：印数 ${issue.copiesPrinted} 份，不足 ${MIN_COPIES} 份`}
    </span>
  );
}

function RenderState(props: { render: Render | undefined }) {
  const { render } = props;
  if (!render) return <span class="muted">—</span>;
  return <a href={`/renders/${render.id}`}>{RENDER_STATUS_LABELS[render.status]}</a>;
}

const copiesText = (n: number | null) => (n === null ? '—' : String(n));

/** The renders of the shown issues, by id: at most one per month. */
async function rendersOf(c: Context<AppEnv>, issues: FlyerIssue[]): Promise<Map<number, Render>> {
  const ids = issues.flatMap((issue) => (issue.renderId ? [issue.renderId] : []));
  const renders = await Promise.all(ids.map((id) => getRender(c.var.services.db, id, c.var.principal.siteId)));
  return new Map(renders.map((render) => [render.id, render]));
}

/** The generate form's fields as typed. */
interface GenerateForm {
  month: string;
  copies: string;
}

function GenerateCard(props: {
  c: Context<AppEnv>;
  months: { month: string; issue: FlyerIssue | null }[];
  form: GenerateForm;
}) {
  const { c, months, form } = props;
  return (
    <form method="post" action="/flyers/generate" class="card">
      <h2>生成招工小报</h2>
      <CsrfField c={c} />
      <div class="grid two">
        <label>
          月份
          <select name="month" required>
            {months.map(({ month, issue }) => (
              <option value={month} selected={month === form.month}>
                {monthName(month)}
                {issue ? `（第 ${issue.issueNumber} 期，重新生成）` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          计划印数（份）
          <input name="copies" inputmode="numeric" value={form.copies} required />
        </label>
      </div>
      <p class="muted">自动挑选当月在招的岗位排版。已生成过的月份会重新生成，期号不变。</p>
      <div class="actions">
        <button type="submit">生成</button>
      </div>
    </form>
  );
}

async function flyerListPage(c: Context<AppEnv>, input: { form?: GenerateForm; error?: PageError } = {}) {
  const { site, sy, current, error: yearError } = await yearOfPage(c);
  const months = await flyerMonths(c.var.services.db, site.id, sy);
  const renders = await rendersOf(
    c,
    months.flatMap(({ issue }) => (issue ? [issue] : [])),
  );
  const thisMonth = siteToday(site.timezone).slice(0, 7);
  const form = input.form ?? {
    month: months.some(({ month }) => month === thisMonth)
      ? thisMonth
      : (months.find(({ issue }) => !issue)?.month ?? months[0]?.month ?? ''),
    copies: String(MIN_COPIES),
  };
  const counted = months.filter(({ issue }) => issue && countsToward(issue)).length;
  const error = input.error ?? yearError;
  return renderPage(
    c,
    {
      title: '招工小报',
      active: 'flyers',
      assets: ['publications.css'],
      ...errorOptions(error),
    },
    <>
      <YearPicker action="/flyers" shown={sy.year} current={current} start={site.serviceYearStart} />
      <section class="card">
        <p>
          {sy.start} 至 {sy.lastDay}：计入考核 <strong data-field="counted">{counted}</strong> /{' '}
          {KPI_RULES.flyers.target} 期。
        </p>
        <p class="muted">每月一期，印刷不少于 {MIN_COPIES} 份的才计入。印好、发放后请在每期的详情页登记。</p>
      </section>
      {may(c, PUBLISHERS) ? <GenerateCard c={c} months={months} form={form} /> : null}
      <div class="table-wrap">
        <table data-list="flyers">
          <thead>
            <tr>
              <th>月份</th>
              <th>期号</th>
              <th>考核</th>
              <th>制作</th>
              <th class="num">计划 / 印刷 / 发放（份）</th>
              <th>发放地点</th>
              <th>印刷日期</th>
              <th>发放日期</th>
            </tr>
          </thead>
          <tbody>
            {months.map(({ month, issue }) => (
              <tr data-month={month}>
                <td>{monthName(month)}</td>
                <td>{issue ? <a href={`/flyers/${issue.id}`}>第 {issue.issueNumber} 期</a> : '—'}</td>
                <td>
                  <Counting issue={issue} />
                </td>
                {issue ? (
                  <>
                    <td>
                      <RenderState render={issue.renderId ? renders.get(issue.renderId) : undefined} />
                    </td>
                    <td class="num">
                      {issue.copiesPlanned} / {copiesText(issue.copiesPrinted)} / {copiesText(issue.copiesDistributed)}
                    </td>
                    <td class="wide">{issue.distributedPlace ?? '—'}</td>
                    <td>{issue.printedAt ?? '—'}</td>
                    <td>{issue.distributedAt ?? '—'}</td>
                  </>
                ) : (
                  <td class="muted" colspan={5}>
                    还没有生成这个月的小报
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  );
}

const flyerList = definePage(anyRole, 'get', '/flyers', (c) => flyerListPage(c));

const FIELD_LABELS: Record<string, string> = { month: '月份', copies: '计划印数' };

/** The month's flyer request, checked by the same schema as the API's; problems name the form's fields. */
function flyerRequest(form: GenerateForm) {
  const copies = form.copies.trim();
  const parsed = renderRequest.safeParse({
    kind: 'flyer',
    template: FLYER_TEMPLATE,
    month: form.month,
    copies: copies === '' ? undefined : Number(copies),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      return `${FIELD_LABELS[field] ?? field}：${field === 'copies' ? `须为 1 到 1000000 的整数，填写的是“${copies.slice(0, 20)}”` : issue.message}`;
    });
    throw new JobcastError('BAD_INPUT', `生成请求有误：${problems.join('；')}`);
  }
  return parsed.data;
}

const flyerGenerate = definePage(PUBLISHERS, 'post', '/flyers/generate', async (c) => {
  const fields = await formFields(c);
  const form: GenerateForm = { month: fields.get('month').slice(0, 20), copies: fields.get('copies').slice(0, 20) };
  let render: Render;
  try {
    render = await queueRender(c, flyerRequest(form));
  } catch (error) {
    return flyerListPage(c, { form, error: errorText(error) });
  }
  return redirectWithNotice(
    c,
    `/flyers/${render.flyerIssueId}`,
    `已开始生成 ${monthName(form.month)}的招工小报（制作 #${render.id}），完成后在这里预览和下载`,
  );
});

/** The number, print and distribution forms' fields as typed. */
interface IssueForms {
  issueNumber: string;
  printedCopies: string;
  printedAt: string;
  distributedCopies: string;
  distributedPlace: string;
  distributedAt: string;
}

function formsOf(issue: FlyerIssue, today: string): IssueForms {
  return {
    issueNumber: String(issue.issueNumber),
    printedCopies: String(issue.copiesPrinted ?? issue.copiesPlanned),
    printedAt: issue.printedAt ?? today,
    distributedCopies: String(issue.copiesDistributed ?? issue.copiesPrinted ?? ''),
    distributedPlace: issue.distributedPlace ?? '',
    distributedAt: issue.distributedAt ?? today,
  };
}

/** The issue's pages as the renderer drew them, and the PDF to send to the printer. */
function Pages(props: { render: Render | null }) {
  const { render } = props;
  if (!render) return <p class="card">这一期还没有制作任务。</p>;
  if (render.status !== 'done') {
    return (
      <p class="card">
        小报{RENDER_STATUS_LABELS[render.status]}，完成后这里显示预览。详见{' '}
        <a href={`/renders/${render.id}`}>制作 #{render.id}</a>。
      </p>
    );
  }
  return (
    <>
      <FlyerPages render={render} />
      <p class="actions">
        <a class="button" href={outputUrl(render)} download={`flyer-${render.id}.pdf`}>
          下载印刷用 PDF
        </a>
        <a class="button secondary" href={`/renders/${render.id}`}>
          制作详情
        </a>
      </p>
    </>
  );
}

/** The issue's number, changed before printing (to carry on the office's own series, or to correct it). */
function NumberForm(props: { c: Context<AppEnv>; issue: FlyerIssue; forms: IssueForms }) {
  const { c, issue, forms } = props;
  return (
    <form method="post" action={`/flyers/${issue.id}/number`} class="card narrow">
      <h2>修改期号</h2>
      <CsrfField c={c} />
      <label>
        期号（第几期）
        <input name="issueNumber" inputmode="numeric" value={forms.issueNumber} required />
      </label>
      <p class="muted">
        期号按月份排：哪个月没出小报，就空着那个月的期号。印刷前可以改期号（比如接上以往的期号，从最近的一期改起），但要在前后两期之间；改后小报按原来的岗位重新排版。登记印刷后不能再改。
      </p>
      <div class="actions">
        <button type="submit">保存期号</button>
      </div>
    </form>
  );
}

function IssueForms(props: { c: Context<AppEnv>; issue: FlyerIssue; forms: IssueForms }) {
  const { c, issue, forms } = props;
  return (
    <div class="grid two">
      <form method="post" action={`/flyers/${issue.id}/printed`} class="card">
        <h2>登记印刷</h2>
        <CsrfField c={c} />
        <label>
          印刷份数
          <input name="copies" inputmode="numeric" value={forms.printedCopies} required />
        </label>
        <label>
          印好日期
          <input name="date" type="date" value={forms.printedAt} required />
        </label>
        <p class="muted">小报做好、核对预览后再登记。印数不少于 {MIN_COPIES} 份，这一期才计入考核。</p>
        <div class="actions">
          <button type="submit">登记印刷</button>
        </div>
      </form>
      <form method="post" action={`/flyers/${issue.id}/distributed`} class="card">
        <h2>登记发放</h2>
        <CsrfField c={c} />
        <label>
          发放份数
          <input name="copies" inputmode="numeric" value={forms.distributedCopies} required />
        </label>
        <label>
          发放地点
          <input name="place" value={forms.distributedPlace} required maxlength={200} placeholder="如：零工驿站" />
        </label>
        <label>
          发放日期
          <input name="date" type="date" value={forms.distributedAt} required />
        </label>
        <div class="actions">
          <button type="submit">登记发放</button>
        </div>
      </form>
    </div>
  );
}

async function issuePage(c: Context<AppEnv>, issue: FlyerIssue, input: { forms?: IssueForms; error?: PageError } = {}) {
  const site = await siteOf(c);
  const render = issue.renderId ? await getRender(c.var.services.db, issue.renderId, site.id) : null;
  const month = issue.month.slice(0, 7);
  const { error } = input;
  const forms = input.forms ?? formsOf(issue, siteToday(site.timezone));
  return renderPage(
    c,
    {
      title: `招工小报 第 ${issue.issueNumber} 期（${monthName(month)}）`,
      active: 'flyers',
      ...errorOptions(error),
    },
    <>
      <p>
        <a href={`/flyers?year=${serviceYearOf(issue.month, site.serviceYearStart)}`}>← 招工小报</a>
      </p>
      <div class="table-wrap">
        <table>
          <tbody>
            <Row label="期号">
              第 {issue.issueNumber} 期
              {issue.copiesPrinted === null ? null : <span class="muted">（已随印刷固定）</span>}
            </Row>
            <Row label="考核">
              <Counting issue={issue} />
            </Row>
            <Row label="制作">
              <RenderState render={render ?? undefined} />
              {issue.revision > 1 ? <span class="muted">（第 {issue.revision} 版）</span> : null}
            </Row>
            <Row label="计划印数">{issue.copiesPlanned} 份</Row>
            <Row label="印刷">
              {issue.copiesPrinted === null ? '未登记' : `${issue.copiesPrinted} 份，${issue.printedAt ?? ''}`}
            </Row>
            <Row label="发放">
              {issue.copiesDistributed === null
                ? '未登记'
                : `${issue.copiesDistributed} 份，${issue.distributedPlace ?? ''}，${issue.distributedAt ?? ''}`}
            </Row>
          </tbody>
        </table>
      </div>
      <h2>预览</h2>
      <Pages render={render} />
      {may(c, PUBLISHERS) ? (
        <>
          {issue.copiesPrinted === null ? <NumberForm c={c} issue={issue} forms={forms} /> : null}
          <IssueForms c={c} issue={issue} forms={forms} />
          {issue.copiesPrinted === null ? (
            <form
              method="post"
              action="/flyers/generate"
              class="actions"
              data-confirm={render ? '重新生成会按当前在招的岗位重新排版，确定吗？' : undefined}
            >
              <CsrfField c={c} />
              <input type="hidden" name="month" value={month} />
              <input type="hidden" name="copies" value={String(issue.copiesPlanned)} />
              <button type="submit" class="secondary">
                {render ? '重新生成这一期' : '生成这一期'}
              </button>
            </form>
          ) : (
            <p class="muted">这一期已登记印刷，印出来的这一版就是考核佐证，不再重新生成。</p>
          )}
        </>
      ) : null}
    </>,
  );
}

const ISSUE_PATH = '/flyers/:id{[0-9]+}';

function issueOf(c: Context<AppEnv>): Promise<FlyerIssue> {
  return getSiteFlyerIssue(c.var.services.db, c.var.principal.siteId, pathId(c, '期招工小报'));
}

const flyerDetail = definePage(anyRole, 'get', ISSUE_PATH, async (c) => issuePage(c, await issueOf(c)));

/** A count as typed: empty is no number (not 0), so it is refused with the field's name. */
function copiesOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text.trim());
}

/**
 * A print or distribution record from the issue's page: on success back to the year's list (where
 * the month now counts, or says why not); refused, the page again with what was typed.
 */
function issueUpdate(
  kind: 'printed' | 'distributed',
  record: (c: Context<AppEnv>, issue: FlyerIssue, forms: IssueForms) => Promise<FlyerIssue>,
  notice: (issue: FlyerIssue) => string,
): PageRoute {
  return definePage(PUBLISHERS, 'post', `${ISSUE_PATH}/${kind}`, async (c) => {
    const issue = await issueOf(c);
    const site = await siteOf(c);
    const fields = await formFields(c);
    const typed = formsOf(issue, siteToday(site.timezone));
    const forms: IssueForms =
      kind === 'printed'
        ? { ...typed, printedCopies: fields.get('copies').slice(0, 20), printedAt: fields.get('date').slice(0, 20) }
        : {
            ...typed,
            distributedCopies: fields.get('copies').slice(0, 20),
            distributedPlace: fields.get('place').slice(0, 500),
            distributedAt: fields.get('date').slice(0, 20),
          };
    let updated: FlyerIssue;
    try {
      updated = await record(c, issue, forms);
    } catch (error) {
      return issuePage(c, issue, { forms, error: errorText(error) });
    }
    return redirectWithNotice(
      c,
      `/flyers?year=${serviceYearOf(updated.month, site.serviceYearStart)}`,
      notice(updated),
    );
  });
}

const flyerPrinted = issueUpdate(
  'printed',
  (c, issue, forms) =>
    markFlyerPrinted(c.var.services.db, c.var.principal.siteId, issue.id, {
      copies: copiesOf(forms.printedCopies),
      date: forms.printedAt,
    }),
  (issue) =>
    `第 ${issue.issueNumber} 期已登记印刷 ${issue.copiesPrinted} 份${countsToward(issue) ? '，计入考核' : `，不足 ${MIN_COPIES} 份，不计入考核`}`,
);

const flyerDistributed = issueUpdate(
  'distributed',
  (c, issue, forms) =>
    markFlyerDistributed(c.var.services.db, c.var.principal.siteId, issue.id, {
      copies: copiesOf(forms.distributedCopies),
      place: forms.distributedPlace,
      date: forms.distributedAt,
    }),
  (issue) => `第 ${issue.issueNumber} 期已登记发放 ${issue.copiesDistributed} 份（${issue.distributedPlace}）`,
);

/** A number as typed: empty or not a whole number is refused by the rule's own check. */
function issueNumberOf(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text.trim()) : Number.NaN;
}

const flyerNumber = definePage(PUBLISHERS, 'post', `${ISSUE_PATH}/number`, async (c) => {
  const issue = await issueOf(c);
  const site = await siteOf(c);
  const typed = (await formFields(c)).get('issueNumber').slice(0, 20);
  let updated: FlyerIssue;
  try {
    updated = await renumberFlyerIssue(c, issue.id, issueNumberOf(typed));
  } catch (error) {
    // Shown as it now is: a refused renumbering puts the old number back, or says it could not.
    const now = await issueOf(c);
    const forms = { ...formsOf(now, siteToday(site.timezone)), issueNumber: typed };
    return issuePage(c, now, { forms, error: errorText(error) });
  }
  const remade = updated.renderId !== issue.renderId ? '，小报正在按原来的岗位重新排版' : '';
  return redirectWithNotice(c, `/flyers/${issue.id}`, `期号已改为第 ${updated.issueNumber} 期${remade}`);
});

export const flyerPages: PageRoute[] = [
  flyerList,
  flyerGenerate,
  flyerDetail,
  flyerNumber,
  flyerPrinted,
  flyerDistributed,
];
