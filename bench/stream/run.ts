/**
 * Stream benchmark: N publishers at once, each let in by key, recorded and relayed to a local target,
 * held for a while; the largest N held with no publisher dropped and no relay behind, and the CPU per
 * stream, beside the same load on a bare node-media-server (recording on, relays as ffmpeg copies)
 * in the same run. The ratio of the two is JobCast's overhead.
 *
 *   npm run bench:stream [-- --seconds 60 --steps 8,16,32,64,96,128]
 *
 * Publishers send a pre-encoded 1080p ~3 Mbit/s file with `-re -c copy`, so their own CPU is small
 * and is not counted: only the server process and its relay processes are.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@jobcast/config';
import { closeDatabase, createDatabase, ensureSite } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import { publishFileArgs, runFfmpeg, testStreamArgs } from '@jobcast/ffmpeg';
import { bookLiveSession, loadSecretBox } from '@jobcast/live';
import { freePort } from '@jobcast/stream';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > -1 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const holdSeconds = Number(option('seconds', '60'));
const steps = option('steps', '8,16,32,64,96,128')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const CLOCK_TICKS = 100;

function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForLine(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${prefix}: process exited (${code}) ${stderr}`)));
  });
}

/** An ffmpeg the benchmark keeps running: its pid for the CPU sampler, whether it has ended, and a stop. */
interface HeldFfmpeg {
  pid(): number | undefined;
  ended(): boolean;
  stop(): Promise<void>;
}

function holdFfmpeg(args: string[]): HeldFfmpeg {
  const stopper = new AbortController();
  let pid: number | undefined;
  let ended = false;
  const done = runFfmpeg(args, { signal: stopper.signal, onSpawn: (started) => (pid = started) })
    .catch(() => {})
    .finally(() => {
      ended = true;
    });
  return {
    pid: () => pid,
    ended: () => ended,
    async stop() {
      stopper.abort();
      await done;
    },
  };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

/** CPU seconds of a process and everything below it, read from /proc; exited children keep their last reading. */
class TreeCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();

  constructor(private readonly roots: () => number[]) {}

  private async ticks(pid: number): Promise<number | null> {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (!stat) return null;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  }

  private async descendants(pid: number): Promise<number[]> {
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    const children: number[] = [];
    for (const task of tasks) {
      const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
      children.push(...text.split(' ').filter(Boolean).map(Number));
    }
    const below = await Promise.all(children.map((child) => this.descendants(child)));
    return [pid, ...below.flat()];
  }

  async sample(): Promise<void> {
    const pids = (await Promise.all(this.roots().map((root) => this.descendants(root)))).flat();
    for (const pid of pids) {
      const ticks = await this.ticks(pid);
      if (ticks === null) continue;
      if (!this.first.has(pid)) this.first.set(pid, ticks);
      this.last.set(pid, ticks);
    }
  }

  /** Samples every second for `seconds`: children that come and go in between are counted too. */
  async hold(seconds: number): Promise<void> {
    await this.sample();
    const sampler = setInterval(() => void this.sample(), 1000);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    clearInterval(sampler);
    await this.sample();
  }

  seconds(): number {
    let total = 0;
    for (const [pid, last] of this.last) total += last - (this.first.get(pid) ?? last);
    return total / CLOCK_TICKS;
  }
}

async function sampleFile(): Promise<string> {
  const dir = path.join(tmpdir(), 'jobcast-stream-samples');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'sample-1080p-3m-v1.flv');
  if (
    await access(file).then(
      () => true,
      () => false,
    )
  )
    return file;
  process.stdout.write('encoding the 1080p sample once (kept in the system temp folder)…\n');
  const temp = `${file}.${process.pid}.tmp`;
  await runFfmpeg(testStreamArgs(temp, { width: 1920, height: 1080, seconds: 20, videoMbits: 3 }));
  await rename(temp, file);
  return file;
}

function publisher(sample: string, url: string): HeldFfmpeg {
  // A few seconds longer than the hold, so a publisher still running at the check was never dropped.
  return holdFfmpeg(publishFileArgs(sample, url, holdSeconds + 10));
}

