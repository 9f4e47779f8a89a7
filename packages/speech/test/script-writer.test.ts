import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobView } from '@jobcast/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  aiScriptNote,
  draftAiScript,
  openAiCompatibleWriter,
  type SceneScriptSlot,
  ScriptWriterError,
  type ScriptWriterOptions,
  scriptWriterLabel,
  scriptWriterProvider,
  scriptWriterStatus,
} from '../src/index.ts';
import { testJob, testPay } from './jobs.ts';

/**
 * The OpenAI-compatible script writer against a stand-in chat API on 127.0.0.1 answering as DashScope's
 * compatible mode, DeepSeek and the others document (`choices[0].message.content`, `{error: {message}}`).
 * No real service is called from here.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; json?: unknown } | 'hang';

const openServers: (() => Promise<void>)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(openServers.splice(0).map((close) => close()));
});

async function standIn(answer: (index: number, received: Received) => Answer) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const reply = answer(received.length - 1, request);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  openServers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/compatible-mode/v1`, received };
}

/** A chat completion as the services answer it (recorded shape; ids and usage trimmed). */
function completion(content: string) {
  return {
    status: 200,
    json: {
      id: 'chatcmpl-standin',
      object: 'chat.completion',
      model: 'qwen-plus',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 612, completion_tokens: 88, total_tokens: 700 },
    },
  };
}

const API_KEY = 'sk-standin0123456789abcdefJobcast';

function env(url: string): NodeJS.ProcessEnv {
  return { JOBCAST_LLM_BASE_URL: url, JOBCAST_LLM_API_KEY: API_KEY, JOBCAST_LLM_MODEL: 'qwen-plus' };
}

const fast: ScriptWriterOptions = { retryDelaysMs: [0, 0], timeoutMs: 2000 };

const job: JobView = testJob({
  pay: testPay({ min: 4500, text: '4500-6000元/月' }),
  headcountText: '5人',
});
const site = { name: '示范区就业服务中心', hotline: '0791-88886666' };
const slots: SceneScriptSlot[] = [
  { say: ['hook'], job: null, seconds: 3.6 },
  { say: ['who'], job: null, seconds: 9.6 },
  { say: ['requirements', 'welfare'], job: null, seconds: 6.6 },
  { say: ['apply'], job: null, seconds: 6.6 },
];
const facts = { slots, jobs: [job], site };

const GOOD = [
  '骨干操作工，月薪四千五到六千！',
  '南昌洪城电子科技有限公司招5人，就在南昌市青山湖区，家门口的好工作！',
  '高中学历、一年以上经验就能来，五险一金、包吃包住还双休！',
  '心动不如行动，快拨热线0791-88886666！',
].join('\n\n');

async function failure(promise: Promise<unknown>): Promise<ScriptWriterError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptWriterError);
    return error as ScriptWriterError;
  }
  throw new Error('expected a ScriptWriterError');
}

