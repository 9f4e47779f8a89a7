import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJobcastError, JobcastError } from '@jobcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalMediaStore, storageError, storageFaultOf } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-faults-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const errno = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });

describe('storage faults', () => {
  it('knows a full disk however it is reported: errno, libvips text, ffmpeg text', () => {
    expect(storageFaultOf(errno('ENOSPC', 'no space left on device, write'))).toBe('full');
    expect(
      storageFaultOf(new Error('/data/media/.tmp/x.png: write error\nsystem error: No space left on device')),
    ).toBe('full');
    // As @jobcast/ffmpeg reports a failed run: its stderr lines in the message.
    expect(
      storageFaultOf(new Error('ffmpeg exited with code 1: av_interleaved_write_frame(): No space left on device')),
    ).toBe('full');
    expect(storageFaultOf(new Error('wrapped', { cause: errno('EDQUOT', 'disk quota exceeded') }))).toBe('full');
    expect(storageFaultOf(errno('EIO', 'i/o error, read'))).toBe('unavailable');
    expect(storageFaultOf(errno('EACCES', 'permission denied, open'))).toBe('unavailable');
    expect(storageFaultOf(new Error('ffmpeg exited with code 1: Invalid data found when processing input'))).toBeNull();
    expect(storageFaultOf(new JobcastError('BAD_INPUT', '模板名称无效'))).toBeNull();
    // A domain error quoting a job's text is not read for its words.
    expect(storageFaultOf(new JobcastError('RULE_VIOLATED', '标题“No space left on device”放不下'))).toBeNull();
  });

  it('tells a full disk in words an operator acts on, never in the tool’s', () => {
    const error = storageError(
      new Error('pngsave: write error\nsystem error: No space left on device'),
      'media',
      '处理后请重试',
    );
    expect(isJobcastError(error) && error.code).toBe('UNAVAILABLE');
    expect(error?.message).toBe(
      '媒体文件夹空间不足：请删除不再需要的文件，或为媒体文件夹（JOBCAST_MEDIA_DIR）所在的磁盘扩容；处理后请重试',
    );
    expect(error?.details).toEqual({ storageFault: 'full' });
    expect(storageError(errno('EIO', 'i/o error, read'), 'data', '稍后会自动重试')?.message).toBe(
      '数据文件夹暂时无法读写（错误代码 EIO）：请检查磁盘、挂载和文件夹权限（JOBCAST_DATA_DIR）；稍后会自动重试',
    );
    expect(storageError(new Error('not a storage fault'), 'media', '')).toBeNull();
  });
});

describe('the media store after a failed write', () => {
  it('leaves no empty folder behind, and removing the last file of a folder removes the folder', async () => {
    const root = path.join(dir, 'media');
    const store = new LocalMediaStore(root);
    await expect(
      store.write('renders/7/video.mp4', async () => {
        throw errno('ENOSPC', 'no space left on device, write');
      }),
    ).rejects.toThrow('ENOSPC');
    expect(await readdir(root)).toEqual(['.tmp']);

    await store.writeBuffer('assets/3/a.jpg', Buffer.from('a'));
    await store.writeBuffer('assets/3/b.jpg', Buffer.from('b'));
    await store.remove('assets/3/a.jpg');
    expect(await readdir(path.join(root, 'assets', '3'))).toEqual(['b.jpg']);
    await store.remove('assets/3/b.jpg');
    expect(await readdir(root)).toEqual(['.tmp']);

    // A folder that was already there (an earlier file of the render) stays, with its file.
    await store.writeBuffer('renders/8/poster.png', Buffer.from('png'));
    await expect(store.write('renders/8/video.mp4', async () => undefined)).rejects.toThrow(/没有写出文件/);
    expect(await readdir(path.join(root, 'renders', '8'))).toEqual(['poster.png']);
  });

  it('reports a media folder it cannot write as a storage fault, naming the folder', async () => {
    const blocker = path.join(dir, 'blocker');
    await writeFile(blocker, 'not a folder');
    const store = new LocalMediaStore(path.join(blocker, 'media'));
    const error = await store.writeBuffer('renders/1/poster.png', Buffer.from('x')).catch((e: unknown) => e);
    expect(storageFaultOf(error)).toBe('unavailable');
    expect((error as Error).message).toContain(`媒体文件夹不可写：${path.join(blocker, 'media')}`);
  });
});
