/** @jsxImportSource hono/jsx */
// Booking a livestream (`/live/new`): its type, slot, relays and the rundown picked from the jobs.
import { clockName, type JobView, jobCategories, type LiveSessionType } from '@jobcast/core';
import { getJobsByIds, listJobs, type Site } from '@jobcast/db';
import { siteToday } from '@jobcast/ledger';
import {
  type Booking,
  type BookingText,
  bookingInputOf,
  bookLiveSession,
  findResubmittedBooking,
  RELAY_LIMITS,
  TYPE_LABELS,
} from '@jobcast/live';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { LIVE_OPERATORS } from '../../../roles.ts';
import { CsrfField, definePage, errorText, formFields, redirectWithNotice, renderPage } from '../../page.tsx';
import { CategoryField, errorOptions, type PageError, siteOf } from '../../parts.tsx';
import { keyPage } from './key.tsx';

/** Jobs listed at a time in the picker. */
const PICKER_SIZE = 30;

/** The form's fields as typed, so a refused booking or a job search comes back with them. */
interface BookingForm extends BookingText {
  q: string;
  category: string;
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

/** As live.js words it when a box is ticked. */
function counterText(type: string, count: number, minJobs: number): string {
  return type === 'job' ? `已选 ${count} / 至少 ${minJobs} 个岗位` : `已选 ${count} 个岗位（这类直播可以不选岗位）`;
}

function resultsNote(total: number, listed: number): string {
  return listed === 0
    ? '没有符合条件的岗位（已选的不再列出）。'
    : `共 ${total} 个岗位符合条件，列出 ${listed} 个未选的；勾选即加入节目单。`;
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
          开始时间（{clockName(site.timezone)}）
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
        同时转推到其他平台（可不填）：每行一个 rtmp:// 转推地址，最多 {RELAY_LIMITS.count} 个；保存后加密，不再显示。
        只能推到系统允许的平台（默认为视频号、抖音）
        <textarea name="relays" rows={2} placeholder="rtmp://push-rtmp-l1.douyincdn.com/third/串流密钥">
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

export const bookingForm = definePage(LIVE_OPERATORS, 'get', '/live/new', async (c) => {
  const site = await siteOf(c);
  return bookingPage(c, site, emptyBookingForm(site));
});

/**
 * Books a session, or (the search button) lists other jobs for the rundown with everything typed
 * kept. A search is a post too: the form carries the CSRF token, which must not end up in an address.
 */
export const bookingSubmit = definePage(LIVE_OPERATORS, 'post', '/live/new', async (c) => {
  const site = await siteOf(c);
  const fields = await formFields(c);
  const form = readBookingForm(fields);
  if (fields.get('step') === 'search') return bookingPage(c, site, form);
  const { db, config, secrets } = c.var.services;
  const { siteId, userId, username } = c.var.principal;
  let booking: Booking;
  try {
    const input = await bookingInputOf(db, site.timezone, form);
    // The answer is the one page with the key, so a refresh of it offers to post the form again.
    const again = await findResubmittedBooking(db, { siteId, userId }, input);
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
  const type = TYPE_LABELS[form.type as LiveSessionType];
  return keyPage(c, booking, '预约成功', `已预约 ${type}：${form.title.trim()}（场次 #${booking.sessionId}）`, 201);
});