interface LiveStats {
  sessionId: number;
  mediaMs: number;
  relays: { connected: boolean; failures: number; backlog: number; fellBehind: number }[];
}

interface RunResult {
  n: number;
  held: boolean;
  why: string[];
  cpuSeconds: number;
  cpuPerStreamPct: number;
}

async function runJobcast(n: number, sample: string, targetPort: number): Promise<RunResult> {
  const database = await createTestDatabase('bench_stream');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-bench-stream-'));
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    JOBCAST_DATA_DIR: dataDir,
    JOBCAST_RTMP_PORT: String(await freePort()),
    JOBCAST_STREAM_HTTP_PORT: String(await freePort()),
    JOBCAST_RELAY_HOSTS: '127.0.0.1:*',
    // Every bench publisher connects from 127.0.0.1: the per-address cap must not count them as an attack.
    JOBCAST_RTMP_CONNECTIONS_PER_ADDRESS: '1000',
  };
  const config = loadConfig(env);
  const db = createDatabase(database.url, 2);
  const server = spawnChild(process.execPath, ['cli/bin/run-ts.js', 'bench/stream/jobcast-server.ts'], env);
  const publishers: HeldFfmpeg[] = [];
  try {
    const port = Number((await waitForLine(server, 'ready')).split(' ')[1]);
    let latest: LiveStats[] = [];
    server.stdout?.on('data', (chunk: Buffer) => {
      const lines = chunk
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('stats '));
      const last = lines.at(-1);
      if (last) latest = JSON.parse(last.slice(6)) as LiveStats[];
    });
    const site = await ensureSite(db, { code: 'bench', name: '基准测试' });
    const secrets = await loadSecretBox(config);
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const booking = await bookLiveSession(
        { db, rules: config.live, urls: config, secrets, relayHosts: config.relayHosts },
        { siteId: site.id, userId: null, displayName: '基准' },
        {
          type: 'other',
          title: `基准 ${i}`,
          start: new Date(),
          jobIds: [],
          relays: [`rtmp://127.0.0.1:${targetPort}/relay/j${n}-${i}`],
        },
      );
      keys.push(booking.streamKey);
    }
    const cpu = new TreeCpu(() => (server.pid ? [server.pid] : []));
    for (const key of keys) publishers.push(publisher(sample, `rtmp://127.0.0.1:${port}/live/${key}`));
    // Let every publisher connect and every relay start before the measured hold.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const startMedia = new Map(latest.map((s) => [s.sessionId, s.mediaMs]));
    await cpu.hold(holdSeconds);
    const why: string[] = [];
    const dropped = publishers.filter((p) => p.ended()).length;
    if (dropped > 0) why.push(`${dropped} publisher(s) dropped`);
    if (latest.length < n) why.push(`${n - latest.length} session(s) not live`);
    for (const s of latest) {
      const received = (s.mediaMs - (startMedia.get(s.sessionId) ?? 0)) / 1000;
      if (received < holdSeconds - 2)
        why.push(`session ${s.sessionId} received ${received.toFixed(1)} s of ${holdSeconds}`);
      for (const relay of s.relays) {
        if (!relay.connected || relay.failures > 0 || relay.fellBehind > 0 || relay.backlog > 1024 * 1024)
          why.push(`session ${s.sessionId}: relay behind or down (${JSON.stringify(relay)})`);
      }
    }
    const cpuSeconds = cpu.seconds();
    return { n, held: why.length === 0, why, cpuSeconds, cpuPerStreamPct: (cpuSeconds / holdSeconds / n) * 100 };
  } finally {
    await Promise.all(publishers.map((p) => p.stop()));
    await stopChild(server);
    await closeDatabase(db);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function runBare(n: number, sample: string, targetPort: number): Promise<RunResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jobcast-bench-bare-'));
  const port = await freePort();
  const server = spawnChild(process.execPath, [
    'bench/stream/bare-nms.cjs',
    String(port),
    path.join(dir, 'record'),
    path.join(dir, 'store'),
  ]);
  const publishers: HeldFfmpeg[] = [];
  const relays: HeldFfmpeg[] = [];
  try {
    await waitForLine(server, 'ready');
    for (let i = 0; i < n; i++) publishers.push(publisher(sample, `rtmp://127.0.0.1:${port}/live/b${i}`));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (let i = 0; i < n; i++)
      relays.push(
        holdFfmpeg([
          '-loglevel',
          'error',
          '-i',
          `rtmp://127.0.0.1:${port}/live/b${i}`,
          '-c',
          'copy',
          '-f',
          'flv',
          `rtmp://127.0.0.1:${targetPort}/relay/b${n}-${i}`,
        ]),
      );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cpu = new TreeCpu(() =>
      [server.pid, ...relays.map((r) => r.pid())].filter((pid): pid is number => pid !== undefined),
    );
    await cpu.hold(holdSeconds);
    const why: string[] = [];
    const dropped = publishers.filter((p) => p.ended()).length;
    if (dropped > 0) why.push(`${dropped} publisher(s) dropped`);
    const relaysDown = relays.filter((r) => r.ended()).length;
    if (relaysDown > 0) why.push(`${relaysDown} relay(s) stopped`);
    const cpuSeconds = cpu.seconds();
    return { n, held: why.length === 0, why, cpuSeconds, cpuPerStreamPct: (cpuSeconds / holdSeconds / n) * 100 };
  } finally {
    await Promise.all([...publishers, ...relays].map((p) => p.stop()));
    await stopChild(server);
    await rm(dir, { recursive: true, force: true });
  }
}

