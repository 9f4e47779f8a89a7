export { type RenderInputCode, RenderInputError } from './errors.ts';
export { type RenderRequestDeps, requestRender } from './requests.ts';
export { type LoadedTemplate, listTemplates, loadTemplate } from './templates/loader.ts';
export {
  type Box,
  type PosterTemplate,
  posterTemplate,
  type TemplateElement,
  type TemplateKind,
  type TextBinding,
  templateSchemas,
} from './templates/schema.ts';
