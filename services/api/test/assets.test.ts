import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTestClip, makeTestTone } from '@jobcast/renders/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../src/errors.ts';
import type { AssetView } from '../src/routes/assets/view.ts';
import { type ApiFixture, addSiteWithStaff, body, openFixture, type SiteStaff } from './fixture.ts';

let fx: ApiFixture;
let other: SiteStaff;
let dir: string;
let clip: string;
let photo: string;
let tone: string;

beforeAll(async () => {
  fx = await openFixture();
  other = await addSiteWithStaff(fx.db);
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-api-assets-'));
  clip = await makeTestClip(path.join(dir, 'walk.mp4'), { width: 360, height: 640, seconds: 2 });
  photo = path.join(dir, 'hall.jpg');
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#3a7' } })
    .jpeg()
    .toFile(photo);
  tone = await makeTestTone(path.join(dir, 'song.mp3'), { seconds: 6 });
});
afterAll(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

/** The form as the console sends it: the kind first, so an oversized file is refused as it arrives. */
async function form(kind: string, file: string, name = path.basename(file)): Promise<FormData> {
  const data = new FormData();
  data.append('kind', kind);
  data.append('file', new Blob([await readFile(file)]), name);
  return data;
}

function upload(headers: Record<string, string>, data: FormData, app = fx.app()) {
  return app.request('/api/assets', { method: 'POST', headers, body: data });
}

/** Every file under the media folder's assets/, as keys. */
async function stored(): Promise<string[]> {
  const media = fx.config().mediaDir;
  const found = await readdir(path.join(media, 'assets'), { recursive: true }).catch(() => [] as string[]);
  return found
    .filter((entry) => /\.[a-z0-9]+$/.test(entry))
    .map((entry) => `assets/${entry}`)
    .sort();
}

describe('uploading the media team’s own files', () => {
  it('takes a portrait clip: 201 with what was read of it, its file and thumbnail served back', async () => {
    const response = await upload(fx.bearer('media'), await form('clip', clip, '探岗 实拍.mp4'));
    expect(response.status).toBe(201);
    const asset = await body<AssetView>(response);
    expect(asset).toMatchObject({
      kind: 'clip',
      name: '探岗 实拍.mp4',
      mimeType: 'video/mp4',
      width: 360,
      height: 640,
      orientation: 'portrait',
      rotation: 0,
      fps: 30,
      hasAudio: true,
      codec: 'h264',
      music: null,
      fileUrl: `/api/assets/${asset.id}/file`,
      thumbnailUrl: `/api/assets/${asset.id}/thumbnail`,
    });
    expect(asset.durationS).toBeCloseTo(2, 1);
    expect(response.headers.get('Location')).toBe(`/api/assets/${asset.id}`);

    const file = await fx.app().request(asset.fileUrl, { headers: { ...fx.bearer('anchor'), Range: 'bytes=0-99' } });
    expect(file.status).toBe(206);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await file.arrayBuffer())).toEqual((await readFile(clip)).subarray(0, 100));
    const thumb = await fx.app().request(asset.thumbnailUrl as string, { headers: fx.bearer('manager') });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(meta.height).toBe(360);
    // One key per file, named at random under the site; the thumbnail beside the clip.
    const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    const [thumbFile, clipFile] = await stored();
    expect(clipFile).toMatch(new RegExp(`^assets/${fx.site.id}/${uuid}\\.mp4$`));
    expect(thumbFile).toBe(clipFile?.replace(/\.mp4$/, '-thumb.jpg'));
  });

  it('takes a photo and a music track, and lists them by kind, newest first', async () => {
    const photoResponse = await upload(fx.bearer('admin'), await form('photo', photo));
    expect(photoResponse.status).toBe(201);
    expect(await body(photoResponse)).toMatchObject({
      kind: 'photo',
      width: 1200,
      height: 900,
      orientation: 'landscape',
    });
    const musicResponse = await upload(fx.bearer('media'), await form('music', tone, '厂歌.mp3'));
    expect(musicResponse.status).toBe(201);
    const track = await body<AssetView>(musicResponse);
    expect(track).toMatchObject({ kind: 'music', name: '厂歌.mp3', thumbnailUrl: null, music: `library-${track.id}` });
    expect(track.loudnessLufs).toEqual(expect.any(Number));

    const music = await body<{ items: AssetView[] }>(
      await fx.app().request('/api/assets?kind=music', { headers: fx.bearer('anchor') }),
    );
    expect(music.items.map((a) => a.name)).toEqual(['厂歌.mp3']);
    const all = await body<{ items: AssetView[] }>(
      await fx.app().request('/api/assets', { headers: fx.bearer('media') }),
    );
    expect(all.items.map((a) => a.kind)).toEqual(['music', 'photo', 'clip']);
    const noThumb = await fx.app().request(`/api/assets/${track.id}/thumbnail`, { headers: fx.bearer('media') });
    expect(noThumb.status).toBe(404);
  });

  it('refuses a PDF sent as a clip with the reason in Chinese, leaving nothing behind', async () => {
    const before = await stored();
    const pdf = path.join(dir, '宣传册.mp4');
    await writeFile(pdf, '%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
    const response = await upload(fx.bearer('media'), await form('clip', pdf));
    expect(response.status).toBe(422);
    const error = await body<ErrorEnvelope>(response);
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toMatch(/^「宣传册\.mp4」不是视频文件（看起来是 PDF 文档）/);
    expect(await stored()).toEqual(before);
    expect(await readdir(path.join(fx.config().mediaDir, '.tmp'))).toEqual([]);
  });

  it('answers 400 for a missing kind or file, and 413 for a body over the limit before reading it', async () => {
    const noKind = new FormData();
    noKind.append('file', new Blob([await readFile(photo)]), 'hall.jpg');
    const missingKind = await upload(fx.bearer('media'), noKind);
    expect(missingKind.status).toBe(400);
    expect((await body<ErrorEnvelope>(missingKind)).message).toContain('请选择素材类型');
    const noFile = new FormData();
    noFile.append('kind', 'photo');
    expect((await upload(fx.bearer('media'), noFile)).status).toBe(400);
    const huge = await fx.app().request('/api/assets', {
      method: 'POST',
      headers: {
        ...fx.bearer('media'),
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(3 * 1024 ** 3),
      },
      body: '--x--\r\n',
    });
    expect(huge.status).toBe(413);
    expect((await body<ErrorEnvelope>(huge)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets only the media team and admins upload', async () => {
    for (const role of ['anchor', 'manager'] as const) {
      expect((await upload(fx.bearer(role), await form('photo', photo))).status).toBe(403);
    }
  });

  it("takes an upload from the console's script with the session and its CSRF token", async () => {
    const session = await fx.signIn('media');
    const refused = await upload({ cookie: session.cookie }, await form('photo', photo));
    expect(refused.status).toBe(403);
    const response = await upload({ cookie: session.cookie, 'X-CSRF-Token': session.csrf }, await form('photo', photo));
    expect(response.status).toBe(201);
  });

  it("shows another site nothing of this site's media", async () => {
    const mine = await body<{ items: AssetView[] }>(
      await fx.app().request('/api/assets', { headers: fx.bearer('media') }),
    );
    const asset = mine.items[0] as AssetView;
    const theirs = { Authorization: `Bearer ${other.tokens.media}` };
    for (const url of [`/api/assets/${asset.id}`, asset.fileUrl, `/api/assets/${asset.id}/thumbnail`]) {
      const response = await fx.app().request(url, { headers: theirs });
      expect(response.status, url).toBe(404);
      expect((await body<ErrorEnvelope>(response)).message).toContain(`没有编号 ${asset.id} 的素材`);
    }
    const listed = await body<{ items: AssetView[] }>(await fx.app().request('/api/assets', { headers: theirs }));
    expect(listed.items).toEqual([]);
  });

  it("refuses a video request with another site's music track", async () => {
    const music = await body<{ items: AssetView[] }>(
      await fx.app().request('/api/assets?kind=music', { headers: fx.bearer('media') }),
    );
    const track = music.items[0] as AssetView;
    const response = await fx.app().request('/api/renders', {
      method: 'POST',
      headers: { Authorization: `Bearer ${other.tokens.media}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'video', template: 'job-spotlight', jobIds: [1], music: track.music }),
    });
    expect(response.status).toBe(404);
    expect((await body<ErrorEnvelope>(response)).message).toContain(`音乐库里没有编号 ${track.id} 的音乐`);
  });
});