describe('the OpenAI-compatible script writer', () => {
  it('asks the chat API with the model, the prompt and the key, and its faithful script is used', async () => {
    const server = await standIn(() => completion(`\`\`\`\n${GOOD}\n\`\`\``));
    const writer = openAiCompatibleWriter(env(server.url), fast);
    const draft = await draftAiScript(writer, facts);
    expect(draft).toEqual({
      used: true,
      paragraphs: GOOD.split('\n\n'),
      writer: { provider: 'openai-compatible', providerLabel: '通义千问（兼容 OpenAI 接口）', model: 'qwen-plus' },
    });
    const [request] = server.received;
    expect(request?.path).toBe('/compatible-mode/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = JSON.parse(request?.body ?? '{}');
    expect(body).toMatchObject({ model: 'qwen-plus', temperature: 0.7 });
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1].content).toContain('薪资：4500-6000元/月');
  });

  it('refuses a script that invents a salary: the rule writer’s is used, and the note says why', async () => {
    const invented = GOOD.replace('月薪四千五到六千', '月薪八千');
    const server = await standIn(() => completion(invented));
    const draft = await draftAiScript(openAiCompatibleWriter(env(server.url), fast), facts);
    expect(draft).toEqual({ used: false, reason: '稿件里的“八千”不在岗位信息里' });
    expect(aiScriptNote('稿件里的“八千”不在岗位信息里')).toBe(
      'AI 写稿未采用：稿件里的“八千”不在岗位信息里，已改用规则稿',
    );
  });

  it.each([
    ['an invented phone', GOOD.replace('0791-88886666', '13912345678'), /电话“13912345678”/],
    [
      'another employer',
      GOOD.replace('南昌洪城电子科技有限公司', '南昌华为科技有限公司'),
      /单位“南昌华为科技有限公司”/,
    ],
    [
      'a paragraph too long',
      GOOD.replace('家门口的好工作！', '家门口的好工作，环境好待遇好，同事友善领导亲切，快来加入！'),
      /第 2 段约 [\d.]+ 秒，超过画面的 9.6 秒/,
    ],
    ['too few paragraphs', GOOD.split('\n\n').slice(0, 3).join('\n\n'), /段落数 3 与画面数 4 不符/],
  ])('refuses %s', async (_what, script, reason) => {
    const server = await standIn(() => completion(script));
    const draft = await draftAiScript(openAiCompatibleWriter(env(server.url), fast), facts);
    expect(draft).toMatchObject({ used: false, reason: expect.stringMatching(reason) });
  });

  it('tries again after a 500 twice, and uses the third answer', async () => {
    const server = await standIn((i) =>
      i < 2 ? { status: 500, json: { error: { message: 'internal error' } } } : completion(GOOD),
    );
    const draft = await draftAiScript(openAiCompatibleWriter(env(server.url), fast), facts);
    expect(draft.used).toBe(true);
    expect(server.received).toHaveLength(3);
  });

  it('gives up on a 429 after three tries, naming the provider; the draft is refused, not thrown', async () => {
    const server = await standIn(() => ({ status: 429, json: { error: { message: 'Requests rate limit exceeded' } } }));
    const writer = openAiCompatibleWriter(env(server.url), fast);
    const error = await failure(writer.write(facts));
    expect(error).toMatchObject({ provider: 'openai-compatible', kind: 'transient' });
    expect(error.message).toBe('通义千问（兼容 OpenAI 接口）暂时不可用（HTTP 429 Requests rate limit exceeded）');
    expect(server.received).toHaveLength(3);
    expect(await draftAiScript(writer, facts)).toMatchObject({ used: false, reason: error.message });
  });

  it('waits no longer than its timeout, and tries again', async () => {
    const server = await standIn(() => 'hang');
    const writer = openAiCompatibleWriter(env(server.url), { retryDelaysMs: [0], timeoutMs: 200 });
    const started = Date.now();
    const error = await failure(writer.write(facts));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/通义千问（兼容 OpenAI 接口）在 0.2 秒内没有应答（127\.0\.0\.1:\d+）/);
    expect(server.received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('takes the timeout from JOBCAST_LLM_TIMEOUT_MS, and refuses one that is not a number of milliseconds', async () => {
    const server = await standIn(() => 'hang');
    const writer = openAiCompatibleWriter({ ...env(server.url), JOBCAST_LLM_TIMEOUT_MS: '150' }, { retryDelaysMs: [] });
    expect((await failure(writer.write(facts))).message).toContain('0.15 秒内没有应答');
    const bad = await failure(
      Promise.resolve().then(() => openAiCompatibleWriter({ ...env(server.url), JOBCAST_LLM_TIMEOUT_MS: '30s' })),
    );
    expect(bad.message).toContain('JOBCAST_LLM_TIMEOUT_MS');
  });

  it('names the key to check on a 401 without retrying, and never quotes the key, even when the server does', async () => {
    const server = await standIn(() => ({
      status: 401,
      json: {
        error: { message: `Incorrect API key provided: ${API_KEY}. (sk-stan****cast)`, code: 'invalid_api_key' },
      },
    }));
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    const writer = openAiCompatibleWriter(env(server.url), fast);
    const error = await failure(writer.write(facts));
    expect(error).toMatchObject({ kind: 'auth' });
    expect(error.message).toMatch(
      /^通义千问（兼容 OpenAI 接口）拒绝了密钥（HTTP 401 .*）：请检查 JOBCAST_LLM_API_KEY$/,
    );
    expect(server.received).toHaveLength(1);
    const draft = await draftAiScript(writer, facts);
    const everything = [error.message, String(error.stack), JSON.stringify(draft), ...logged].join('\n');
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain('sk-stan');
    expect(logged).toEqual([]);
  });

  it('says what to check when the address or the model is wrong (404)', async () => {
    const server = await standIn(() => ({
      status: 404,
      json: { error: { message: 'The model `qwen-plux` does not exist' } },
    }));
    const error = await failure(openAiCompatibleWriter(env(server.url), fast).write(facts));
    expect(error.kind).toBe('request');
    expect(error.message).toMatch(/找不到接口或模型.*JOBCAST_LLM_BASE_URL.*JOBCAST_LLM_MODEL（现为 qwen-plus）/);
  });

  it('is unavailable until configured, naming the variables; the draft then falls back instead of failing', async () => {
    const unset = (() => {
      try {
        scriptWriterProvider({});
      } catch (error) {
        return error as ScriptWriterError;
      }
      throw new Error('expected an error');
    })();
    expect(unset).toBeInstanceOf(ScriptWriterError);
    expect(unset.message).toContain('JOBCAST_LLM_BASE_URL、JOBCAST_LLM_API_KEY、JOBCAST_LLM_MODEL');
    expect(scriptWriterStatus({})).toEqual({ available: false, reason: unset.message });
    expect(scriptWriterStatus({ JOBCAST_LLM_API_KEY: API_KEY }).available).toBe(false);
    const draft = await draftAiScript(() => scriptWriterProvider({}), facts);
    expect(draft).toEqual({ used: false, reason: unset.message });
    const status = scriptWriterStatus(env('https://api.deepseek.com/v1'));
    expect(status).toEqual({ available: true, label: 'DeepSeek（兼容 OpenAI 接口）', model: 'qwen-plus' });
  });

  it('names the service from its address or model, unless JOBCAST_LLM_LABEL names it', () => {
    const label = (url: string, model: string, given?: string) => scriptWriterLabel(new URL(url), model, given);
    expect(label('https://dashscope.aliyuncs.com/compatible-mode/v1', 'qwen-plus')).toBe(
      '通义千问（兼容 OpenAI 接口）',
    );
    expect(label('https://ark.cn-beijing.volces.com/api/v3', 'ep-2025')).toBe(
      '豆包大模型（火山方舟）（兼容 OpenAI 接口）',
    );
    expect(label('https://qianfan.baidubce.com/v2', 'ernie-4.0')).toBe('文心大模型（千帆）（兼容 OpenAI 接口）');
    expect(label('http://10.0.0.5:8000/v1', 'deepseek-r1-distill')).toBe('DeepSeek（兼容 OpenAI 接口）');
    expect(label('http://10.0.0.5:8000/v1', 'local-model')).toBe('大模型（兼容 OpenAI 接口，10.0.0.5:8000）');
    expect(label('http://10.0.0.5:8000/v1', 'qwen-plus', '区里的大模型')).toBe('区里的大模型');
  });

  it('does not write for a template whose scenes say the media team’s own words', async () => {
    const server = await standIn(() => completion(GOOD));
    const explainer = [{ say: ['title' as never], job: null, seconds: 4 }];
    const draft = await draftAiScript(openAiCompatibleWriter(env(server.url), fast), { ...facts, slots: explainer });
    expect(draft).toMatchObject({ used: false, reason: expect.stringContaining('AI 写稿不适用') });
    expect(server.received).toHaveLength(0);
  });
});
