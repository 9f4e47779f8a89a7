/**
 * The evidence files a finalized session keeps: a failed remux says so in Chinese (ffmpeg's words stay
 * in the log), and evidence an earlier version wrote (with the publisher's address and the push
 * hosts) is written again, once, when the service starts.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDatabase, createDatabase, type Database } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import {
  bookLiveSession,
  closeSegment,
  endLiveSession,
  getLiveSessionRow,
  loadSecretBox,
  openSegment,
  REMUX_FAILED,
  saveFinalization,
} from '@jobcast/live';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEvidence } from '../src/finalize.ts';
import { startStreamService } from '../src/service.ts';
import { siteWithJobs, streamTestConfig } from './helpers.ts';

let database: { url: string; drop: () => Promise<void> };
let db: Database;
let dataDir: string;
let store: LocalMediaStore;
let config: ReturnType<typeof streamTestConfig>;
let site: { siteId: number; jobIds: number[] };

const PUBLISHER = '203.0.113.7:51234';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

beforeAll(async () => {
  database = await createTestDatabase('evidence_files');
  db = createDatabase(database.url, 2);
  dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-evidence-files-'));
  store = new LocalMediaStore(path.join(dataDir, 'media'));
  config = streamTestConfig(database.url, dataDir);
  site = await siteWithJobs(db, 2);
});

afterAll(async () => {
  await closeDatabase(db);
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** An ended session that received a minute from PUBLISHER and relayed to an IP and to 抖音. */
async function endedSession(title: string): Promise<number> {
  const { sessionId } = await bookLiveSession(
    {
      db,
      rules: config.live,
      urls: config,
      secrets: await loadSecretBox(config),
      relayHosts: ['198.51.100.9', '*.douyincdn.com'],
    },
    { siteId: site.siteId, userId: null, displayName: '小王' },
    {
      type: 'other',
      title,
      start: new Date(),
      minutes: 60,
      jobIds: site.jobIds,
      relays: ['rtmp://198.51.100.9:1935/live/secret-a', 'rtmp://push-rtmp-l1.douyincdn.com/third/secret-b'],
    },
  );
  const startedAt = new Date(Date.now() - 61_000);
  const segment = await openSegment(db, sessionId, {
    clientAddress: PUBLISHER,
    startedAt,
    recordingKey: (seq) => `live/${sessionId}/segment-${String(seq).padStart(3, '0')}.flv`,
  });
  await closeSegment(db, segment, {
    mediaMs: 60_000,
    bytes: 15_000_000,
    hasVideo: true,
    hasAudio: true,
    lastSeenAt: new Date(),
    reason: 'publisher-left',
  });
  await endLiveSession(db, config.live, sessionId, { reason: 'anchor' });
  return sessionId;
}

/** What the version before this one wrote for a session: the publisher's address, the push hosts, English. */
async function finalizedTheOldWay(
  sessionId: number,
  recording: { key: string | null; durationS: number | null; thumbnails: string[]; error: string | null },
): Promise<void> {
  for (const key of recording.thumbnails) await store.writeBuffer(key, JPEG);
  const evidenceJsonKey = `live/${sessionId}/evidence.json`;
  const evidenceHtmlKey = `live/${sessionId}/evidence.html`;
  const old = {
    generatedAt: '2026-11-28T03:10:00.000Z',
    session: { id: sessionId },
    segments: [{ seq: 1, bytes: 15_000_000, clientAddress: PUBLISHER }],
    relays: [{ label: 'rtmp://198.51.100.9:1935' }, { label: 'rtmp://push-rtmp-l1.douyincdn.com' }],
    recording,
  };
  await store.writeBuffer(evidenceJsonKey, Buffer.from(JSON.stringify(old)));
  await store.writeBuffer(
    evidenceHtmlKey,
    Buffer.from(
      `<table><tr><th>#</th><th>来源地址</th></tr><tr><td>1</td><td>${PUBLISHER}</td></tr></table>` +
        `<p>${recording.error ?? ''}</p><p>rtmp://198.51.100.9:1935</p>`,
    ),
  );
  await saveFinalization(db, sessionId, {
    recordingKey: recording.key,
    thumbnailKeys: recording.thumbnails,
    evidenceJsonKey,
    evidenceHtmlKey,
    error: recording.error,
  });
}

const read = async (key: string) => readFile(store.localPath(key), 'utf8');

