import { randomBytes } from 'node:crypto';
import { access, mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '@jobcast/config';
import { createImportBatch, type Database, ensureSite, prepareJob, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { FfmpegError, probe, publishFileArgs, runFfmpeg, testStreamArgs } from '@jobcast/ffmpeg';
import { beforeEach, onTestFailed } from 'vitest';

/** A site with `count` jobs, written the way an import writes them. */
export async function siteWithJobs(db: Database, count: number): Promise<{ siteId: number; jobIds: number[] }> {
  const site = await ensureSite(db, { code: `s-${randomBytes(3).toString('hex')}`, name: '示范区就业服务中心' });
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  const jobs = Array.from({ length: count }, (_, i) =>
    prepareJob(
      testJobRecord({
        rowNumber: i + 2,
        employerName: `南昌第${i}电子厂`,
        title: `普工${i}`,
        fingerprint: `fp-${site.id}-${i}`,
      }),
    ),
  );
  await writeImportChunk(db, { siteId: site.id, batchId: batch.id, jobs, rejects: [], rowsRead: jobs.length });
  const rows = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1 order by source_row', [
    site.id,
  ]);
  return { siteId: site.id, jobIds: rows.rows.map((r) => r.id) };
}

/** Small thresholds, free ports, and a data folder of the test's own. */
export function streamTestConfig(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    JOBCAST_DATA_DIR: dataDir,
    JOBCAST_RTMP_PORT: '0',
    JOBCAST_STREAM_HTTP_PORT: '0',
    JOBCAST_RECONNECT_GAP_SECONDS: '8',
    JOBCAST_PRESENT_MIN_SECONDS: '1',
    JOBCAST_GUARD_MIN_LIVE_SECONDS: '6',
    JOBCAST_GUARD_MIN_JOBS: '2',
    JOBCAST_OTHER_MIN_LIVE_SECONDS: '3',
    JOBCAST_THUMBNAIL_SECONDS: '2',
    // The relay tests' targets listen on this machine, on free ports.
    JOBCAST_RELAY_HOSTS: '127.0.0.1:*',
    ...env,
  });
}

let sample: Promise<string> | undefined;

/**
 * A short pre-encoded FLV (H.264 + AAC, 2 s GOP) that publishers send with `-re -c copy`, so the
 * tests' own encoders don't load the machine. Made once per test run.
 */
export function sampleFlv(): Promise<string> {
  sample ??= (async () => {
    const dir = path.join(tmpdir(), 'jobcast-stream-samples');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'sample-320x240-v1.flv');
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const temp = `${file}.${process.pid}.tmp`;
      await runFfmpeg(testStreamArgs(temp, { width: 320, height: 240, seconds: 6 }));
      await rename(temp, file);
    }
    return file;
  })();
  return sample;
}

export interface RunningProcess {
  /** ffmpeg's exit code: 0 when it did its work, null when it was killed. */
  exited: Promise<number | null>;
  /** Sends a signal to ffmpeg: SIGSTOP freezes a publisher without closing its connection. */
  send(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

function track(args: string[]): RunningProcess {
  const stopper = new AbortController();
  let pid: number | undefined;
  const exited = runFfmpeg(args, { signal: stopper.signal, onSpawn: (started) => (pid = started) }).then(
    () => 0,
    (error: unknown) => {
      if (error instanceof FfmpegError) return error.exitCode;
      throw error;
    },
  );
  return {
    exited,
    send(signal) {
      if (pid === undefined) throw new Error('ffmpeg has not started');
      process.kill(pid, signal);
    },
    async stop() {
      stopper.abort();
      await exited;
    },
  };
}

/** An OBS stand-in: sends the sample (looped) in real time for `seconds`, without re-encoding. */
export async function publish(
  url: string,
  options: { seconds: number; audioOnly?: boolean } = { seconds: 5 },
): Promise<RunningProcess> {
  const args = publishFileArgs(await sampleFlv(), url, options.seconds, { audioOnly: options.audioOnly ?? false });
  return track(args);
}

/** A platform's ingest server stand-in: ffmpeg listening for one RTMP publisher, writing what it gets to a file. */
export function relayTarget(port: number, output: string): RunningProcess {
  return track([
    '-loglevel',
    'error',
    '-listen',
    '1',
    '-f',
    'flv',
    '-i',
    `rtmp://127.0.0.1:${port}/push/anything`,
    '-c',
    'copy',
    '-f',
    'flv',
    '-y',
    output,
  ]);
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function probeDuration(file: string): Promise<{ durationS: number; video: boolean; audio: boolean }> {
  const media = await probe(file);
  return { durationS: media.durationS, video: media.hasVideo, audio: media.hasAudio };
}

/** What the service said during a test is printed when that test fails: the first thing to read. */
export function printLogOnFailure(logs: readonly string[]): void {
  beforeEach(() => {
    const from = logs.length;
    onTestFailed(() => {
      console.log(`stream service log:\n${logs.slice(from).join('\n')}`);
    });
  });
}
