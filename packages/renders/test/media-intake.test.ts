import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isJobcastError, type JobcastError } from '@jobcast/core';
import { closeDatabase, createDatabase, createMediaAsset, type Database, ensureSite } from '@jobcast/db';
import { moovBeforeMdat, probe } from '@jobcast/ffmpeg';
import { LocalMediaStore } from '@jobcast/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMediaAsset, checkRequestMedia, inspectMedia, thumbnailKeyOf } from '../src/index.ts';
import { makeTestClip, makeTestTone, makeVfrTestClip } from '../src/testing.ts';

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-intake-'));
  db = createDatabase(inject('databaseUrl'), 2);
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);

async function refusal(promise: Promise<unknown>): Promise<JobcastError> {
  const error = await promise.then(
    () => expect.unreachable('it was accepted'),
    (e: unknown) => e,
  );
  if (!isJobcastError(error)) throw error;
  return error;
}

describe('clips from a phone', () => {
  it('takes a portrait H.264 clip with its sound, as it plays', async () => {
    const clip = await makeTestClip(file('竖屏.mp4'), { width: 360, height: 640, seconds: 2 });
    const facts = await inspectMedia('clip', clip, '竖屏.mp4');
    expect(facts).toMatchObject({
      kind: 'clip',
      extension: 'mp4',
      mimeType: 'video/mp4',
      width: 360,
      height: 640,
      rotation: 0,
      fps: 30,
      hasAudio: true,
      codec: 'h264',
      bytes: (await stat(clip)).size,
    });
    expect(facts.durationS).toBeCloseTo(2, 1);
  });

  it('takes an HEVC clip filmed upright: stored landscape with rotation 90, recorded as portrait', async () => {
    // A phone held upright writes its landscape frames with a display matrix of -90 degrees (the
    // `rotate` tag 270 in ffmpeg 5.1's terms), which players read as "turn 90 degrees clockwise".
    const clip = await makeTestClip(file('iphone.mov'), {
      width: 320,
      height: 180,
      seconds: 1,
      codec: 'hevc',
      rotate: 270,
    });
    const facts = await inspectMedia('clip', clip, 'iphone.mov');
    expect(facts).toMatchObject({ codec: 'hevc', rotation: 90, width: 180, height: 320 });
    expect(facts.facts).toMatchObject({ storedWidth: 320, storedHeight: 180 });
    const thumb = file('iphone-thumb.jpg');
    const { makeThumbnail } = await import('../src/index.ts');
    await makeThumbnail(facts, clip, thumb, 'iphone.mov');
    const meta = await sharp(thumb).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.height).toBeLessThanOrEqual(360);
    expect(meta.height as number).toBeGreaterThan(meta.width as number);
  });

  it('takes a 4K clip at 60 frames a second, and one without sound', async () => {
    const uhd = await makeTestClip(file('4k60.mp4'), {
      width: 3840,
      height: 2160,
      seconds: 1,
      fps: 60,
      plain: true,
      audio: false,
    });
    expect(await inspectMedia('clip', uhd, '4k60.mp4')).toMatchObject({
      width: 3840,
      height: 2160,
      fps: 60,
      hasAudio: false,
    });
  });

  it('takes a clip with a variable frame rate, as phones record, at its average rate', async () => {
    const clip = await makeVfrTestClip(file('变帧率.mp4'), { width: 320, height: 180, seconds: 2 });
    const video = (await probe(clip)).streams.find((s) => s.type === 'video');
    // What makes such a clip awkward: ffprobe's r_frame_rate (the finest rate all timestamps fit) is not its rate.
    expect(video?.frameRate).not.toBe(video?.averageFrameRate);
    const [num, den] = String(video?.averageFrameRate).split('/').map(Number);
    const average = (num as number) / (den as number);
    expect(average).toBeGreaterThan(24);
    expect(average).toBeLessThan(30);
    const facts = await inspectMedia('clip', clip, '变帧率.mp4');
    expect(facts).toMatchObject({ kind: 'clip', codec: 'h264', width: 320, height: 180, hasAudio: true });
    expect(facts.fps).toBeCloseTo(average, 2);
    expect(facts.durationS).toBeCloseTo(2, 0);
  });

  it('refuses a PDF renamed .mp4, saying it is not a video', async () => {
    const pdf = file('宣传片.mp4');
    await writeFile(pdf, '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    const error = await refusal(inspectMedia('clip', pdf, '宣传片.mp4'));
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toMatch(/^「宣传片\.mp4」不是视频文件（看起来是 PDF 文档）：请上传.*MP4 或 MOV/);
  });

  it('refuses an MP4 cut off before its index, asking for it again', async () => {
    const clip = await makeTestClip(file('没传完.mp4'), { width: 320, height: 180, seconds: 2 });
    expect(await moovBeforeMdat(clip)).toBe(false);
    await truncate(clip, Math.floor((await stat(clip)).size * 0.7));
    const error = await refusal(inspectMedia('clip', clip, '没传完.mp4'));
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toMatch(/「没传完\.mp4」文件不完整，可能没有传完.*请重新导出或上传/);
  });

  it('refuses another codec by name, a clip over 10 minutes, and a photo sent as a clip', async () => {
    const prores = await makeTestClip(file('剪辑.mov'), { width: 320, height: 180, seconds: 1, codec: 'prores' });
    const codec = await refusal(inspectMedia('clip', prores, '剪辑.mov'));
    expect(codec.code).toBe('RULE_VIOLATED');
    expect(codec.message).toMatch(/视频编码是 ProRes.*H\.264 或 HEVC/);

    const long = await makeTestClip(file('长.mp4'), {
      width: 16,
      height: 16,
      seconds: 601,
      fps: 1,
      plain: true,
      audio: false,
    });
    const tooLong = await refusal(inspectMedia('clip', long, '长.mp4'));
    expect(tooLong.message).toMatch(/「长\.mp4」时长 10 分 1 秒，超过视频片段 10 分钟的上限/);

    const jpeg = file('photo.mp4');
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
      .jpeg()
      .toFile(jpeg);
    expect((await refusal(inspectMedia('clip', jpeg, 'photo.mp4'))).message).toMatch(/是图片.*选择“照片”/);
  });
});

