import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '@jobcast/db/testing';
import { makeTestClip, makeTestTone } from '@jobcast/renders/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
let dir: string;
let env: Record<string, string>;
const prefix = `test-cli-assets-${randomBytes(3).toString('hex')}`;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function jobcast(args: string[], extra: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env, ...extra } }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-assets-'));
  env = {
    DATABASE_URL: inject('databaseUrl'),
    JOBCAST_SITE: `cli-a-${randomBytes(3).toString('hex')}`,
    JOBCAST_MEDIA_DIR: path.join(dir, 'media'),
    JOBCAST_QUEUE_PREFIX: prefix,
  };
  expect((await jobcast(['db', 'migrate'])).code).toBe(0);
});
afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('jobcast assets', () => {
  it('adds a clip and a music track, lists them, and refuses a file that is not what it says', async () => {
    const clip = await makeTestClip(path.join(dir, 'walk.mp4'), { width: 360, height: 640, seconds: 2 });
    const added = await jobcast(['assets', 'add', clip, '--kind', 'clip', '--json']);
    expect(added.code).toBe(0);
    const asset = JSON.parse(added.stdout);
    expect(asset).toMatchObject({
      kind: 'clip',
      name: 'walk.mp4',
      width: 360,
      height: 640,
      hasAudio: true,
      music: null,
    });
    expect(asset.file).toMatch(new RegExp(`^${path.join(dir, 'media', 'assets')}/\\d+/[0-9a-f-]{36}\\.mp4$`));
    expect(asset.thumbnail).toBe(asset.file.replace(/\.mp4$/, '-thumb.jpg'));

    const song = await makeTestTone(path.join(dir, '厂歌.mp3'), { seconds: 6 });
    const music = await jobcast(['assets', 'add', song, '--kind', 'music']);
    expect(music.code).toBe(0);
    expect(music.stdout).toMatch(
      /^已加入音乐库 #(\d+)：厂歌\.mp3（6(?:\.\d)? 秒，-?\d+(?:\.\d)? LUFS）；制作视频时用 --music library-\1/,
    );

    const pdf = path.join(dir, '说明.mp4');
    await writeFile(pdf, '%PDF-1.4\n%%EOF\n');
    const refused = await jobcast(['assets', 'add', pdf, '--kind', 'clip', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/UNREADABLE_FILE.*「说明\.mp4」不是视频文件（看起来是 PDF 文档）/);
    expect(refused.stdout).toBe('');
    const badKind = await jobcast(['assets', 'add', song, '--kind', 'song']);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('--kind 须为 clip');

    const listed = JSON.parse((await jobcast(['assets', 'list', '--kind', 'music', '--json'])).stdout);
    expect(listed.map((a: { name: string; music: string }) => a.name)).toEqual(['厂歌.mp3']);
    const human = await jobcast(['assets', 'list']);
    expect(human.stdout).toMatch(
      /#\d+ {2}音乐 {2}厂歌\.mp3 .* library-\d+\n#\d+ {2}视频片段 {2}walk\.mp4 {2}竖屏 360×640，2 秒，有原声/,
    );
    // Only what was accepted is in the store.
    const stored = await readdir(path.join(dir, 'media', 'assets'), { recursive: true });
    expect(stored.filter((name) => name.includes('.')).length).toBe(3);
  });

  it('asks for a video with clips by id and by file, and a library track', async () => {
    const jobs = path.join(dir, '岗位.csv');
    await writeFile(jobs, '单位名称,岗位名称,薪资待遇\n南昌探岗公司,装配工,5000元/月\n');
    expect((await jobcast(['import', jobs])).code).toBe(0);
    const [job] = JSON.parse((await jobcast(['jobs', 'list', '--json'])).stdout) as { id: number }[];
    const assets = JSON.parse((await jobcast(['assets', 'list', '--json'])).stdout) as {
      id: number;
      kind: string;
    }[];
    const clipId = assets.find((a) => a.kind === 'clip')?.id;
    const musicId = assets.find((a) => a.kind === 'music')?.id;
    const second = await makeTestClip(path.join(dir, 'hall.mp4'), {
      width: 640,
      height: 360,
      seconds: 2,
      audio: false,
    });

    const asked = await jobcast([
      'render',
      'video',
      '--template',
      'job-spotlight',
      '--jobs',
      String(job?.id),
      '--clips',
      `${clipId}@0.5-1.5,${second}:mute`,
      '--music',
      `library-${musicId}`,
      '--json',
    ]);
    expect(asked.stderr).toBe('');
    expect(asked.code).toBe(0);
    const { renderId } = JSON.parse(asked.stdout) as { renderId: number };
    const after = JSON.parse((await jobcast(['assets', 'list', '--kind', 'clip', '--json'])).stdout) as {
      id: number;
      name: string;
    }[];
    const added = after.find((a) => a.name === 'hall.mp4');
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query<{ request: Record<string, unknown> }>(
        'select request from renders where id = $1',
        [renderId],
      );
      // Nothing runs it here: it is set aside so no other test's worker picks it up.
      await client.query("update renders set status = 'failed' where id = $1", [renderId]);
      expect(rows[0]?.request).toMatchObject({
        music: `library-${musicId}`,
        clips: [
          { asset: clipId, inS: 0.5, outS: 1.5, sound: 'keep' },
          { asset: added?.id, sound: 'mute' },
        ],
      });
    } finally {
      await client.end();
    }
  });

  it('says what is wrong with --clips and with a library track the site does not have', async () => {
    const syntax = await jobcast(['render', 'video', '--template', 'job-spotlight', '--jobs', '1', '--clips', '12@x']);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('--clips 写法为');
    const poster = await jobcast(['render', 'poster', '--template', 'job-poster', '--jobs', '1', '--clips', '12']);
    expect(poster.code).toBe(2);
    expect(poster.stderr).toContain('--clips 只用于短视频');
    const late = await jobcast(['render', 'video', '--template', 'job-spotlight', '--jobs', '1', '--clips', '12@5-2']);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/--clips：.*结束点须比开始点晚至少 1 秒/);
    const missingFile = await jobcast([
      'render',
      'video',
      '--template',
      'job-spotlight',
      '--jobs',
      '1',
      '--clips',
      './nope.mp4',
    ]);
    expect(missingFile.code).toBe(2);
    // Named with its whole path: which folder the command looked in is not left to guess.
    expect(missingFile.stderr).toContain(`找不到文件：${path.resolve('nope.mp4')}`);
    const music = await jobcast([
      'render',
      'video',
      '--template',
      'job-spotlight',
      '--jobs',
      '1',
      '--music',
      'library-2147483000',
    ]);
    expect(music.code).toBe(2);
    expect(music.stderr).toContain('音乐库里没有编号 2147483000 的音乐');
  });
});
