/** @jsxImportSource hono/jsx */
// Pieces the 直播 pages share: the state badge, the verdict, the slot, the copy line and the tabs.
import { siteDayAndTime } from '@jobcast/ledger';
import { type ShownStatus, type Slotted, STATUS_LABELS, shownStatus } from '@jobcast/live';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { LIVE_OPERATORS } from '../../../roles.ts';
import { formatTime } from '../../format.ts';
import { may } from '../../parts.tsx';

const BADGES: Record<ShownStatus, string> = {
  booked: 'badge',
  live: 'badge live',
  interrupted: 'badge warn',
  ended: 'badge',
  missed: 'badge bad',
};

export function StatusBadge(props: { session: Slotted; now: Date }) {
  const status = shownStatus(props.session, props.now);
  return <span class={BADGES[status]}>{STATUS_LABELS[status]}</span>;
}

export function Verdict(props: { qualified: boolean | null; forced: boolean; reasons: string[] }) {
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
export function slotText(timezone: string, start: Date | string, end: Date | string): string {
  const from = siteDayAndTime(timezone, start);
  const to = siteDayAndTime(timezone, end);
  return `${from.day} ${from.time}–${to.day === from.day ? '' : `${to.day} `}${to.time}`;
}

export function timeText(timezone: string, at: string | null): string {
  return at ? formatTime(timezone, at) : '—';
}

/** The list and calendar switch, and booking for those who may. */
export function LiveTabs(props: { c: Context<AppEnv>; view: 'list' | 'calendar' }) {
  return (
    <nav class="actions live-tabs" aria-label="查看方式">
      <a class={props.view === 'list' ? 'button' : 'button secondary'} href="/live">
        列表
      </a>
      <a class={props.view === 'calendar' ? 'button' : 'button secondary'} href="/live?view=calendar">
        日历
      </a>
      {may(props.c, LIVE_OPERATORS) ? (
        <a class="button" href="/live/new">
          预约直播
        </a>
      ) : null}
    </nav>
  );
}

/** An address to paste elsewhere (OBS), with a copy button. */
export function CopyLine(props: { label: string; value: string }) {
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
