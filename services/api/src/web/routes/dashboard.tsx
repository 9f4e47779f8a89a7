/** @jsxImportSource hono/jsx */
import type { Alert, KpiLine, KpiLineId } from '@jobcast/kpi';
import { type KpiView, kpiView, loadYearReport, type YearMonth } from '@jobcast/ledger';
import { anyRole, EXPORT_ROLES } from '../../roles.ts';
import { definePage, type PageRoute, renderPage } from '../page.tsx';
import { errorOptions, may, YearPicker, yearOfPage } from '../parts.tsx';

/** The numbers a person reads: 0.1-point steps and one-decimal paces as the API gives them. */
const num = (n: number) => String(n);
const percent = (share: number) => `${Math.round(share * 100)}%`;
/** A share of a bar's length in [0, 100], for SVG widths. */
const barShare = (value: number, of: number) => (of > 0 ? Math.min(100, (value / of) * 100) : 0);

/**
 * Done against the target, with a tick where the count should be today. SVG rather than styled
 * boxes: the console's policy allows no inline styles, and widths as attributes are not styles.
 */
function ProgressBar(props: { line: KpiLine }) {
  const { line } = props;
  const behind = line.done < line.expectedByToday;
  const pace = barShare(line.expectedByToday, line.target);
  return (
    <svg
      class="kpi-bar"
      viewBox="0 0 100 12"
      preserveAspectRatio="none"
      role="img"
      aria-labelledby={`bar-${line.line}`}
    >
      <title id={`bar-${line.line}`}>
        {`${line.label}：完成 ${line.done} ${line.unit}，目标 ${line.target} ${line.unit}，按进度应完成 ${line.expectedByToday} ${line.unit}`}
      </title>
      <rect class="track" x="0" y="2" width="100" height="8" rx="2" />
      <rect
        class={behind ? 'fill behind' : 'fill'}
        x="0"
        y="2"
        width={barShare(line.done, line.target)}
        height="8"
        rx="2"
      />
      <rect class="pace" x={Math.min(99, pace)} y="0" width="1" height="12" />
    </svg>
  );
}

function LineCard(props: { line: KpiLine }) {
  const { line } = props;
  const onPace = line.done >= line.expectedByToday;
  return (
    <section class="card kpi-line" data-line={line.line}>
      <h2>
        {line.label} <span class={onPace ? 'badge ok' : 'badge warn'}>{onPace ? '按进度' : '落后于进度'}</span>
      </h2>
      <p class="kpi-done">
        <strong data-field="done">{num(line.done)}</strong> / <span data-field="target">{num(line.target)}</span>{' '}
        {line.unit}
      </p>
      <ProgressBar line={line} />
      <dl class="kpi-facts">
        <dt>按进度应完成</dt>
        <dd>
          <span data-field="expectedByToday">{num(line.expectedByToday)}</span> {line.unit}
        </dd>
        <dt>预计全年</dt>
        <dd>
          <span data-field="projected">{num(line.projected)}</span> {line.unit}
        </dd>
        <dt>得分</dt>
        <dd>
          <span data-field="points">{num(line.points)}</span> /{' '}
          <span data-field="maxPoints">{num(line.maxPoints)}</span>
        </dd>
        {line.subTargets.map((sub) => (
          <>
            <dt>{sub.label}</dt>
            <dd>
              <span data-field={`${sub.id}.done`}>{num(sub.done)}</span> /{' '}
              <span data-field={`${sub.id}.target`}>{num(sub.target)}</span> {line.unit}
              <span class="muted">（按进度 {num(sub.expectedByToday)}）</span>
            </dd>
          </>
        ))}
      </dl>
    </section>
  );
}

const CHART = { slot: 24, bar: 14, top: 14, height: 60, bottom: 16 };

/** "3月" for 2026-03: the service year's months by their names, the year in each bar's title. */
function monthLabel(month: string): string {
  return `${Number(month.slice(5))}月`;
}

/**
 * One line's months as a small bar chart, with a dashed line at an even month's share of the
 * target. Each line gets its own scale: 10 videos a month and 1 flyer a month share no axis.
 */
