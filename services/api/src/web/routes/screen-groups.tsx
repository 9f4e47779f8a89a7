/** @jsxImportSource hono/jsx */
import { JobcastError } from '@jobcast/core';
import {
  configureScreenGroup,
  getScreenGroup,
  listFinishedVideos,
  type PlaylistMode,
  type PlayWindow,
  putLiveOnScreenGroup,
  type ScreenLiveChoice,
  screenLiveChoices,
  setScreenGroupItems,
} from '@jobcast/db';
import { STATUS_LABELS } from '@jobcast/live';
import { videoTitles } from '@jobcast/renders';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { anyRole, SCREEN_MANAGERS } from '../../roles.ts';
import {
  PLAYLIST_MODE_LABELS,
  type ScreenGroupView,
  type ScreenView,
  screenGroupView,
  screenViews,
} from '../../routes/screens/view.ts';
import { idSchema } from '../../schemas.ts';
import { formatTime } from '../format.ts';
import { CsrfField, definePage, formFields, type PageRoute, redirectWithNotice, renderPage } from '../page.tsx';
import { chosenId, errorOptions, may, type PageError, pathId, siteOf } from '../parts.tsx';
import { GroupFacts, liveText, pageError, StatusCell, screenDeps } from '../screen-parts.tsx';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
/** Empty rows offered under a group's windows for new ones. */
const BLANK_WINDOW_ROWS = 2;
/** Finished videos offered for a manual playlist, newest first. */
const VIDEO_CHOICES = 100;

/** The settings form as typed, so a refused window comes back as it was. */
interface SettingsForm {
  name: string;
  mode: string;
  autoLimit: string;
  windows: { days: string[]; from: string; to: string }[];
}

function settingsFormOf(group: ScreenGroupView): SettingsForm {
  return {
    name: group.name,
    mode: group.mode,
    autoLimit: String(group.autoLimit),
    windows: group.windows.map((w) => ({ days: w.days.map(String), from: w.from, to: w.to })),
  };
}

function SettingsFormCard(props: { c: Context<AppEnv>; group: ScreenGroupView; form: SettingsForm }) {
  const { c, group, form } = props;
  const rows = [...form.windows, ...Array.from({ length: BLANK_WINDOW_ROWS }, () => ({ days: [], from: '', to: '' }))];
  return (
    <form method="post" action={`/screens/groups/${group.id}/settings`} class="card" id="settings">
      <h2>节目单方式和播放时段</h2>
      <CsrfField c={c} />
      <input type="hidden" name="rows" value={String(rows.length)} />
      <label>
        分组名称
        <input name="name" value={form.name} required maxlength={40} />
      </label>
      <fieldset>
        <legend>节目单</legend>
        <label class="check">
          <input type="radio" name="mode" value="auto" checked={form.mode === 'auto'} />
          {PLAYLIST_MODE_LABELS.auto}（岗位招满或过期后，它的视频自动下架）
        </label>
        <label class="inline">
          自动节目单最多播放
          <input name="autoLimit" type="number" min={1} max={100} value={form.autoLimit} class="short" />
          条视频
        </label>
        <label class="check">
          <input type="radio" name="mode" value="manual" checked={form.mode === 'manual'} />
          {PLAYLIST_MODE_LABELS.manual}（在下面“手动节目单”里选视频、排顺序）
        </label>
      </fieldset>
      <fieldset>
        <legend>播放时段</legend>
        <p class="muted">按站点时间；一个时段都不填则全天播放。</p>
        {rows.map((row, i) => (
          <div class="window-row" data-window-row={String(i)}>
            <span class="window-no">时段 {i + 1}</span>
            <span class="weekdays">
              {WEEKDAYS.map((name, d) => (
                <label class="day">
                  <input
                    type="checkbox"
                    name={`days${i}`}
                    value={String(d + 1)}
                    checked={row.days.includes(String(d + 1))}
                  />
                  周{name}
                </label>
              ))}
            </span>
            <span class="hours">
              <input type="time" name={`from${i}`} value={row.from} aria-label={`时段 ${i + 1} 开始`} />
              <span>至</span>
              <input type="time" name={`to${i}`} value={row.to} aria-label={`时段 ${i + 1} 结束`} />
            </span>
          </div>
        ))}
        <p class="muted">要删掉一个时段，取消它的所有星期并清空时间。跨过午夜的时段请分成两个。</p>
      </fieldset>
      <button type="submit">保存设置</button>
    </form>
  );
}

