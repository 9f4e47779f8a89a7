/** @jsxImportSource hono/jsx */
/**
 * The 制作 page's media: the site's clips, photos and music tracks (renders.js uploads them through
 * POST /api/assets and adds what was taken), a footage video's clip picks, and a policy explainer's
 * title, points and photos. The picks are plain form fields: the page posts them with the rest.
 */
import { formatBytes } from '@jobcast/core';
import type { schema } from '@jobcast/db';
import { formatDuration, MEDIA_LIMITS } from '@jobcast/renders';

type MediaAsset = schema.MediaAsset;

/** One row of the clip picker, as typed. */
export interface ClipPick {
  asset: string;
  inS: string;
  outS: string;
  sound: string;
}

export interface MediaForm {
  clips: ClipPick[];
  explainerTitle: string;
  /** One point per line. */
  explainerPoints: string;
  explainerImages: string[];
}

export function emptyMediaForm(): MediaForm {
  return { clips: [], explainerTitle: '', explainerPoints: '', explainerImages: [] };
}

/** The picker's rows from a posted form (each row posts all four fields, blank ones as ''). */
export function submittedMediaForm(fields: { get(name: string): string; all(name: string): string[] }): MediaForm {
  const assets = fields.all('clipAsset').slice(0, 20);
  const ins = fields.all('clipIn');
  const outs = fields.all('clipOut');
  const sounds = fields.all('clipSound');
  return {
    clips: assets.map((asset, i) => ({
      asset,
      inS: (ins[i] ?? '').slice(0, 12),
      outS: (outs[i] ?? '').slice(0, 12),
      sound: sounds[i] === 'mute' ? 'mute' : 'keep',
    })),
    explainerTitle: fields.get('explainerTitle').slice(0, 100),
    explainerPoints: fields.get('explainerPoints').slice(0, 2000),
    explainerImages: fields.all('explainerImage').slice(0, 20),
  };
}

/**
 * What the request takes of the media fields: the picked clips in order (rows without a clip are
 * left out), and the explainer once it has a title. Numbers as typed: the request schema judges them.
 */
export function mediaRequestOf(form: MediaForm): { clips?: unknown[]; explainer?: unknown } {
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const clips = form.clips
    .filter((pick) => pick.asset !== '')
    .map((pick) => ({ asset: Number(pick.asset), inS: number(pick.inS), outS: number(pick.outS), sound: pick.sound }));
  const title = form.explainerTitle.trim();
  const points = form.explainerPoints
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    clips: clips.length > 0 ? clips : undefined,
    explainer:
      title !== ''
        ? {
            title,
            points,
            images: form.explainerImages.length > 0 ? form.explainerImages.map(Number) : undefined,
          }
        : undefined,
  };
}

/** How a refused request names the media fields: `clips.1.outS` → 第 2 个片段的结束秒. */
export function mediaFieldLabel(path: string): string | undefined {
  const clip = /^clips\.(\d+)\.(\w+)$/.exec(path);
  if (clip) {
    const field = { asset: '素材', inS: '开始秒', outS: '结束秒', sound: '原声' }[clip[2] as string] ?? clip[2];
    return `第 ${Number(clip[1]) + 1} 个片段的${field}`;
  }
  if (path === 'clips') return '片段';
  if (/^explainer\.points\.\d+$/.test(path)) return `要点第 ${Number(path.split('.')[2]) + 1} 行`;
  return { explainer: '政策解读', 'explainer.title': '标题', 'explainer.points': '要点', 'explainer.images': '配图' }[
    path
  ];
}

/** "视频 · 竖屏 · 2 秒 · 有原声", "照片 · 横屏", "1 分 30 秒": what the page (and renders.js) says of an asset. */
export function assetLine(asset: MediaAsset): string {
  const parts: string[] = [];
  if (asset.kind === 'clip') parts.push('视频');
  if (asset.kind === 'photo') parts.push('照片');
  if (asset.width !== null && asset.height !== null && asset.kind !== 'music') {
    parts.push(asset.width >= asset.height ? '横屏' : '竖屏');
  }
  if (asset.durationS !== null) parts.push(formatDuration(asset.durationS));
  if (asset.kind === 'clip') parts.push(asset.hasAudio ? '有原声' : '无原声');
  return parts.join(' · ');
}