describe('photos', () => {
  it('takes an 8000×6000 JPEG (48 megapixels) and makes its thumbnail', async () => {
    const big = file('大合影.jpg');
    await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#2a6' } })
      .jpeg({ quality: 70 })
      .toFile(big);
    const facts = await inspectMedia('photo', big, '大合影.jpg');
    expect(facts).toMatchObject({ kind: 'photo', extension: 'jpg', mimeType: 'image/jpeg', width: 8000, height: 6000 });
    const { makeThumbnail } = await import('../src/index.ts');
    await makeThumbnail(facts, big, file('大合影-thumb.jpg'), '大合影.jpg');
    expect(await sharp(file('大合影-thumb.jpg')).metadata()).toMatchObject({ width: 480, height: 360 });
  });

  it('records a photo as its EXIF orientation shows it', async () => {
    const turned = file('turned.jpg');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toFile(turned);
    expect(await inspectMedia('photo', turned, 'turned.jpg')).toMatchObject({ width: 300, height: 400 });
  });

  it('refuses an HEIC photo and a photo over 50 megapixels, saying what to do', async () => {
    const heic = file('IMG_0001.HEIC');
    const ftyp = Buffer.alloc(24);
    ftyp.writeUInt32BE(24, 0);
    ftyp.write('ftypheic', 4, 'latin1');
    ftyp.write('mif1heic', 16, 'latin1');
    await writeFile(heic, Buffer.concat([ftyp, randomBytes(2000)]));
    expect((await refusal(inspectMedia('photo', heic, 'IMG_0001.HEIC'))).message).toMatch(/HEIC 格式.*导出为 JPEG/);

    const huge = file('huge.png');
    await sharp({ create: { width: 10000, height: 5100, channels: 3, background: '#000' } })
      .png({ compressionLevel: 1 })
      .toFile(huge);
    const error = await refusal(inspectMedia('photo', huge, 'huge.png'));
    expect(error.code).toBe('RULE_VIOLATED');
    expect(error.message).toMatch(/5100 万像素.*超过 5000 万像素的上限/);
  });
});