function PlaylistFormCard(props: {
  c: Context<AppEnv>;
  group: ScreenGroupView;
  choices: { renderId: number; label: string }[];
}) {
  const { c, group, choices } = props;
  const known = new Set(choices.map((choice) => choice.renderId));
  const options = [
    ...choices,
    ...group.items
      .filter((item) => !known.has(item.renderId))
      .map((item) => ({ renderId: item.renderId, label: `#${item.renderId} ${item.title}` })),
  ];
  const last = group.items.length - 1;
  return (
    <form method="post" action={`/screens/groups/${group.id}/items`} class="card" id="items">
      <h2>手动节目单</h2>
      <CsrfField c={c} />
      {group.mode === 'auto' ? <p class="muted">这个分组现在用自动节目单；这里的视频在改成“手动”后才播放。</p> : null}
      {group.items.length === 0 ? <p class="muted">还没有选视频。</p> : null}
      <ol class="playlist">
        {group.items.map((item, i) => (
          <li data-render-id={String(item.renderId)}>
            <select name="item" aria-label={`第 ${i + 1} 条`}>
              {options.map((option) => (
                <option value={String(option.renderId)} selected={option.renderId === item.renderId}>
                  {option.label}
                </option>
              ))}
            </select>
            <span class="moves">
              <button type="submit" class="secondary" name="move" value={`up:${i}`} disabled={i === 0} title="上移">
                ↑
              </button>
              <button
                type="submit"
                class="secondary"
                name="move"
                value={`down:${i}`}
                disabled={i === last}
                title="下移"
              >
                ↓
              </button>
              <button type="submit" class="secondary" name="move" value={`remove:${i}`}>
                移除
              </button>
            </span>
          </li>
        ))}
      </ol>
      {choices.length === 0 ? (
        <p class="muted">
          还没有制作完成的短视频，请先在<a href="/renders">制作</a>页面制作。
        </p>
      ) : (
        <label>
          添加视频（加到最后，只列出制作完成的短视频）
          <select name="item">
            <option value="">（不添加）</option>
            {choices.map((choice) => (
              <option value={String(choice.renderId)}>{choice.label}</option>
            ))}
          </select>
        </label>
      )}
      <button type="submit">保存节目单</button>
    </form>
  );
}

function sessionLabel(session: ScreenLiveChoice, timezone: string): string {
  const when = formatTime(timezone, session.slotStart).slice(5);
  return `${when} ${session.title}（${STATUS_LABELS[session.status]}，#${session.id}）`;
}

function LiveFormCard(props: {
  c: Context<AppEnv>;
  group: ScreenGroupView;
  sessions: ScreenLiveChoice[];
  timezone: string;
}) {
  const { c, group, sessions, timezone } = props;
  const current = group.live?.sessionId;
  return (
    <form method="post" action={`/screens/groups/${group.id}/live`} class="card" id="live">
      <h2>在屏幕上播放直播</h2>
      <CsrfField c={c} />
      <p data-field="live">{liveText(group)}</p>
      <p class="muted">选一场已预约或正在进行的直播：开播时这组屏幕切换到直播画面，直播结束后自动回到节目单。</p>
      <label>
        直播场次
        <select name="sessionId">
          <option value="" selected={!sessions.some((s) => s.id === current)}>
            不播放直播
          </option>
          {sessions.map((session) => (
            <option value={String(session.id)} selected={session.id === current}>
              {sessionLabel(session, timezone)}
            </option>
          ))}
        </select>
      </label>
      {sessions.length === 0 ? (
        <p class="muted">
          现在没有已预约的直播，可在<a href="/live">直播</a>页面预约。
        </p>
      ) : null}
      <button type="submit">保存</button>
    </form>
  );
}