const sample = await sampleFile();
const targetDir = await mkdtemp(path.join(tmpdir(), 'jobcast-bench-target-'));
const targetPort = await freePort();
const target = spawnChild(process.execPath, ['bench/stream/bare-nms.cjs', String(targetPort), '-', targetDir]);
await waitForLine(target, 'ready');
const pct = (value: number) => `${value.toFixed(2)}% of a core`;
try {
  process.stdout.write(`stream benchmark: hold ${holdSeconds} s per step, steps ${steps.join(', ')}\n`);
  const held: RunResult[] = [];
  for (const n of steps) {
    const result = await runJobcast(n, sample, targetPort);
    process.stdout.write(
      `  JobCast N=${n}: ${result.held ? 'held' : `NOT held (${result.why.slice(0, 3).join('; ')})`}, ` +
        `CPU ${result.cpuSeconds.toFixed(1)} s = ${pct(result.cpuPerStreamPct)} per stream\n`,
    );
    if (!result.held) break;
    held.push(result);
  }
  const best = held.at(-1);
  if (!best) {
    process.stdout.write('no step was held\n');
  } else {
    // At the largest N the machine is saturated, which caps both sides' CPU (and the bare server
    // has dropped publishers there); at half that load it has room, and the ratio is the overhead.
    const half = held.findLast((r) => r.n <= best.n / 2);
    const compared = [...new Set([half, best])].filter((r): r is RunResult => r !== undefined);
    const lines: string[] = [];
    for (const ours of compared) {
      const bare = await runBare(ours.n, sample, targetPort);
      process.stdout.write(
        `  bare node-media-server N=${ours.n}: ${bare.held ? 'held' : `NOT held (${bare.why.join('; ')})`}, ` +
          `CPU ${bare.cpuSeconds.toFixed(1)} s = ${pct(bare.cpuPerStreamPct)} per stream\n`,
      );
      lines.push(
        `  N=${ours.n}: JobCast ${pct(ours.cpuPerStreamPct)}, bare ${pct(bare.cpuPerStreamPct)}: ` +
          `overhead ratio ${(ours.cpuPerStreamPct / bare.cpuPerStreamPct).toFixed(2)}×${bare.held ? '' : ' (bare not held)'}`,
      );
    }
    const next = steps[steps.indexOf(best.n) + 1];
    process.stdout.write(
      `largest N held: ${best.n} (${next ? `N=${next} was not held` : 'the largest step tried: try more with --steps'})\n` +
        `CPU per stream:\n${lines.join('\n')}\n`,
    );
  }
} finally {
  await stopChild(target);
  await rm(targetDir, { recursive: true, force: true });
}