describe('music for the library', () => {
  it('takes a 10 s MP3 and keeps its measured loudness', async () => {
    const mp3 = await makeTestTone(file('轻快.mp3'), { seconds: 10 });
    const facts = await inspectMedia('music', mp3, '轻快.mp3');
    expect(facts).toMatchObject({
      kind: 'music',
      extension: 'mp3',
      mimeType: 'audio/mpeg',
      codec: 'mp3',
      hasAudio: true,
    });
    expect(facts.durationS).toBeCloseTo(10, 0);
    expect(facts.facts.loudnessLufs).toEqual(expect.any(Number));
    expect(facts.facts.loudnessLufs as number).toBeGreaterThan(-30);
  });

  it('takes a 12 s AAC track in an M4A into the music library', async () => {
    const m4a = await makeTestTone(file('欢快.m4a'), { seconds: 12 });
    expect(await inspectMedia('music', m4a, '欢快.m4a')).toMatchObject({
      kind: 'music',
      extension: 'm4a',
      mimeType: 'audio/mp4',
      codec: 'aac',
      hasAudio: true,
    });
    const store = new LocalMediaStore(file('media-m4a'));
    const site = await ensureSite(db, { code: `mi-${randomBytes(3).toString('hex')}`, name: '音乐站点' });
    const track = await addMediaAsset(
      { db, store },
      { siteId: site.id, kind: 'music', file: m4a, displayName: '欢快.m4a', uploadedBy: null, take: 'copy' },
    );
    expect(track).toMatchObject({ siteId: site.id, kind: 'music', displayName: '欢快.m4a', mimeType: 'audio/mp4' });
    expect(track.storageKey).toMatch(new RegExp(`^assets/${site.id}/[0-9a-f-]{36}\\.m4a$`));
    expect(track.durationS).toBeCloseTo(12, 0);
    expect(await readFile(store.localPath(track.storageKey))).toEqual(await readFile(m4a));
    // A video may then ask for it as its music.
    await expect(checkRequestMedia(db, site.id, { music: `library-${track.id}` })).resolves.toBeUndefined();
  });

  it('refuses a silent WAV and a two-hour file, saying why', async () => {
    const silent = await makeTestTone(file('静音.wav'), { seconds: 8, silent: true });
    const quiet = await refusal(inspectMedia('music', silent, '静音.wav'));
    expect(quiet.code).toBe('RULE_VIOLATED');
    expect(quiet.message).toMatch(/^「静音\.wav」几乎没有声音/);

    const long = await makeTestTone(file('两小时.wav'), { seconds: 7200, sampleRate: 8000 });
    const tooLong = await refusal(inspectMedia('music', long, '两小时.wav'));
    expect(tooLong.message).toMatch(/「两小时\.wav」时长 2 小时，超过音乐 10 分钟的上限/);
    await rm(long);
  });

  it('refuses a clip sent as music', async () => {
    const clip = await makeTestClip(file('not-music.mp4'), { width: 160, height: 90, seconds: 6 });
    expect((await refusal(inspectMedia('music', clip, 'not-music.mp4'))).message).toMatch(/是视频，不是音乐/);
  });
});