/** A manual playlist as those who do not set it read it. */
function ReadOnlyPlaylist(props: { group: ScreenGroupView }) {
  const { group } = props;
  if (group.mode !== 'manual') return null;
  return (
    <section class="card">
      <h2>手动节目单</h2>
      {group.items.length === 0 ? <p class="muted">还没有选视频，屏幕不播放。</p> : null}
      <ol class="playlist">
        {group.items.map((item) => (
          <li>{item.title}</li>
        ))}
      </ol>
    </section>
  );
}

async function groupPage(
  c: Context<AppEnv>,
  groupId: number,
  state: { settings?: SettingsForm; error?: PageError } = {},
) {
  const { db } = c.var.services;
  const site = await siteOf(c);
  const deps = screenDeps(c);
  const group = await screenGroupView(deps, site, await getScreenGroup(db, site.id, groupId));
  const manager = may(c, SCREEN_MANAGERS);
  const now = new Date();
  const members = (await screenViews(deps, site.id, now)).filter(
    (screen) => screen.groupId === group.id && screen.status !== 'revoked',
  );
  const [videos, sessions] = manager
    ? await Promise.all([listFinishedVideos(db, site.id, VIDEO_CHOICES), screenLiveChoices(db, site.id, now)])
    : [[], []];
  const titles = await videoTitles(
    db,
    deps.templatesDir,
    site.id,
    videos.map((video) => video.id),
  );
  const choices = videos.map((video) => ({
    renderId: video.id,
    label: `#${video.id} ${titles.get(video.id)}（${formatTime(site.timezone, video.createdAt).slice(5, 10)}）`,
  }));
  return renderPage(
    c,
    { title: `分组：${group.name}`, active: 'screens', assets: ['screens.css'], ...errorOptions(state.error) },
    <>
      <p>
        <a href="/screens#groups">← 屏幕</a>
      </p>
      <section class="card">
        <h2>现在怎么播</h2>
        <GroupFacts group={group} />
      </section>
      <GroupScreens screens={members} timezone={site.timezone} now={now} />
      {manager ? (
        <>
          <SettingsFormCard c={c} group={group} form={state.settings ?? settingsFormOf(group)} />
          <PlaylistFormCard c={c} group={group} choices={choices} />
          <LiveFormCard c={c} group={group} sessions={sessions} timezone={site.timezone} />
        </>
      ) : (
        <ReadOnlyPlaylist group={group} />
      )}
    </>,
  );
}

