import { loadConfig } from '@jobcast/config';
import { describe, expect, it } from 'vitest';
import { loadTemplateTitle, renderName, templateChoices, templateTitle } from '../src/index.ts';

const { templatesDir } = loadConfig({});

describe("a render's template, by its Chinese name", () => {
  it('names a template in the library by its title, and one no longer there by the kind it made, never its code', async () => {
    const templates = await templateChoices(templatesDir);
    const poster = { kind: 'poster' as const, template: 'multi-job-poster' };
    const gone = { kind: 'video' as const, template: 'old-spotlight-2025' };
    const title = templates.find((choice) => choice.name === poster.template)?.title as string;
    expect(title).toMatch(/[\u4e00-\u9fa5]/);

    expect(templateTitle(poster, templates)).toBe(title);
    expect(await loadTemplateTitle(templatesDir, poster)).toBe(title);
    expect(renderName(poster, templates)).toBe(`海报「${title}」`);

    expect(templateTitle(gone, templates)).toBe('短视频（模板已不可用）');
    expect(await loadTemplateTitle(templatesDir, gone)).toBe('短视频（模板已不可用）');
    expect(renderName(gone, templates)).toBe('短视频（模板已不可用）');
  });
});
