import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { chineseIssueMessages } from '@jobcast/config';
import type { RenderKind } from '@jobcast/core';
import { RenderInputError } from '../errors.ts';
import { RENDER_KIND_LABELS } from '../labels.ts';
import { flyerAssets } from './flyer-schema.ts';
import { type TemplateElement, type TemplateKind, type TemplateOf, templateSchemas } from './schema.ts';

export interface LoadedTemplate<K extends TemplateKind = 'poster'> {
  template: TemplateOf<K>;
  /** The template's folder: its assets are read from here. */
  dir: string;
}

/**
 * Reads `<templatesDir>/<name>/template.json`, validates it against its kind's schema and checks
 * that every asset it names is there. A template that does not validate is refused with the path of
 * the bad field (`elements.3.style.minSize`), never drawn half-right.
 */
export async function loadTemplate<K extends TemplateKind>(
  templatesDir: string,
  name: string,
  kind: K,
): Promise<LoadedTemplate<K>> {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
    throw new RenderInputError('UNKNOWN_TEMPLATE', `模板名称无效：${name}`);
  }
  const dir = path.join(templatesDir, name);
  const file = path.join(dir, 'template.json');
  const text = await readFile(file, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    const known = await listTemplates(templatesDir);
    throw new RenderInputError(
      'UNKNOWN_TEMPLATE',
      `没有名为“${name}”的模板；现有模板：${known.join('、') || '（无）'}`,
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `模板 ${name} 的 template.json 不是有效的 JSON：${(error as Error).message}`,
    );
  }
  const schema = templateSchemas[kind];
  const declared = (json as { kind?: unknown } | null)?.kind;
  if (declared !== kind) {
    const title = (json as { title?: unknown } | null)?.title;
    const made =
      typeof declared === 'string' && Object.hasOwn(RENDER_KIND_LABELS, declared)
        ? RENDER_KIND_LABELS[declared as RenderKind]
        : null;
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `${typeof title === 'string' && title ? `「${title}」` : `模板 ${name} `}是${made ? `${made}模板` : '未知类型的模板'}，不能用来制作${RENDER_KIND_LABELS[kind]}`,
    );
  }
  if (kind === 'video' && json !== null && typeof json === 'object' && 'aiVideo' in json) {
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `模板 ${name} 里的 aiVideo 已不再使用：视频用了 AI 配音等 AI 组件才算 AI 视频，由制作记录决定，请删去这一项`,
      { template: name },
    );
  }
  // Read by whoever edits the template: zod's reasons in Chinese, as the forms and the API give them.
  const parsed = schema.safeParse(json, { error: chineseIssueMessages });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '（整个文件）'}：${issue.message}`);
    throw new RenderInputError('BAD_TEMPLATE', `模板 ${name} 有误：\n  ${problems.join('\n  ')}`, {
      template: name,
      problems,
    });
  }
  const template = parsed.data as TemplateOf<K>;
  if (template.name !== name) {
    throw new RenderInputError('BAD_TEMPLATE', `模板文件夹 ${name} 里的模板名是 ${template.name}`);
  }
  for (const asset of assetsOf(template)) {
    const found = await stat(path.join(dir, asset)).catch(() => null);
    if (!found?.isFile()) {
      throw new RenderInputError('MISSING_ASSET', `模板 ${name} 缺少素材文件 ${path.join(name, asset)}`, {
        template: name,
        asset,
      });
    }
  }
  return { template, dir };
}

export async function listTemplates(templatesDir: string): Promise<string[]> {
  const entries = await readdir(templatesDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** A template as a form offers it: what it makes, and what a person calls it. */
export interface TemplateChoice {
  name: string;
  kind: TemplateKind;
  title: string;
  /** A video with a voice-over (an AI voice makes it an AI video). */
  narrated: boolean;
  /** How many jobs it shows: none at all for a policy explainer. */
  jobs: { min: number; max: number };
  /** A video of the media team's clips and photos (scenes shown once per clip). */
  footage: boolean;
  /** A video of a policy's points (scenes shown once per point). */
  explainer: boolean;
}

/**
 * The templates that load, by name: each read as the kind its file declares. One that does not load
 * is left out (asking for it would fail with the reason; `jobcast` and the tests report it).
 */
export async function templateChoices(templatesDir: string): Promise<TemplateChoice[]> {
  const choices: TemplateChoice[] = [];
  for (const name of await listTemplates(templatesDir)) {
    const declared = await readFile(path.join(templatesDir, name, 'template.json'), 'utf8')
      .then((text) => (JSON.parse(text) as { kind?: unknown }).kind)
      .catch(() => undefined);
    if (typeof declared !== 'string' || !(declared in templateSchemas)) continue;
    const loaded = await loadTemplate(templatesDir, name, declared as TemplateKind).catch(() => null);
    if (!loaded) continue;
    const { template } = loaded;
    const shown = new Set<string>(template.kind === 'video' ? template.scenes.map((scene) => scene.each) : []);
    choices.push({
      name,
      kind: template.kind,
      title: template.title,
      narrated: template.kind === 'video' && template.narration.enabled,
      jobs: template.kind === 'flyer' ? { min: 0, max: template.jobs.max } : template.jobs,
      footage: shown.has('clip'),
      explainer: shown.has('point'),
    });
  }
  return choices;
}

/** The files of its folder a template draws with: images, music, and what the flyer names. */
function assetsOf(template: TemplateOf<TemplateKind>): string[] {
  const elements: TemplateElement[] = [];
  const files: string[] = [];
  if (template.kind === 'poster') elements.push(...template.elements, ...(template.jobList?.elements ?? []));
  if (template.kind === 'video') {
    for (const scene of template.scenes) elements.push(...scene.elements);
    if (/\.(?:m4a|mp3|aac|wav)$/.test(template.music)) files.push(template.music);
  }
  if (template.kind === 'flyer') files.push(...flyerAssets(template));
  for (const e of elements) if (e.type === 'image' && e.asset !== 'site.logo') files.push(e.asset);
  return files;
}
