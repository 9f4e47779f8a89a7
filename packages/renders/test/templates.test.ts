import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTemplates, loadTemplate, RenderInputError, type TemplateKind, templateChoices } from '../src/index.ts';

const { templatesDir } = loadConfig({});
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'jobcast-templates-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<RenderInputError> {
  const error = await promise.then(
    () => expect.unreachable('it loaded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RenderInputError);
  return error as RenderInputError;
}

describe('the templates shipped in templates/', () => {
  it('every one loads and validates', async () => {
    const names = await listTemplates(templatesDir);
    expect(names).toEqual(expect.arrayContaining(['job-poster', 'multi-job-poster']));
    for (const name of names) {
      // Each as the kind it says it is: posters, videos and the flyer share the folder.
      const { kind } = JSON.parse(await readFile(path.join(templatesDir, name, 'template.json'), 'utf8')) as {
        kind: TemplateKind;
      };
      expect((await loadTemplate(templatesDir, name, kind)).template.name).toBe(name);
    }
  });
});

describe('templates that cannot be used', () => {
  async function variant(name: string, edit: (t: Record<string, unknown>) => void, drop?: string): Promise<void> {
    await cp(path.join(templatesDir, 'job-poster'), path.join(scratch, name), { recursive: true });
    const file = path.join(scratch, name, 'template.json');
    const t = JSON.parse(await readFile(file, 'utf8'));
    t.name = name;
    edit(t);
    await writeFile(file, JSON.stringify(t));
    if (drop) await rm(path.join(scratch, name, drop));
  }

  it('a schema error is refused at load with the path of the bad field', async () => {
    await variant('bad-schema', (t) => {
      const elements = t.elements as { box: { width: number }; style?: object }[];
      Object.assign(elements[4] as object, { style: { minSize: 90, maxSize: 40 } });
      Object.assign((elements[0] as { box: object }).box, { width: 5000 });
    });
    const error = await failure(loadTemplate(scratch, 'bad-schema', 'poster'));
    expect(error.code).toBe('BAD_TEMPLATE');
    expect(error.message).toContain('elements.4.style.minSize');
    expect(error.message).toContain('elements.0.box');

    // zod's own reasons read in Chinese, as the forms and the API say them.
    await variant('too-many-jobs', (t) => {
      (t.jobs as { max: number }).max = 25;
    });
    const tooMany = await failure(loadTemplate(scratch, 'too-many-jobs', 'poster'));
    expect(tooMany.details.problems).toContain('jobs.max：不能大于 24');
    expect(tooMany.message).not.toMatch(/Too big|expected/);
  });

  it('a template naming an asset it does not have is refused, naming the file', async () => {
    await variant('no-asset', (t) => {
      (t.elements as unknown[]).push({
        type: 'image',
        box: { x: 0, y: 0, width: 100, height: 100 },
        asset: 'logo.png',
      });
    });
    const error = await failure(loadTemplate(scratch, 'no-asset', 'poster'));
    expect(error.code).toBe('MISSING_ASSET');
    expect(error.message).toContain(path.join('no-asset', 'logo.png'));
  });

  it('an unknown template is refused with the list of those there are', async () => {
    const error = await failure(loadTemplate(templatesDir, 'job-posterr', 'poster'));
    expect(error.code).toBe('UNKNOWN_TEMPLATE');
    expect(error.message).toMatch(/现有模板：job-poster、(?:.+、)?multi-job-poster/);
  });
});

describe('the templates a form offers', () => {
  it('lists each shipped template with its kind, title and what it shows', async () => {
    const choices = await templateChoices(templatesDir);
    const jobsOnly = { jobs: { min: 1, max: 1 }, footage: false, explainer: false };
    expect(choices).toEqual(
      expect.arrayContaining([
        { name: 'job-poster', kind: 'poster', title: '单岗位竖版海报', narrated: false, ...jobsOnly },
        { name: 'job-spotlight', kind: 'video', title: '单岗位竖版短视频（30 秒）', narrated: true, ...jobsOnly },
        expect.objectContaining({ name: 'monthly-flyer', kind: 'flyer' }),
      ]),
    );
  });

  it('leaves out a template that does not load', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jobcast-choices-'));
    try {
      await cp(path.join(templatesDir, 'job-poster'), path.join(dir, 'job-poster'), { recursive: true });
      await cp(path.join(templatesDir, 'job-poster'), path.join(dir, 'broken'), { recursive: true });
      await writeFile(path.join(dir, 'broken', 'template.json'), '{ not json');
      expect((await templateChoices(dir)).map((choice) => choice.name)).toEqual(['job-poster']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
