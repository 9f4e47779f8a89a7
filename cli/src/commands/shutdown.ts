/**
 * How a long-lived command stops: on SIGINT or SIGTERM (or when it is told to) every service it
 * started is stopped at once, side by side, and the process exits within STOP_DEADLINE_MS whatever
 * PostgreSQL or Redis do; a second signal exits at once.
 */

/** Past this, whatever has not stopped is left behind and the process exits with 1. */
export const STOP_DEADLINE_MS = 10_000;
/**
 * A second signal sooner than this is the same Ctrl+C delivered twice: the terminal signals every
 * process in the foreground group, and npm forwards the signal it got to its script as well.
 */
const SAME_SIGNAL_MS = 1000;
/** How often a process started by an npm script checks that npm is still there. */
const PARENT_CHECK_MS = 1000;

type Stop = () => Promise<void>;

export class Shutdown {
  private readonly stops: { name: string; stop: Stop }[] = [];
  private readonly forced: (() => void)[] = [];
  private stopping: Promise<number> | undefined;
  private firstSignalAt = 0;
  private readonly parentCheck: NodeJS.Timeout | undefined;

  /**
   * `close` runs after every service has stopped (the database). `ignoreSigint`: a child process
   * whose parent decides when it stops (a Ctrl+C reaches the whole process group).
   */
  constructor(
    private readonly log: (line: string) => void,
    private readonly close: () => Promise<void>,
    options: { ignoreSigint?: boolean } = {},
  ) {
    process.on('SIGINT', options.ignoreSigint ? ignore : this.onSignal);
    process.on('SIGTERM', this.onSignal);
    // Started by an npm script (`npm start`): when npm is gone (killed), nobody would stop this.
    if (process.env.npm_lifecycle_event) {
      const parent = process.ppid;
      this.parentCheck = setInterval(() => {
        if (!alive(parent)) this.exitWhenStopped('npm (the parent process) exited');
      }, PARENT_CHECK_MS);
      this.parentCheck.unref();
    }
  }

  /** Whether a stop has been asked for (a signal, or `stopAndExit`). */
  get requested(): boolean {
    return this.stopping !== undefined;
  }

  /** A service to stop; one started while stopping is stopped at once. */
  add(name: string, stop: Stop): void {
    this.stops.push({ name, stop });
    if (this.stopping) void stop().catch((error: Error) => this.log(`${name}: stop failed: ${error.message}`));
  }

  /** What to do when the deadline passes or a second signal comes (kill a child process). */
  onForce(force: () => void): void {
    this.forced.push(force);
  }

  /**
   * Stops everything (at most STOP_DEADLINE_MS) and exits: with `exitCode` when given (a start that
   * failed), else 0 if all stopped cleanly and 1 if not.
   */
  exitWhenStopped(reason: string, exitCode?: number): void {
    if (this.stopping) return;
    this.firstSignalAt = Date.now();
    if (this.stops.length > 0) this.log(`${reason}: stopping…`);
    void this.stop().then((code) => process.exit(exitCode ?? code));
  }

  /** Stops every service, side by side, then the database; 0 when all stopped within the deadline. */
  stop(): Promise<number> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<number> {
    if (this.parentCheck) clearInterval(this.parentCheck);
    const started = Date.now();
    const pending = new Set(this.stops.map((entry) => entry.name));
    let failed = false;
    const stopped = Promise.all(
      this.stops.map(async ({ name, stop }) => {
        try {
          await stop();
        } catch (error) {
          failed = true;
          this.log(`${name}: stop failed: ${(error as Error).message}`);
        }
        pending.delete(name);
      }),
    ).then(async () => {
      pending.add('database');
      await this.close().catch((error: Error) => {
        failed = true;
        this.log(`database: close failed: ${error.message}`);
      });
      pending.delete('database');
    });
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      stopped.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, STOP_DEADLINE_MS - (Date.now() - started)));
      }),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      this.log(`did not stop within ${STOP_DEADLINE_MS / 1000} s: ${[...pending].join(', ')}; exiting anyway`);
      for (const force of this.forced) force();
      return 1;
    }
    return failed ? 1 : 0;
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (!this.stopping) {
      this.exitWhenStopped(signal);
      return;
    }
    if (Date.now() - this.firstSignalAt < SAME_SIGNAL_MS) return;
    this.log(`${signal} again: exiting now`);
    for (const force of this.forced) force();
    process.exit(1);
  };
}

function ignore(): void {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
