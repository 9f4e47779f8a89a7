import { rename } from 'node:fs/promises';
import path from 'node:path';
import { getMediaAsset, type RenderOutput } from '@jobcast/db';
import { stopLeftover } from '@jobcast/ffmpeg';
import { videoOptions } from '@jobcast/queue';
import { loadTemplate, RenderInputError, VIDEO_PROFILE } from '@jobcast/renders';
import { type SpeechCache, type VoiceProvider, voiceProvider } from '@jobcast/speech';
import type { MediaStore } from '@jobcast/storage';
import { z } from 'zod';
import { builtinBedFile } from '../audio/sound.ts';
import type { SiteSettings } from '../bindings.ts';
import { outputKeys, type ProduceContext } from '../service.ts';
import { renderScriptWriter } from './ai-script.ts';
import type { NarrationSetup } from './narration.ts';
import { type ExplainerInput, type FootageItem, renderVideo } from './render-video.ts';

/** Progress reaches the render row at most this often. */
const PROGRESS_EVERY_MS = 1000;

/**
 * A vertical short video and its cover. The work folder is named after the render: an attempt after a
 * worker was killed stops the ffmpeg that worker left running and starts the folder afresh, so a
 * render never ends with two outputs.
 */
export async function produceVideo({ deps, render, jobs, site, progress }: ProduceContext): Promise<RenderOutput> {
  const loaded = await loadTemplate(deps.templatesDir, render.template, 'video');
  const scratch = `render-${render.id}`;
  const earlier = deps.store.scratchPath(scratch);
  await stopLeftover(path.join(earlier, 'ffmpeg.pid'), earlier);
  const workDir = await deps.store.scratchDir(scratch);
  try {
    let lastReport = 0;
    let reporting: Promise<void> = Promise.resolve();
    const output = path.join(workDir, 'video.mp4');
    const request = requestedSound(render.request);
    // Asked for only when the request wants it and brought no script; what became of its draft goes on the row.
    const aiScript = request.writer === 'ai' && request.script === undefined ? renderScriptWriter(jobs, site) : null;
    const video = await renderVideo(loaded, jobs, site, {
      workDir,
      output,
      narration: request.silent
        ? null
        : { ...narrationSetup(deps.store, site, request), aiScript: aiScript ?? undefined },
      music: await musicFile(deps, render.siteId, loaded.dir, request.music ?? loaded.template.music),
      aigc: { producer: `JobCast/${site.code}`, produceId: `jobcast-${site.code}-render-${render.id}` },
      footage: await footageOf(deps, render.siteId, request),
      explainer: await explainerOf(deps, render.siteId, request),
      onProgress(fraction) {
        const now = Date.now();
        if (now - lastReport < PROGRESS_EVERY_MS) return;
        lastReport = now;
        reporting = reporting.then(() => progress(fraction * 100)).catch(() => undefined);
      },
    });
    await reporting;
    const keys = outputKeys(render.id);
    const stored = await deps.store.write(keys.video, (temp) => rename(output, temp));
    await deps.store.writeBuffer(keys.videoCover, video.cover);
    if (video.srt) await deps.store.writeBuffer(keys.captions, Buffer.from(video.srt, 'utf8'));
    return {
      outputKey: keys.video,
      coverKey: keys.videoCover,
      mimeType: 'video/mp4',
      width: video.facts.width,
      height: video.facts.height,
      durationS: video.facts.durationS,
      bytes: stored.bytes,
      aiComponents: video.aiComponents,
      script: video.script,
      scriptNote: aiScript?.note() ?? null,
      captionsKey: video.srt ? keys.captions : null,
    };
  } finally {
    await deps.store.dropScratch(scratch);
  }
}

/**
 * The request's clips and photos as the render uses them: each a media asset of the site, checked
 * when the render was asked for; one gone since (or another site's) fails the render, naming it.
 */
