import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, createDatabase, type Database } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import { bookLiveSession, endLiveSession, liveStatus, loadSecretBox } from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/rtmp-server.ts';
import { probeDuration, publish, siteWithJobs, streamTestConfig, waitFor } from './helpers.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// A database of its own: a second stream service on the same database would reconcile this one's
// sessions as its own at start.
let database: { url: string; drop: () => Promise<void> };
let db: Database;
let dataDir: string;
let env: Record<string, string>;
let site: { siteId: number; jobIds: number[] };
let child: ChildProcess | undefined;
let rtmpPort: number;

beforeAll(async () => {
  database = await createTestDatabase('restart');
  db = createDatabase(database.url, 2);
  dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-restart-'));
  rtmpPort = await freePort();
  env = {
    DATABASE_URL: database.url,
    JOBCAST_DATA_DIR: dataDir,
    JOBCAST_RTMP_PORT: String(rtmpPort),
    JOBCAST_STREAM_HTTP_PORT: String(await freePort()),
    // Long enough for the restarted service to be up within it on a loaded CI machine (render tests
    // encode videos alongside): 5 s was missed once when the restart itself took longer.
    JOBCAST_RECONNECT_GAP_SECONDS: '15',
    JOBCAST_PRESENT_MIN_SECONDS: '1',
    JOBCAST_GUARD_MIN_LIVE_SECONDS: '6',
    JOBCAST_GUARD_MIN_JOBS: '2',
    JOBCAST_OTHER_MIN_LIVE_SECONDS: '3',
  };
  site = await siteWithJobs(db, 2);
});

// A test that failed half-way must not leave its service holding the database for the next one.
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) await kill(child);
  child = undefined;
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await closeDatabase(db);
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The stream service in a process of its own, so it can be killed. */
async function startService(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['cli/bin/run-ts.js', 'services/stream/test/support/run-stream.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`stream service exited (${code}): ${stderr}`)));
  });
  return proc;
}

async function kill(proc: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await gone;
}

async function book() {
  const config = streamTestConfig(database.url, dataDir, env);
  return bookLiveSession(
    { db, rules: config.live, urls: config, secrets: await loadSecretBox(config) },
    { siteId: site.siteId, userId: null, displayName: '小李' },
    { type: 'job', title: '重启测试', start: new Date(), jobIds: site.jobIds },
  );
}

const rules = () => streamTestConfig(database.url, dataDir, env).live;
const status = (sessionId: number) => liveStatus(db, rules(), sessionId);
const rtmp = (key: string) => `rtmp://127.0.0.1:${rtmpPort}/live/${key}`;

describe('a second stream service on the same database', () => {
  it('stops at once, naming the one running, and leaves the session on air untouched', async () => {
    child = await startService();
    const booking = await book();
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 60 });
    await waitFor(async () => (await status(booking.sessionId)).liveSeconds > 2, 'media to be counted');

    // Other ports: what stops it is the database's owner, not a port.
    const second = spawn(process.execPath, ['cli/bin/run-ts.js', 'services/stream/test/support/run-stream.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...env,
        JOBCAST_RTMP_PORT: String(await freePort()),
        JOBCAST_STREAM_HTTP_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    second.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    // It must stop by itself, at once: a second service still up after 30 s is the fault.
    const code = await Promise.race([
      new Promise<number | null>((resolve) => second.once('exit', resolve)),
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 30_000)),
    ]);
    if (code === 'still running') second.kill('SIGKILL');
    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/另一个直播推流服务正在使用这个数据库（jobcast-stream \S+ pid \d+ rtmp \d+/);
    expect(stderr).toContain(`rtmp ${rtmpPort}`);

    // The session on air is still live, its segment open, its media still counted.
    const during = await status(booking.sessionId);
    expect(during.status).toBe('live');
    expect(during.segments.map((segment) => segment.endedAt)).toEqual([null]);
    await waitFor(
      async () => (await status(booking.sessionId)).liveSeconds > during.liveSeconds + 1,
      'media still counted after the second service stopped',
    );
    await publisher.stop();
    await endLiveSession(db, rules(), booking.sessionId, { reason: 'anchor', force: true });
    await kill(child);
    child = undefined;
  });
});

describe('the stream service killed with SIGKILL mid-session', () => {
  it('closes the open segment at its last report on restart, and the reconnect within the gap carries on', async () => {
    child = await startService();
    const booking = await book();
    const first = await publish(rtmp(booking.streamKey), { seconds: 60 });
    await waitFor(async () => (await status(booking.sessionId)).liveSeconds > 3, 'media to be counted');
    await kill(child);
    const beforeRestart = await status(booking.sessionId);
    expect(beforeRestart.status).toBe('live');
    await first.stop();

    child = await startService();
    const afterRestart = await status(booking.sessionId);
    expect(afterRestart.status).toBe('interrupted');
    expect(afterRestart.segments[0]?.endReason).toBe('service-restart');
    expect(afterRestart.segments[0]?.endedAt).not.toBeNull();
    expect(afterRestart.liveSeconds).toBeCloseTo(beforeRestart.liveSeconds, 1);

    const second = await publish(rtmp(booking.streamKey), { seconds: 3 });
    expect(await second.exited).toBe(0);
    const resumed = await waitFor(async () => {
      const view = await status(booking.sessionId);
      return view.status === 'interrupted' && view.segments.length === 2 ? view : null;
    }, 'the reconnect to be counted');
    expect(resumed.liveSeconds).toBeGreaterThan(afterRestart.liveSeconds + 2);

    await endLiveSession(db, rules(), booking.sessionId, { reason: 'anchor', force: true });
    const done = await waitFor(async () => {
      const view = await status(booking.sessionId);
      return view.recording.evidenceJsonKey ? view : null;
    }, 'the evidence');
    // The first segment's file was cut by the kill; it is still part of the recording.
    const store = new LocalMediaStore(path.join(dataDir, 'media'));
    const recording = await probeDuration(store.localPath(done.recording.recordingKey as string));
    expect(Math.abs(recording.durationS - done.liveSeconds)).toBeLessThan(2);
  });

  it('ends a session on restart when the service was down longer than the gap, judged on what was received', async () => {
    child = await startService();
    const booking = await book();
    const publisher = await publish(rtmp(booking.streamKey), { seconds: 60 });
    await waitFor(async () => (await status(booking.sessionId)).liveSeconds > 2, 'media to be counted');
    await kill(child as ChildProcess);
    await publisher.stop();
    await new Promise((resolve) => setTimeout(resolve, 16_000));
    child = await startService();
    const view = await status(booking.sessionId);
    expect(view.status).toBe('ended');
    expect(view.endReason).toBe('restart');
    expect(view.verdict?.qualified).toBe(false);
    expect(view.verdict?.reasons[0]).toMatch(/不足 6 秒/);
    await waitFor(async () => (await status(booking.sessionId)).recording.recordingKey, 'the recording');
    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
    child = undefined;
  });
});
