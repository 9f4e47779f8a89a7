/** @jsxImportSource hono/jsx */
import { JobcastError, type JobView, jobCategories, type LiveSessionStatus } from '@jobcast/core';
import { findRecentBooking, getJobsByIds, listJobs, liveSlotEnds, type Site, zonedInstant } from '@jobcast/db';
import { loadYearReport, serviceYearOf, siteDayAndTime, siteToday } from '@jobcast/ledger';
import {
  type Booking,
  type BookingInput,
  bookLiveSession,
  durationText,
  getLiveSessionRow,
  type LiveYear,
  listLiveSessions,
  liveStatus,
  replaceStreamKey,
  TYPE_LABELS,
} from '@jobcast/live';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { type LiveSessionView, liveOperators, operatorLinks, toLiveSessionView } from '../../routes/live/view.ts';
import { anyRole } from '../../routing.ts';
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
import {
  CategoryField,
  errorOptions,
  may,
  NewTabLink,
  type PageError,
  pathId,
  Row,
  siteOf,
  YearPicker,
  yearOfPage,
} from '../parts.tsx';

/** What each status is called, and its badge; the console's script draws its status from the same table. */
const STATUS_VIEW: Record<LiveSessionStatus, { label: string; badge: string }> = {
  booked: { label: '已预约', badge: 'badge' },
  live: { label: '直播中', badge: 'badge live' },
  interrupted: { label: '中断', badge: 'badge warn' },
  ended: { label: '已结束', badge: 'badge' },
};

const MISSED = { label: '未开播（时段已过）', badge: 'badge bad' };

const END_REASONS: Record<string, string> = {
  anchor: '主播结束',
  forced: '未达标，强制结束',
  gap: '断流过久，自动结束',
  restart: '服务重启时已断流过久，自动结束',
};

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
/** Jobs listed at a time in the booking form's picker. */
const PICKER_SIZE = 30;
/** As the API's booking request: at most 10 relays of at most 2000 characters. */
const MAX_RELAYS = 10;
const MAX_RELAY_CHARS = 2000;

type YearSession = LiveYear['sessions'][number] & { slotEnd: Date };

/** The sessions of a service year (by the day they went live, as the year's counts), with their slot ends. */
async function yearSessions(c: Context<AppEnv>, site: Site, year: number): Promise<YearSession[]> {
  return withSlotEnds(c, site, (await listLiveSessions(c.var.services.db, site, year)).sessions);
}

/**
 * Sessions whose slot starts on a site day from `first` to `last` (YYYY-MM-DD, both included), in
 * order: a calendar shows a booking on the day it was booked for.
 */
async function sessionsBetween(c: Context<AppEnv>, site: Site, first: string, last: string): Promise<YearSession[]> {
  const years = [...new Set([first, last].map((day) => serviceYearOf(day, site.serviceYearStart)))];
  const listed = await Promise.all(years.map((year) => listLiveSessions(c.var.services.db, site, year)));
  const sessions = listed
    .flatMap((year) => year.sessions)
    .filter((session) => {
      const { day } = siteDayAndTime(site.timezone, session.slotStart);
      return day >= first && day <= last;
    })
    .sort((a, b) => a.slotStart.localeCompare(b.slotStart) || a.sessionId - b.sessionId);
  return withSlotEnds(c, site, sessions);
}

/** Each session with the end of its slot, which tells a missed booking from one still to come. */
async function withSlotEnds(c: Context<AppEnv>, site: Site, sessions: LiveYear['sessions']): Promise<YearSession[]> {
  const { db } = c.var.services;
  if (sessions.length === 0) return [];
  const ends = await liveSlotEnds(
    db,
    site.id,
    sessions.map((session) => session.sessionId),
  );
  const endOf = new Map(ends.map((row) => [row.id, row.slotEnd]));
  return sessions.map((session) => ({
    ...session,
    slotEnd: endOf.get(session.sessionId) ?? new Date(session.slotStart),
  }));
}

/** A booking whose slot went by without anyone going live: its key no longer works. */
function isMissed(session: { status: LiveSessionStatus; slotEnd: Date }, now: Date): boolean {
  return session.status === 'booked' && session.slotEnd <= now;
}

function isOver(session: { status: LiveSessionStatus; slotEnd: Date }, now: Date): boolean {
  return session.status === 'ended' || isMissed(session, now);
}

