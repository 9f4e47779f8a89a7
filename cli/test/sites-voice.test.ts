import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDatabase, createDatabase, type Database, getSiteByCode } from '@jobcast/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Outcome, runJobcast } from './run-cli.ts';

/** `jobcast sites voice`: the voice a site's videos are narrated in, checked as the API checks it. */

let dir: string;
let site: string;
let db: Database;

/** The CLI with this test's site; Tencent's credentials set only when `env` gives them. */
function jobcast(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const noCredentials = { JOBCAST_TENCENT_SECRET_ID: '', JOBCAST_TENCENT_SECRET_KEY: '' };
  return runJobcast(args, { site, env: { ...noCredentials, JOBCAST_DATA_DIR: dir, ...env } });
}

async function stored() {
  const row = await getSiteByCode(db, site);
  return { provider: row.voiceProvider, voice: row.voice, rate: row.voiceRate };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-voice-'));
  site = `voice-${randomBytes(3).toString('hex')}`;
  db = createDatabase(inject('databaseUrl'), 2);
  expect((await jobcast(['sites', 'add', site, '--name', '配音测试站点'])).code).toBe(0);
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

describe('jobcast sites voice', () => {
  it('shows the site’s voice and the voices there are, marking a cloud voice without credentials', async () => {
    const shown = await jobcast(['sites', 'voice']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`站点 ${site} 的默认配音：离线语音（eSpeak NG） · 默认声音 · 语速 1`);
    expect(shown.stdout).toMatch(/tencent（腾讯云语音合成，未配置密钥）：101001 智瑜/);
  });

  it('sets the provider, voice and pace; another pace alone keeps the voice', async () => {
    const set = await jobcast(['sites', 'voice', site, '--provider', 'espeak', '--voice', 'male', '--rate', '1.1']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain('默认配音已改为：离线语音（eSpeak NG） · 离线男声 · 语速 1.1');
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'male', rate: 1.1 });

    const json = await jobcast(['sites', 'voice', '--rate', '0.9', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ site, provider: 'espeak', voice: 'male', rate: 0.9 });
  });

  it('refuses an unconfigured cloud provider, a voice it lacks, a pace out of range, keeping the old voice', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [
        ['--provider', 'tencent'],
        {},
        /腾讯云语音合成未配置：请设置环境变量 JOBCAST_TENCENT_SECRET_ID、JOBCAST_TENCENT_SECRET_KEY/,
      ],
      [['--provider', 'volcano'], {}, /没有「volcano」这个语音服务，可选：espeak（离线语音（eSpeak NG））、tencent/],
      [
        ['--voice', '101001'],
        {},
        /离线语音（eSpeak NG）没有「101001」这个声音，可选：female（离线女声）、male（离线男声）/,
      ],
      [['--rate', '2.5'], {}, /语速须为 0\.5 到 2 之间的数字（1 为正常语速），填写的是 2\.5/],
      [['--rate', 'fast'], {}, /--rate 须是数字/],
    ];
    for (const [args, env, message] of cases) {
      const refused = await jobcast(['sites', 'voice', ...args], env);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(message);
    }
    expect(await stored()).toEqual({ provider: 'espeak', voice: 'male', rate: 0.9 });

    // With its credentials in the environment, the cloud voice is taken (nothing is called), from its default voice.
    const keys = { JOBCAST_TENCENT_SECRET_ID: 'AKIDtest', JOBCAST_TENCENT_SECRET_KEY: 'test-secret' };
    const cloud = await jobcast(['sites', 'voice', '--provider', 'tencent'], keys);
    expect(cloud.stderr).toBe('');
    expect(cloud.stdout).toContain('腾讯云语音合成 · 默认声音 · 语速 0.9');
    expect(cloud.stdout).not.toContain('test-secret');
    expect(await stored()).toEqual({ provider: 'tencent', voice: null, rate: 0.9 });
  });
});