function GroupScreens(props: { screens: ScreenView[]; timezone: string; now: Date }) {
  const { screens, timezone, now } = props;
  return (
    <section class="card">
      <h2>这组的屏幕（{screens.length}）</h2>
      {screens.length === 0 ? (
        <p class="muted">
          这个分组还没有屏幕。在<a href="/screens#pair">屏幕</a>页面配对屏幕时选这个分组，或把已有屏幕换到这个分组。
        </p>
      ) : (
        <ul class="group-screens">
          {screens.map((screen) => (
            <li>
              <strong>{screen.name}</strong> <StatusCell screen={screen} timezone={timezone} now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const groupDetail = definePage(anyRole, 'get', '/screens/groups/:id{[0-9]+}', (c) =>
  groupPage(c, pathId(c, '个屏幕分组')),
);

function windowsOf(form: SettingsForm): PlayWindow[] {
  return form.windows.map((row) => ({ days: row.days.map(Number), from: row.from, to: row.to }));
}

const settingsSubmit = definePage(SCREEN_MANAGERS, 'post', '/screens/groups/:id{[0-9]+}/settings', async (c) => {
  const groupId = pathId(c, '个屏幕分组');
  const fields = await formFields(c);
  const rows = Math.min(Number(fields.get('rows')) || 0, 30);
  const form: SettingsForm = {
    name: fields.get('name').slice(0, 200),
    mode: fields.get('mode'),
    autoLimit: fields.get('autoLimit').trim(),
    windows: Array.from({ length: rows }, (_, i) => ({
      days: fields.all(`days${i}`).slice(0, 7),
      // A browser that sends seconds (08:30:00) means the same minute.
      from: fields.get(`from${i}`).trim().slice(0, 5),
      to: fields.get(`to${i}`).trim().slice(0, 5),
    })).filter((row) => row.days.length > 0 || row.from !== '' || row.to !== ''),
  };
  try {
    const group = await configureScreenGroup(c.var.services.db, c.var.principal.siteId, groupId, {
      name: form.name,
      mode: (form.mode === 'manual' ? 'manual' : 'auto') satisfies PlaylistMode,
      autoLimit: form.autoLimit === '' ? undefined : Number(form.autoLimit),
      windows: windowsOf(form),
    });
    return redirectWithNotice(c, `/screens/groups/${group.id}`, `已保存分组“${group.name}”的设置`);
  } catch (error) {
    return groupPage(c, groupId, { settings: form, error: pageError(error) });
  }
});

/** The list as posted, with the ↑ ↓ 移除 button pressed (if one was) applied. */
function playlistOf(items: string[], move: string): number[] {
  const ids = items
    .filter((item) => item !== '')
    .map((item) => {
      const parsed = idSchema.safeParse(item);
      if (!parsed.success) throw new JobcastError('BAD_INPUT', `节目单里有无效的视频编号：${item.slice(0, 20)}`);
      return parsed.data;
    });
  const [action, at] = move.split(':');
  const i = Number(at);
  if (!Number.isInteger(i) || i < 0 || i >= ids.length) return ids;
  const swap = (a: number, b: number) => {
    if (b < 0 || b >= ids.length) return;
    [ids[a], ids[b]] = [ids[b] as number, ids[a] as number];
  };
  if (action === 'up') swap(i, i - 1);
  if (action === 'down') swap(i, i + 1);
  if (action === 'remove') ids.splice(i, 1);
  return ids;
}

const itemsSubmit = definePage(SCREEN_MANAGERS, 'post', '/screens/groups/:id{[0-9]+}/items', async (c) => {
  const groupId = pathId(c, '个屏幕分组');
  const fields = await formFields(c);
  try {
    const ids = playlistOf(fields.all('item').slice(0, 101), fields.get('move'));
    await setScreenGroupItems(c.var.services.db, c.var.principal.siteId, groupId, ids);
    return redirectWithNotice(c, `/screens/groups/${groupId}#items`, `手动节目单已保存：${ids.length} 条视频`);
  } catch (error) {
    return groupPage(c, groupId, { error: pageError(error) });
  }
});

const liveSubmit = definePage(SCREEN_MANAGERS, 'post', '/screens/groups/:id{[0-9]+}/live', async (c) => {
  const groupId = pathId(c, '个屏幕分组');
  const chosen = (await formFields(c)).get('sessionId');
  try {
    const sessionId = chosen === '' ? null : chosenId(chosen, '直播场次');
    const group = await putLiveOnScreenGroup(c.var.services.db, c.var.principal.siteId, groupId, sessionId);
    return redirectWithNotice(
      c,
      `/screens/groups/${group.id}#live`,
      sessionId === null
        ? `“${group.name}”的屏幕不播放直播`
        : `直播 #${sessionId} 开播时会在“${group.name}”的屏幕上播放`,
    );
  } catch (error) {
    return groupPage(c, groupId, { error: pageError(error) });
  }
});

export const screenGroupPages: PageRoute[] = [groupDetail, settingsSubmit, itemsSubmit, liveSubmit];
