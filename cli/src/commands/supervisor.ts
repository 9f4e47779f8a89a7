import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';

/**
 * The stream service in a process of its own under `jobcast start`: nothing the public RTMP port
 * receives can take the API, the console or the workers down with it. The child is `jobcast stream
 * --supervised`; it says over IPC when it is ready and how much memory it holds. When it dies it is
 * started again; when its memory passes JOBCAST_STREAM_MEMORY_MB it is stopped cleanly and started
 * again (a live session carries on when its publisher reconnects within the gap).
 */

const bin = fileURLToPath(new URL('../../bin/jobcast.js', import.meta.url));

/** What the stream child tells its parent. */
export type StreamChildMessage =
  | { type: 'ready'; rtmpUrl: string; rtmpPort: number; httpPort: number }
  | { type: 'memory'; rssBytes: number };

/** How often the child reports its memory (the first report comes with `ready`). */
export const MEMORY_REPORT_MS = 5000;
/** After SIGTERM the child gets this long (its own stop is bounded at 10 s), then SIGKILL. */
const CHILD_STOP_MS = 9000;
/** A child not ready by then is killed and started again. */
const START_TIMEOUT_MS = 60_000;
/** Waits before starting again a child that died or could not start, growing while it keeps failing. */
const RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
/** A child up this long has recovered: the next failure waits the shortest delay again. */
const STEADY_MS = 60_000;

interface Child {
  proc: ChildProcess;
  exited: Promise<void>;
  startedAt: number;
  reports: number;
  /** Set once it has been asked to stop: it is asked once (a second SIGTERM would cut its stop short). */
  stopped?: Promise<void>;
}

export class StreamProcess {
  rtmpUrl = '';
  /** Settles when the first child is ready; rejects when it exits first (it says why on stderr). */
  readonly ready: Promise<void>;
  private env: NodeJS.ProcessEnv = { ...process.env };
  private child: Child | undefined;
  /** A child launched and not yet ready. */
  private starting: Child | undefined;
  private stopping = false;
  private replacing = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** The last restart was for memory: a fresh child over the ceiling means the ceiling is too low. */
  private restartedForMemory = false;
  private memoryRestartsOff = false;
  private readonly killOnExit = () => this.kill();

  constructor(
    private readonly config: Config,
    private readonly log: (line: string) => void,
  ) {
    // However this process ends, its child does not outlive it.
    process.on('exit', this.killOnExit);
    this.ready = this.launch().then(
      (child) => this.adopt(child),
      (error: Error) => {
        process.off('exit', this.killOnExit);
        throw error;
      },
    );
  }