describe('the media library', () => {
  it('stores an accepted clip and its thumbnail under the site, and records them', async () => {
    const store = new LocalMediaStore(file('media-ok'));
    const site = await ensureSite(db, { code: `mi-${randomBytes(3).toString('hex')}`, name: '素材站点' });
    const clip = await makeTestClip(file('walk.mp4'), { width: 320, height: 180, seconds: 2 });
    const asset = await addMediaAsset(
      { db, store },
      { siteId: site.id, kind: 'clip', file: clip, displayName: 'walk.mp4', uploadedBy: null, take: 'copy' },
    );
    expect(asset).toMatchObject({ siteId: site.id, kind: 'clip', displayName: 'walk.mp4', width: 320, height: 180 });
    expect(asset.storageKey).toMatch(new RegExp(`^assets/${site.id}/[0-9a-f-]{36}\\.mp4$`));
    expect(thumbnailKeyOf(asset)).toBe(asset.storageKey.replace(/\.mp4$/, '-thumb.jpg'));
    expect(await readFile(store.localPath(asset.storageKey))).toEqual(await readFile(clip));
    expect((await sharp(store.localPath(thumbnailKeyOf(asset) as string)).metadata()).height).toBe(360);
  });

  it('leaves nothing in the store for a refused file', async () => {
    const media = file('media-refused');
    const store = new LocalMediaStore(media);
    const site = await ensureSite(db, { code: `mi-${randomBytes(3).toString('hex')}`, name: '素材站点' });
    const broken = file('broken.mp4');
    await writeFile(broken, randomBytes(4096));
    await expect(
      addMediaAsset(
        { db, store },
        { siteId: site.id, kind: 'clip', file: broken, displayName: 'broken.mp4', uploadedBy: null, take: 'copy' },
      ),
    ).rejects.toThrow(/不是视频文件/);
    // A JPEG cut in half reads as a photo of its size, and fails when its thumbnail is drawn.
    const cut = file('cut.jpg');
    await sharp(randomBytes(800 * 600 * 3), { raw: { width: 800, height: 600, channels: 3 } })
      .jpeg()
      .toFile(cut);
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    await expect(
      addMediaAsset(
        { db, store },
        { siteId: site.id, kind: 'photo', file: cut, displayName: 'cut.jpg', uploadedBy: null, take: 'copy' },
      ),
    ).rejects.toThrow(/「cut\.jpg」的画面读不出来，文件可能损坏或没有传完/);
    // Not even the site's folder, made for the refused file's thumbnail.
    const left = await readdir(media, { recursive: true });
    expect(left.sort()).toEqual(['.tmp']);
  });
});

describe('a video request names media of its site, of the right kind', () => {
  it('refuses music of another site, music used as a clip, a late in point and a clip used as a photo', async () => {
    const mine = await ensureSite(db, { code: `mi-${randomBytes(3).toString('hex')}`, name: '本站' });
    const other = await ensureSite(db, { code: `mi-${randomBytes(3).toString('hex')}`, name: '他站' });
    const row = (siteId: number, kind: 'music' | 'clip' | 'photo', durationS: number | null) =>
      createMediaAsset(db, {
        siteId,
        kind,
        displayName: `${kind}.bin`,
        storageKey: `assets/${siteId}/${kind}.bin`,
        mimeType: 'application/octet-stream',
        bytes: 1,
        durationS,
      });
    const theirs = await row(other.id, 'music', 30);
    const music = await row(mine.id, 'music', 30);
    const clip = await row(mine.id, 'clip', 6);
    const photo = await row(mine.id, 'photo', null);

    await expect(checkRequestMedia(db, mine.id, { music: `library-${music.id}` })).resolves.toBeUndefined();
    const foreign = await refusal(checkRequestMedia(db, mine.id, { music: `library-${theirs.id}` }));
    expect(foreign.code).toBe('NOT_FOUND');
    expect(foreign.message).toContain(`音乐库里没有编号 ${theirs.id} 的音乐`);
    const notMusic = await refusal(checkRequestMedia(db, mine.id, { music: `library-${clip.id}` }));
    expect(notMusic.message).toContain('是视频片段，不是音乐');

    const ok = { clips: [{ asset: clip.id, inS: 4.5, sound: 'keep' }, { asset: photo.id }] };
    await expect(checkRequestMedia(db, mine.id, ok)).resolves.toBeUndefined();
    const late = await refusal(checkRequestMedia(db, mine.id, { clips: [{ asset: clip.id, inS: 5 }] }));
    expect(late.message).toMatch(/第 1 个片段：开始点 5 秒太靠后/);
    const past = await refusal(checkRequestMedia(db, mine.id, { clips: [{ asset: clip.id, inS: 1, outS: 9 }] }));
    expect(past.message).toMatch(/结束点 9 秒超过了/);
    const musicClip = await refusal(checkRequestMedia(db, mine.id, { clips: [{ asset: music.id }] }));
    expect(musicClip.message).toMatch(/片段只能用视频片段或照片/);

    const explainer = (images: number[]) => ({
      explainer: { title: '社保补贴', points: ['第一点', '第二点', '第三点'], images },
    });
    await expect(checkRequestMedia(db, mine.id, explainer([photo.id]))).resolves.toBeUndefined();
    expect((await refusal(checkRequestMedia(db, mine.id, explainer([clip.id])))).message).toMatch(
      /第 1 张配图：.*配图只能用照片/,
    );
  });
});
