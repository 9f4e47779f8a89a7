import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJobcastError } from '@jobcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMediaKey, LocalMediaStore } from '../src/index.ts';

let dir: string;
let store: LocalMediaStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-media-'));
  store = new LocalMediaStore(path.join(dir, 'media'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function tempFiles(): Promise<string[]> {
  return readdir(path.join(dir, 'media', '.tmp')).catch(() => []);
}

async function read(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('the local media store', () => {
  it('stores a file under its key, with nothing left behind in the temporary folder', async () => {
    const stored = await store.write('renders/1/poster.png', (temp) => writeFile(temp, 'PNG bytes'));
    expect(stored).toMatchObject({ key: 'renders/1/poster.png', bytes: 9 });
    expect(await readFile(store.localPath('renders/1/poster.png'), 'utf8')).toBe('PNG bytes');
    expect(await tempFiles()).toEqual([]);
  });

  it('shows nothing under the key when writing fails half-way, and passes the failure on', async () => {
    const failure = store.write('renders/2/video.mp4', async (temp) => {
      await writeFile(temp, 'half a video');
      throw new Error('ffmpeg exited with code 1');
    });
    await expect(failure).rejects.toThrow('ffmpeg exited with code 1');
    expect(await store.stat('renders/2/video.mp4')).toBeNull();
    expect(await tempFiles()).toEqual([]);
  });

  it('a producer that writes nothing is an error, not an empty file', async () => {
    await expect(store.write('renders/3/flyer.pdf', async () => undefined)).rejects.toThrow(/没有写出文件/);
    expect(await store.stat('renders/3/flyer.pdf')).toBeNull();
  });

  it('replacing a file is all or nothing: readers see the old file until the new one is complete', async () => {
    await store.writeBuffer('renders/4/cover.jpg', Buffer.from('old cover'));
    await store.write('renders/4/cover.jpg', async (temp) => {
      await writeFile(temp, 'new cov');
      expect(await readFile(store.localPath('renders/4/cover.jpg'), 'utf8')).toBe('old cover');
      await writeFile(temp, 'new cover');
    });
    expect(await readFile(store.localPath('renders/4/cover.jpg'), 'utf8')).toBe('new cover');
  });

  it('reads a byte range, both ends included', async () => {
    await store.writeBuffer('renders/5/video.mp4', Buffer.from('0123456789'));
    expect(await read(store.read('renders/5/video.mp4', { start: 2, end: 5 }))).toBe('2345');
    expect(await read(store.read('renders/5/video.mp4'))).toBe('0123456789');
  });

  it('refuses a folder it cannot write to, naming it, and writes nothing', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the media folder should be');
    const broken = new LocalMediaStore(path.join(blocker, 'media'));
    let produced = false;
    const error = await broken
      .write('renders/6/poster.png', async () => {
        produced = true;
      })
      .catch((e: unknown) => e);
    expect(isJobcastError(error) && error.code).toBe('UNAVAILABLE');
    expect((error as Error).message).toContain(path.join(blocker, 'media'));
    expect(produced).toBe(false);
  });

  it('sweeps what a killed process left in its temporary folder, and only what is old', async () => {
    const old = await store.scratchDir('render-901');
    await writeFile(path.join(old, 'scene-00.png'), 'still');
    await writeFile(path.join(dir, 'media', '.tmp', 'abc123-video.mp4'), 'half a video');
    const hourAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(old, hourAgo, hourAgo);
    await utimes(path.join(dir, 'media', '.tmp', 'abc123-video.mp4'), hourAgo, hourAgo);
    const fresh = await store.scratchDir('render-902');
    expect(await store.sweepTemporary(3_600_000)).toBe(2);
    expect(await tempFiles()).toEqual([path.basename(fresh)]);
    await store.dropScratch('render-902');
  });

  it('keeps a growing file beside its key, out of the sweep, until it is published under the key', async () => {
    const key = 'live/7/segment-001.flv';
    const growing = await store.growingPath(key);
    expect(growing).toBe(`${store.localPath(key)}.part`);
    await writeFile(growing, 'FLV so far');
    const hourAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(growing, hourAgo, hourAgo);
    await store.sweepTemporary(3_600_000);
    expect(await store.stat(key)).toBeNull();
    await store.commitGrowing(key);
    expect(await readFile(store.localPath(key), 'utf8')).toBe('FLV so far');
    // Published already, or never written: nothing to do.
    await store.commitGrowing(key);
    await store.commitGrowing('live/7/segment-002.flv');
    expect(await readFile(store.localPath(key), 'utf8')).toBe('FLV so far');
    expect(await store.stat('live/7/segment-002.flv')).toBeNull();
  });

  it('accepts only plain keys: no climbing out of the folder, no absolute paths', () => {
    for (const key of ['renders/1/video.mp4', 'flyers/2026-11/r2/page-1.png']) expect(isMediaKey(key)).toBe(true);
    for (const key of ['../etc/passwd', 'renders/../../x', '/abs/path', 'renders//x', 'Renders/X', 'a/./b', '']) {
      expect(isMediaKey(key), key).toBe(false);
    }
    expect(() => store.localPath('../outside')).toThrow(/不是有效的媒体文件名/);
  });
});
