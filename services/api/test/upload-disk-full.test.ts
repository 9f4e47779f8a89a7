import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { schema } from '@jobcast/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import { type ApiFixture, body, openFixture } from './fixture.ts';

/**
 * A full disk cannot be made safely here: the file system is stubbed instead. While `disk.full`,
 * every write to a file opened with `open` fails as on a full disk (ENOSPC).
 */
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof original.open = async (...args) => {
    const handle = await original.open(...args);
    if (!disk.full) return handle;
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'write') {
          return async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              syscall: 'write',
            });
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...original, open, default: { ...original, open } };
});

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});
afterEach(() => {
  disk.full = false;
});

/** Every folder under `root` that is empty, but the media store's temporary folder. */
async function emptyFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(entry.parentPath, entry.name));
  const empty: string[] = [];
  for (const folder of folders) {
    if (folder !== path.join(root, '.tmp') && (await readdir(folder)).length === 0) empty.push(folder);
  }
  return empty;
}

describe('an upload while the disk is full', () => {
  it('of a job file: 503 saying the data folder is full and what to do, with nothing kept', async () => {
    const form = new FormData();
    form.append('file', new Blob(['单位名称,岗位名称\n南昌甲公司,普工\n']), 'jobs.csv');
    disk.full = true;
    const response = await fx
      .app()
      .request('/api/imports', { method: 'POST', headers: fx.bearer('media'), body: form });
    disk.full = false;
    expect(response.status).toBe(503);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe(
      '数据文件夹空间不足：请删除不再需要的文件，或为数据文件夹（JOBCAST_DATA_DIR）所在的磁盘扩容；处理后请重新上传',
    );
    expect(await readdir(fx.config().uploadDir)).toEqual([]);
    const batches = await fx.db
      .select({ id: schema.importBatches.id })
      .from(schema.importBatches)
      .where(eq(schema.importBatches.siteId, fx.site.id));
    expect(batches).toEqual([]);
  });

  it('of a photo: 503 saying the media folder is full, and no empty work folder left', async () => {
    const form = new FormData();
    form.append('kind', 'photo');
    form.append('file', new Blob([new Uint8Array(200_000).fill(0xff)]), '招聘会.jpg');
    disk.full = true;
    const response = await fx.app().request('/api/assets', { method: 'POST', headers: fx.bearer('media'), body: form });
    disk.full = false;
    expect(response.status).toBe(503);
    const error = await body<ErrorEnvelope>(response);
    expect(error.message).toMatch(
      /^媒体文件夹空间不足：请删除不再需要的文件，或为媒体文件夹（JOBCAST_MEDIA_DIR）所在的磁盘扩容/,
    );
    expect(error.message).not.toContain('ENOSPC');
    expect(await emptyFolders(fx.config().mediaDir)).toEqual([]);
  });
});
