export { RENDER_KIND_LABELS, RENDER_STATUS_LABELS } from './labels.ts';
export { type RenderRequestDeps, requestRender, retryRender } from './requests.ts';
export * from './templates.ts';
