import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { RenderOutput } from '@jobcast/db';
import { loadTemplate } from '@jobcast/renders';
import { outputKeys, type ProduceContext } from '../service.ts';
import { stopLeftoverEncode } from './encode.ts';
import { renderVideo } from './render-video.ts';

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
  await stopLeftoverEncode(path.join(earlier, 'ffmpeg.pid'), earlier);
  const workDir = await deps.store.scratchDir(scratch);
  try {
    let lastReport = 0;
    let reporting: Promise<void> = Promise.resolve();
    const output = path.join(workDir, 'video.mp4');
    const video = await renderVideo(loaded, jobs, site, {
      workDir,
      output,
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
    return {
      outputKey: keys.video,
      coverKey: keys.videoCover,
      mimeType: 'video/mp4',
      width: video.facts.width,
      height: video.facts.height,
      durationS: video.facts.durationS,
      bytes: stored.bytes,
    };
  } finally {
    await deps.store.dropScratch(scratch);
  }
}
