import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '@jobcast/config';
import { createImportBatch, type Database, ensureSite, prepareJob, writeImportChunk } from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { publishFileArgs, testStreamArgs } from '../src/index.ts';

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
      await run('ffmpeg', testStreamArgs(temp, { width: 320, height: 240, seconds: 6 }));
      await import('node:fs/promises').then((fs) => fs.rename(temp, file));
    }
    return file;
  })();
  return sample;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed: ${stderr}`))));
  });
}

export interface RunningProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function track(child: ChildProcess): RunningProcess {
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
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
  return track(spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'ignore'] }));
}

/** A platform's ingest server stand-in: ffmpeg listening for one RTMP publisher, writing what it gets to a file. */
export function relayTarget(port: number, output: string): RunningProcess {
  return track(
    spawn(
      'ffmpeg',
      [
        '-hide_banner',
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
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    ),
  );
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

export function probeDuration(file: string): Promise<{ durationS: number; video: boolean; audio: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type',
      '-of',
      'json',
      file,
    ]);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`ffprobe failed on ${file}`));
      const data = JSON.parse(out) as { format: { duration?: string }; streams: { codec_type: string }[] };
      resolve({
        durationS: Number(data.format.duration ?? 0),
        video: data.streams.some((s) => s.codec_type === 'video'),
        audio: data.streams.some((s) => s.codec_type === 'audio'),
      });
    });
  });
}
