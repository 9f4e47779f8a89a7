import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `jobcast` command as a user would, on the test database and the given site; never throws,
 * so a test reads the exit code and both streams.
 */
export function runJobcast(
  args: string[],
  options: { site: string; cwd?: string; env?: Record<string, string> },
): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: options.site, ...options.env },
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}
