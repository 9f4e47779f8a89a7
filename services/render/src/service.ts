import { isJobcastError, type JobView, type RenderKind } from '@jobcast/core';
import {
  claimRender,
  completeRender,
  type Database,
  failRender,
  getJobsByIds,
  getRender,
  getSiteById,
  listRendersToReconcile,
  type Render,
  type RenderOutput,
  reportRenderProgress,
} from '@jobcast/db';
import { FfmpegInterrupted } from '@jobcast/ffmpeg';
import { PermanentJobError, type Producer, queues } from '@jobcast/queue';
import { loadTemplate, RenderInputError } from '@jobcast/renders';
import { VoiceProviderError } from '@jobcast/speech';
import { type MediaStore, storageError } from '@jobcast/storage';
import type { SiteSettings } from './bindings.ts';
import { produceFlyer } from './flyer/produce-flyer.ts';
import { renderPoster } from './poster/render-poster.ts';
import { produceVideo } from './video/produce-video.ts';

export interface RenderDeps {
  db: Database;
  producer: Producer;
  store: MediaStore;
  templatesDir: string;
}

/** Where a render's files go: named after the render, so a second run replaces them, never adds. */
export function outputKeys(renderId: number) {
  const dir = `renders/${renderId}`;
  return {
    poster: `${dir}/poster.png`,
    posterJpeg: `${dir}/poster.jpg`,
    video: `${dir}/video.mp4`,
    captions: `${dir}/video.srt`,
    videoCover: `${dir}/cover.jpg`,
    flyer: `${dir}/flyer.pdf`,
    flyerPreview: (page: number) => `${dir}/flyer-page-${page}.png`,
  };
}

/** What a kind's renderer is given: the claimed row, its jobs in order, the site, and where to report. */
export interface ProduceContext {
  deps: RenderDeps;
  render: Render;
  jobs: JobView[];
  site: SiteSettings;
  /** Progress in percent (0–100): reaches the render row, which doubles as the worker's heartbeat. */
  progress(percent: number): Promise<void>;
}

const producers: Record<RenderKind, (context: ProduceContext) => Promise<RenderOutput>> = {
  poster: producePoster,
  video: produceVideo,
  flyer: produceFlyer,
};

/** What follows a storage fault's message on the render row. */
const STORAGE_THEN = '处理后制作会自动重试，已显示失败的可点“重试”';

/** What the render row says when a worker's shutdown stopped its video encode. */
export const INTERRUPTED_MESSAGE = '视频编码因服务停止而中断，将重新制作';

/**
 * Runs one render: claims the row (nothing to do if it is already finished), draws it, stores the
 * files and marks it done. Input that can never render fails the render for good; anything else is
 * thrown for the queue to retry.
 */
export async function runRender(
  deps: RenderDeps,
  renderId: number,
  finalAttempt: boolean | ((error: unknown) => boolean),
): Promise<Render | null> {
  const render = await claimRender(deps.db, renderId);
  if (!render) return null;
  try {
    const { jobs, missing } = await getJobsByIds(deps.db, render.siteId, render.jobIds);
    if (missing.length > 0) {
      throw new RenderInputError('JOB_NOT_FOUND', `岗位 ${missing.join('、')} 已不存在，请重新选择岗位`);
    }
    const site = await siteSettings(deps, render.siteId);
    const progress = (percent: number) => reportRenderProgress(deps.db, render.id, percent);
    const output = await producers[render.kind]({ deps, render, jobs, site, progress });
    await completeRender(deps.db, render.id, output);
    return getRender(deps.db, render.id);
  } catch (thrown) {
    // A full or unusable disk (ENOSPC from a write, libvips' or ffmpeg's "No space left on device")
    // is told as such, not in the tool's words, and retried minutes apart (see the render queue).
    const error = storageError(thrown, 'media', STORAGE_THEN) ?? thrown;
    // A media folder that cannot be written (UNAVAILABLE) may be a passing mount or permission
    // problem: retried like any other fault, failed for good on the last attempt.
    // A voice refused for its credentials or its request fails the same way next time; a timeout or a
    // 5xx (already retried inside the narration) is worth the queue's retry.
    const voiceRefused = error instanceof VoiceProviderError && error.kind !== 'transient';
    const permanent =
      error instanceof RenderInputError ||
      voiceRefused ||
      (isJobcastError(error) && error.code !== 'INTERNAL' && error.code !== 'UNAVAILABLE');
    // An encode stopped by a shutdown is no fault of the render: it waits, queued, even after its
    // last counted attempt.
    const interrupted = error instanceof FfmpegInterrupted;
    const code =
      error instanceof RenderInputError || isJobcastError(error)
        ? error.code
        : interrupted
          ? 'INTERRUPTED'
          : error instanceof VoiceProviderError
            ? 'VOICE_FAILED'
            : 'RENDER_FAILED';
    const last = typeof finalAttempt === 'function' ? finalAttempt(error) : finalAttempt;
    const final = permanent || (last && !interrupted);
    const message = interrupted ? INTERRUPTED_MESSAGE : (error as Error).message;
    await failRender(deps.db, render.id, { code, message }, final);
    if (permanent) throw new PermanentJobError((error as Error).message);
    throw error;
  }
}

async function producePoster({ deps, render, jobs, site }: ProduceContext): Promise<RenderOutput> {
  const loaded = await loadTemplate(deps.templatesDir, render.template, 'poster');
  const poster = await renderPoster(loaded, jobs, site);
  const keys = outputKeys(render.id);
  const png = await deps.store.writeBuffer(keys.poster, poster.png);
  await deps.store.writeBuffer(keys.posterJpeg, poster.jpeg);
  return {
    outputKey: keys.poster,
    coverKey: keys.posterJpeg,
    mimeType: 'image/png',
    width: poster.width,
    height: poster.height,
    bytes: png.bytes,
  };
}

async function siteSettings(deps: RenderDeps, siteId: number): Promise<SiteSettings> {
  const site = await getSiteById(deps.db, siteId);
  let logo: Buffer | null = null;
  if (site.logoKey && (await deps.store.stat(site.logoKey))) {
    const chunks: Buffer[] = [];
    for await (const chunk of deps.store.read(site.logoKey)) chunks.push(chunk as Buffer);
    logo = Buffer.concat(chunks);
  }
  return {
    name: site.name,
    hotline: site.hotline,
    address: site.address,
    qrUrl: site.qrUrl,
    primaryColor: site.primaryColor,
    accentColor: site.accentColor,
    logo,
    code: site.code,
    voiceProvider: site.voiceProvider,
    voice: site.voice,
    voiceRate: site.voiceRate,
  };
}

/**
 * Queues again what PostgreSQL says is pending but Redis does not have (flushed, or never reached):
 * renders queued for more than `queuedForS`, and running ones silent for `stalledForS`.
 */
export async function reconcileRenders(
  deps: Pick<RenderDeps, 'db' | 'producer'>,
  options: { queuedForS: number; stalledForS: number },
): Promise<number[]> {
  const requeued: number[] = [];
  for (const render of await listRendersToReconcile(deps.db, options)) {
    const jobId = queues.render.jobId({ renderId: render.id });
    if (await deps.producer.has('render', jobId)) continue;
    await deps.producer.enqueue('render', { renderId: render.id, kind: render.kind });
    requeued.push(render.id);
  }
  return requeued;
}
