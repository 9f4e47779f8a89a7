export { type RenderRequestDeps, requestRender } from './requests.ts';
export * from './templates.ts';
