/** What people call a session's type, state, end and relays, and its stored errors: one wording each, wherever shown. */
import { chineseOnly, type LiveSessionStatus, type LiveSessionType } from '@jobcast/core';

export const TYPE_LABELS: Record<LiveSessionType, string> = {
  job: '直播带岗',
  policy: '政策讲解',
  training: '零工培训',
  visit: '访企探岗',
  other: '其他直播',
};

/** A session's state as shown: a booking whose slot went by without going live is `missed`. */
export type ShownStatus = LiveSessionStatus | 'missed';

export const STATUS_LABELS: Record<ShownStatus, string> = {
  booked: '已预约',
  live: '直播中',
  interrupted: '中断',
  ended: '已结束',
  missed: '未开播（时段已过）',
};

const END_REASON_LABELS: Record<string, string> = {
  anchor: '主播结束',
  forced: '未达标，强制结束',
  gap: '断流过久，自动结束',
  restart: '服务重启时已断流过久，自动结束',
};

/** How a session ended, in words; a reason recorded by a newer version is shown as stored. */
export function endReasonLabel(reason: string): string {
  return END_REASON_LABELS[reason] ?? reason;
}

/**
 * The platform a relay pushes to, by its label's host (the default relay hosts' owners); any other
 * is the numbered 转推目标, never its address: a label names a host and port.
 */
export function relayPlatform(label: string, n: number): string {
  let host = '';
  try {
    host = new URL(label).hostname;
  } catch {}
  if (/(^|\.)(qq\.com|myqcloud\.com)$/.test(host)) return '视频号';
  if (/(^|\.)(douyin\.com|douyincdn\.com|douyinliving\.com)$/.test(host)) return '抖音';
  return `转推目标 ${n}`;
}

/** Why a session has no recording when its remux failed; the cause, in English, is in the service log. */
export const REMUX_FAILED = '录像转封装失败，详见服务日志';
/** Why a relay stopped when the platform's answer says nothing a person can act on. */
export const RELAY_STOPPED = '转推中断，原因见服务日志';

/**
 * A finalization error as shown: earlier versions stored the remux's English message (and a server
 * path) or an English gloss.
 */
export function finalizeErrorText(stored: string): string {
  return stored.startsWith('录像转封装失败') ? REMUX_FAILED : chineseOnly(stored);
}

/** A relay's last error as shown: earlier versions stored ffmpeg's English, or an English gloss. */
export function relayErrorText(stored: string): string {
  return /\p{Script=Han}/u.test(stored) ? chineseOnly(stored) : RELAY_STOPPED;
}
