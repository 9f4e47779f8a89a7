export {
  type LoadedTemplate,
  listTemplates,
  loadTemplate,
  type RenderInputCode,
  RenderInputError,
} from '@jobcast/renders';
export { type PosterImage, posterSvg, renderPoster, type SiteSettings } from './poster/render-poster.ts';
export { outputKeys, type RenderDeps, reconcileRenders, runRender } from './service.ts';
export { FONT_FAMILY, FontFace, type FontWeight, fontFace } from './text/font.ts';
export { breakLines, type FittedText, fitText, segments, type TextOwner, type TextSlot } from './text/layout.ts';
export { escapeXml, svgText, type TextStyle } from './text/svg.ts';
export { type RenderWorker, startRenderWorker } from './worker.ts';
