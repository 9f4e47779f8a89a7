export {
  type LoadedTemplate,
  listTemplates,
  loadTemplate,
  type RenderInputCode,
  RenderInputError,
} from '@jobcast/renders';
export { builtinBedFile } from './audio/sound.ts';
export { bound, colorOf, FIELD_LABELS, type SiteSettings } from './bindings.ts';
export { type DrawContext, drawElement, pageSvg, qrSvg } from './draw.ts';
export {
  buildFlyerPdf,
  checkFlyerPdf,
  type FlyerInput,
  type FlyerPdf,
  flyerPreviews,
  pdfFonts,
  pdfPages,
  renderFlyer,
  stopFlyerThread,
} from './flyer/index.ts';
export { type PosterImage, posterSvg, renderPoster } from './poster/render-poster.ts';
export { outputKeys, type RenderDeps, reconcileRenders, runRender } from './service.ts';
export { FONT_FAMILY, FontFace, type FontWeight, fontFace } from './text/font.ts';
export { breakLines, type FittedText, fitText, segments, type TextOwner, type TextSlot } from './text/layout.ts';
export { escapeXml, svgText, type TextStyle } from './text/svg.ts';
export {
  DRIFT_SCALE,
  type ExplainerInput,
  encoderThreads,
  type FootageItem,
  renderVideo,
  type VideoResult,
  videoSceneSvgs,
} from './video/render-video.ts';
export { type RenderWorker, startRenderWorker } from './worker.ts';
