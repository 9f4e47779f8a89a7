import { stat } from 'node:fs/promises';
import path from 'node:path';
import { JobcastError } from '@jobcast/core';
import { getSiteByCode, listMediaAssets, schema } from '@jobcast/db';
import { addMediaAsset, formatDuration, MEDIA_KIND_LABELS, thumbnailKeyOf } from '@jobcast/renders';
import { LocalMediaStore } from '@jobcast/storage';
import { type CommandContext, print } from '../context.ts';

type Kind = schema.MediaAssetKind;
type MediaAsset = schema.MediaAsset;

/** `jobcast assets add <file> --kind clip|photo|music [--site CODE] [--json]` */
export async function assetsAddCommand(
  ctx: CommandContext,
  file: string,
  options: { kind?: string; site?: string; json?: boolean },
): Promise<void> {
  const kind = kindOption(options.kind, true) as Kind;
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const asset = await addLocalFile(ctx, site.id, kind, file);
  const store = new LocalMediaStore(ctx.config.mediaDir);
  print(Boolean(options.json), describe(asset, store), () =>
    asset.kind === 'music'
      ? `已加入音乐库 #${asset.id}：${asset.displayName}（${summary(asset)}）；制作视频时用 --music library-${asset.id}`
      : `已添加${MEDIA_KIND_LABELS[asset.kind]} #${asset.id}：${asset.displayName}（${summary(asset)}）`,
  );
}

/** `jobcast assets list [--kind clip|photo|music] [--site CODE] [--json]` */
export async function assetsListCommand(
  ctx: CommandContext,
  options: { kind?: string; site?: string; json?: boolean },
): Promise<void> {
  const kind = kindOption(options.kind, false);
  const site = await getSiteByCode(ctx.db, options.site ?? ctx.config.siteCode);
  const assets = await listMediaAssets(ctx.db, site.id, kind);
  const store = new LocalMediaStore(ctx.config.mediaDir);
  print(
    Boolean(options.json),
    assets.map((asset) => describe(asset, store)),
    () =>
      assets.length === 0
        ? '还没有素材'
        : assets
            .map(
              (a) =>
                `#${a.id}  ${MEDIA_KIND_LABELS[a.kind]}  ${a.displayName}  ${summary(a)}${a.kind === 'music' ? `  library-${a.id}` : ''}`,
            )
            .join('\n'),
  );
}

/**
 * Checks a file on this machine and adds it to the site's media (the file itself stays where it is);
 * refused with the intake's reason. `render video --clips ./walk.mp4` comes through here too.
 */
export async function addLocalFile(ctx: CommandContext, siteId: number, kind: Kind, file: string): Promise<MediaAsset> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new JobcastError('BAD_INPUT', `找不到文件：${path.resolve(file)}`);
  return addMediaAsset(
    { db: ctx.db, store: new LocalMediaStore(ctx.config.mediaDir) },
    { siteId, kind, file, displayName: path.basename(file), uploadedBy: null, take: 'copy' },
  );
}

function kindOption(kind: string | undefined, required: boolean): Kind | null {
  if (kind === undefined && !required) return null;
  if (!(schema.mediaAssetKinds as readonly string[]).includes(kind ?? '')) {
    throw new JobcastError(
      'BAD_INPUT',
      `--kind 须为 clip（视频片段）、photo（照片）或 music（音乐）${kind ? `，不能是“${kind}”` : ''}`,
    );
  }
  return kind as Kind;
}

/** "竖屏 360×640，2 秒，有原声" · "6 秒，-22.1 LUFS" */
function summary(asset: MediaAsset): string {
  const parts: string[] = [];
  if (asset.width !== null && asset.height !== null) {
    parts.push(`${asset.width >= asset.height ? '横屏' : '竖屏'} ${asset.width}×${asset.height}`);
  }
  if (asset.durationS !== null) parts.push(formatDuration(asset.durationS));
  if (asset.kind === 'clip') parts.push(asset.hasAudio ? '有原声' : '无原声');
  const loudness = asset.facts.loudnessLufs;
  if (typeof loudness === 'number') parts.push(`${loudness} LUFS`);
  return parts.join('，');
}

/** The fields promised to scripts by `--json`. */
function describe(asset: MediaAsset, store: LocalMediaStore) {
  const thumb = thumbnailKeyOf(asset);
  return {
    id: asset.id,
    kind: asset.kind,
    name: asset.displayName,
    mimeType: asset.mimeType,
    bytes: asset.bytes,
    durationS: asset.durationS,
    width: asset.width,
    height: asset.height,
    rotation: asset.rotation,
    fps: asset.fps,
    hasAudio: asset.hasAudio,
    codec: asset.codec,
    music: asset.kind === 'music' ? `library-${asset.id}` : null,
    file: store.localPath(asset.storageKey),
    thumbnail: thumb ? store.localPath(thumb) : null,
    createdAt: asset.createdAt.toISOString(),
  };
}
