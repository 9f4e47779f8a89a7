/** @jsxImportSource hono/jsx */
// The year's livestreams: the counts against 48 and 12, then the sessions to come and those over.
import { loadYearReport } from '@jobcast/ledger';
import { comingAndOver, type LiveListedSession, listLiveSessions } from '@jobcast/live';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { anyRole, LIVE_OPERATORS } from '../../../roles.ts';
import { definePage, renderPage } from '../../page.tsx';
import { errorOptions, may, YearPicker, yearOfPage } from '../../parts.tsx';
import { calendarPage } from './calendar.tsx';
import { LiveTabs, StatusBadge, slotText, Verdict } from './parts.tsx';

function SessionLinks(props: { c: Context<AppEnv>; session: LiveListedSession }) {
  const { session } = props;
  return (
    <span class="actions">
      <a class="detail" href={`/live/${session.sessionId}`}>
        详情与佐证
      </a>
      {may(props.c, LIVE_OPERATORS) && session.status !== 'ended' ? (
        <a href={`/console/live/${session.sessionId}`}>控制台</a>
      ) : null}
    </span>
  );
}

/** A table on a desktop; on a phone live.css lays each row out as a card of a few lines. */
function SessionTable(props: { c: Context<AppEnv>; timezone: string; sessions: LiveListedSession[]; now: Date }) {
  const { c, timezone, sessions, now } = props;
  return (
    <div class="table-wrap">
      <table class="live-sessions">
        <thead>
          <tr>
            <th>时间</th>
            <th>类型</th>
            <th>标题</th>
            <th>主播</th>
            <th>状态</th>
            <th>结果</th>
            <th>查看</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr data-session-id={String(session.sessionId)}>
              <td class="when">{slotText(timezone, session.slotStart, session.slotEnd)}</td>
              <td class="type">{session.typeLabel}</td>
              <td class="title">
                <a href={`/live/${session.sessionId}`}>{session.title}</a>
              </td>
              <td class="anchor">{session.anchor}</td>
              <td class="status">
                <StatusBadge session={session} now={now} />
              </td>
              <td class="verdict">
                <Verdict qualified={session.qualified} forced={session.forced} reasons={session.reasons} />
              </td>
              <td class="links">
                <SessionLinks c={c} session={session} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CountCard(props: { label: string; done: number; target: number; kind: string }) {
  return (
    <section class="card live-count" data-count={props.kind}>
      <h2>{props.label}</h2>
      <p>
        达标 <strong data-field="done">{props.done}</strong> / <span data-field="target">{props.target}</span> 场
      </p>
      <progress max={props.target} value={Math.min(props.done, props.target)}>
        {props.done} / {props.target}
      </progress>
    </section>
  );
}

async function listPage(c: Context<AppEnv>) {
  const { site, sy, current, error } = await yearOfPage(c);
  const { db } = c.var.services;
  const [{ sessions }, { report }] = await Promise.all([
    listLiveSessions(db, site, sy.year),
    loadYearReport(db, site, sy.year),
  ]);
  const now = new Date();
  const counts = report.lines.find((line) => line.line === 'livestreams')?.subTargets ?? [];
  const { coming, over } = comingAndOver(sessions, now);
  return renderPage(
    c,
    { title: '直播', active: 'live', assets: ['live.css'], ...errorOptions(error) },
    <>
      <LiveTabs c={c} view="list" />
      <YearPicker action="/live" shown={sy.year} current={current} start={site.serviceYearStart} />
      <div class="grid two live-counts">
        {counts.map((sub) => (
          <CountCard kind={sub.id} label={sub.label} done={sub.done} target={sub.target} />
        ))}
      </div>
      <h2>即将开始和进行中（{coming.length}）</h2>
      {coming.length === 0 ? (
        <p class="card">没有预约中的直播。</p>
      ) : (
        <SessionTable c={c} timezone={site.timezone} sessions={coming} now={now} />
      )}
      <h2>已结束（{over.length}）</h2>
      {over.length === 0 ? (
        <p class="card">本年度还没有结束的直播。</p>
      ) : (
        <SessionTable c={c} timezone={site.timezone} sessions={over} now={now} />
      )}
    </>,
  );
}

export const liveList = definePage(anyRole, 'get', '/live', (c) =>
  c.req.query('view') === 'calendar' ? calendarPage(c) : listPage(c),
);
