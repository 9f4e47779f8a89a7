import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  claimRender,
  completeRender,
  createImportBatch,
  createRender,
  getRender,
  prepareJob,
  schema,
  writeImportChunk,
} from '@jobcast/db';
import { testAiVoice, testJobRecord } from '@jobcast/db/testing';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../src/index.ts';
import type { RenderView } from '../src/routes/renders/view.ts';
import { launchChromium } from '../src/testing.ts';
import { type ApiFixture, type BrowserSession, body, openFixture, password } from './fixture.ts';

/**
 * Drafting a video's script with the AI writer, from the API and the 制作 page, against a stand-in
 * OpenAI-compatible chat API on 127.0.0.1 (the API reads JOBCAST_LLM_* from its environment).
 */

const LLM_ENV = ['JOBCAST_LLM_BASE_URL', 'JOBCAST_LLM_API_KEY', 'JOBCAST_LLM_MODEL'] as const;
const savedEnv = LLM_ENV.map((name) => [name, process.env[name]] as const);
const llmEnv: Record<string, string> = {};
let fx: ApiFixture;
let media: BrowserSession;
let jobId: number;
let closeLlm: () => Promise<void>;
let modelWrites = '';

/** What a model writes when it keeps to the job (叉车司机, 4000-6000元/月, 3人, 张先生 13800000000). */
const FAITHFUL = [
  '叉车司机招人啦！月薪四千到六千！',
  '南昌洪城物流有限公司招3人，就在南昌市青山湖区！',
  '-',
  '想来就打13800000000，找张先生！',
].join('\n\n');

beforeAll(async () => {
  fx = await openFixture();
  media = await fx.signIn('media');
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: 1,
    rejects: [],
    jobs: [prepareJob(testJobRecord({ employerName: '南昌洪城物流有限公司', title: '叉车司机' }))],
  });
  const [row] = await fx.db.select({ id: schema.jobs.id }).from(schema.jobs).where(eq(schema.jobs.siteId, fx.site.id));
  jobId = row?.id as number;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: modelWrites } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeLlm = () => new Promise((resolve) => server.close(() => resolve()));
  llmEnv.JOBCAST_LLM_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  llmEnv.JOBCAST_LLM_API_KEY = 'sk-standin-api';
  llmEnv.JOBCAST_LLM_MODEL = 'deepseek-chat';
  Object.assign(process.env, llmEnv);
});
afterAll(async () => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await closeLlm?.();
  await fx.close();
});

interface Draft {
  script: string;
  omitted: string[];
  writer: { provider: string; providerLabel: string; model: string } | null;
  note: string | null;
}

function draftFromApi(writer?: 'ai' | 'rule') {
  return fx.app().request('/api/renders/script', {
    method: 'POST',
    headers: { ...fx.bearer('media'), 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'video', template: 'job-spotlight', jobIds: [jobId], writer }),
  });
}

function draftFromPage(fields: Record<string, string>) {
  return fx
    .app()
    .request(
      '/renders/script',
      media.form({ kind: 'video', template: 'job-spotlight', jobIds: String(jobId), limit: '6', ...fields }),
    );
}

function textarea(html: string): string {
  return /<textarea name="script"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '';
}

describe('POST /api/renders/script', () => {
  it("answers the AI writer's script when it keeps to the job, naming the writer", async () => {
    modelWrites = FAITHFUL;
    const response = await draftFromApi('ai');
    expect(response.status).toBe(200);
    expect(await body<Draft>(response)).toEqual({
      script: FAITHFUL,
      omitted: [],
      writer: { provider: 'openai-compatible', providerLabel: 'DeepSeek（兼容 OpenAI 接口）', model: 'deepseek-chat' },
      note: null,
    });
  });

  it("answers the rule writer's script and why, when the AI invents a salary", async () => {
    modelWrites = FAITHFUL.replace('月薪四千到六千', '月薪八千');
    const draft = await body<Draft>(await draftFromApi('ai'));
    expect(draft.note).toBe('AI 写稿未采用：稿件里的“八千”不在岗位信息里，已改用规则稿');
    expect(draft.writer).toBeNull();
    expect(draft.script).toContain('叉车司机，4000-6000元/月');
    expect(draft.script).not.toContain('八千');
    // Without writer "ai" the rule writer answers and the model is not asked.
    const rule = await body<Draft>(await draftFromApi());
    expect(rule).toMatchObject({ script: draft.script, writer: null, note: null });
  });

  it('is for those who make renders', async () => {
    const response = await fx.app().request('/api/renders/script', {
      method: 'POST',
      headers: { ...fx.bearer('manager'), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'video', template: 'job-spotlight', jobIds: [jobId], writer: 'ai' }),
    });
    expect(response.status).toBe(403);
  });
});