  /** Stops the child (SIGTERM, then SIGKILL after CHILD_STOP_MS); no restart after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await Promise.all([this.starting, this.child].map((child) => (child ? this.stopChild(child) : undefined)));
    process.off('exit', this.killOnExit);
  }

  /** Kills the child at once (a second signal, a missed deadline). */
  kill(): void {
    for (const child of [this.starting, this.child]) {
      if (child && child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
    }
  }

  private launch(): Promise<Child> {
    return new Promise((resolve, reject) => {
      const proc = fork(bin, ['stream', '--supervised'], {
        env: this.env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const exited = new Promise<void>((done) => proc.once('exit', () => done()));
      const child: Child = { proc, exited, startedAt: Date.now(), reports: 0 };
      this.starting = child;
      const timer = setTimeout(() => {
        this.log(`stream service (pid ${proc.pid}) not ready after ${START_TIMEOUT_MS / 1000} s: killing it`);
        proc.kill('SIGKILL');
      }, START_TIMEOUT_MS);
      const onMessage = (message: StreamChildMessage) => {
        if (message.type !== 'ready') return;
        settle();
        this.rtmpUrl = message.rtmpUrl;
        // A restarted child takes the same ports, also when the first was given free ones (0).
        this.env = {
          ...this.env,
          JOBCAST_RTMP_PORT: String(message.rtmpPort),
          JOBCAST_STREAM_HTTP_PORT: String(message.httpPort),
        };
        child.startedAt = Date.now();
        resolve(child);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        settle();
        reject(new JobcastError('UNAVAILABLE', `直播推流服务没有启动（${signal ?? `退出码 ${code}`}），原因见上`));
      };
      const settle = () => {
        clearTimeout(timer);
        this.starting = undefined;
        proc.off('message', onMessage);
        proc.off('exit', onExit);
      };
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  }

  /** The running child: its memory is watched, its death answered with a new one. */
  private adopt(child: Child): void {
    this.child = child;
    child.proc.on('message', (message: StreamChildMessage) => {
      if (message.type === 'memory') this.checkMemory(child, message.rssBytes);
    });
    child.proc.once('exit', (code, signal) => {
      if (this.stopping || this.replacing || this.child !== child) return;
      if (Date.now() - child.startedAt > STEADY_MS) this.failures = 0;
      this.log(
        `stream service (pid ${child.proc.pid}) exited (${signal ?? `exit code ${code}`}): starting it again in ${this.delay() / 1000} s`,
      );
      this.child = undefined;
      this.scheduleRelaunch();
    });
  }

  private checkMemory(child: Child, rssBytes: number): void {
    child.reports++;
    const ceiling = this.config.streamMemoryMb * 1024 * 1024;
    if (rssBytes <= ceiling) {
      this.restartedForMemory = false;
      return;
    }
    if (this.memoryRestartsOff || this.replacing || this.stopping || this.child !== child) return;
    const mb = Math.round(rssBytes / 1024 / 1024);
    if (child.reports === 1 && this.restartedForMemory) {
      this.memoryRestartsOff = true;
      this.log(
        `stream service uses ${mb} MB right after starting, over JOBCAST_STREAM_MEMORY_MB=${this.config.streamMemoryMb}: the ceiling is too low to be useful; no more restarts for memory until JOBCAST_STREAM_MEMORY_MB is raised`,
      );
      return;
    }
    this.log(
      `stream service (pid ${child.proc.pid}) uses ${mb} MB, over JOBCAST_STREAM_MEMORY_MB=${this.config.streamMemoryMb}: restarting it`,
    );
    this.restartedForMemory = true;
    void this.replace(child);
  }

  /** Stops the child cleanly (it releases the database's stream lock), then starts a new one. */
  private async replace(child: Child): Promise<void> {
    this.replacing = true;
    try {
      await this.stopChild(child);
      this.child = undefined;
    } finally {
      this.replacing = false;
    }
    if (!this.stopping) await this.relaunch();
  }

  private delay(): number {
    return RESTART_DELAYS_MS[Math.min(this.failures, RESTART_DELAYS_MS.length - 1)] as number;
  }

  private scheduleRelaunch(): void {
    const delay = this.delay();
    this.failures++;
    this.restartTimer = setTimeout(() => void this.relaunch(), delay);
  }

  private async relaunch(): Promise<void> {
    if (this.stopping) return;
    try {
      const child = await this.launch();
      if (this.stopping) {
        await this.stopChild(child);
        return;
      }
      this.adopt(child);
      this.log(`stream service started again (pid ${child.proc.pid})`);
    } catch {
      if (this.stopping) return;
      this.log(`stream service did not start: trying again in ${this.delay() / 1000} s`);
      this.scheduleRelaunch();
    }
  }

  private stopChild(child: Child): Promise<void> {
    child.stopped ??= this.terminate(child);
    return child.stopped;
  }

  private async terminate(child: Child): Promise<void> {
    const { proc, exited } = child;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CHILD_STOP_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      this.log(`stream service (pid ${proc.pid}) did not stop within ${CHILD_STOP_MS / 1000} s: killing it`);
      proc.kill('SIGKILL');
      await exited;
    }
  }
}
