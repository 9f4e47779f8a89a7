import type { RenderKind } from '@jobcast/core';
import { type Database, getJobsByIds, rendersOfSite } from '@jobcast/db';
import { RENDER_KIND_LABELS } from './labels.ts';
import { loadTemplate, type TemplateChoice } from './templates/loader.ts';

type RenderOfTemplate = { kind: RenderKind; template: string };

/** What a template no longer in the library is called: the kind it made, never its code. */
function unavailableTemplate(kind: RenderKind): string {
  return `${RENDER_KIND_LABELS[kind]}（模板已不可用）`;
}

/**
 * A render's template by its Chinese name, among the templates that load (`templateChoices`); one
 * no longer there by the kind it made: "短视频（模板已不可用）".
 */
export function templateTitle(render: RenderOfTemplate, templates: readonly TemplateChoice[]): string {
  return templates.find((choice) => choice.name === render.template)?.title ?? unavailableTemplate(render.kind);
}

/** The same, reading only the render's own template. */
export async function loadTemplateTitle(templatesDir: string, render: RenderOfTemplate): Promise<string> {
  const loaded = await loadTemplate(templatesDir, render.template, render.kind).catch(() => null);
  return loaded?.template.title ?? unavailableTemplate(render.kind);
}

/** "海报「多岗位海报」": the kind, and the template by its Chinese name; "海报（模板已不可用）" when it is gone. */
export function renderName(render: RenderOfTemplate, templates: readonly TemplateChoice[]): string {
  const template = templates.find((choice) => choice.name === render.template);
  return template ? `${RENDER_KIND_LABELS[render.kind]}「${template.title}」` : unavailableTemplate(render.kind);
}

/**
 * What a render is about, as the 制作 list says it: the flyer's month, a policy explainer's title,
 * or the first jobs' titles ("叉车司机、帮厨 等 6 个岗位").
 */
export function renderContentText(
  render: { kind: RenderKind; request: Record<string, unknown>; jobIds: number[] },
  jobTitles: ReadonlyMap<number, string>,
): string {
  if (render.kind === 'flyer') return `${String(render.request.month ?? '')} 招工小报`;
  const explainer = render.request.explainer as { title?: unknown } | undefined;
  if (render.jobIds.length === 0 && typeof explainer?.title === 'string') return `政策解读：${explainer.title}`;
  const named = render.jobIds.map((id) => jobTitles.get(id)).filter((t): t is string => t !== undefined);
  if (named.length === 0) return `${render.jobIds.length} 个岗位`;
  const shown = named.slice(0, 2).join('、');
  return render.jobIds.length > 2 ? `${shown} 等 ${render.jobIds.length} 个岗位` : shown;
}

/**
 * Videos by render id as screens and play records name them: the template's Chinese name and what
 * the video shows ("岗位速递：叉车司机、帮厨 等 6 个岗位"). An id the site does not have is named by
 * its number.
 */
export async function videoTitles(
  db: Database,
  templatesDir: string,
  siteId: number,
  renderIds: readonly number[],
): Promise<Map<number, string>> {
  const renders = await rendersOfSite(db, siteId, renderIds);
  const { jobs } = await getJobsByIds(db, siteId, [...new Set(renders.flatMap((render) => render.jobIds))]);
  const jobTitles = new Map(jobs.map((job) => [job.id, job.title]));
  const templateTitles = new Map<string, string>();
  for (const render of renders) {
    if (!templateTitles.has(render.template)) {
      templateTitles.set(render.template, await loadTemplateTitle(templatesDir, render));
    }
  }
  const titles = new Map<number, string>();
  for (const id of renderIds) titles.set(id, `视频 #${id}`);
  for (const render of renders) {
    titles.set(render.id, `${templateTitles.get(render.template)}：${renderContentText(render, jobTitles)}`);
  }
  return titles;
}
