import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { JobView } from '@jobcast/core';
import { type LoadedTemplate, type PlannedScene, VIDEO_PROFILE, videoScenes } from '@jobcast/renders';
import sharp from 'sharp';
import type { SiteSettings } from '../bindings.ts';
import { checkJobCount, type DrawContext, pageSvg } from '../draw.ts';
import { encodeVideo } from './encode.ts';
import { planFrames, type SceneClip, videoFilterGraph } from './filtergraph.ts';
import { probeVideo, profileProblems, type VideoFacts } from './probe.ts';

/** Videos this process is making now (a worker's concurrent renders, or several workers). */
let videosInProgress = 0;

/**
 * x264 threads for one of `inProgress` videos made at once: every core for a video alone (it comes
 * out soonest), else an equal share. Measured on 2 cores, 4 one-job videos two at a time: 26.9 s
 * when each ffmpeg took every core (they fight over the cores), 20.1 s with one thread each; one
 * after another, 33.2 s.
 */
export function encoderThreads(inProgress: number, cores = availableParallelism()): number | undefined {
  return inProgress <= 1 ? undefined : Math.max(1, Math.floor(cores / inProgress));
}

/** How much larger a drifting scene's still is drawn: the frame-sized window moves across the extra. */
export const DRIFT_SCALE = 1.04;

export interface VideoResult {
  facts: VideoFacts;
  /** The first job scene as a JPEG, for the platforms' cover picture. */
  cover: Buffer;
  seconds: number;
  frames: number;
}

export interface VideoOptions {
  /** A folder of this render's own: the stills and ffmpeg's pid go here. */
  workDir: string;
  output: string;
  /** 0–1, as the work goes: stills are the first tenth, encoding most of the rest. */
  onProgress?: (fraction: number) => void;
}

/**
 * Each scene of the video as SVG, in order: the same drawing and text fitting as posters, so every
 * field is fitted with the real font and escaped before anything is encoded.
 */
export async function videoSceneSvgs(
  loaded: LoadedTemplate<'video'>,
  jobs: readonly JobView[],
  site: SiteSettings,
): Promise<{ planned: PlannedScene[]; svgs: string[] }> {
  const t = loaded.template;
  checkJobCount(t.name, t.jobs, jobs.length);
  const context: DrawContext = { dir: loaded.dir, templateName: t.name, colors: t.colors, site };
  const planned = videoScenes(t, jobs.length);
  // A scene shown once binds to the job when there is only one (job-spotlight's opening).
  const soleJob = jobs.length === 1 ? jobs[0] : undefined;
  const svgs = await Promise.all(
    planned.map(({ scene, job }) =>
      pageSvg(
        VIDEO_PROFILE,
        scene.background ?? t.background,
        scene.elements,
        job === null ? soleJob : jobs[job],
        context,
      ),
    ),
  );
  return { planned, svgs };
}

/**
 * A vertical short video of the jobs: each scene drawn as a still (the same drawing and text fitting
 * as posters), then one ffmpeg run animates and encodes them, and ffprobe checks the file against the
 * platform profile. Every piece of text is fitted before anything is encoded, so text that cannot
 * fit or a character the font lacks fails at once.
 */
export async function renderVideo(
  loaded: LoadedTemplate<'video'>,
  jobs: readonly JobView[],
  site: SiteSettings,
  options: VideoOptions,
): Promise<VideoResult> {
  videosInProgress++;
  try {
    return await drawAndEncode(loaded, jobs, site, options);
  } finally {
    videosInProgress--;
  }
}

async function drawAndEncode(
  loaded: LoadedTemplate<'video'>,
  jobs: readonly JobView[],
  site: SiteSettings,
  options: VideoOptions,
): Promise<VideoResult> {
  const t = loaded.template;
  const { planned, svgs } = await videoSceneSvgs(loaded, jobs, site);
  const stills = await Promise.all(
    svgs.map(async (svg, i) => {
      const motion = planned[i]?.scene.motion ?? 'none';
      const file = path.join(options.workDir, `scene-${String(i).padStart(2, '0')}.png`);
      const info = await sharp(Buffer.from(svg), { density: motion === 'drift' ? 72 * DRIFT_SCALE : 72 })
        .removeAlpha()
        .png({ compressionLevel: 1 })
        .toFile(file);
      return { file, motion, width: info.width, height: info.height };
    }),
  );
  options.onProgress?.(0.1);

  const coverIndex = Math.max(
    0,
    planned.findIndex((p) => p.job !== null),
  );
  const coverStill = stills[coverIndex] as (typeof stills)[number];
  const cover = await sharp(coverStill.file)
    .extract({
      left: Math.floor((coverStill.width - VIDEO_PROFILE.width) / 2),
      top: Math.floor((coverStill.height - VIDEO_PROFILE.height) / 2),
      width: VIDEO_PROFILE.width,
      height: VIDEO_PROFILE.height,
    })
    .jpeg({ quality: 85 })
    .toBuffer();

  const scenes: SceneClip[] = stills.map((s, i) => ({
    seconds: planned[i]?.scene.seconds ?? 0,
    motion: s.motion,
    width: s.width,
    height: s.height,
  }));
  const plan = { ...VIDEO_PROFILE, transition: t.transition, scenes };
  const { totalFrames } = planFrames(plan);
  const seconds = totalFrames / VIDEO_PROFILE.fps;
  await encodeVideo({
    stills: stills.map((s) => s.file),
    filterGraph: videoFilterGraph(plan),
    seconds,
    totalFrames,
    music: t.music ? path.join(loaded.dir, t.music) : null,
    output: options.output,
    pidFile: path.join(options.workDir, 'ffmpeg.pid'),
    onFrames: (frames) => options.onProgress?.(0.1 + 0.85 * Math.min(1, frames / totalFrames)),
    // Counted now, after the stills: renders claimed together are all counted by then.
    threads: encoderThreads(videosInProgress),
  });
  const facts = await probeVideo(options.output);
  const problems = profileProblems(facts);
  // The scenes are whole frames: the length is the frame count's, within one frame of the template's.
  if (Math.abs(facts.durationS - seconds) > 0.1) {
    problems.push(`duration ${facts.durationS.toFixed(2)} s, ${totalFrames} frames make ${seconds.toFixed(2)} s`);
  }
  if (problems.length > 0)
    throw new Error(`视频未通过平台规格检查 (video fails the platform profile): ${problems.join('; ')}`);
  options.onProgress?.(0.98);
  return { facts, cover, seconds, frames: totalFrames };
}
