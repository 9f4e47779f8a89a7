import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { RenderInputError } from '../errors.ts';
import { type PosterTemplate, type TemplateElement, type TemplateKind, templateSchemas } from './schema.ts';

export interface LoadedTemplate {
  template: PosterTemplate;
  /** The template's folder: its assets are read from here. */
  dir: string;
}

/**
 * Reads `<templatesDir>/<name>/template.json`, validates it against its kind's schema and checks
 * that every asset it names is there. A template that does not validate is refused with the path of
 * the bad field (`elements.3.style.minSize`), never drawn half-right.
 */
export async function loadTemplate(templatesDir: string, name: string, kind: TemplateKind): Promise<LoadedTemplate> {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
    throw new RenderInputError('UNKNOWN_TEMPLATE', `模板名称无效：${name} (invalid template name)`);
  }
  const dir = path.join(templatesDir, name);
  const file = path.join(dir, 'template.json');
  const text = await readFile(file, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    const known = await listTemplates(templatesDir);
    throw new RenderInputError(
      'UNKNOWN_TEMPLATE',
      `没有名为“${name}”的模板；现有模板：${known.join('、') || '（无）'} (unknown template)`,
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
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `模板 ${name} 是 ${String(declared)} 模板，不能用来制作 ${kind} (template kind is ${String(declared)}, not ${kind})`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `模板 ${name} 有误 (template does not validate):\n  ${problems.join('\n  ')}`,
      { template: name, problems },
    );
  }
  const template = parsed.data;
  if (template.name !== name) {
    throw new RenderInputError(
      'BAD_TEMPLATE',
      `模板文件夹 ${name} 里的模板名是 ${template.name} (name: does not match its folder)`,
    );
  }
  for (const asset of assetsOf(template)) {
    const found = await stat(path.join(dir, asset)).catch(() => null);
    if (!found?.isFile()) {
      throw new RenderInputError(
        'MISSING_ASSET',
        `模板 ${name} 缺少素材文件 ${path.join(name, asset)} (missing asset)`,
        {
          template: name,
          asset,
        },
      );
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

function assetsOf(template: PosterTemplate): string[] {
  const elements: TemplateElement[] = [...template.elements, ...(template.jobList?.elements ?? [])];
  return elements.flatMap((e) => (e.type === 'image' && e.asset !== 'site.logo' ? [e.asset] : []));
}
