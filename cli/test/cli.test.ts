import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '@jobcast/db/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { migrateBeforeStart } from '../src/commands/db.ts';
import { CommandContext } from '../src/context.ts';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
let dir: string;
let site: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function jobcast(args: string[], env: Record<string, string> = {}, input?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `jobcast worker render` in a child process; what it writes to stderr is kept for failure messages. */
function renderWorker(env: Record<string, string>): ChildProcess & { errors: () => string } {
  let errors = '';
  const child = spawn(process.execPath, [bin, 'worker', 'render'], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return Object.assign(child, { errors: () => errors });
}

/** Stops a worker and waits for it: a worker still running may write its queue keys again. */
async function stopWorker(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

/** What a call writes to stdout in this process. */
async function printedBy(run: () => Promise<void>): Promise<string> {
  let printed = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return printed;
}

/** Runs a command's function in this process against another database. */
async function withContext(url: URL, run: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const ctx = new CommandContext({ ...process.env, DATABASE_URL: url.toString(), JOBCAST_SITE: site });
  try {
    await run(ctx);
  } finally {
    await ctx.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-'));
  site = `cli-${randomBytes(3).toString('hex')}`;
  // `db migrate` also creates the configured site: the same path a fresh install takes.
  const migrated = await jobcast(['db', 'migrate']);
  expect(migrated.code).toBe(0);
  expect(migrated.stdout).toMatch(new RegExp(`站点 ${site}`));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('jobcast itself', () => {
  it('prints its version with --version or -v and exits 0', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) {
      expect(await jobcast([flag])).toEqual({ code: 0, stdout: `jobcast ${version}\n`, stderr: '' });
    }
  });

  it('helps and corrects in Chinese, with no English beside it', async () => {
    for (const args of [['--help'], ['render', '--help'], ['live', 'book', '--help'], ['screens', '--help']]) {
      const help = await jobcast(args);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/^用法： jobcast/);
      expect(help.stdout).toContain('显示帮助');
      // commander's own words, and the "(english)" the descriptions used to carry
      expect(help.stdout).not.toMatch(/Usage|Options|Commands|display help|default:|\([a-z]+(?: [a-z']+)+[^)]*\)/);
    }
    const typo = await jobcast(['render', 'video', '--jsn']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/^错误：没有选项 --jsn\n（是不是要用 --json？）/);
    const missing = await jobcast(['live', 'status']);
    expect(missing.stderr).toMatch(/^错误：缺少参数 id/);
  });
});

describe('jobcast import', () => {
  it('prints the summary as JSON and exits 0 even with rejects', async () => {
    const file = path.join(dir, '岗位.csv');
    await writeFile(
      file,
      '单位名称,岗位名称,薪资待遇\n南昌甲公司,普工,4000-6000元/月\n,无名岗位,3000\n南昌乙公司,保洁员,150元/天\n',
    );
    const result = await jobcast(['import', file, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      file: '岗位.csv',
      format: 'csv',
      encoding: 'utf-8',
      rows: 3,
      imported: 2,
      updated: 0,
      duplicates: 0,
      rejected: 1,
      warnings: 0,
      rejects: [{ row: 3, field: '单位名称', reason: expect.stringContaining('缺少公司名称') }],
      rejectsTotal: 1,
    });
    expect(summary.batchId).toEqual(expect.any(Number));
  });

  it('exits 2 with a message that says what the file is when it is not a table', async () => {
    const file = path.join(dir, 'export.xls');
    await writeFile(file, '<html><body><table><tr><td>单位名称</td></tr></table></body></html>');
    const result = await jobcast(['import', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/UNREADABLE_FILE.*export\.xls.*网页（HTML）/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a file that does not exist and for an unknown site', async () => {
    const missing = await jobcast(['import', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`找不到文件：${path.join(dir, 'nope.csv')}`);
    const file = path.join(dir, 'ok.csv');
    await writeFile(file, '单位名称,岗位名称\n南昌甲公司,普工\n');
    const unknownSite = await jobcast(['import', file, '--site', 'no-such-site']);
    expect(unknownSite.code).toBe(2);
    expect(unknownSite.stderr).toMatch(/站点 no-such-site 不存在/);
  });
});

describe('jobcast jobs list', () => {
  it('lists the imported jobs with the promised fields, filtered and limited', async () => {
    const gig = await jobcast(['jobs', 'list', '--json', '--category', 'gig']);
    expect(gig.code).toBe(0);
    const jobs = JSON.parse(gig.stdout);
    expect(jobs).toEqual([
      {
        id: expect.any(Number),
        employer: '南昌乙公司',
        title: '保洁员',
        pay: { min: 150, max: 150, unit: 'day', negotiable: false, months: null, text: '150元/天' },
        headcount: null,
        location: null,
        education: null,
        experience: null,
        category: 'gig',
        contact: { name: null, phone: null },
        validFrom: null,
        validUntil: null,
      },
    ]);
    const search = JSON.parse((await jobcast(['jobs', 'list', '--json', '--search', '普工', '--limit', '1'])).stdout);
    expect(search.map((j: { title: string }) => j.title)).toEqual(['普工']);
    const human = await jobcast(['jobs', 'list']);
    expect(human.stdout).toMatch(/保洁员\s+南昌乙公司\s+150元\/天/);
    // The category as a person types it, as the console's filter takes it.
    const typed = await jobcast(['jobs', 'list', '--category', '零工']);
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(/保洁员\s+南昌乙公司.*\[零工\]/);
    expect(typed.stdout).not.toContain('普工');
  });

  it('refuses an unknown category with exit 2, naming the categories there are', async () => {
    const result = await jobcast(['jobs', 'list', '--category', 'weekly']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--category 没有“weekly”这个类别，可选：全职、兼职、零工、实习');
  });
});

describe('jobcast render', () => {
  it('renders a poster with --wait --json, and exits non-zero with the code when a render fails', async () => {
    const prefix = `test-cli-render-${randomBytes(3).toString('hex')}`;
    const env = { JOBCAST_QUEUE_PREFIX: prefix, JOBCAST_MEDIA_DIR: path.join(dir, 'media') };
    const worker = renderWorker(env);
    onTestFinished(async () => {
      await stopWorker(worker);
      await deleteQueueKeys(prefix);
    });
    const file = path.join(dir, '海报岗位.csv');
    await writeFile(file, '单位名称,岗位名称,薪资待遇\n南昌丙公司,叉车司机,6000元/月\n南昌𪛖记饭店,服务员,150元/天\n');
    expect((await jobcast(['import', file])).code).toBe(0);
    const jobs = JSON.parse((await jobcast(['jobs', 'list', '--json', '--limit', '100'])).stdout) as {
      id: number;
      title: string;
    }[];
    const idOf = (title: string) => jobs.find((j) => j.title === title)?.id;

    const done = await jobcast(
      ['render', 'poster', '--template', 'job-poster', '--jobs', String(idOf('叉车司机')), '--wait', '--json'],
      env,
    );
    expect(done.code).toBe(0);
    const outcome = JSON.parse(done.stdout);
    expect(outcome).toMatchObject({ kind: 'poster', status: 'done', width: 1080, height: 1920, error: null });
    expect(outcome.output).toBe(path.join(dir, 'media', 'renders', String(outcome.renderId), 'poster.png'));
    expect(outcome.bytes).toBeGreaterThan(10_000);

    const failed = await jobcast(
      ['render', 'poster', '--template', 'job-poster', '--jobs', String(idOf('服务员')), '--wait', '--json'],
      env,
    );
    expect(failed.code).toBe(2);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      status: 'failed',
      output: null,
      error: { code: 'MISSING_GLYPHS' },
    });
    expect(failed.stderr).toMatch(/MISSING_GLYPHS.*“𪛖”/);

    const listed = JSON.parse((await jobcast(['renders', 'list', '--json'], env)).stdout) as {
      renderId: number;
      status: string;
    }[];
    expect(listed.map((r) => r.status)).toEqual(['failed', 'done']);
    // What scripts read from --json: no field renamed, none added or left out.
    const fields = ['renderId', 'kind', 'status', 'output', 'cover', 'width', 'height', 'durationS', 'pages', 'bytes'];
    expect(Object.keys(outcome)).toEqual([...fields, 'error']);
    for (const render of listed) expect(Object.keys(render)).toEqual([...fields, 'error']);
    // A person reads the template by its name and the status in words.
    const human = (await jobcast(['renders', 'list'], env)).stdout;
    expect(human).toMatch(/^#\d+ 海报「单岗位竖版海报」 失败 \[MISSING_GLYPHS\] .*𪛖/m);
    expect(human).toMatch(/^#\d+ 海报「单岗位竖版海报」 已完成$/m);
  });

  it('finishes a video after its worker is killed mid-encode: one output, the attempt counted', async () => {
    const prefix = `test-cli-kill-${randomBytes(3).toString('hex')}`;
    const media = path.join(dir, 'media-kill');
    const env = { JOBCAST_QUEUE_PREFIX: prefix, JOBCAST_MEDIA_DIR: media };
    const startWorker = () => renderWorker(env);
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    let first: ReturnType<typeof startWorker> | undefined;
    let second: ReturnType<typeof startWorker> | undefined;
    onTestFinished(async () => {
      await stopWorker(second);
      await client.end();
      await deleteQueueKeys(prefix);
    });
    const file = path.join(dir, '视频岗位.csv');
    await writeFile(file, '单位名称,岗位名称,薪资待遇,招聘人数\n南昌丁公司,数控编程员,8000-12000元/月,3\n');
    expect((await jobcast(['import', file])).code).toBe(0);
    const jobs = JSON.parse((await jobcast(['jobs', 'list', '--json', '--search', '数控编程员'])).stdout) as {
      id: number;
    }[];
    first = startWorker();
    const asked = await jobcast(
      ['render', 'video', '--template', 'job-spotlight', '--jobs', String(jobs[0]?.id), '--json'],
      env,
    );
    expect(asked.code).toBe(0);
    const { renderId } = JSON.parse(asked.stdout) as { renderId: number };
    const row = async (id: number) =>
      (
        await client.query<{ status: string; progress: number; attempts: number }>(
          'select status, progress, attempts from renders where id = $1',
          [id],
        )
      ).rows[0];
    const waitFor = async (id: number, ok: (r: Awaited<ReturnType<typeof row>>) => boolean, seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        const current = await row(id);
        if (ok(current)) return current;
        if (Date.now() > deadline) {
          throw new Error(
            `render ${id} stuck: ${JSON.stringify(current)}; workers said: ${first?.errors()}${second?.errors() ?? ''}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    // Killed while ffmpeg is encoding: its ffmpeg is left running, writing into the work folder. The
    // waits are long: in npm test every workspace runs at once on 2 cores, and a narrated video takes
    // longer than the silent one did (one CI run missed the old 100 s).
    await waitFor(renderId, (r) => r?.status === 'running' && r.progress >= 20, 180);
    const firstExit = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await firstExit;
    const workDir = path.join(media, '.tmp', `work-render-${renderId}`);
    const leftover = Number(await readFile(path.join(workDir, 'ffmpeg.pid'), 'utf8'));

    second = startWorker();
    const done = await waitFor(renderId, (r) => r?.status === 'done' || r?.status === 'failed', 300);
    expect(done).toMatchObject({ status: 'done', attempts: 2, progress: 100 });
    expect((await readdir(path.join(media, 'renders', String(renderId)))).sort()).toEqual([
      'cover.jpg',
      'video.mp4',
      'video.srt',
    ]);
    expect(await readdir(path.join(media, '.tmp'))).toEqual([]);
    // The second attempt stopped the ffmpeg the killed worker left behind.
    const cmdline = await readFile(`/proc/${leftover}/cmdline`, 'utf8').catch(() => '');
    expect(cmdline).not.toContain(workDir);

    const listed = JSON.parse((await jobcast(['renders', 'list', '--json'], env)).stdout) as {
      renderId: number;
      durationS: number;
      output: string;
    }[];
    const mine = listed.find((r) => r.renderId === renderId);
    expect(mine?.durationS).toBeCloseTo(30, 1);
    expect(mine?.output).toBe(path.join(media, 'renders', String(renderId), 'video.mp4'));

    // SIGTERM mid-video: the worker takes nothing more and exits within its bound, having finished
    // the video it held or, past the bound, released it to be made again: never lost.
    const again = await jobcast(
      ['render', 'video', '--template', 'job-spotlight', '--jobs', String(jobs[0]?.id), '--json'],
      env,
    );
    const held = (JSON.parse(again.stdout) as { renderId: number }).renderId;
    await waitFor(held, (r) => r?.status === 'running' && r.progress >= 15, 180);
    const stopping = second;
    const exit = new Promise<number | null>((resolve) => stopping.once('exit', resolve));
    stopping.kill('SIGTERM');
    expect(await exit).toBe(0);
    const after = await row(held);
    expect(['done', 'queued']).toContain(after?.status);
    if (after?.status === 'queued') {
      second = startWorker();
      await waitFor(held, (r) => r?.status === 'done', 300);
    }
  }, 600_000);

  it('says which flag is wrong', async () => {
    const both = await jobcast([
      'render',
      'poster',
      '--template',
      'job-poster',
      '--jobs',
      '1',
      '--filter',
      'category=gig',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--jobs：.*二者选一/);
    const badFilter = await jobcast(['render', 'poster', '--template', 'job-poster', '--filter', 'category=weekly']);
    expect(badFilter.stderr).toMatch(/--filter category/);
  });

  it('asks for a video with the media team’s script, a voice and music; refuses a script file that is not UTF-8', async () => {
    const prefix = `test-cli-voice-${randomBytes(3).toString('hex')}`;
    const env = { JOBCAST_QUEUE_PREFIX: prefix };
    onTestFinished(() => deleteQueueKeys(prefix));
    const file = path.join(dir, '配音岗位.csv');
    await writeFile(file, '单位名称,岗位名称,薪资待遇\n南昌戊公司,面点师,5000-7000元/月\n');
    expect((await jobcast(['import', file])).code).toBe(0);
    const [job] = JSON.parse((await jobcast(['jobs', 'list', '--json', '--search', '面点师'])).stdout) as {
      id: number;
    }[];
    const script = path.join(dir, '配音稿.txt');
    await writeFile(script, '\uFEFF面点师招人啦！\n\n南昌戊公司，月薪5000-7000元。\n\n-\n\n报名请打热线！');
    const asked = await jobcast(
      ['render', 'video', '--template', 'job-spotlight', '--jobs', String(job?.id), '--script-file', script].concat([
        '--voice',
        'espeak:male',
        '--rate',
        '1.2',
        '--music',
        'builtin-calm',
        '--writer',
        'ai',
        '--json',
      ]),
      env,
    );
    expect(asked.code).toBe(0);
    const { renderId } = JSON.parse(asked.stdout) as { renderId: number };
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    const { rows } = await client.query<{ request: Record<string, unknown> }>(
      'select request from renders where id = $1',
      [renderId],
    );
    await client.query("update renders set status = 'failed' where id = $1", [renderId]);
    await client.end();
    expect(rows[0]?.request).toMatchObject({
      script: '面点师招人啦！\n\n南昌戊公司，月薪5000-7000元。\n\n-\n\n报名请打热线！',
      voice: { provider: 'espeak', voice: 'male', rate: 1.2 },
      music: 'builtin-calm',
      writer: 'ai',
    });

    const gbk = path.join(dir, 'gbk.txt');
    await writeFile(gbk, Buffer.from([0xc3, 0xe6, 0xb5, 0xe3, 0xca, 0xa6]));
    const refused = await jobcast([
      'render',
      'video',
      '--template',
      'job-spotlight',
      '--jobs',
      '1',
      '--script-file',
      gbk,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('不是 UTF-8 文本');
    const poster = await jobcast(['render', 'poster', '--template', 'job-poster', '--jobs', '1', '--music', 'none']);
    expect(poster.code).toBe(2);
    expect(poster.stderr).toContain('只用于短视频');
    // Who writes the script: the rule writer or the AI writer, nothing else.
    const poet = await jobcast(['render', 'video', '--template', 'job-spotlight', '--jobs', '1', '--writer', 'poet']);
    expect(poet.code).toBe(2);
    expect(poet.stderr).toMatch(/--writer/);
    const badMusic = await jobcast([
      'render',
      'video',
      '--template',
      'job-spotlight',
      '--jobs',
      '1',
      '--music',
      'x.mp3',
    ]);
    expect(badMusic.stderr).toMatch(/--music/);
  });
});

describe('jobcast users and tokens', () => {
  it('adds a user with a password from stdin and creates a token that is stored only as a hash', async () => {
    const username = `media${randomBytes(2).toString('hex')}`;
    const added = await jobcast(
      ['users', 'add', username, '--role', 'media', '--password-stdin'],
      {},
      'correct horse battery\n',
    );
    expect(added.code).toBe(0);
    const created = await jobcast(['tokens', 'create', username, '--json']);
    expect(created.code).toBe(0);
    const { token } = JSON.parse(created.stdout);
    expect(token).toMatch(/^jc_[A-Za-z0-9_-]{40,}$/);
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const stored = await client.query(
        'select t.token_hash, u.password_hash from api_tokens t join users u on u.id = t.user_id where u.username = $1',
        [username],
      );
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0].token_hash).not.toContain(token);
      expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0].password_hash).toMatch(/^scrypt\$/);
      expect(stored.rows[0].password_hash).not.toContain('correct horse');
    } finally {
      await client.end();
    }
  });

  it('refuses an unknown role and a short password with exit 2', async () => {
    const role = await jobcast(['users', 'add', 'someone', '--role', 'boss', '--password', 'longenough1']);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/角色/);
    const short = await jobcast(['users', 'add', 'someone', '--role', 'media', '--password', 'short']);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/密码至少/);
  });
});

describe('jobcast db migrate', () => {
  it('creates a missing database and migrates it; a second run applies nothing', async () => {
    const name = `jobcast_cli_${randomBytes(3).toString('hex')}`;
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    try {
      const first = await jobcast(['db', 'migrate'], { DATABASE_URL: url.toString() });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(new RegExp(`已创建数据库 ${name}.*本次应用 (\\d+) 个，共 \\1 个`));
      const second = await jobcast(['db', 'migrate'], { DATABASE_URL: url.toString() });
      expect(second.stdout).toMatch(/本次应用 0 个/);
      // `npm start`: setup has migrated and said so; `start --demo` migrating again adds no second line.
      expect(await printedBy(() => withContext(url, migrateBeforeStart))).toBe('');
    } finally {
      url.pathname = '/postgres';
      const admin = new pg.Client({ connectionString: url.toString() });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  it('says once what `start --demo` migrated when setup had not (a start without `npm run setup`)', async () => {
    const name = `jobcast_cli_${randomBytes(3).toString('hex')}`;
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    try {
      const printed = await printedBy(() => withContext(url, migrateBeforeStart));
      expect(printed).toMatch(
        new RegExp(`^已创建数据库 ${name}；迁移完成：本次应用 (\\d+) 个，共 \\1 个；站点 ${site}\n$`),
      );
    } finally {
      url.pathname = '/postgres';
      const admin = new pg.Client({ connectionString: url.toString() });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  it('says how to fix an unreachable database instead of printing a stack trace', async () => {
    const result = await jobcast(['jobs', 'list'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/jobcast' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/无法连接数据库/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('jobcast start', () => {
  it('serves the API, the workers and the stream service, and stops cleanly on SIGTERM', async () => {
    const prefix = `test-cli-${randomBytes(3).toString('hex')}`;
    onTestFinished(() => deleteQueueKeys(prefix));
    const child = spawn(process.execPath, [bin, 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        JOBCAST_SITE: site,
        PORT: '0',
        JOBCAST_QUEUE_PREFIX: prefix,
        JOBCAST_RTMP_PORT: '0',
        JOBCAST_STREAM_HTTP_PORT: '0',
        JOBCAST_DATA_DIR: path.join(dir, 'start'),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no API and RTMP addresses in: ${output}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /API: (http:\/\/\S+)/.exec(output);
        if (match?.[1] && /RTMP: rtmp:\/\/\S+:\d+\/live/.test(output)) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const health = await fetch(`${url}/readyz`);
    expect(await health.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000)),
    ]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(0);
  });
});
