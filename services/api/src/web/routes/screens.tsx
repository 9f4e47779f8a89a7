/** @jsxImportSource hono/jsx */
import { formatBytes } from '@jobcast/core';
import {
  confirmScreenPairing,
  createScreenGroup,
  ensureScreenGroup,
  listScreens,
  revokeScreen,
  SCREEN_OFFLINE_AFTER_MS,
  type Site,
  updateScreen,
} from '@jobcast/db';
import { siteToday } from '@jobcast/ledger';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { anyRole, SCREEN_MANAGERS } from '../../roles.ts';
import {
  agoText,
  type ScreenGroupView,
  type ScreenPlaysView,
  type ScreenView,
  screenGroupViews,
  screenPlaysView,
  screenViews,
} from '../../routes/screens/view.ts';
import { idSchema } from '../../schemas.ts';
import { formatTime } from '../format.ts';
import { CsrfField, definePage, formFields, type PageRoute, redirectWithNotice, renderPage } from '../page.tsx';
import { chosenId, may, type PageError, pathId, siteOf } from '../parts.tsx';
import { GroupFacts, pageError, StatusCell, screenDeps } from '../screen-parts.tsx';
import { screenGroupPages } from './screen-groups.tsx';

/** The group a site's first screen joins when it has none yet. */
const FIRST_GROUP = '大厅';

/** What the screen plays, by its last heartbeat; a silent screen's last word is only what it played. */
function PlayingCell(props: { screen: ScreenView }) {
  const { screen } = props;
  if (screen.status === 'never') return <span class="muted">—</span>;
  const what = screen.playing?.title ?? screen.stateText ?? '—';
  if (screen.status !== 'online') return <span class="muted">离线前：{what}</span>;
  return <span>{screen.state === 'video' || !screen.stateText ? what : screen.stateText}</span>;
}

function CacheCell(props: { screen: ScreenView }) {
  const { cache } = props.screen;
  if (!cache || cache.totalItems === 0) return <span class="muted">—</span>;
  const full = cache.cachedItems >= cache.totalItems;
  return (
    <span class={full ? undefined : 'warn-text'}>
      已缓存 {cache.cachedItems}/{cache.totalItems}
      <span class="muted">（{formatBytes(cache.cachedBytes)}）</span>
    </span>
  );
}

function ProblemsCell(props: { screen: ScreenView }) {
  const { problems } = props.screen;
  if (problems.length === 0) return <span class="muted">无</span>;
  return (
    <ul class="problems">
      {problems.map((problem) => (
        <li>
          <strong>{problem.text}</strong>：「{problem.title}」
        </li>
      ))}
    </ul>
  );
}

