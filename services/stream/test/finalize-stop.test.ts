/**
 * Finalizing at shutdown: a remux still going is killed within a bound, its ffmpeg does not outlive
 * the stop, and the session is left for the next start to finalize. ffmpeg is a stand-in that never
 * ends (a long session's remux), put first on PATH for this file only.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDatabase, createDatabase, type Database } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import { bookLiveSession, endLiveSession, loadSecretBox, openSegment, sessionsToFinalize } from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Finalizer } from '../src/finalize.ts';
import { siteWithJobs, streamTestConfig, waitFor } from './helpers.ts';

let database: { url: string; drop: () => Promise<void> };
let db: Database;
let dataDir: string;
const path0 = process.env.PATH;

beforeAll(async () => {
  database = await createTestDatabase('finalize_stop');
  db = createDatabase(database.url, 2);
  dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-finalize-stop-'));
});

afterAll(async () => {
  process.env.PATH = path0;
  await closeDatabase(db);
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('stopping the finalizer', () => {
  it('kills a remux still going, keeps no recording, and leaves the session to the next start', async () => {
    const config = streamTestConfig(database.url, dataDir);
    const store = new LocalMediaStore(path.join(dataDir, 'media'));
    const site = await siteWithJobs(db, 2);
    const booking = await bookLiveSession(
      { db, rules: config.live, urls: config, secrets: await loadSecretBox(config) },
      { siteId: site.siteId, userId: null, displayName: '小王' },
      { type: 'other', title: '长时间直播', start: new Date(), minutes: 60, jobIds: site.jobIds },
    );
    const segment = await openSegment(db, booking.sessionId, {
      clientAddress: '127.0.0.1',
      startedAt: new Date(),
      recordingKey: (seq) => `live/${booking.sessionId}/segment-${String(seq).padStart(3, '0')}.flv`,
    });
    await store.writeBuffer(segment.recordingKey, Buffer.from('FLV recorded'));
    await endLiveSession(db, config.live, booking.sessionId, { reason: 'restart' });

    const bin = path.join(dataDir, 'bin');
    const pidFile = path.join(dataDir, 'ffmpeg.pid');
    await mkdir(bin);
    await writeFile(path.join(bin, 'ffmpeg'), `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 60\n`);
    await chmod(path.join(bin, 'ffmpeg'), 0o755);
    process.env.PATH = `${bin}:${path0}`;

    const logs: string[] = [];
    const finalizer = new Finalizer({ db, store, config, log: (line) => logs.push(line) }, async () => {});
    void finalizer.finalize(booking.sessionId);
    const pid = await waitFor(async () => Number(await readFile(pidFile, 'utf8').catch(() => '')), 'ffmpeg to start');

    const startedAt = Date.now();
    await finalizer.stop(300);
    expect(Date.now() - startedAt).toBeLessThan(2500);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    // Nothing started after the stop, nothing kept as the recording, nothing saved for the session.
    await finalizer.finalize(booking.sessionId);
    expect(await store.stat(`live/${booking.sessionId}/recording.mp4`).catch(() => null)).toBeNull();
    expect(await readdir(path.join(dataDir, 'media', '.tmp')).catch(() => [])).toEqual([]);
    expect((await store.stat(segment.recordingKey))?.bytes).toBeGreaterThan(0);
    expect(await sessionsToFinalize(db)).toContain(booking.sessionId);
    expect(logs).toEqual([
      `live session ${booking.sessionId}: finalizing stopped by the shutdown; the next start does it again`,
    ]);
  });
});
