import type { RenderKind, RenderStatus } from '@jobcast/core';

/** What a person calls each kind of render. */
export const RENDER_KIND_LABELS: Record<RenderKind, string> = {
  video: '短视频',
  poster: '海报',
  flyer: '招工小报',
};

/** Where a render stands, in the words of the console and of error messages. */
export const RENDER_STATUS_LABELS: Record<RenderStatus, string> = {
  queued: '排队中',
  running: '制作中',
  done: '已完成',
  failed: '失败',
};
