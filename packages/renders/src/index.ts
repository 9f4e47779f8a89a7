export { RENDER_KIND_LABELS, RENDER_STATUS_LABELS } from './labels.ts';
export * from './music.ts';
export * from './narration.ts';
export { draftVideoScript, type RenderRequestDeps, requestRender, retryRender } from './requests.ts';
export * from './templates.ts';
