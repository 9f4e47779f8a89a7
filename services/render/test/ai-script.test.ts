import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  createRender,
  type Database,
  ensureSite,
  getRender,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { probe } from '@jobcast/ffmpeg';
import { Producer } from '@jobcast/queue';
import { loadTemplate, narrationSlots, videoScenes } from '@jobcast/renders';
import { samplePosterJob, samplePosterSite } from '@jobcast/sample-data';
import { espeakProvider, writeSceneScript } from '@jobcast/speech';
import { LocalMediaStore } from '@jobcast/storage';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RenderDeps, runRender } from '../src/index.ts';
import { speakVideo } from '../src/video/narration.ts';

/**
 * A render that asks the AI script writer, against a stand-in OpenAI-compatible chat API on 127.0.0.1 (the
 * render reads JOBCAST_LLM_* from its environment, as it reads the cloud voices' credentials).
 */

const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-ai-script-${randomBytes(4).toString('hex')}` };
const LLM_ENV = ['JOBCAST_LLM_BASE_URL', 'JOBCAST_LLM_API_KEY', 'JOBCAST_LLM_MODEL'] as const;
const savedEnv = LLM_ENV.map((name) => [name, process.env[name]] as const);
let db: Database;
let dir: string;
let deps: RenderDeps;
let closeLlm: () => Promise<void>;
/** What the stand-in model writes next, and how many times it was asked. */
let modelWrites = '';
let asked = 0;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 2);
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-ai-script-'));
  // A short cut of the spotlight (3–4 s scenes, room for a few words each) that may grow to its speech.
  const { templatesDir } = loadConfig({});
  const spotlight = JSON.parse(await readFile(path.join(templatesDir, 'job-spotlight', 'template.json'), 'utf8'));
  const scenes = spotlight.scenes.map((scene: { seconds: number }, i: number) => ({
    ...scene,
    seconds: i === 1 ? 4 : 3,
  }));
  const short = { ...spotlight, name: 'ai-short', duration: { min: 5, max: 40 }, scenes };
  await mkdir(path.join(dir, 'templates', 'ai-short'), { recursive: true });
  await writeFile(path.join(dir, 'templates', 'ai-short', 'template.json'), JSON.stringify(short));
  deps = {
    db,
    producer: new Producer(connection),
    store: new LocalMediaStore(path.join(dir, 'media')),
    templatesDir: path.join(dir, 'templates'),
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: modelWrites }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeLlm = () => new Promise((resolve) => server.close(() => resolve()));
  process.env.JOBCAST_LLM_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  process.env.JOBCAST_LLM_API_KEY = 'sk-standin-render';
  process.env.JOBCAST_LLM_MODEL = 'qwen-plus';
});
afterAll(async () => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await closeLlm?.();
  await deps.producer.close();
  await closeDatabase(db);
  const redis = new Redis(connection.redisUrl);
  const keys = await redis.keys(`${connection.prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

/** A site with one job as an import writes it: 叉车司机, 4000-6000元/月, 3 people, no requirements or welfare. */
async function siteWithJob(): Promise<{ siteId: number; jobId: number }> {
  const site = await ensureSite(db, { code: `ai-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  await db.$client.query("update sites set hotline = '0791-88886666' where id = $1", [site.id]);
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  const job = prepareJob(
    testJobRecord({ employerName: '南昌洪城物流有限公司', title: '叉车司机', fingerprint: `fp-${site.id}` }),
  );
  await writeImportChunk(db, { siteId: site.id, batchId: batch.id, jobs: [job], rejects: [], rowsRead: 1 });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1', [site.id]);
  return { siteId: site.id, jobId: rows.rows[0]?.id as number };
}

async function aiRender(script: string) {
  modelWrites = script;
  asked = 0;
  const { siteId, jobId } = await siteWithJob();
  const render = await createRender(db, {
    siteId,
    kind: 'video',
    template: 'ai-short',
    jobIds: [jobId],
    request: { kind: 'video', template: 'ai-short', jobIds: [jobId], writer: 'ai', music: 'none' },
  });
  await runRender(deps, render.id, true);
  return getRender(db, render.id);
}

/** What a model keeps to: the job's title, pay and headcount, the scene without requirements left silent. */
const FAITHFUL = ['叉车司机来啦！', '月薪四千到六千！', '-', '招3人，快报名！'];

describe('a video whose script the AI writer was asked for', () => {
  it('speaks the AI’s script when it keeps to the job, and records the writer as an AI component', async () => {
    const row = await aiRender(FAITHFUL.join('\n\n'));
    expect(row).toMatchObject({ status: 'done', scriptNote: null, aiVideo: true });
    expect(asked).toBe(1);
    expect(row.script).toBe(FAITHFUL.join('\n\n'));
    expect(row.aiComponents.map((c) => c.kind)).toEqual(['voice', 'script']);
    expect(row.aiComponents[1]).toEqual({
      kind: 'script',
      provider: 'openai-compatible',
      providerLabel: '通义千问（兼容 OpenAI 接口）',
      model: 'qwen-plus',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // The file's implicit label names both AI components.
    const aigc = JSON.parse((await probe(deps.store.localPath(row.outputKey as string))).tags.AIGC ?? '{}');
    expect(aigc.ReservedCode1).toBe('voice:espeak,script:openai-compatible');
  }, 300_000);

  it('falls back to the rule writer’s script when the AI invents a salary, and says why on the row', async () => {
    const invented = FAITHFUL.map((p, i) => (i === 1 ? '月薪八千！' : p)).join('\n\n');
    const row = await aiRender(invented);
    expect(row.status).toBe('done');
    expect(row.scriptNote).toBe('AI 写稿未采用：稿件里的“八千”不在岗位信息里，已改用规则稿');
    expect(row.script).not.toContain('八千');
    expect(row.script).toContain('叉车司机，4000-6000元/月');
    expect(row.aiComponents.map((c) => c.kind)).toEqual(['voice']);
  }, 300_000);
});

describe('an AI script the voice cannot fit into its scenes', () => {
  it('is dropped for the rule writer’s script at the voice’s pace, with the reason kept', async () => {
    const loaded = await loadTemplate(loadConfig({}).templatesDir, 'job-spotlight', 'video');
    const t = loaded.template;
    const planned = videoScenes(t, 1);
    const jobs = [samplePosterJob()];
    // Passed to the narration as a checked draft would be, but far longer than the fixed scenes hold.
    const tooLong = planned.map(() => '南昌洪城电子科技有限公司招聘骨干操作工，包吃包住，长白班，欢迎大家踊跃报名。');
    const dropped: string[] = [];
    const spoken = await speakVideo({
      planned,
      transitionS: t.transition.seconds,
      mayGrow: false,
      maxSeconds: 40,
      jobs,
      site: samplePosterSite,
      setup: {
        provider: espeakProvider(),
        aiScript: { draft: async () => tooLong, dropped: (reason) => dropped.push(reason) },
      },
      voiceTrack: path.join(dir, 'voice.wav'),
    });
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(/^AI 稿用这个声音读出来放不进画面（「.+」的配音约 [\d.]+ 秒，画面只有 [\d.]+ 秒）$/);
    expect(spoken.script).not.toContain('踊跃报名');
    const rule = writeSceneScript({
      scenes: narrationSlots(planned, t.transition.seconds),
      jobs,
      site: samplePosterSite,
    }).paragraphs;
    expect(spoken.script.split('\n\n')[0]).toBe(rule[0]);
  }, 120_000);
});
