/**
 * The API server in a process of its own (bench/api/server.ts), as the API benchmarks run it: the
 * load's process does not share the server's event loop or CPU. Resolves once it prints `ready URL`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from '@jobcast/config';

/** The heap bound the jobcast command runs with (see cli/bin/jobcast.js). */
const JOBCAST_NODE_FLAGS = ['--max-old-space-size=256'];

export function startServerProcess(
  env: NodeJS.ProcessEnv,
  nodeFlags: readonly string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [...JOBCAST_NODE_FLAGS, ...nodeFlags, 'cli/bin/run-ts.js', 'bench/api/server.ts'],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk) => {
      err = (err + chunk).slice(-2000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) resolve({ child, url: line.slice('ready '.length).trim() });
    });
    child.once('exit', (code) => reject(new Error(`the API server exited (${code}): ${err}`)));
  });
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}
