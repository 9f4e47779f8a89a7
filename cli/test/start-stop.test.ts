import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@jobcast/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-start-stop-'));
  // A database of its own: one stream service per database, and other test files run theirs.
  database = await createTestDatabase('startstop');
});
afterAll(async () => {
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Exit code (or signal name), or 'still running' after `ms`. */
  exit: (ms: number) => Promise<number | string>;
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, JOBCAST_DATA_DIR: path.join(dir, randomBytes(3).toString('hex')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => output,
    exit: (ms) =>
      Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms))]),
  };
}

const jobcast = (args: string[], env: Record<string, string>) => run(process.execPath, [bin, ...args], env);

async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  seconds: number,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A port free right now (the system's pick, released). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether nothing listens on the port: listening on it works. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Live processes (zombies excluded) whose parent is `pid`, and theirs. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!stat || fields[0] === 'Z') continue;
    const ppid = Number(fields[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** `stream --supervised` children of the process: the stream service under `jobcast start`. */
async function streamChildren(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const child of await descendants(pid)) {
    const cmdline = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('stream\0--supervised')) found.push(child);
  }
  return found;
}

async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

describe('start-up checks', () => {
  // Each must say what failed and how to fix it, and exit by itself: today a taken port leaves a
  // half-started process up, and a wrong Redis a silent render worker.
  it('a taken port: exits non-zero within 10 s, naming the port and PORT', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    onTestFinished(() => void taken.close());
    const { port } = taken.address() as net.AddressInfo;
    const serve = jobcast(['serve'], { DATABASE_URL: inject('databaseUrl'), PORT: String(port) });
    const code = await serve.exit(10_000);
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(serve.output()).toContain(`端口 ${port}（API 和控制台）已被占用：请停止占用它的程序，或设置 PORT=`);
    expect(serve.output()).not.toMatch(/意外错误|EADDRINUSE|at .*\.ts:\d+/);
  });

  it('a wrong Redis: exits non-zero within 10 s, naming REDIS_URL without its password', async () => {
    const url = `redis://:s3cret-pass@127.0.0.1:${await freePort()}`;
    const worker = jobcast(['worker', 'render'], { DATABASE_URL: inject('databaseUrl'), REDIS_URL: url });
    const code = await worker.exit(10_000);
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(worker.output()).toMatch(/无法连接 Redis（REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:\d+）.*请启动 Redis/);
    expect(worker.output()).not.toContain('s3cret-pass');
  });

  it('a wrong database: exits non-zero within 10 s, saying the database does not exist', async () => {
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/jobcast_missing_${randomBytes(3).toString('hex')}`;
    const serve = jobcast(['serve'], { DATABASE_URL: url.toString(), PORT: '0' });
    const code = await serve.exit(10_000);
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(serve.output()).toContain(`数据库 ${url.pathname.slice(1)} 不存在`);
    expect(serve.output()).toContain('npx jobcast db migrate');
  });
});

describe('stopping', () => {
  it('a worker whose Redis and PostgreSQL went away still stops within 10 s on SIGTERM', async () => {
    const prefix = `test-stop-${randomBytes(3).toString('hex')}`;
    onTestFinished(() => deleteQueueKeys(prefix));
    // Both reached through proxies this test can cut.
    const redis = await proxy(6379);
    const postgres = await proxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(postgres.port);
    const worker = jobcast(['worker', 'render'], {
      DATABASE_URL: url.toString(),
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      JOBCAST_QUEUE_PREFIX: prefix,
    });
    await until('the render worker', () => worker.output().includes('render worker: ready') || undefined, 60);
    redis.cut();
    postgres.cut();
    // Long enough for the worker to notice (its connections fail and start retrying).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = Date.now();
    worker.child.kill('SIGTERM');
    const code = await worker.exit(15_000);
    expect(code, worker.output()).toBe(0);
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});

describe('jobcast start', () => {
  it('runs the stream service in a process of its own, started again when it is killed or passes its memory ceiling', async () => {
    const prefix = `test-start-${randomBytes(3).toString('hex')}`;
    onTestFinished(() => deleteQueueKeys(prefix));
    const rtmpPort = await freePort();
    const start = jobcast(['start'], {
      DATABASE_URL: database.url,
      PORT: '0',
      JOBCAST_RTMP_PORT: String(rtmpPort),
      JOBCAST_STREAM_HTTP_PORT: '0',
      JOBCAST_QUEUE_PREFIX: prefix,
      // Below what a Node process holds at rest: the first report passes it.
      JOBCAST_STREAM_MEMORY_MB: '64',
    });
    const pid = start.child.pid as number;
    const api = await until('the API', () => /API: (http:\/\/\S+)/.exec(start.output())?.[1], 90);

    // Over its ceiling: stopped cleanly and started again, once; a fresh one over it too means the
    // ceiling is too low, and it is said rather than restarting forever.
    await until(
      'a restart for memory',
      () => start.output().includes('over JOBCAST_STREAM_MEMORY_MB=64: restarting it') || undefined,
      60,
    );
    await until('the ceiling called too low', () => start.output().includes('the ceiling is too low') || undefined, 90);
    expect(start.output().match(/restarting it/g)).toHaveLength(1);
    // Cleanly: asked to stop (it closes its sessions' segments and lets go of the database's lock).
    expect(start.output()).toContain('stream service: SIGTERM: stopping');
    const [first] = await until(
      'one stream child',
      async () => {
        const found = await streamChildren(pid);
        return found.length === 1 ? found : undefined;
      },
      30,
    );
    expect(first).not.toBe(pid);
    expect(await accepts(rtmpPort)).toBe(true);

    // Killed: another is started and the RTMP port answers again; the API never went down.
    process.kill(first as number, 'SIGKILL');
    await until(
      'the stream service started again',
      async () => {
        const found = await streamChildren(pid);
        return found.length === 1 && found[0] !== first && (await accepts(rtmpPort)) ? true : undefined;
      },
      90,
    );
    expect(start.output()).toMatch(/stream service \(pid \d+\) exited \(SIGKILL\): starting it again/);
    expect((await fetch(`${api}/healthz`)).status).toBe(200);

    start.child.kill('SIGTERM');
    expect(await start.exit(15_000)).toBe(0);
    expect(await portFree(rtmpPort)).toBe(true);
  }, 300_000);
});

describe('npm start', () => {
  it('stops on SIGTERM to npm: no process left, no port held', async () => {
    const prefix = `test-npm-${randomBytes(3).toString('hex')}`;
    onTestFinished(() => deleteQueueKeys(prefix));
    const ports = { api: await freePort(), rtmp: await freePort(), preview: await freePort() };
    const npm = run('npm', ['start', '--silent'], {
      DATABASE_URL: database.url,
      JOBCAST_SITE: `npm-${randomBytes(3).toString('hex')}`,
      PORT: String(ports.api),
      JOBCAST_RTMP_PORT: String(ports.rtmp),
      JOBCAST_STREAM_HTTP_PORT: String(ports.preview),
      JOBCAST_QUEUE_PREFIX: prefix,
      npm_config_update_notifier: 'false',
    });
    const pid = npm.child.pid as number;
    await until(
      'every port to answer',
      async () =>
        ((await accepts(ports.api)) && (await accepts(ports.rtmp)) && (await accepts(ports.preview))) || undefined,
      120,
    );
    const processes = await descendants(pid);
    expect(processes.length).toBeGreaterThanOrEqual(2);

    process.kill(pid, 'SIGTERM');
    expect(await npm.exit(15_000), npm.output()).not.toBe('still running');
    await until(
      'every process to end',
      async () => ((await Promise.all(processes.map(alive))).every((up) => !up) ? true : undefined),
      15,
    );
    for (const port of Object.values(ports)) expect(await portFree(port)).toBe(true);
  }, 300_000);
});

/** A TCP proxy to a local port, whose `cut` closes it and every connection through it. */
async function proxy(target: number): Promise<{ port: number; cut: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: target });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => void server.close());
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