describe('evidence written by an earlier version', () => {
  it('is written again at the next start, from the database and the stored thumbnails, and only once', async () => {
    const recorded = await endedSession('有录像的直播');
    const thumbnails = [`live/${recorded}/thumb-001.jpg`, `live/${recorded}/thumb-002.jpg`];
    await finalizedTheOldWay(recorded, {
      key: `live/${recorded}/recording.mp4`,
      durationS: 61.2,
      thumbnails,
      error: null,
    });
    const failed = await endedSession('录像失败的直播');
    await finalizedTheOldWay(failed, {
      key: null,
      durationS: null,
      thumbnails: [],
      error: `录像转封装失败 (remux failed): ffmpeg exited with code 1: ${dataDir}/media/live/${failed}/segment-001.flv: Invalid data`,
    });

    const logs: string[] = [];
    const service = await startStreamService({ db, config, store, log: (line) => logs.push(line) });
    await service.idle();
    await service.close();

    for (const sessionId of [recorded, failed]) {
      const json = await read(`live/${sessionId}/evidence.json`);
      const html = await read(`live/${sessionId}/evidence.html`);
      for (const written of [json, html]) {
        expect(written).not.toContain('203.0.113.7');
        expect(written).not.toContain('51234');
        expect(written).not.toContain('198.51.100.9');
        expect(written).not.toContain('douyincdn');
        expect(written).not.toContain('secret-');
        expect(written).not.toMatch(/rtmps?:\/\//);
        expect(written).not.toContain('来源地址');
        expect(written).not.toContain('remux failed');
        expect(written).not.toContain(dataDir);
      }
      const evidence = JSON.parse(json);
      expect(evidence.generatedAt).toBe('2026-11-28T03:10:00.000Z');
      expect(evidence.segments[0]).not.toHaveProperty('clientAddress');
      expect(evidence.relays.map((relay: { platform: string }) => relay.platform)).toEqual(['转推目标 1', '抖音']);
      expect(html).toContain('<p class="site">示范区就业服务中心</p>');
      expect(html).toContain('推流分段（共收到 14.3 MB）');
      expect(html).toContain('生成时间：2026-11-28 11:10:00（北京时间）');
    }
    const page = await read(`live/${recorded}/evidence.html`);
    expect(page).toContain('已保存，时长 1 分 1 秒');
    expect(page.match(/<img src="data:image\/jpeg;base64,([^"]+)"/g)).toEqual(
      thumbnails.map(() => `<img src="data:image/jpeg;base64,${JPEG.toString('base64')}"`),
    );
    expect(page).toContain('第 2 张 · 录像 2 秒');
    expect(await read(`live/${failed}/evidence.html`)).toContain(`无：${REMUX_FAILED}`);
    expect(JSON.parse(await read(`live/${failed}/evidence.json`)).recording.error).toBe(REMUX_FAILED);
    expect(logs).toContain('evidence of 2 live session(s) rewritten in the current format');

    // The next start finds them current: nothing is written again.
    const before = await stat(store.localPath(`live/${recorded}/evidence.html`));
    const again: string[] = [];
    const next = await startStreamService({ db, config, store, log: (line) => again.push(line) });
    await next.idle();
    await next.close();
    expect((await stat(store.localPath(`live/${recorded}/evidence.html`))).mtimeMs).toBe(before.mtimeMs);
    expect(again.join('\n')).not.toContain('rewritten');
  });
});

describe('a remux that fails', () => {
  it('keeps a Chinese reason on the row and the page, and the English detail in the log only', async () => {
    const sessionId = await endedSession('转封装失败');
    await store.writeBuffer(`live/${sessionId}/segment-001.flv`, Buffer.from('FLV recorded'));
    // ffmpeg is a stand-in that fails as a broken segment makes it fail, naming the file's path.
    const bin = path.join(dataDir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(
      path.join(bin, 'ffmpeg'),
      `#!/bin/sh\necho '${dataDir}/media/live/${sessionId}/segment-001.flv: Invalid data found when processing input' >&2\nexit 1\n`,
    );
    await chmod(path.join(bin, 'ffmpeg'), 0o755);
    const logs: string[] = [];
    const path0 = process.env.PATH;
    process.env.PATH = `${bin}:${path0}`;
    try {
      await writeEvidence({ db, store, config, log: (line) => logs.push(line) }, sessionId);
    } finally {
      process.env.PATH = path0;
    }

    const row = await getLiveSessionRow(db, sessionId);
    expect(row.finalizeError).toBe('录像转封装失败，详见服务日志');
    expect(row.recordingKey).toBeNull();
    const html = await read(row.evidenceHtmlKey as string);
    expect(html).toContain('无：录像转封装失败，详见服务日志');
    expect(html).not.toContain('Invalid data');
    expect(html).not.toContain(dataDir);
    expect(logs.join('\n')).toMatch(/live session \d+: remux failed: .*Invalid data found when processing input/);
  });
});