function AssetOption(props: { asset: MediaAsset; selected: boolean }) {
  const { asset } = props;
  return (
    <option value={String(asset.id)} selected={props.selected}>
      #{asset.id} {asset.displayName}（{assetLine(asset)}）
    </option>
  );
}

/** The music select's library tracks, offered as `library-N` beside JobCast's own beds. */
export function LibraryMusicOptions(props: { tracks: MediaAsset[]; selected: string }) {
  if (props.tracks.length === 0) return null;
  return (
    <optgroup label="音乐库" data-library-music>
      {props.tracks.map((track) => (
        <option value={`library-${track.id}`} selected={props.selected === `library-${track.id}`}>
          {track.displayName}（{formatDuration(track.durationS ?? 0)}）
        </option>
      ))}
    </optgroup>
  );
}

function ClipPickRow(props: { pick: ClipPick; footage: MediaAsset[] }) {
  const { pick, footage } = props;
  const clips = footage.filter((asset) => asset.kind === 'clip');
  const photos = footage.filter((asset) => asset.kind === 'photo');
  return (
    <li class="clip-pick" data-clip-pick>
      <label>
        素材
        <select name="clipAsset" data-asset-select>
          <option value="">请选择</option>
          <optgroup label="视频片段" data-kind="clip">
            {clips.map((asset) => (
              <AssetOption asset={asset} selected={pick.asset === String(asset.id)} />
            ))}
          </optgroup>
          <optgroup label="照片" data-kind="photo">
            {photos.map((asset) => (
              <AssetOption asset={asset} selected={pick.asset === String(asset.id)} />
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        开始秒
        <input name="clipIn" type="number" min={0} step={0.1} inputmode="decimal" value={pick.inS} placeholder="0" />
      </label>
      <label>
        结束秒
        <input
          name="clipOut"
          type="number"
          min={0}
          step={0.1}
          inputmode="decimal"
          value={pick.outS}
          placeholder="自动"
        />
      </label>
      <label>
        原声
        <select name="clipSound">
          <option value="keep" selected={pick.sound !== 'mute'}>
            保留原声
          </option>
          <option value="mute" selected={pick.sound === 'mute'}>
            静音
          </option>
        </select>
      </label>
      <span class="pick-actions">
        <button type="button" class="secondary" data-pick-up>
          上移
        </button>
        <button type="button" class="secondary" data-pick-remove>
          删除
        </button>
      </span>
    </li>
  );
}

const BLANK_PICK: ClipPick = { asset: '', inS: '', outS: '', sound: 'keep' };

/** 探岗视频's clips in the order shown (a footage template): each with its in and out seconds and sound. */
export function FootageFields(props: { form: MediaForm; footage: MediaAsset[] }) {
  const { form, footage } = props;
  return (
    <fieldset data-kinds="video" data-template-needs="footage">
      <legend>片段（探岗视频，按播放顺序，1–8 段）</legend>
      <p class="muted">在下方“素材”里上传视频或照片后在这里选用。开始、结束秒不填则从头截取；照片按模板的时长显示。</p>
      <ol class="clip-picks" data-clip-picks>
        {[...form.clips, BLANK_PICK].map((pick) => (
          <ClipPickRow pick={pick} footage={footage} />
        ))}
      </ol>
      <template data-clip-template>
        <ClipPickRow pick={BLANK_PICK} footage={footage} />
      </template>
      <div class="actions">
        <button type="button" class="secondary" data-pick-add>
          再加一段
        </button>
      </div>
    </fieldset>
  );
}

/** 政策解读's title, points (one per line) and the photos shown behind them. */
export function ExplainerFields(props: { form: MediaForm; photos: MediaAsset[] }) {
  const { form, photos } = props;
  return (
    <fieldset data-kinds="video" data-template-needs="explainer">
      <legend>政策解读</legend>
      <label>
        标题（最多 30 字）
        <input name="explainerTitle" maxlength={30} value={form.explainerTitle} placeholder="如：灵活就业社保补贴" />
      </label>
      <label>
        要点（每行一条，3–8 条，每条 2–80 字）
        <textarea name="explainerPoints" rows={6} data-explainer-points>
          {form.explainerPoints}
        </textarea>
      </label>
      <div class="photo-picks" data-photo-picks>
        <span class="muted">配图（可选，最多 8 张，按素材顺序显示）：</span>
        {photos.length === 0 ? (
          <span class="muted" data-empty>
            还没有照片，可在下方“素材”里上传。
          </span>
        ) : null}
        {photos.map((photo) => (
          <PhotoPick photo={photo} checked={form.explainerImages.includes(String(photo.id))} />
        ))}
      </div>
    </fieldset>
  );
}

function PhotoPick(props: { photo: MediaAsset; checked: boolean }) {
  const { photo } = props;
  return (
    <label class="photo-pick">
      <input type="checkbox" name="explainerImage" value={String(photo.id)} checked={props.checked} />
      <img src={`/api/assets/${photo.id}/thumbnail`} alt="" loading="lazy" />
      <span>{photo.displayName}</span>
    </label>
  );
}

function AssetCard(props: { asset: MediaAsset }) {
  const { asset } = props;
  return (
    <li class="asset-card" data-asset-id={String(asset.id)}>
      <img src={`/api/assets/${asset.id}/thumbnail`} alt="" loading="lazy" />
      <span class="asset-name">
        #{asset.id} {asset.displayName}
      </span>
      <span class="muted">{assetLine(asset)}</span>
    </li>
  );
}

function TrackRow(props: { track: MediaAsset }) {
  const { track } = props;
  return (
    <tr data-asset-id={String(track.id)}>
      <td>{track.displayName}</td>
      <td class="num">{formatDuration(track.durationS ?? 0)}</td>
      <td>
        {/* biome-ignore lint/a11y/useMediaCaption: a music track has no words to caption. */}
        <audio controls preload="none" src={`/api/assets/${track.id}/file`} />
      </td>
    </tr>
  );
}

/**
 * 素材 and 音乐库: what the site has, and (for the media team) the uploads. A refused file's reason
 * shows beside its upload; a file taken is added to the lists and the pickers without a reload.
 */
export function MediaLibrary(props: { assets: MediaAsset[]; uploader: boolean }) {
  const footage = props.assets.filter((asset) => asset.kind !== 'music');
  const tracks = props.assets.filter((asset) => asset.kind === 'music');
  return (
    <section class="card media-library" data-media-library>
      <h2>素材</h2>
      <p class="muted">
        探岗视频用的视频片段和照片。视频：MP4 或 MOV（H.264/HEVC），1 秒到 10 分钟，最大 4K、每秒 60 帧，不超过{' '}
        {formatBytes(MEDIA_LIMITS.clip.maxBytes)}；照片：JPEG、PNG 或 WebP，不超过 5000 万像素。
      </p>
      {props.uploader ? (
        <div class="upload">
          <label>
            上传视频片段或照片（可多选）
            <input type="file" accept="video/*,image/*" multiple data-upload="footage" />
          </label>
          <ul class="upload-status" data-upload-status aria-live="polite" />
        </div>
      ) : null}
      <ul class="asset-grid" data-asset-list="footage">
        {footage.map((asset) => (
          <AssetCard asset={asset} />
        ))}
      </ul>
      {footage.length === 0 ? (
        <p class="muted" data-empty-for="footage">
          还没有视频片段或照片。
        </p>
      ) : null}

      <h2>音乐库</h2>
      <p class="muted">有版权的音乐：MP3、M4A 或 WAV，5 秒到 10 分钟。上传后在上面“音乐”里选用（音乐库）。</p>
      {props.uploader ? (
        <div class="upload">
          <label>
            上传音乐
            <input type="file" accept="audio/*,.mp3,.m4a,.wav" multiple data-upload="music" />
          </label>
          <ul class="upload-status" data-upload-status aria-live="polite" />
        </div>
      ) : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>名称</th>
              <th class="num">时长</th>
              <th>试听</th>
            </tr>
          </thead>
          <tbody data-asset-list="music">
            {tracks.map((track) => (
              <TrackRow track={track} />
            ))}
          </tbody>
        </table>
      </div>
      {tracks.length === 0 ? (
        <p class="muted" data-empty-for="music">
          音乐库还是空的。
        </p>
      ) : null}
    </section>
  );
}
