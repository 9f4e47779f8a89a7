import type { CommandContext } from '../context.ts';
import { reportError } from '../errors.ts';
import { preflight } from './preflight.ts';
import type { Running, Which } from './services.ts';
import { Shutdown } from './shutdown.ts';
import { MEMORY_REPORT_MS, type StreamChildMessage } from './supervisor.ts';

/**
 * How a long-lived command runs (`start`, `serve`, `worker …`, `stream`). Loads little before its
 * start-up checks have passed: the services' modules take seconds to load on a busy machine.
 */

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

export interface RunOptions {
  /** `start`: the stream service runs in a child process of its own. */
  streamProcess?: boolean;
  /** `stream --supervised`: this is that child; it reports to its parent over IPC. */
  supervised?: boolean;
  /** Runs after the checks, before any service starts (the demo migrates the database). */
  prepare?: (ctx: CommandContext) => Promise<void>;
  /** Runs once every service is up (the demo loads its data); returns what stops what it started. */
  afterStart?: (ctx: CommandContext, running: Running) => Promise<(() => Promise<void>) | undefined>;
}

/**
 * A long-lived command: checks, starts, runs until SIGINT/SIGTERM, stops within the deadline and
 * exits; 0 after a clean stop. A start that fails stops what it started and exits non-zero.
 */
export async function runServices(ctx: CommandContext, which: Which, options: RunOptions = {}): Promise<never> {
  // The stream child's lines are mixed with its parent's: they say whose they are.
  const say = options.supervised ? (line: string) => log(`stream service: ${line}`) : log;
  const shutdown = new Shutdown(say, () => ctx.close(), { ignoreSigint: options.supervised });
  if (options.supervised) {
    // The parent is gone (killed): nobody else would stop this child.
    process.once('disconnect', () => shutdown.exitWhenStopped('parent process exited'));
  }
  try {
    await preflight(ctx.config, which, { migrates: Boolean(options.prepare) });
    if (shutdown.requested) return await waitForever();
    await options.prepare?.(ctx);
    const { startServices } = await import('./services.ts');
    const running = await startServices(ctx, which, { streamProcess: options.streamProcess, shutdown });
    if (running.urls.api && !options.afterStart) process.stdout.write(`API: ${running.urls.api}\n`);
    if (options.supervised) reportToParent(running);
    else if (running.urls.rtmp) process.stdout.write(`RTMP: ${running.urls.rtmp}\n`);
    const stopAfter = await options.afterStart?.(ctx, running);
    if (stopAfter) shutdown.add('demo', stopAfter);
  } catch (error) {
    // Stopping mid-start makes what was starting fail: that is the stop, not a fault.
    if (!shutdown.requested) {
      shutdown.exitWhenStopped('start-up failed', reportError(error));
    }
  }
  return waitForever();
}

/** The stream child: ready with its ports, then its memory every MEMORY_REPORT_MS. */
function reportToParent(running: Running): void {
  const send = (message: StreamChildMessage) => {
    if (process.connected) process.send?.(message);
  };
  const ports = running.streamPorts ?? { rtmp: 0, http: 0 };
  send({ type: 'ready', rtmpUrl: running.urls.rtmp ?? '', rtmpPort: ports.rtmp, httpPort: ports.http });
  const report = () => send({ type: 'memory', rssBytes: process.memoryUsage.rss() });
  report();
  setInterval(report, MEMORY_REPORT_MS).unref();
}

/** The shutdown exits the process; until then the services keep it up. */
function waitForever(): Promise<never> {
  return new Promise(() => {});
}
