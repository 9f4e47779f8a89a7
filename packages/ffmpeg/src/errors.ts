export type FfmpegProgram = 'ffmpeg' | 'ffprobe';

export interface FfmpegExit {
  program: FfmpegProgram;
  /** The exit code; null when the process was killed or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg wrote to stderr: where it says what went wrong. */
  stderrLines: readonly string[];
}

/** ffmpeg or ffprobe did not do what it was asked; the message ends with its last stderr lines. */
export class FfmpegError extends Error implements FfmpegExit {
  readonly program: FfmpegProgram;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrLines: readonly string[];

  constructor(summary: string, exit: FfmpegExit) {
    super(exit.stderrLines.length > 0 ? `${summary}: ${exit.stderrLines.join(' | ')}` : summary);
    this.name = 'FfmpegError';
    this.program = exit.program;
    this.exitCode = exit.exitCode;
    this.signal = exit.signal;
    this.stderrLines = exit.stderrLines;
  }
}

/** The run took longer than its `timeoutMs` and was killed. */
export class FfmpegTimeout extends FfmpegError {
  constructor(timeoutMs: number, exit: FfmpegExit) {
    super(`${exit.program} did not finish within ${timeoutMs / 1000} s and was killed`, exit);
    this.name = 'FfmpegTimeout';
  }
}

/** The caller's AbortSignal stopped the run. */
export class FfmpegAborted extends FfmpegError {
  constructor(exit: FfmpegExit) {
    super(`${exit.program} was stopped by its caller`, exit);
    this.name = 'FfmpegAborted';
  }
}

/**
 * The run was stopped by `RunningProcesses.killAll()`, a worker shutting down: no fault of the
 * input, so the work may simply run again.
 */
export class FfmpegInterrupted extends FfmpegError {
  constructor(exit: FfmpegExit) {
    super(`${exit.program} was stopped by a shutdown`, exit);
    this.name = 'FfmpegInterrupted';
  }
}