async function footageOf(
  deps: ProduceContext['deps'],
  siteId: number,
  request: VideoRequestOptions,
): Promise<FootageItem[]> {
  const items: FootageItem[] = [];
  for (const [i, clip] of (request.clips ?? []).entries()) {
    const asset = await getMediaAsset(deps.db, siteId, clip.asset);
    if (!asset || asset.kind === 'music' || !(await deps.store.stat(asset.storageKey))) {
      throw new RenderInputError(
        'FOOTAGE_UNUSABLE',
        `第 ${i + 1} 段素材（编号 ${clip.asset}）已不存在，请重新选择素材`,
      );
    }
    items.push({
      kind: asset.kind,
      file: deps.store.localPath(asset.storageKey),
      name: asset.displayName,
      width: asset.width ?? VIDEO_PROFILE.width,
      height: asset.height ?? VIDEO_PROFILE.height,
      durationS: asset.durationS,
      inS: clip.inS ?? 0,
      outS: clip.outS,
      sound: clip.sound,
      hasAudio: asset.hasAudio,
    });
  }
  return items;
}

/** A policy explainer's text and the files of its photos. */
async function explainerOf(
  deps: ProduceContext['deps'],
  siteId: number,
  request: VideoRequestOptions,
): Promise<ExplainerInput | undefined> {
  if (!request.explainer) return undefined;
  const images: string[] = [];
  for (const id of request.explainer.images ?? []) {
    const asset = await getMediaAsset(deps.db, siteId, id);
    if (asset?.kind !== 'photo' || !(await deps.store.stat(asset.storageKey))) {
      throw new RenderInputError('FOOTAGE_UNUSABLE', `照片（编号 ${id}）已不存在，请重新选择`);
    }
    images.push(deps.store.localPath(asset.storageKey));
  }
  return { title: request.explainer.title, points: request.explainer.points, images };
}

const videoRequestOptions = z.object(videoOptions);
type VideoRequestOptions = z.infer<typeof videoRequestOptions>;

/** The request's narration and music options, as the request schema took them when the render was asked for. */
function requestedSound(request: Record<string, unknown>): VideoRequestOptions {
  const parsed = videoRequestOptions.safeParse(request);
  return parsed.success ? parsed.data : {};
}

/** The voice: the request's choice, else the site's; synthesised clauses cached in the media store. */
function narrationSetup(store: MediaStore, site: SiteSettings, request: VideoRequestOptions): NarrationSetup {
  let provider: VoiceProvider;
  try {
    provider = voiceProvider(request.voice?.provider ?? site.voiceProvider);
  } catch (error) {
    throw new RenderInputError('VOICE_UNAVAILABLE', (error as Error).message);
  }
  return {
    provider,
    voice: request.voice?.voice ?? site.voice ?? undefined,
    rate: request.voice?.rate ?? site.voiceRate,
    script: request.script,
    cache: speechCache(store),
  };
}

/** Synthesised clauses by their cache key, as WAV files under cache/speech/ in the media store. */
export function speechCache(store: MediaStore): SpeechCache {
  return {
    async get(key) {
      const file = `cache/speech/${key}.wav`;
      if (!(await store.stat(file))) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of store.read(file)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    async put(key, wav) {
      await store.writeBuffer(`cache/speech/${key}.wav`, wav);
    },
  };
}

/**
 * The music as a file: none, one of JobCast's beds, a track of the site's music library (checked
 * when the render was asked for; gone since, it fails the render), or a file in the template's folder.
 */
async function musicFile(
  deps: ProduceContext['deps'],
  siteId: number,
  templateDir: string,
  music: string,
): Promise<string | null> {
  if (music === 'none') return null;
  if (music.startsWith('builtin-')) return builtinBedFile(music, deps.store);
  const library = /^library-(\d+)$/.exec(music);
  if (library) {
    const track = await getMediaAsset(deps.db, siteId, Number(library[1]));
    if (track?.kind !== 'music' || !(await deps.store.stat(track.storageKey))) {
      throw new RenderInputError('MUSIC_NOT_FOUND', `音乐库里没有 ${music} 这首音乐，请另选音乐`);
    }
    return deps.store.localPath(track.storageKey);
  }
  return path.join(templateDir, music);
}