function MonthChart(props: { line: KpiLine; months: YearMonth[] }) {
  const { line, months } = props;
  const counts = months.map((m) => m[line.line]);
  const monthlyPace = line.target / 12;
  const max = Math.max(1, monthlyPace, ...counts) * 1.1;
  const y = (count: number) => CHART.top + CHART.height - (count / max) * CHART.height;
  const width = months.length * CHART.slot;
  const paceY = y(monthlyPace);
  const titleId = `chart-${line.line}`;
  return (
    <figure class="card kpi-chart" data-chart={line.line}>
      <figcaption>
        {line.label}（每月，{line.unit}）
      </figcaption>
      <svg viewBox={`0 0 ${width} ${CHART.top + CHART.height + CHART.bottom}`} role="img" aria-labelledby={titleId}>
        <title
          id={titleId}
        >{`${line.label}每月完成数，虚线为平均每月应完成 ${Math.round(monthlyPace * 10) / 10} ${line.unit}`}</title>
        <line class="axis" x1="0" x2={width} y1={y(0)} y2={y(0)} />
        {months.map((m, i) => {
          const count = m[line.line];
          const x = i * CHART.slot + (CHART.slot - CHART.bar) / 2;
          const middle = i * CHART.slot + CHART.slot / 2;
          return (
            <g>
              <title>{`${m.month.slice(0, 4)}年${monthLabel(m.month)}：${line.label} ${count} ${line.unit}`}</title>
              <rect class="bar" x={x} y={y(count)} width={CHART.bar} height={y(0) - y(count)} />
              {count > 0 ? (
                <text class="value" x={middle} y={y(count) - 2}>
                  {count}
                </text>
              ) : null}
              <text class="month" x={middle} y={CHART.top + CHART.height + CHART.bottom - 3}>
                {monthLabel(m.month)}
              </text>
            </g>
          );
        })}
        <line class="pace" x1="0" x2={width} y1={paceY} y2={paceY} />
      </svg>
    </figure>
  );
}

function Alerts(props: { alerts: Alert[] }) {
  return (
    <ul class="kpi-alerts">
      {props.alerts.map((alert) => (
        <li class={`kpi-alert ${alert.level}`} data-alert={alert.level}>
          <span class={alert.level === 'warn' ? 'badge warn' : 'badge'}>
            {alert.level === 'warn' ? '注意' : '提示'}
          </span>{' '}
          {alert.text}
        </li>
      ))}
    </ul>
  );
}

const EVIDENCE_LABELS: Record<KpiLineId, string> = {
  videos: '短视频证明材料',
  coverage: '媒体宣传证明材料',
  flyers: '招工小报证明材料',
  livestreams: '直播证明材料',
  aiFairs: 'AI数智招聘会证明材料',
  onsiteFairs: '线下招聘会证明材料',
};

function Exports(props: { view: KpiView }) {
  const { year, lines } = props.view;
  return (
    <section class="card">
      <h2>导出台账</h2>
      <p class="muted">
        年终考核用：台账是一个 Excel 文件，每项一个工作表；证明材料包是 ZIP
        压缩包，含台账和相关文件（招聘会的每一场含记录、用人单位和岗位、照片、职播机播放记录）。
      </p>
      <p class="actions">
        <a class="button" href={`/export/ledger.xlsx?year=${year}`}>
          下载 {year} 年度台账（Excel）
        </a>
        {lines.map((line) => (
          <a class="button secondary" href={`/export/evidence/${line.line}.zip?year=${year}`}>
            {EVIDENCE_LABELS[line.line]}
          </a>
        ))}
      </p>
    </section>
  );
}

function Dashboard(props: { view: KpiView; current: number; canExport: boolean }) {
  const { view, current, canExport } = props;
  const { site, serviceYear: sy, total } = view;
  return (
    <>
      <p class="kpi-head">
        {site.name} · {view.year} 服务年度（{sy.start} 至 {sy.lastDay}）· 截至 {view.today}，服务期已过{' '}
        <span data-field="elapsed">{percent(view.elapsedShare)}</span>
      </p>
      <YearPicker action="/" shown={view.year} current={current} start={site.serviceYearStart} />
      <section class="card kpi-total" data-line="total">
        <h2>当前总得分</h2>
        <p class="kpi-done">
          <strong data-field="points">{num(total.points)}</strong> /{' '}
          <span data-field="maxPoints">{num(total.maxPoints)}</span> 分
        </p>
        <p class="muted">
          按目前进度，服务期结束时预计得 <span data-field="pointsIfProjected">{num(total.pointsIfProjected)}</span> 分
        </p>
      </section>
      <div class="kpi-lines">
        {view.lines.map((line) => (
          <LineCard line={line} />
        ))}
      </div>
      <h2>提醒</h2>
      <Alerts alerts={view.alerts} />
      <h2>每月完成情况</h2>
      <div class="kpi-charts">
        {view.lines.map((line) => (
          <MonthChart line={line} months={view.months} />
        ))}
      </div>
      {canExport ? <Exports view={view} /> : null}
    </>
  );
}

export const dashboardPages: PageRoute[] = [
  /** `/?year=2026`: the service year's targets, pace, points, months and alerts; the numbers of `GET /api/kpi`. */
  definePage(anyRole, 'get', '/', async (c) => {
    const { site, sy, current, error } = await yearOfPage(c);
    const view = kpiView(await loadYearReport(c.var.services.db, site, sy.year));
    return renderPage(
      c,
      { title: '工作台', active: 'dashboard', assets: ['dashboard.css'], ...errorOptions(error) },
      <Dashboard view={view} current={current} canExport={may(c, EXPORT_ROLES)} />,
    );
  }),
];
