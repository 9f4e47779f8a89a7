/** @jsxImportSource hono/jsx */
// A month of livestreams by the day each was booked for (`/live?view=calendar&month=2026-12`).
import { siteDayAndTime, siteToday } from '@jobcast/ledger';
import { byDay, listLiveSessionsBySlot, monthDays, monthParam, shiftMonth } from '@jobcast/live';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { renderPage } from '../../page.tsx';
import { siteOf } from '../../parts.tsx';
import { LiveTabs, StatusBadge } from './parts.tsx';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

export async function calendarPage(c: Context<AppEnv>) {
  const site = await siteOf(c);
  const today = siteToday(site.timezone);
  const month = monthParam(c.req.query('month')) ?? today.slice(0, 7);
  const { leading, days } = monthDays(month);
  const sessions = await listLiveSessionsBySlot(c.var.services.db, site, {
    from: `${month}-01`,
    to: days.at(-1)?.day ?? `${month}-01`,
  });
  const sessionsOf = byDay(sessions);
  const now = new Date();
  return renderPage(
    c,
    { title: '直播日历', active: 'live', assets: ['live.css'] },
    <>
      <LiveTabs c={c} view="calendar" />
      <nav class="actions" aria-label="月份">
        <a href={`/live?view=calendar&month=${shiftMonth(month, -1)}`}>← 上个月</a>
        <strong>
          {month.slice(0, 4)} 年 {Number(month.slice(5))} 月
        </strong>
        <a href={`/live?view=calendar&month=${shiftMonth(month, 1)}`}>下个月 →</a>
      </nav>
      {sessions.length === 0 ? <p class="card">本月没有直播。</p> : null}
      <ol class="live-calendar">
        {WEEKDAYS.map((name) => (
          <li class="weekday" aria-hidden="true">
            {name}
          </li>
        ))}
        {Array.from({ length: leading }, () => (
          <li class="blank" aria-hidden="true" />
        ))}
        {days.map(({ day, weekday }) => {
          const list = sessionsOf.get(day) ?? [];
          const classes = ['day', list.length > 0 ? 'busy' : '', day === today ? 'today' : ''].filter(Boolean);
          return (
            <li class={classes.join(' ')} data-day={day}>
              <span class="date">
                {Number(day.slice(8))}
                <span class="day-name"> 日 周{WEEKDAYS[weekday]}</span>
              </span>
              <ul>
                {list.map((session) => (
                  <li>
                    <a href={`/live/${session.sessionId}`}>
                      {siteDayAndTime(site.timezone, session.slotStart).time} {session.typeLabel}：{session.title}
                    </a>{' '}
                    <StatusBadge session={session} now={now} />
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
    </>,
  );
}
