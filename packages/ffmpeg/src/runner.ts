/**
 * The one place that starts ffmpeg and ffprobe. Arguments go to the program as an array, never
 * through a shell, so nothing in them (a file name, a push address) is ever interpreted.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import {
  FfmpegAborted,
  FfmpegError,
  type FfmpegExit,
  FfmpegInterrupted,
  type FfmpegProgram,
  FfmpegTimeout,
} from './errors.ts';
import { type FfmpegProgress, progressReader } from './progress.ts';

/**
 * Put before every ffmpeg argument list: progress as `key=value` blocks on stdout instead of the
 * status line on stderr, so stderr holds only what ffmpeg has to say (the error lines we report).
 */
const PROGRESS_ARGS = ['-hide_banner', '-nostats', '-progress', 'pipe:1'] as const;
const STDERR_KEPT_CHARS = 8000;
const STDERR_REPORTED_LINES = 4;

/** The runs of one owner (say, a render worker's encodes), so its shutdown stops them and no others. */
export class RunningProcesses {
  private readonly stops = new Set<() => void>();

  get size(): number {
    return this.stops.size;
  }

  /** Called by the runner for each run it starts; returns the function that forgets the run. */
  track(stop: () => void): () => void {
    this.stops.add(stop);
    return () => this.stops.delete(stop);
  }

  /** SIGKILLs every run still going; each rejects with FfmpegInterrupted. Returns how many there were. */
  killAll(): number {
    const count = this.stops.size;
    for (const stop of [...this.stops]) stop();
    return count;
  }
}

export interface RunOptions {
  /** Called for each `-progress` report. */
  onProgress?: (progress: FfmpegProgress) => void;
  /** Past this, the process is SIGKILLed and the run rejects with FfmpegTimeout. */
  timeoutMs?: number;
  /** Aborting SIGKILLs the process; the run rejects with FfmpegAborted. */
  signal?: AbortSignal;
  /** Where the pid is written once the process starts, so a later attempt can stop one a killed worker left (stopLeftover). */
  pidFile?: string;
  /** The pid once the process starts, for a caller that watches it (the stream benchmark samples its CPU). */
  onSpawn?: (pid: number) => void;
  /** The set this run belongs to while it runs: its killAll() stops the run with FfmpegInterrupted. */
  running?: RunningProcesses;
  /** The working folder: a filter that names a file (ass=captions.ass) names it relative to this. */
  cwd?: string;
  /** Everything ffmpeg writes to stderr, as it comes (an analysis filter's report: ebur128, loudnorm). */
  onStderr?: (text: string) => void;
}

/**
 * Runs ffmpeg to the end. Resolves when it exits with 0; otherwise rejects with an FfmpegError that
 * carries the exit code and the last stderr lines (FfmpegTimeout, FfmpegAborted, FfmpegInterrupted
 * for the ways it can be stopped). ffmpeg is a child process, so the event loop stays free meanwhile.
 */
export function runFfmpeg(args: readonly string[], options: RunOptions = {}): Promise<void> {
  const onProgress = options.onProgress;
  return execute('ffmpeg', [...PROGRESS_ARGS, ...args], options, onProgress ? progressReader(onProgress) : undefined);
}

/** Runs ffprobe to the end and resolves with what it wrote to stdout. Fails as runFfmpeg does. */
export async function runFfprobe(
  args: readonly string[],
  options: Pick<RunOptions, 'timeoutMs' | 'signal'> = {},
): Promise<string> {
  let stdout = '';
  await execute('ffprobe', args, options, (text) => {
    stdout += text;
  });
  return stdout;
}

