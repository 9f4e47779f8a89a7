/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import {
  agoText,
  SCREEN_STATUS_LABELS,
  type ScreenDeps,
  type ScreenGroupView,
  type ScreenView,
} from '../routes/screens/view.ts';
import { formatTime } from './format.ts';
import { errorText } from './page.tsx';
import type { PageError } from './parts.tsx';

// Pieces of the 屏幕 pages (screens.tsx, screen-groups.tsx).

const STATUS_BADGES: Record<ScreenView['status'], string> = {
  online: 'badge ok',
  offline: 'badge bad',
  never: 'badge warn',
  revoked: 'badge',
};

export function screenDeps(c: Context<AppEnv>): ScreenDeps {
  return { db: c.var.services.db, templatesDir: c.var.services.config.templatesDir };
}

/** What went wrong, in the console's words. */
export function pageError(error: unknown): PageError {
  const { status, text } = errorText(error);
  return { status, text };
}

export function StatusCell(props: { screen: ScreenView; timezone: string; now: Date }) {
  const { screen, timezone, now } = props;
  return (
    <div class="screen-status" data-field="status">
      <span class={STATUS_BADGES[screen.status]}>{SCREEN_STATUS_LABELS[screen.status]}</span>
      <span class={screen.status === 'offline' ? 'late' : 'muted'}>
        {screen.lastSeenAt
          ? `最后心跳 ${agoText(screen.lastSeenAt, now)}`
          : screen.status === 'revoked'
            ? ''
            : '配对后还没有收到心跳'}
      </span>
      {screen.status === 'offline' && screen.lastSeenAt ? (
        <span class="muted">{formatTime(timezone, screen.lastSeenAt)}</span>
      ) : null}
    </div>
  );
}

/** The livestream a group is set to show, in words. */
export function liveText(group: ScreenGroupView): string {
  const live = group.live;
  if (!live) return '不播放直播';
  if (live.onAir) return `直播中：「${live.title}」正在这组屏幕上播放`;
  if (live.status === 'ended') return `「${live.title}」已结束，屏幕播放节目单`;
  return `${live.statusText}：「${live.title}」开播后自动切换到直播，结束后回到节目单`;
}

/** A group's playlist, windows and livestream in a few words. */
export function GroupFacts(props: { group: ScreenGroupView }) {
  const { group } = props;
  return (
    <dl class="facts">
      <dt>节目单</dt>
      <dd data-field="playlist">
        {group.mode === 'auto'
          ? `自动：在招岗位的最新视频（现有 ${group.playlistCount} 条，最多 ${group.autoLimit} 条）`
          : group.items.length === 0
            ? '手动：还没有选视频，屏幕不播放'
            : `手动：${group.items.length} 条视频`}
      </dd>
      <dt>播放时段</dt>
      <dd data-field="windows">{group.windowsText.join('；')}</dd>
      <dt>直播</dt>
      <dd data-field="live">{liveText(group)}</dd>
    </dl>
  );
}