function ScreenActions(props: { c: Context<AppEnv>; screen: ScreenView; groups: ScreenGroupView[] }) {
  const { c, screen, groups } = props;
  return (
    <div class="screen-actions">
      <details>
        <summary>改名 / 换分组</summary>
        <form method="post" action={`/screens/${screen.id}/edit`}>
          <CsrfField c={c} />
          <label>
            屏幕名称
            <input name="name" value={screen.name} required maxlength={40} />
          </label>
          <label>
            分组
            <select name="groupId">
              {groups.map((group) => (
                <option value={String(group.id)} selected={group.id === screen.groupId}>
                  {group.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">保存</button>
        </form>
      </details>
      <form
        method="post"
        action={`/screens/${screen.id}/revoke`}
        data-confirm={`确定撤销屏幕「${screen.name}」吗？撤销后它立即停止播放，要再用须重新配对。播放记录会保留。`}
      >
        <CsrfField c={c} />
        <button type="submit" class="secondary">
          撤销
        </button>
      </form>
    </div>
  );
}

function ScreensTable(props: {
  c: Context<AppEnv>;
  screens: ScreenView[];
  groups: ScreenGroupView[];
  timezone: string;
  now: Date;
}) {
  const { c, screens, groups, timezone, now } = props;
  const manager = may(c, SCREEN_MANAGERS);
  return (
    <table class="screens" data-list="screens">
      <thead>
        <tr>
          <th>屏幕</th>
          <th>分组</th>
          <th>状态</th>
          <th>正在播放</th>
          <th>缓存</th>
          <th>问题</th>
          {manager ? <th>操作</th> : null}
        </tr>
      </thead>
      <tbody>
        {screens.map((screen) => (
          <tr data-screen-id={String(screen.id)} data-status={screen.status}>
            <td data-label="屏幕">
              <strong>{screen.name}</strong>
            </td>
            <td data-label="分组">{screen.groupName}</td>
            <td data-label="状态">
              <StatusCell screen={screen} timezone={timezone} now={now} />
            </td>
            <td data-label="正在播放" data-field="playing">
              <PlayingCell screen={screen} />
            </td>
            <td data-label="缓存" data-field="cache">
              <CacheCell screen={screen} />
            </td>
            <td data-label="问题" data-field="problems">
              <ProblemsCell screen={screen} />
            </td>
            {manager ? (
              <td data-label="操作">
                <ScreenActions c={c} screen={screen} groups={groups} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The pairing form as typed, so a refused code comes back with the rest filled in. */
interface PairForm {
  code: string;
  groupId: string;
  groupName: string;
  name: string;
}

const emptyPairForm: PairForm = { code: '', groupId: '', groupName: FIRST_GROUP, name: '' };

function PairSection(props: {
  c: Context<AppEnv>;
  groups: ScreenGroupView[];
  form: PairForm;
  error: string | undefined;
}) {
  const { c, groups, form, error } = props;
  const playerUrl = `${c.var.services.config.publicUrl.replace(/\/+$/, '')}/player`;
  return (
    <section class="card pair" id="pair">
      <h2>配对新屏幕</h2>
      <ol class="steps">
        <li>
          在屏幕上用浏览器打开 <code data-field="player-url">{playerUrl}</code>
          （职播机或电视盒子开机后打开即可，页面会自动全屏播放）。
        </li>
        <li>屏幕上会显示 6 位配对码，10 分钟内有效。</li>
        <li>在下面输入屏幕上显示的 6 位配对码，选好分组，再起一个好认的名字，如“大厅东侧电视”。</li>
      </ol>
      {error ? (
        <p class="notice error" role="alert" data-field="pair-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/screens/pair#pair" class="pair-form">
        <CsrfField c={c} />
        <label>
          配对码（6 位数字）
          <input
            name="code"
            value={form.code}
            required
            inputmode="numeric"
            autocomplete="off"
            maxlength={12}
            placeholder="如 482913"
            class="code"
          />
        </label>
        {groups.length > 0 ? (
          <label>
            分组
            <select name="groupId" required>
              {groups.map((group) => (
                <option value={String(group.id)} selected={String(group.id) === form.groupId}>
                  {group.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            分组（还没有分组，会新建这个分组）
            <input name="groupName" value={form.groupName} required maxlength={40} />
          </label>
        )}
        <label>
          屏幕名称
          <input name="name" value={form.name} required maxlength={40} placeholder="如 大厅东侧电视" />
        </label>
        <button type="submit">配对</button>
      </form>
    </section>
  );
}

function GroupsSection(props: { c: Context<AppEnv>; groups: ScreenGroupView[]; groupName: string }) {
  const { c, groups } = props;
  const manager = may(c, SCREEN_MANAGERS);
  return (
    <section id="groups">
      <h2>分组与节目单</h2>
      {groups.length === 0 ? <p class="card">还没有分组。配对第一块屏幕时会建好“{FIRST_GROUP}”分组。</p> : null}
      <div class="group-cards">
        {groups.map((group) => (
          <article class="card group" data-group-id={String(group.id)}>
            <h3>
              <a href={`/screens/groups/${group.id}`}>{group.name}</a>
              <span class="muted">
                {' '}
                {group.screens} 块屏幕{group.screens > 0 ? `，在线 ${group.online} 块` : ''}
              </span>
            </h3>
            <GroupFacts group={group} />
            <a class="button secondary" href={`/screens/groups/${group.id}`}>
              {manager ? '设置节目单和时段' : '查看节目单'}
            </a>
          </article>
        ))}
      </div>
      {manager ? (
        <form method="post" action="/screens/groups" class="card inline-form">
          <CsrfField c={c} />
          <label>
            新分组名称
            <input name="name" value={props.groupName} required maxlength={40} placeholder="如 零工驿站、招聘会场" />
          </label>
          <button type="submit" class="secondary">
            新建分组
          </button>
        </form>
      ) : null}
    </section>
  );
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 2026-03-02 周一, and 今天 beside today. */
function dayLabel(day: string, today: string): string {
  const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
  return `${day} 周${weekday}${day === today ? '（今天）' : ''}`;
}

function PlaysSection(props: {
  today: string;
  plays: ScreenPlaysView;
  screens: ScreenView[];
  screenId: number | undefined;
  error: string | undefined;
}) {
  const { plays, screens, screenId, error, today } = props;
  return (
    <section id="plays">
      <h2>播放记录</h2>
      <form method="get" action="/screens#plays" class="card plays-filter">
        <label>
          从
          <input type="date" name="from" value={plays.from} required />
        </label>
        <label>
          到
          <input type="date" name="to" value={plays.to} required />
        </label>
        <label>
          屏幕
          <select name="screen">
            <option value="">全部屏幕</option>
            {screens.map((screen) => (
              <option value={String(screen.id)} selected={screen.id === screenId}>
                {screen.name}
                {screen.status === 'revoked' ? '（已撤销）' : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          查看
        </button>
      </form>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <p data-field="plays-total">
        {plays.from} 至 {plays.to}
        {screenId === undefined ? ' ' : ` 「${screens.find((s) => s.id === screenId)?.name ?? ''}」`}共播放{' '}
        <strong>{plays.total.plays}</strong> 次，其中完整播放 <strong>{plays.total.completed}</strong> 次
        <span class="muted">（播放到 90% 以上算完整播放）</span>
      </p>
      <div class="tallies">
        <Tally
          title="按天"
          field="by-day"
          rows={plays.byDay.map((row) => ({ label: dayLabel(row.day, today), ...row }))}
          empty="这段时间没有播放记录"
        />
        <Tally
          title="按屏幕"
          field="by-screen"
          rows={plays.byScreen.map((row) => ({ label: row.name, ...row }))}
          empty="没有屏幕播放过"
        />
        <Tally
          title="按视频"
          field="by-video"
          rows={plays.byVideo.map((row) => ({ label: row.title, ...row }))}
          empty="没有播放过视频"
        />
        <Tally
          title="按岗位"
          field="by-job"
          rows={plays.byJob.map((row) => ({
            label: row.employer ? `${row.title}（${row.employer}）` : row.title,
            ...row,
          }))}
          empty="没有播放过岗位视频"
        />
      </div>
    </section>
  );
}

function Tally(props: {
  title: string;
  field: string;
  rows: { label: string; plays: number; completed: number }[];
  empty: string;
}) {
  return (
    <div class="card tally" data-field={props.field}>
      <h3>{props.title}</h3>
      {props.rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th />
              <th class="num">播放</th>
              <th class="num">完整</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr class={row.plays === 0 ? 'zero' : undefined}>
                <td>{row.label}</td>
                <td class="num">{row.plays}</td>
                <td class="num">{row.completed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Summary(props: { screens: ScreenView[]; timezone: string; now: Date }) {
  const active = props.screens.filter((screen) => screen.status !== 'revoked');
  const count = (status: ScreenView['status']) => active.filter((screen) => screen.status === status).length;
  const offline = active.filter((screen) => screen.status === 'offline');
  const broken = active.filter((screen) => screen.status === 'online' && screen.problems.length > 0);
  return (
    <section class="card" data-field="summary">
      <p>
        共 <strong>{active.length}</strong> 块屏幕：在线 <strong class="ok-text">{count('online')}</strong> 块，离线{' '}
        <strong class={offline.length > 0 ? 'bad-text' : undefined}>{offline.length}</strong> 块
        {count('never') > 0 ? `，还没连上 ${count('never')} 块` : ''}。
      </p>
      <p class="muted">
        屏幕每分钟发一次心跳，连续 {SCREEN_OFFLINE_AFTER_MS / 60_000}{' '}
        分钟没有心跳就算离线。离线的屏幕若已缓存节目单，会继续播放，播放记录在恢复联网后补传。
      </p>
      {offline.length > 0 ? (
        <p class="notice error" data-field="offline-alert">
          离线：
          {offline
            .map((screen) => `${screen.name}（最后心跳 ${agoText(screen.lastSeenAt ?? '', props.now)}）`)
            .join('、')}
          。请检查屏幕的电源和网络。
        </p>
      ) : null}
      {broken.length > 0 ? (
        <p class="notice warn">有 {broken.length} 块屏幕报告了视频问题，见下表“问题”一栏。</p>
      ) : null}
    </section>
  );
}

/** `?from=&to=&screen=`, as the 播放记录 form sends them; a bad one is said and this week shown. */
async function playsOfPage(
  c: Context<AppEnv>,
  site: Site,
  screens: ScreenView[],
): Promise<{ plays: ScreenPlaysView; screenId: number | undefined; error?: string }> {
  const deps = screenDeps(c);
  const asked = idSchema.safeParse(c.req.query('screen'));
  const screenId = asked.success && screens.some((s) => s.id === asked.data) ? asked.data : undefined;
  const range = { from: c.req.query('from') || undefined, to: c.req.query('to') || undefined, screenId };
  try {
    return { plays: await screenPlaysView(deps, site, range), screenId };
  } catch (error) {
    const { text } = pageError(error);
    return {
      plays: await screenPlaysView(deps, site, {}),
      screenId: undefined,
      error: `${text}。下面显示本周的播放记录。`,
    };
  }
}

async function screensPage(
  c: Context<AppEnv>,
  state: { pairForm?: PairForm; pairError?: PageError; groupName?: string; error?: PageError } = {},
) {
  const site = await siteOf(c);
  const now = new Date();
  const deps = screenDeps(c);
  const [screens, groups] = await Promise.all([screenViews(deps, site.id, now), screenGroupViews(deps, site, now)]);
  const { plays, screenId, error: playsError } = await playsOfPage(c, site, screens);
  const active = screens.filter((screen) => screen.status !== 'revoked');
  const revoked = screens.filter((screen) => screen.status === 'revoked');
  const manager = may(c, SCREEN_MANAGERS);
  const error = state.pairError ?? state.error;
  return renderPage(
    c,
    {
      title: '屏幕',
      active: 'screens',
      assets: ['screens.css'],
      ...(error ? { status: error.status } : {}),
      ...(state.error ? { notice: { kind: 'error' as const, text: state.error.text } } : {}),
      ...(state.pairError
        ? { notice: { kind: 'error' as const, text: `配对没有成功：${state.pairError.text}（见下方“配对新屏幕”）` } }
        : {}),
    },
    <>
      <nav class="section-links">
        <a href="#screens">屏幕</a>
        {manager ? <a href="#pair">配对新屏幕</a> : null}
        <a href="#groups">分组与节目单</a>
        <a href="#plays">播放记录</a>
      </nav>
      <Summary screens={screens} timezone={site.timezone} now={now} />
      <h2 id="screens">屏幕（{active.length}）</h2>
      {active.length === 0 ? (
        <p class="card">
          还没有屏幕。{manager ? '按下面“配对新屏幕”的步骤配对第一块屏幕。' : '请宣传或管理员配对大厅的屏幕。'}
        </p>
      ) : (
        <ScreensTable c={c} screens={active} groups={groups} timezone={site.timezone} now={now} />
      )}
      {revoked.length > 0 ? (
        <details class="revoked">
          <summary>已撤销的屏幕（{revoked.length}）</summary>
          <ul>
            {revoked.map((screen) => (
              <li>
                {screen.name} <span class="muted">{screen.groupName}</span>{' '}
                <span class="muted">撤销于 {formatTime(site.timezone, screen.revokedAt ?? screen.pairedAt)}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {manager ? (
        <PairSection c={c} groups={groups} form={state.pairForm ?? emptyPairForm} error={state.pairError?.text} />
      ) : null}
      <GroupsSection c={c} groups={groups} groupName={state.groupName ?? ''} />
      <PlaysSection
        plays={plays}
        screens={screens}
        screenId={screenId}
        error={playsError}
        today={siteToday(site.timezone, now)}
      />
    </>,
  );
}

const screensList = definePage(anyRole, 'get', '/screens', (c) => screensPage(c));

const pairSubmit = definePage(SCREEN_MANAGERS, 'post', '/screens/pair', async (c) => {
  const fields = await formFields(c);
  const form: PairForm = {
    code: fields.get('code').slice(0, 20),
    groupId: fields.get('groupId'),
    groupName: fields.get('groupName').slice(0, 200),
    name: fields.get('name').slice(0, 200),
  };
  const { db } = c.var.services;
  const { siteId, userId } = c.var.principal;
  try {
    const groupId = form.groupId
      ? chosenId(form.groupId, '分组')
      : (await ensureScreenGroup(db, siteId, form.groupName || FIRST_GROUP)).id;
    const screen = await confirmScreenPairing(db, { siteId, userId, code: form.code, groupId, name: form.name });
    const group = (await listScreens(db, siteId)).find((s) => s.id === screen.id)?.groupName ?? '';
    // #top: the form was posted to #pair, which a redirect without a fragment would keep.
    return redirectWithNotice(
      c,
      '/screens#top',
      `已配对：「${screen.name}」加入“${group}”分组，屏幕几秒内开始播放节目单。`,
    );
  } catch (error) {
    return screensPage(c, { pairForm: form, pairError: pageError(error) });
  }
});

const screenEdit = definePage(SCREEN_MANAGERS, 'post', '/screens/:id{[0-9]+}/edit', async (c) => {
  const id = pathId(c, '块屏幕');
  const fields = await formFields(c);
  const groupId = idSchema.safeParse(fields.get('groupId'));
  try {
    const screen = await updateScreen(c.var.services.db, c.var.principal.siteId, id, {
      name: fields.get('name').slice(0, 200),
      ...(groupId.success ? { groupId: groupId.data } : {}),
    });
    return redirectWithNotice(c, '/screens', `已保存屏幕「${screen.name}」`);
  } catch (error) {
    return screensPage(c, { error: pageError(error) });
  }
});

const screenRevoke = definePage(SCREEN_MANAGERS, 'post', '/screens/:id{[0-9]+}/revoke', async (c) => {
  const screen = await revokeScreen(c.var.services.db, c.var.principal.siteId, pathId(c, '块屏幕'));
  return redirectWithNotice(c, '/screens', `已撤销屏幕「${screen.name}」：它已停止播放，要再用须重新配对。`);
});

const groupCreate = definePage(SCREEN_MANAGERS, 'post', '/screens/groups', async (c) => {
  const name = (await formFields(c)).get('name').slice(0, 200);
  try {
    const group = await createScreenGroup(c.var.services.db, { siteId: c.var.principal.siteId, name });
    return redirectWithNotice(
      c,
      `/screens/groups/${group.id}`,
      `已新建分组“${group.name}”，请设置它的节目单和播放时段。`,
    );
  } catch (error) {
    return screensPage(c, { groupName: name, error: pageError(error) });
  }
});

export const screenPages: PageRoute[] = [
  screensList,
  pairSubmit,
  screenEdit,
  screenRevoke,
  groupCreate,
  ...screenGroupPages,
];