function execute(
  program: FfmpegProgram,
  args: readonly string[],
  options: RunOptions,
  onStdout: ((text: string) => void) | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new FfmpegAborted({ program, exitCode: null, signal: null, stderrLines: [] }));
      return;
    }
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
    const stderr = stderrTail(child.stderr);
    if (options.onStderr) child.stderr.on('data', options.onStderr);
    child.stdout.setEncoding('utf8');
    // Read even when nobody listens: a full pipe would stall ffmpeg.
    child.stdout.on('data', onStdout ?? (() => {}));

    let stoppedBy: 'timeout' | 'abort' | 'shutdown' | null = null;
    const stop = (by: NonNullable<typeof stoppedBy>) => {
      stoppedBy ??= by;
      child.kill('SIGKILL');
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const untrack = options.running?.track(() => stop('shutdown'));

    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      untrack?.();
      if (error) reject(error);
      else resolve();
    };

    child.once('spawn', () => {
      const pid = child.pid;
      if (pid === undefined) return;
      if (options.pidFile) writeFile(options.pidFile, String(pid)).catch(() => undefined);
      options.onSpawn?.(pid);
    });
    child.once('error', (error) => {
      settle(new FfmpegError(`${program} could not be started (${error.message})`, exitOf(null, null)));
    });
    child.once('close', (code, signal) => {
      if (code === 0) return settle(null);
      const exit = exitOf(code, signal);
      if (stoppedBy === 'shutdown') return settle(new FfmpegInterrupted(exit));
      if (stoppedBy === 'timeout') return settle(new FfmpegTimeout(options.timeoutMs ?? 0, exit));
      if (stoppedBy === 'abort') return settle(new FfmpegAborted(exit));
      settle(new FfmpegError(`${program} ${endOf(code, signal)}`, exit));
    });

    function exitOf(code: number | null, signal: NodeJS.Signals | null): FfmpegExit {
      return { program, exitCode: code, signal, stderrLines: stderr.lines() };
    }
  });
}

/** A long-lived ffmpeg fed through its stdin (a relay of a live stream). */
export interface FfmpegFeed {
  /** What ffmpeg reads as `pipe:0`; a write returns false once ffmpeg falls behind, as any stream does. */
  readonly input: Writable;
  /** Bytes written but not yet taken by ffmpeg. */
  backlog(): number;
  /** Resolves at the first progress report: the output took the stream. */
  readonly connected: Promise<void>;
  /** Resolves when the process is gone, with its last error lines (redacted) unless it exited with 0. */
  readonly exited: Promise<{ code: number | null; error: string | null }>;
  /** SIGKILLs the process; `exited` resolves. */
  kill(): void;
}

export interface FeedOptions {
  /** Applied to every error text the feed reports (a push address in the arguments is a secret). */
  redact?: (text: string) => string;
}

/** Starts ffmpeg on `args` (which read `pipe:0`) and hands back its stdin. */
export function startFfmpegFeed(args: readonly string[], options: FeedOptions = {}): FfmpegFeed {
  const redact = options.redact ?? ((text: string) => text);
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn('ffmpeg', [...PROGRESS_ARGS, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // ffmpeg gone mid-write: `exited` reports it, the write error adds nothing.
  child.stdin.on('error', () => {});
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  const readProgress = progressReader(() => markConnected());
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', readProgress);
  const stderr = stderrTail(child.stderr);
  const exited = new Promise<{ code: number | null; error: string | null }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error: redact(error.message) }));
    child.once('close', (code, signal) => {
      const lines = stderr.lines().join(' | ');
      resolve({ code, error: code === 0 ? null : redact(lines || `ffmpeg ${endOf(code, signal)}`) });
    });
  });
  return {
    input: child.stdin,
    backlog: () => child.stdin.writableLength,
    connected,
    exited,
    kill: () => {
      child.stdin.destroy();
      child.kill('SIGKILL');
    },
  };
}

/**
 * A worker killed mid-encode leaves its ffmpeg running, still writing into the work folder. The next
 * attempt stops it first: the pid is trusted only if that process's command line names the same work
 * folder. True when a process was stopped.
 */
export async function stopLeftover(pidFile: string, workDir: string): Promise<boolean> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  // Arguments are NUL-separated; the folder followed by a slash, so work-render-1 is not work-render-12.
  if (!cmdline.includes(`${workDir}/`)) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function endOf(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** Keeps the end of a process's stderr: where ffmpeg says what went wrong. */
function stderrTail(stream: Readable): { lines(): string[] } {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text = (text + chunk).slice(-STDERR_KEPT_CHARS);
  });
  return {
    lines: () =>
      text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(-STDERR_REPORTED_LINES),
  };
}
