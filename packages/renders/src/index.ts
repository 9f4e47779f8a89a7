export { loadTemplateTitle, renderContentText, renderName, templateTitle, videoTitles } from './describe.ts';
export * from './fair-files.ts';
export { RENDER_KIND_LABELS, RENDER_STATUS_LABELS } from './labels.ts';
export {
  formatDuration,
  inspectMedia,
  MEDIA_KIND_LABELS,
  MEDIA_LIMITS,
  MEDIA_MAX_BYTES,
  type MediaFacts,
  type MediaRefusal,
  makeThumbnail,
} from './media-intake.ts';
export {
  addMediaAsset,
  checkRequestMedia,
  type MediaLibraryDeps,
  type MediaUpload,
  thumbnailKeyOf,
} from './media-library.ts';
export * from './music.ts';
export * from './narration.ts';
export {
  draftVideoScript,
  type RenderRequestDeps,
  requestRender,
  retryRender,
  type VideoScriptDraft,
} from './requests.ts';
export * from './site-voice.ts';
export * from './templates.ts';
