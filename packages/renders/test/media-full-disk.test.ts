import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJobcastError } from '@jobcast/core';
import { closeDatabase, createDatabase, type Database, ensureSite } from '@jobcast/db';
import { LocalMediaStore, type StoredMedia } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMediaAsset } from '../src/index.ts';

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-intake-full-'));
  db = createDatabase(inject('databaseUrl'), 2);
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

/** A media store on a full disk: what it writes goes to /dev/full, where libvips fails as on a full disk. */
class FullDiskStore extends LocalMediaStore {
  override write(key: string, produce: (tempPath: string) => Promise<void>): Promise<StoredMedia> {
    return super.write(key, () => produce('/dev/full'));
  }
}

describe('a photo taken while the media folder is full', () => {
  it('is refused for the full disk, with what to do, not as a photo that cannot be decoded', async () => {
    const photo = path.join(dir, '招聘会.jpg');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toFile(photo);
    const site = await ensureSite(db, { code: `f-${Date.now().toString(36)}`, name: '测试站点' });
    const root = path.join(dir, 'media');
    const error = await addMediaAsset(
      { db, store: new FullDiskStore(root) },
      { siteId: site.id, kind: 'photo', file: photo, displayName: '招聘会.jpg', uploadedBy: null, take: 'copy' },
    ).catch((e: unknown) => e);
    expect(isJobcastError(error) && error.code).toBe('UNAVAILABLE');
    expect((error as Error).message).toMatch(/^媒体文件夹空间不足：请删除不再需要的文件.*处理后请重新上传/);
    expect((error as Error).message).not.toMatch(/write error|\/dev\/full|画面读不出来/);
    // Nothing is left in the store, not even the asset's folder.
    expect(await readdir(root)).toEqual(['.tmp']);
  });
});
