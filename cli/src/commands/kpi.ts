import { getSiteByCode } from '@jobcast/db';
import { currentServiceYear, type KpiView, kpiView, loadYearReport, parseYear } from '@jobcast/ledger';
import { type CommandContext, print } from '../context.ts';

/**
 * `jobcast kpi [--year 2026] [--site code] [--json]`: the service year's targets, pace and points,
 * read by the same function as `GET /api/kpi` and the dashboard. `--json` prints the API's object.
 */
export async function kpiCommand(
  ctx: CommandContext,
  options: { year?: string; site?: string; json?: boolean },
): Promise<void> {
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const year = options.year === undefined ? currentServiceYear(site) : parseYear(options.year, '--year');
  const view = kpiView(await loadYearReport(ctx.db, site, year));
  print(Boolean(options.json), view, () => describeKpi(view));
}

/** Terminal columns of a text: Chinese characters take two. */
function columns(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u2e80-\uffef]/u.test(char) ? 2 : 1;
  return width;
}

/** Rows of cells as aligned columns (two spaces between them). */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => columns(row[i] ?? '')))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - columns(cell))))
      .join('  ')
      .trimEnd(),
  );
}

function describeKpi(view: KpiView): string {
  const { serviceYear: sy, total } = view;
  const rows = [['项目', '完成/目标', '按进度应完成', '预计全年', '得分/满分']];
  for (const line of view.lines) {
    rows.push([
      line.label,
      `${line.done}/${line.target} ${line.unit}`,
      String(line.expectedByToday),
      String(line.projected),
      `${line.points}/${line.maxPoints}`,
    ]);
    for (const sub of line.subTargets) {
      rows.push([
        `  其中${sub.label}`,
        `${sub.done}/${sub.target}`,
        String(sub.expectedByToday),
        String(sub.projected),
        '',
      ]);
    }
  }
  const elapsed = Math.round(view.elapsedShare * 1000) / 10;
  return [
    `${view.site.name}（${view.site.code}）${view.year} 服务年度：${sy.start} 至 ${sy.lastDay}`,
    `截至 ${view.today}，服务期已过 ${elapsed}%`,
    '',
    ...table(rows),
    '',
    `合计得分：${total.points}/${total.maxPoints}；按目前进度，年底预计 ${total.pointsIfProjected} 分`,
    '',
    '提醒：',
    ...view.alerts.map((alert) => `  ${alert.level === 'warn' ? '!' : '·'} ${alert.text}`),
  ].join('\n');
}
