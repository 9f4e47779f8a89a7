/**
 * The site's own media (media_assets): a checked file stored with its thumbnail and recorded, and
 * the check a video request passes before it is queued: every asset it names is the site's and of
 * the kind it is used as.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, rename } from 'node:fs/promises';
import { JobcastError } from '@jobcast/core';
import { createMediaAsset, type Database, getMediaAsset, type schema } from '@jobcast/db';
import { videoOptions } from '@jobcast/queue';
import type { MediaStore } from '@jobcast/storage';
import { z } from 'zod';
import { formatDuration, inspectMedia, MEDIA_KIND_LABELS, makeThumbnail } from './media-intake.ts';

type MediaAsset = schema.MediaAsset;

export interface MediaLibraryDeps {
  db: Database;
  store: MediaStore;
}

export interface MediaUpload {
  siteId: number;
  kind: schema.MediaAssetKind;
  /** The file on this machine. */
  file: string;
  /** The name the user knows it by (cleaned for display). */
  displayName: string;
  uploadedBy: number | null;
  /**
   * `move`: the file is the caller's temporary copy on the media store's disk (an upload) and is
   * renamed into place; `copy`: it stays where it is (a file named on the command line).
   */
  take: 'move' | 'copy';
}

/**
 * Checks a file and, if it passes, stores it under `assets/<site>/<uuid>.<ext>` (a clip's or photo's
 * thumbnail beside it as `…-thumb.jpg`) and records it. A refused file leaves nothing in the store.
 */
export async function addMediaAsset(deps: MediaLibraryDeps, upload: MediaUpload): Promise<MediaAsset> {
  const facts = await inspectMedia(upload.kind, upload.file, upload.displayName);
  const base = `assets/${upload.siteId}/${randomUUID()}`;
  const key = `${base}.${facts.extension}`;
  const thumbKey = facts.kind === 'music' ? null : `${base}-thumb.jpg`;
  try {
    if (thumbKey) {
      await deps.store.write(thumbKey, (temp) => makeThumbnail(facts, upload.file, temp, upload.displayName));
    }
    const stored = await deps.store.write(key, (temp) =>
      upload.take === 'move' ? rename(upload.file, temp) : copyFile(upload.file, temp),
    );
    return await createMediaAsset(deps.db, {
      siteId: upload.siteId,
      kind: facts.kind,
      displayName: upload.displayName,
      storageKey: key,
      mimeType: facts.mimeType,
      bytes: stored.bytes,
      durationS: facts.durationS,
      width: facts.width,
      height: facts.height,
      rotation: facts.rotation,
      fps: facts.fps,
      hasAudio: facts.hasAudio,
      codec: facts.codec,
      facts: { ...facts.facts, ...(thumbKey ? { thumbKey } : {}) },
      uploadedBy: upload.uploadedBy,
    });
  } catch (error) {
    await deps.store.remove(key);
    if (thumbKey) await deps.store.remove(thumbKey);
    throw error;
  }
}

/** The thumbnail's key of a clip or photo; null for music. */
export function thumbnailKeyOf(asset: MediaAsset): string | null {
  const key = asset.facts.thumbKey;
  return typeof key === 'string' ? key : null;
}

/** The media a video request names, as the request schema took them. */
const requestedMedia = z.object({
  music: videoOptions.music,
  clips: videoOptions.clips,
  explainer: videoOptions.explainer,
});

/** A clip's in point must leave at least this much of it to show. */
const MIN_CLIP_SHOWN_S = 1;
/** ffprobe's length and a person's reading of the player differ by a frame or two. */
const END_TOLERANCE_S = 0.1;

/**
 * Refuses a video request that names media the site does not have, or has as another kind: a
 * library track (`library-N`) must be a music asset, each clip a clip or photo (with in and out
 * points inside the clip), each explainer image a photo.
 */
export async function checkRequestMedia(db: Database, siteId: number, videoRequest: unknown): Promise<void> {
  const request = requestedMedia.parse(videoRequest);
  const library = /^library-(\d+)$/.exec(request.music ?? '');
  if (library) {
    const id = Number(library[1]);
    const track = await getMediaAsset(db, siteId, id);
    if (!track) {
      throw new JobcastError('NOT_FOUND', `音乐库里没有编号 ${id} 的音乐，请在“制作”页的音乐库里选择或先上传`);
    }
    if (track.kind !== 'music') {
      throw new JobcastError(
        'BAD_INPUT',
        `素材 ${id}「${track.displayName}」是${MEDIA_KIND_LABELS[track.kind]}，不是音乐`,
      );
    }
  }
  for (const [i, clip] of (request.clips ?? []).entries()) {
    const where = `第 ${i + 1} 个片段`;
    const asset = await siteAsset(db, siteId, clip.asset, where);
    if (asset.kind === 'music') {
      throw new JobcastError(
        'BAD_INPUT',
        `${where}：素材 ${asset.id}「${asset.displayName}」是音乐，片段只能用视频片段或照片`,
      );
    }
    if (asset.kind !== 'clip' || asset.durationS === null) continue;
    const length = asset.durationS;
    const inS = clip.inS ?? 0;
    if (inS >= length - MIN_CLIP_SHOWN_S) {
      throw new JobcastError(
        'BAD_INPUT',
        `${where}：开始点 ${inS} 秒太靠后，「${asset.displayName}」只有 ${formatDuration(length)}，开始点须早于 ${Math.max(0, Math.floor((length - MIN_CLIP_SHOWN_S) * 10) / 10)} 秒`,
      );
    }
    if (clip.outS !== undefined && clip.outS > length + END_TOLERANCE_S) {
      throw new JobcastError(
        'BAD_INPUT',
        `${where}：结束点 ${clip.outS} 秒超过了「${asset.displayName}」的长度（${formatDuration(length)}）`,
      );
    }
  }
  for (const [i, image] of (request.explainer?.images ?? []).entries()) {
    const where = `第 ${i + 1} 张配图`;
    const asset = await siteAsset(db, siteId, image, where);
    if (asset.kind !== 'photo') {
      throw new JobcastError(
        'BAD_INPUT',
        `${where}：素材 ${asset.id}「${asset.displayName}」是${MEDIA_KIND_LABELS[asset.kind]}，配图只能用照片`,
      );
    }
  }
}

async function siteAsset(db: Database, siteId: number, id: number, where: string): Promise<MediaAsset> {
  const asset = await getMediaAsset(db, siteId, id);
  if (!asset) {
    throw new JobcastError('NOT_FOUND', `${where}：没有编号 ${id} 的素材，请先上传`);
  }
  return asset;
}