function StatusBadge(props: { status: LiveSessionStatus; slotEnd: Date; now: Date }) {
  const { label, badge } = isMissed(props, props.now) ? MISSED : STATUS_VIEW[props.status];
  return <span class={badge}>{label}</span>;
}

function Verdict(props: { qualified: boolean | null; forced: boolean; reasons: string[] }) {
  if (props.qualified === null) return <span class="muted">结束后判定</span>;
  return (
    <>
      <span class={props.qualified ? 'badge ok' : 'badge bad'}>
        {props.qualified ? '达标' : props.forced ? '不达标（强制结束）' : '不达标'}
      </span>
      {props.reasons.length > 0 ? (
        <ul class="live-reasons">
          {props.reasons.map((reason) => (
            <li>{reason}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** `2026-12-03 14:00–15:30` on the site's clock (the end's day too when the slot passes midnight). */
function slotText(timezone: string, start: Date | string, end: Date | string): string {
  const from = siteDayAndTime(timezone, start);
  const to = siteDayAndTime(timezone, end);
  return `${from.day} ${from.time}–${to.day === from.day ? '' : `${to.day} `}${to.time}`;
}

function timeText(timezone: string, at: string | null): string {
  return at ? formatTime(timezone, at) : '—';
}

/** The list and calendar switch, and booking for those who may. */
function LiveTabs(props: { c: Context<AppEnv>; view: 'list' | 'calendar' }) {
  return (
    <nav class="actions live-tabs" aria-label="查看方式">
      <a class={props.view === 'list' ? 'button' : 'button secondary'} href="/live">
        列表
      </a>
      <a class={props.view === 'calendar' ? 'button' : 'button secondary'} href="/live?view=calendar">
        日历
      </a>
      {may(props.c, liveOperators) ? (
        <a class="button" href="/live/new">
          预约直播
        </a>
      ) : null}
    </nav>
  );
}

function SessionLinks(props: { c: Context<AppEnv>; session: YearSession }) {
  const { session } = props;
  return (
    <span class="actions">
      <a href={`/live/${session.sessionId}`}>详情与佐证</a>
      {may(props.c, liveOperators) && session.status !== 'ended' ? (
        <a href={`/console/live/${session.sessionId}`}>控制台</a>
      ) : null}
    </span>
  );
}

function SessionTable(props: { c: Context<AppEnv>; site: Site; sessions: YearSession[]; now: Date }) {
  const { c, site, sessions, now } = props;
  return (
    <div class="table-wrap">
      <table>
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
              <td>{slotText(site.timezone, session.slotStart, session.slotEnd)}</td>
              <td>{session.typeLabel}</td>
              <td>{session.title}</td>
              <td>{session.anchor}</td>
              <td>
                <StatusBadge status={session.status} slotEnd={session.slotEnd} now={now} />
              </td>
              <td>
                <Verdict qualified={session.qualified} forced={session.forced} reasons={session.reasons} />
              </td>
              <td>
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
  const [sessions, { report }] = await Promise.all([
    yearSessions(c, site, sy.year),
    loadYearReport(c.var.services.db, site, sy.year),
  ]);
  const now = new Date();
  const counts = report.lines.find((line) => line.line === 'livestreams')?.subTargets ?? [];
  const coming = sessions.filter((session) => !isOver(session, now));
  const over = sessions.filter((session) => isOver(session, now)).reverse();
  return renderPage(
    c,
    { title: '直播', active: 'live', assets: ['live.css'], ...errorOptions(error) },
    <>
      <LiveTabs c={c} view="list" />
      <YearPicker action="/live" shown={sy.year} current={current} start={site.serviceYearStart} />
      <div class="grid two">
        {counts.map((sub) => (
          <CountCard kind={sub.id} label={sub.label} done={sub.done} target={sub.target} />
        ))}
      </div>
      <h2>即将开始和进行中（{coming.length}）</h2>
      {coming.length === 0 ? (
        <p class="card">没有预约中的直播。</p>
      ) : (
        <SessionTable c={c} site={site} sessions={coming} now={now} />
      )}
      <h2>已结束（{over.length}）</h2>
      {over.length === 0 ? (
        <p class="card">本年度还没有结束的直播。</p>
      ) : (
        <SessionTable c={c} site={site} sessions={over} now={now} />
      )}
    </>,
  );
}

function monthParam(text: string | undefined): string | undefined {
  return text && /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? text : undefined;
}

/** `2026-12` moved by whole months. */
function shiftMonth(month: string, by: number): string {
  const date = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1 + by, 1));
  return date.toISOString().slice(0, 7);
}

/** A month's days (YYYY-MM-DD), and how many cells come before the 1st in a week starting on Monday. */
function monthDays(month: string): { leading: number; days: string[] } {
  const [year, m] = [Number(month.slice(0, 4)), Number(month.slice(5))];
  const count = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const leading = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  return { leading, days: Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`) };
}

async function calendarPage(c: Context<AppEnv>) {
  const site = await siteOf(c);
  const today = siteToday(site.timezone);
  const month = monthParam(c.req.query('month')) ?? today.slice(0, 7);
  const sessions = await sessionsBetween(c, site, `${month}-01`, `${month}-31`);
  const now = new Date();
  const byDay = new Map<string, YearSession[]>();
  for (const session of sessions) {
    const { day } = siteDayAndTime(site.timezone, session.slotStart);
    byDay.set(day, [...(byDay.get(day) ?? []), session]);
  }
  const { leading, days } = monthDays(month);
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
        {days.map((day, i) => {
          const list = byDay.get(day) ?? [];
          const classes = ['day', list.length > 0 ? 'busy' : '', day === today ? 'today' : ''].filter(Boolean);
          return (
            <li class={classes.join(' ')} data-day={day}>
              <span class="date">
                {Number(day.slice(8))}
                <span class="day-name"> 日 周{WEEKDAYS[(leading + i) % 7]}</span>
              </span>
              <ul>
                {list.map((session) => (
                  <li>
                    <a href={`/live/${session.sessionId}`}>
                      {siteDayAndTime(site.timezone, session.slotStart).time} {session.typeLabel}：{session.title}
                    </a>{' '}
                    <StatusBadge status={session.status} slotEnd={session.slotEnd} now={now} />
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

const liveList = definePage(anyRole, 'get', '/live', (c) =>
  c.req.query('view') === 'calendar' ? calendarPage(c) : listPage(c),
);

/** The booking form's fields as typed, so a refused booking or a job search comes back with them. */
interface BookingForm {
  type: string;
  title: string;
  anchorName: string;
  day: string;
  time: string;
  minutes: string;
  relays: string;
  q: string;
  category: string;
  /** The rundown as chosen, in order. */
  jobIds: number[];
}

function emptyBookingForm(site: Site): BookingForm {
  return {
    type: 'job',
    title: '',
    anchorName: '',
    day: siteToday(site.timezone),
    time: '',
    minutes: '90',
    relays: '',
    q: '',
    category: '',
    jobIds: [],
  };
}

function readBookingForm(fields: Awaited<ReturnType<typeof formFields>>): BookingForm {
  // The checkboxes carry ids the page wrote; anything else is dropped, and a job ticked twice counts once.
  const jobIds = fields
    .all('jobId')
    .filter((value) => /^[1-9]\d{0,9}$/.test(value))
    .map(Number);
  return {
    type: fields.get('type'),
    title: fields.get('title').slice(0, 200),
    anchorName: fields.get('anchorName').slice(0, 100),
    day: fields.get('day'),
    time: fields.get('time'),
    minutes: fields.get('minutes'),
    relays: fields.get('relays'),
    q: fields.get('q').trim().slice(0, 100),
    category: fields.get('category'),
    jobIds: [...new Set(jobIds)],
  };
}

function counterText(type: string, count: number, minJobs: number): string {
  return type === 'job' ? `已选 ${count} / 至少 ${minJobs} 个岗位` : `已选 ${count} 个岗位（这类直播可以不选岗位）`;
}

function JobPick(props: { job: JobView; checked: boolean }) {
  const { job } = props;
  return (
    <li data-job-id={String(job.id)}>
      <label>
        <input type="checkbox" name="jobId" value={String(job.id)} checked={props.checked} />
        <span>{job.title}</span>{' '}
        <span class="muted">
          {job.employer}
          {job.location ? ` · ${job.location}` : ''} · #{job.id}
        </span>
      </label>
    </li>
  );
}

function BookingFormCard(props: {
  c: Context<AppEnv>;
  site: Site;
  form: BookingForm;
  chosen: JobView[];
  results: JobView[];
  total: number;
}) {
  const { c, site, form, chosen, results, total } = props;
  const minJobs = c.var.services.config.live.guardMinJobs;
  return (
    <form method="post" action="/live/new" class="card" data-live-booking data-min-jobs={String(minJobs)}>
      <CsrfField c={c} />
      <div class="grid two">
        <label>
          直播类型
          <select name="type" required data-live-type>
            {Object.entries(TYPE_LABELS).map(([type, label]) => (
              <option value={type} selected={type === form.type}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          标题
          <input name="title" required maxlength={200} value={form.title} placeholder="如：十二月直播带岗·制造业专场" />
        </label>
        <label>
          开始日期
          <input name="day" type="date" required value={form.day} />
        </label>
        <label>
          开始时间（{site.timezone} 时间）
          <input name="time" type="time" required value={form.time} />
        </label>
        <label>
          时长（分钟）
          <input name="minutes" type="number" min={1} max={720} value={form.minutes} />
        </label>
        <label>
          主播（不填则为您本人：{c.var.web?.displayName ?? c.var.principal.username}）
          <input name="anchorName" maxlength={100} value={form.anchorName} />
        </label>
      </div>
      <label>
        同时推流到其他平台（可不填）：每行一个 rtmp:// 推流地址，最多 {MAX_RELAYS} 个；保存后加密，不再显示。
        只能推到系统允许的平台（默认为视频号、抖音）
        <textarea name="relays" rows={2} placeholder="rtmp://push-rtmp-l1.douyincdn.com/third/推流码">
          {form.relays}
        </textarea>
      </label>
      <fieldset class="live-picker">
        <legend>节目单：直播中讲解的岗位（按勾选顺序）</legend>
        <p class="live-counter" data-live-counter aria-live="polite">
          {counterText(form.type, chosen.length, minJobs)}
        </p>
        <ol class="live-picks" data-live-chosen>
          {chosen.map((job) => (
            <JobPick job={job} checked />
          ))}
        </ol>
        <div class="filters">
          <label>
            关键词（岗位、单位或地点）
            <input type="search" name="q" value={form.q} maxlength={100} />
          </label>
          <CategoryField selected={form.category} />
          <div class="actions">
            <button type="submit" name="step" value="search" class="secondary" formnovalidate>
              搜索岗位
            </button>
          </div>
        </div>
        <p class="muted" data-live-results-note>
          {resultsNote(total, results.length)}
        </p>
        <ul class="live-picks" data-live-results>
          {results.map((job) => (
            <JobPick job={job} checked={false} />
          ))}
        </ul>
      </fieldset>
      <div class="actions">
        <button type="submit" name="step" value="book" data-live-book>
          预约直播
        </button>
        <a href="/live">取消</a>
      </div>
    </form>
  );
}

function resultsNote(total: number, listed: number): string {
  return listed === 0
    ? '没有符合条件的岗位（已选的不再列出）。'
    : `共 ${total} 个岗位符合条件，列出 ${listed} 个未选的；勾选即加入节目单。`;
}

async function bookingPage(c: Context<AppEnv>, site: Site, form: BookingForm, error?: PageError) {
  const { db } = c.var.services;
  const siteId = c.var.principal.siteId;
  const category = jobCategories.find((known) => known === form.category);
  const [{ jobs: chosen }, found] = await Promise.all([
    getJobsByIds(db, siteId, form.jobIds),
    listJobs(db, { siteId, category, search: form.q || undefined, limit: PICKER_SIZE }),
  ]);
  const picked = new Set(form.jobIds);
  const results = found.items.filter((job) => !picked.has(job.id));
  return renderPage(
    c,
    {
      title: '预约直播',
      active: 'live',
      ...errorOptions(error),
      assets: ['live.css', 'live.js'],
    },
    <>
      <p>
        <a href="/live">← 直播列表</a>
      </p>
      <BookingFormCard c={c} site={site} form={form} chosen={chosen} results={results} total={found.total} />
    </>,
  );
}

/** A date and time typed on the site's clock, as an instant (the database knows the zone's rules). */
async function siteInstant(c: Context<AppEnv>, site: Site, day: string, time: string): Promise<Date> {
  const local = `${day}T${time}`;
  const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) && !Number.isNaN(Date.parse(`${local}Z`));
  // Date.parse rolls 2026-02-30 over to March: the fields must come back as typed.
  if (!valid || new Date(`${local}Z`).toISOString().slice(0, 16) !== local) {
    throw new JobcastError(
      'BAD_INPUT',
      '开始日期和时间：请填写有效的日期和时间，如 2026-12-03 和 14:00 (start date and time are required)',
    );
  }
  return zonedInstant(c.var.services.db, `${day} ${time}`, site.timezone);
}

function relayList(text: string): string[] {
  const relays = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (relays.length > MAX_RELAYS)
    throw new JobcastError('BAD_INPUT', `推流地址：最多 ${MAX_RELAYS} 个 (at most ${MAX_RELAYS} relays)`);
  const long = relays.findIndex((relay) => relay.length > MAX_RELAY_CHARS);
  if (long >= 0)
    throw new JobcastError(
      'BAD_INPUT',
      `推流地址：第 ${long + 1} 个超过 ${MAX_RELAY_CHARS} 个字符 (relay ${long + 1} is too long)`,
    );
  return relays;
}

/** The form as a booking; the domain checks the rest (type, title, minutes, the rundown, the relays' form). */
async function bookingInput(c: Context<AppEnv>, site: Site, form: BookingForm): Promise<BookingInput> {
  const minutes = form.minutes.trim();
  if (minutes !== '' && !/^\d{1,5}$/.test(minutes))
    throw new JobcastError('BAD_INPUT', `时长（分钟）：“${minutes}”不是整数 (minutes must be a whole number)`);
  return {
    type: form.type as BookingInput['type'],
    title: form.title,
    anchorName: form.anchorName,
    start: await siteInstant(c, site, form.day, form.time),
    minutes: minutes === '' ? undefined : Number(minutes),
    jobIds: form.jobIds,
    relays: relayList(form.relays),
  };
}

/** An address to paste elsewhere (OBS), with a copy button. */
function CopyLine(props: { label: string; value: string }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>
        <code>{props.value}</code>{' '}
        <button type="button" class="secondary" data-copy={props.value}>
          复制
        </button>
      </dd>
    </>
  );
}

/** The booking's answer: the stream key, once. */
function bookedPage(c: Context<AppEnv>, form: BookingForm, booking: Booking) {
  const type = TYPE_LABELS[form.type as BookingInput['type']];
  return keyPage(c, booking, '预约成功', `已预约 ${type}：${form.title.trim()}（场次 #${booking.sessionId}）`, 201);
}

/**
 * The only pages that show a stream key: the answer to the booking's POST, or to the POST that
 * replaced a lost key. Nothing keeps the key (only its hash is stored) and no address leads back here.
 */
function keyPage(c: Context<AppEnv>, booking: Booking, title: string, notice: string, status: 200 | 201) {
  const id = booking.sessionId;
  return renderPage(
    c,
    { title, active: 'live', status, assets: ['live.css'], notice: { kind: 'ok', text: notice } },
    <>
      <section class="card">
        <h2>OBS 推流设置</h2>
        <p class="notice error" role="alert">
          串流密钥只显示这一次，请立即复制并填入 OBS。离开本页后任何人都无法再查看；丢失了可以在场次页更换新密钥。
        </p>
        <dl class="live-facts">
          <CopyLine label="服务器（OBS 的“服务器”）" value={booking.rtmpUrl} />
          <dt>串流密钥（OBS 的“串流密钥”）</dt>
          <dd>
            <span class="secret" data-stream-key>
              {booking.streamKey}
            </span>{' '}
            <button type="button" data-copy={booking.streamKey}>
              复制密钥
            </button>
            <br />
            <strong>只显示这一次，请立即复制</strong>
          </dd>
          <CopyLine label="叠加画面（OBS 的“浏览器来源”，1920×1080）" value={booking.overlayUrl} />
          <dt>直播控制台</dt>
          <dd>
            <a href={`/console/live/${id}`}>{booking.consoleUrl}</a>
          </dd>
        </dl>
      </section>
      <p class="actions">
        <a class="button" href={`/console/live/${id}`}>
          打开直播控制台
        </a>
        <a class="button secondary" href={`/live/${id}`}>
          查看场次
        </a>
        <a href="/live">返回直播列表</a>
      </p>
    </>,
  );
}

const bookingForm = definePage(liveOperators, 'get', '/live/new', async (c) => {
  const site = await siteOf(c);
  return bookingPage(c, site, emptyBookingForm(site));
});

/**
 * Books a session, or (the search button) lists other jobs for the rundown with everything typed
 * kept. A search is a post too: the form carries the CSRF token, which must not end up in an address.
 */
/** How long a second identical booking by the same person counts as the browser sending the form again. */
const RESUBMIT_WINDOW_MINUTES = 10;

/**
 * The booking answer is the one page with the stream key, so a refresh of it offers to post the form
 * again: the same person booking the same title and slot within minutes is that, not a second show.
 */
async function justBooked(c: Context<AppEnv>, input: BookingInput): Promise<number | null> {
  return findRecentBooking(c.var.services.db, {
    siteId: c.var.principal.siteId,
    userId: c.var.principal.userId,
    title: input.title.trim(),
    slotStart: input.start,
    minutes: RESUBMIT_WINDOW_MINUTES,
  });
}

const bookingSubmit = definePage(liveOperators, 'post', '/live/new', async (c) => {
  const site = await siteOf(c);
  const fields = await formFields(c);
  const form = readBookingForm(fields);
  if (fields.get('step') === 'search') return bookingPage(c, site, form);
  const { db, config, secrets } = c.var.services;
  const { siteId, userId, username } = c.var.principal;
  let booking: Booking;
  try {
    const input = await bookingInput(c, site, form);
    const again = await justBooked(c, input);
    if (again !== null) {
      return redirectWithNotice(
        c,
        `/live/${again}`,
        `这场直播刚刚已预约过（场次 #${again}），没有重复预约。串流密钥只在第一次预约成功时显示。`,
      );
    }
    booking = await bookLiveSession(
      { db, rules: config.live, urls: config, secrets: await secrets(), relayHosts: config.relayHosts },
      { siteId, userId, displayName: c.var.web?.displayName ?? username },
      input,
    );
  } catch (error) {
    const shown = errorText(error);
    // Something unexpected goes to the error page and the log, not into the form.
    if (shown.status === 500) throw error;
    return bookingPage(c, site, form, shown);
  }
  return bookedPage(c, form, booking);
});

function Evidence(props: { view: LiveSessionView }) {
  const { evidence } = props.view;
  if (!evidence.html && !evidence.recording && evidence.thumbnails.length === 0) {
    return (
      <p class="card muted">
        {props.view.status === 'ended'
          ? '正在整理录像和截图，完成后这里显示佐证材料。'
          : '直播结束并整理完后，这里显示佐证材料：截图、录像和可打印的佐证页。'}
      </p>
    );
  }
  return (
    <>
      <p class="actions">
        {evidence.html ? (
          <NewTabLink class="button" href={evidence.html}>
            打开佐证材料页（可打印）
          </NewTabLink>
        ) : null}
        {evidence.json ? <a href={evidence.json}>佐证数据（JSON）</a> : null}
        {evidence.recording ? (
          <a href={evidence.recording} download={`直播${props.view.sessionId}录像.mp4`}>
            下载录像
          </a>
        ) : null}
      </p>
      {evidence.thumbnails.length > 0 ? (
        <div class="live-thumbs">
          {evidence.thumbnails.map((url, i) => (
            <figure>
              <img class="preview" src={url} alt={`直播截图 ${i + 1}`} loading="lazy" />
              <figcaption class="muted">截图 {i + 1}</figcaption>
            </figure>
          ))}
        </div>
      ) : null}
    </>
  );
}

/** Where OBS and the preview reach the session: only for those running it (the overlay's address is its password). */
function OperatorLinks(props: { view: LiveSessionView }) {
  const { view } = props;
  if (!view.overlayUrl || view.status === 'ended') return null;
  return (
    <section class="card">
      <h2>推流与叠加画面</h2>
      <dl class="live-facts">
        <CopyLine label="叠加画面（OBS 的“浏览器来源”，1920×1080）" value={view.overlayUrl} />
        {view.previewUrl ? <CopyLine label="预览（HTTP-FLV）" value={view.previewUrl} /> : null}
      </dl>
      <p class="muted">串流密钥只在预约时显示一次，这里不再显示。</p>
      <p>
        <a class="button" href={`/console/live/${view.sessionId}`}>
          打开直播控制台
        </a>
      </p>
    </section>
  );
}

/** Enough of the key's hash to tell the key a form was shown with from a newer one; nothing to guess from. */
const KEY_HASH_SEEN_CHARS = 12;

/** A lost key replaced: the new one is shown once, on the answer to this POST, like at booking. */
const keyReplace = definePage(liveOperators, 'post', '/live/:id{[0-9]+}/key', async (c) => {
  const { db, config } = c.var.services;
  const id = pathId(c, '个直播场次');
  // Live or ended: the error page says so (409).
  const seenKeyHash = (await formFields(c)).get('seen');
  const booking = await replaceStreamKey({ db, urls: config }, c.var.principal.siteId, id, { seenKeyHash });
  return keyPage(c, booking, '串流密钥已更换', `场次 #${id} 的串流密钥已更换，旧密钥已失效`, 200);
});

const sessionDetail = definePage(anyRole, 'get', '/live/:id{[0-9]+}', async (c) => {
  const { db, config } = c.var.services;
  const { siteId } = c.var.principal;
  const id = pathId(c, '个直播场次');
  const [site, status] = await Promise.all([siteOf(c), liveStatus(db, config.live, id, siteId)]);
  // The overlay's address is its password: only those running the session are shown it.
  const row = may(c, liveOperators) ? await getLiveSessionRow(db, id, siteId) : undefined;
  const links = row ? operatorLinks(config, row.overlayToken) : undefined;
  const keyHash = row?.streamKeyHash ?? '';
  const view = toLiveSessionView(status, links);
  const tz = site.timezone;
  const ended = view.status === 'ended';
  const minJobs = view.guard.thresholds.minJobs;
  return renderPage(
    c,
    { title: `${view.typeLabel}：${view.title}`, active: 'live', assets: ['live.css'] },
    <>
      <p>
        <a href="/live">← 直播列表</a>
      </p>
      <div class="table-wrap">
        <table>
          <tbody>
            <Row label="场次">#{view.sessionId}</Row>
            <Row label="类型">{view.typeLabel}</Row>
            <Row label="主播">{view.anchor}</Row>
            <Row label="时段">{slotText(tz, view.slot.start, view.slot.end)}</Row>
            <Row label="状态">
              <StatusBadge status={view.status} slotEnd={new Date(view.slot.end)} now={new Date()} />
            </Row>
            <Row label="开播时间">{timeText(tz, view.startedAt)}</Row>
            <Row label="结束时间">{timeText(tz, view.endedAt)}</Row>
            {view.endReason ? <Row label="结束方式">{END_REASONS[view.endReason] ?? view.endReason}</Row> : null}
            <Row label="直播时长">{durationText(view.liveSeconds, true)}</Row>
            <Row label="已讲解岗位">
              {view.presentedJobs} 个{minJobs === null ? '' : `（至少 ${minJobs} 个）`}
            </Row>
          </tbody>
        </table>
      </div>
      <h2>结果</h2>
      <div class="card">
        {view.verdict ? (
          <Verdict qualified={view.verdict.qualified} forced={view.forced} reasons={view.verdict.reasons} />
        ) : (
          <>
            <span class={view.guard.qualified ? 'badge ok' : 'badge warn'}>
              {view.guard.qualified ? '目前已达标' : '目前尚未达标'}
            </span>{' '}
            <span class="muted">结束时判定</span>
            <ul class="live-reasons">
              {view.guard.reasons.map((reason) => (
                <li>{reason}</li>
              ))}
            </ul>
          </>
        )}
      </div>
      <h2>佐证材料</h2>
      <Evidence view={view} />
      <OperatorLinks view={view} />
      {links && (view.status === 'booked' || view.status === 'interrupted') ? (
        <form
          method="post"
          action={`/live/${view.sessionId}/key`}
          class="actions"
          data-confirm="更换后旧的串流密钥立即失效，需要把新密钥填入 OBS。确定更换吗？"
        >
          <CsrfField c={c} />
          <input type="hidden" name="seen" value={keyHash.slice(0, KEY_HASH_SEEN_CHARS)} />
          <button type="submit" class="secondary">
            串流密钥丢了？更换密钥
          </button>
          <span class="muted">直播开始前或中断时可以更换；叠加画面地址不变。</span>
        </form>
      ) : null}
      <h2>节目单（{view.rundown.length}）</h2>
      {view.rundown.length === 0 ? (
        <p class="muted">本场没有节目单。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th class="num">序号</th>
                <th>岗位</th>
                <th>单位</th>
                <th class="num">上屏（直播中）</th>
                <th>已讲解</th>
              </tr>
            </thead>
            <tbody>
              {view.rundown.map((entry) => (
                <tr>
                  <td class="num">{entry.position}</td>
                  <td>
                    <a href={`/jobs/${entry.jobId}`}>{entry.card.title}</a>
                  </td>
                  <td>{entry.card.employer}</td>
                  <td class="num">{durationText(entry.onScreenSeconds, true)}</td>
                  <td>{entry.presented ? <span class="badge ok">已讲解</span> : <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.segments.length > 0 ? (
        <>
          <h2>推流记录</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th class="num">段</th>
                  <th>开始</th>
                  <th>结束</th>
                  <th class="num">收到的直播时长</th>
                  <th>画面 / 声音</th>
                </tr>
              </thead>
              <tbody>
                {view.segments.map((segment) => (
                  <tr>
                    <td class="num">{segment.seq}</td>
                    <td>{timeText(tz, segment.startedAt)}</td>
                    <td>{segment.endedAt ? timeText(tz, segment.endedAt) : ended ? '—' : '进行中'}</td>
                    <td class="num">{durationText(segment.liveSeconds, true)}</td>
                    <td>
                      {segment.hasVideo ? '有画面' : '无画面'} / {segment.hasAudio ? '有声音' : '无声音'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {view.relays.length > 0 ? (
        <>
          <h2>同时推流的平台</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>平台</th>
                  <th class="num">已连接</th>
                  <th class="num">连接 / 失败次数</th>
                  <th>最近的错误</th>
                </tr>
              </thead>
              <tbody>
                {view.relays.map((relay) => (
                  <tr>
                    <td>{relay.label}</td>
                    <td class="num">{durationText(relay.connectedSeconds, true)}</td>
                    <td class="num">
                      {relay.connects} / {relay.failures}
                    </td>
                    <td>{relay.lastError ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>,
  );
});

/**
 * The anchor's console: a page of the console, so the session's sign-in, role and CSRF token guard
 * it. live.js reads and drives the session through the JSON API with the session cookie; the page
 * holds no key (none is kept) and plays the stream service's preview, whose origin it may reach.
 */
const liveConsole = definePage(liveOperators, 'get', '/console/live/:id{[0-9]+}', async (c) => {
  const { db, config } = c.var.services;
  const id = pathId(c, '个直播场次');
  const session = await getLiveSessionRow(db, id, c.var.principal.siteId);
  const { overlayUrl, previewUrl } = operatorLinks(config, session.overlayToken);
  const labels = Object.fromEntries(Object.entries(STATUS_VIEW).map(([status, view]) => [status, view.label]));
  return renderPage(
    c,
    {
      title: `直播控制台：${session.title}`,
      active: 'live',
      assets: ['live.css', 'mpegts.js', 'live.js'],
      connect: new URL(config.streamPublicUrl).origin,
    },
    <section class="live-console" data-live-console={String(id)} data-status-labels={JSON.stringify(labels)}>
      <noscript>
        <p class="notice error">直播控制台需要启用浏览器的 JavaScript。</p>
      </noscript>
      <p class="actions">
        <a href={`/live/${id}`}>← 场次详情</a>
      </p>
      <h2 id="title">加载中…</h2>
      <p>
        状态：
        <span id="status" class="badge">
          加载中…
        </span>{' '}
        已直播 <strong id="live-time">—</strong>
      </p>
      <p id="message" role="status" />
      <div id="console" hidden>
        <h2>达标情况</h2>
        <p id="verdict" />
        <ul id="reasons" class="live-reasons" />
        <h2>正在上屏</h2>
        <p class="actions">
          <span id="current-job">无</span>
          <button id="previous" type="button" class="secondary">
            上一个
          </button>
          <button id="next" type="button">
            下一个
          </button>
        </p>
        <h2>节目单</h2>
        <ol id="rundown" class="live-rundown" />
        <h2>地址</h2>
        <p>
          OBS 浏览器来源（1920×1080）：
          <NewTabLink id="overlay-url" href={overlayUrl}>
            {overlayUrl}
          </NewTabLink>{' '}
          <button type="button" class="secondary" data-copy={overlayUrl}>
            复制
          </button>
        </p>
        <video id="preview" muted playsinline controls hidden />
        <p>
          预览（HTTP-FLV）：
          <NewTabLink id="preview-url" href={previewUrl}>
            {previewUrl}
          </NewTabLink>
        </p>
        <p class="muted">串流密钥只在预约时显示一次，控制台不显示。</p>
        <p class="actions">
          <button id="end" type="button" class="danger">
            结束直播
          </button>
          <button id="force" type="button" class="danger" hidden>
            强制结束
          </button>
        </p>
      </div>
    </section>,
  );
});

export const livePages: PageRoute[] = [liveList, bookingForm, bookingSubmit, sessionDetail, keyReplace, liveConsole];
