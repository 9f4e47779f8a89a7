/**
 * Templates and render errors without the request side (no database or queue): what the renderers'
 * worker threads load, so starting one stays quick.
 */
export { type RenderInputCode, RenderInputError } from './errors.ts';
export {
  type FlyerBlock,
  type FlyerSection,
  type FlyerSide,
  type FlyerTemplate,
  flyerTemplate,
  type MmBox,
  noticeSlots,
  PAPER_MM,
  type PaperSize,
  PT_PER_MM,
  planFlyer,
} from './templates/flyer-schema.ts';
export {
  type LoadedTemplate,
  listTemplates,
  loadTemplate,
  type TemplateChoice,
  templateChoices,
} from './templates/loader.ts';
export {
  type Box,
  type PlannedScene,
  type PosterTemplate,
  posterTemplate,
  type StackItem,
  type TemplateElement,
  type TemplateKind,
  type TemplateOf,
  type TextBinding,
  templateSchemas,
  textBindings,
  VIDEO_PROFILE,
  type VideoScene,
  type VideoTemplate,
  videoScenes,
  videoSeconds,
  videoTemplate,
} from './templates/schema.ts';