describe('the 制作 page with an AI writer configured', () => {
  it('offers 用 AI 写稿 and the AI option, and puts the checked AI draft in the form', async () => {
    const form = await fx.app().request('/renders', { headers: { cookie: media.cookie } });
    const html = await form.text();
    expect(html).toContain('name="draftWith" value="ai"');
    expect(html).toContain('用 AI 写稿');
    expect(html).toContain('制作时由 AI 写稿：DeepSeek（兼容 OpenAI 接口）。');

    modelWrites = FAITHFUL;
    const drafted = await draftFromPage({ draftWith: 'ai' });
    expect(drafted.status).toBe(200);
    const page = await drafted.text();
    expect(textarea(page)).toBe(FAITHFUL);
    expect(page).toContain('配音稿由 DeepSeek（兼容 OpenAI 接口）的 deepseek-chat 模型撰写');
  });

  it('shows why an AI draft was refused, with the rule writer’s script to edit instead', async () => {
    modelWrites = FAITHFUL.replace('13800000000', '13912345678');
    const page = await (await draftFromPage({ draftWith: 'ai' })).text();
    expect(page).toContain('AI 写稿未采用：稿件里的电话“13912345678”不是服务热线或岗位的联系电话，已改用规则稿');
    expect(textarea(page)).toContain('13800000000');
    expect(textarea(page)).not.toContain('13912345678');
  });

  it('queues a video the AI writer is to write when the box is ticked and the script left empty', async () => {
    const queued = await fx
      .app()
      .request(
        '/renders',
        media.form({ kind: 'video', template: 'job-spotlight', jobIds: String(jobId), limit: '6', aiWriter: '1' }),
      );
    expect(queued.status).toBe(303);
    const list = await fx.app().request('/renders', {
      headers: { cookie: `${media.cookie}; ${/jc_flash=[^;]*/.exec(queued.headers.get('set-cookie') ?? '')?.[0]}` },
    });
    const renderId = Number(/已加入制作队列：短视频 #(\d+)/.exec(await list.text())?.[1]);
    expect((await getRender(fx.db, renderId)).request).toMatchObject({ writer: 'ai' });
  });

  it('does not offer AI writing when the server has no writer configured', async () => {
    for (const name of LLM_ENV) delete process.env[name];
    try {
      const html = await (await fx.app().request('/renders', { headers: { cookie: media.cookie } })).text();
      expect(html).not.toContain('用 AI 写稿');
      expect(html).not.toContain('name="aiWriter"');
      expect(html).toContain('按所选岗位生成配音稿');
    } finally {
      Object.assign(process.env, llmEnv);
    }
  });
});

describe('a render whose AI draft was not used', () => {
  it('shows the reason on its page and in the API, and names each AI component by what it did', async () => {
    const render = await createRender(fx.db, {
      siteId: fx.site.id,
      kind: 'video',
      template: 'job-spotlight',
      jobIds: [jobId],
      request: { kind: 'video', template: 'job-spotlight', jobIds: [jobId], writer: 'ai' },
    });
    await claimRender(fx.db, render.id);
    const note = 'AI 写稿未采用：稿件里的“8000元”不在岗位信息里，已改用规则稿';
    await completeRender(fx.db, render.id, {
      outputKey: `renders/${render.id}/video.mp4`,
      mimeType: 'video/mp4',
      bytes: 1000,
      aiComponents: [testAiVoice()],
      script: '叉车司机，4000-6000元/月！',
      scriptNote: note,
    });
    const html = await (await fx.app().request(`/renders/${render.id}`, { headers: { cookie: media.cookie } })).text();
    expect(html).toContain(note);
    expect(html).toContain('是（配音：离线语音（eSpeak NG） 离线女声（eSpeak NG cmn-latn-pinyin））');
    const view = await body<RenderView>(
      await fx.app().request(`/api/renders/${render.id}`, { headers: fx.bearer('media') }),
    );
    expect(view.scriptNote).toBe(note);
  });
});

describe('用 AI 写稿 in Chromium on a phone', () => {
  let server: ApiServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startApiServer({ db: fx.db, producer: fx.producer, config: fx.config(), port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('drafts with the AI writer into the form, 375 px wide without sideways scrolling', async () => {
    modelWrites = FAITHFUL;
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/renders`);
    await page.getByLabel('用户名').fill(fx.usernames.media);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('select[name="kind"]').selectOption('video');
    await page.locator('select[name="template"]').selectOption('job-spotlight');
    await page.locator('input[name="jobIds"]').fill(String(jobId));
    await page.getByRole('button', { name: '用 AI 写稿' }).click();
    await page.locator('[data-script-writer]').waitFor();
    expect(await page.locator('textarea[name="script"]').inputValue()).toBe(FAITHFUL);
    expect(await page.getByLabel(/制作时由 AI 写稿/).isVisible()).toBe(true);
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
          .scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
  });
});
