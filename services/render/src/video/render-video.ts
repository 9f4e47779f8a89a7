import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { JobView } from '@jobcast/core';
import type { AiComponent } from '@jobcast/db';
import {
  LOUDNESS_TARGET,
  type Loudness,
  measureLoudness,
  planFrames,
  probeVideo,
  profileProblems,
  RunningProcesses,
  runFfmpeg,
  type SceneClip,
  stillsVideoArgs,
  type VideoFacts,
} from '@jobcast/ffmpeg';
import { type LoadedTemplate, type PlannedScene, VIDEO_PROFILE, videoScenes } from '@jobcast/renders';
import sharp from 'sharp';
import { mixSoundTrack } from '../audio/sound.ts';
import type { SiteSettings } from '../bindings.ts';
import { checkJobCount, type DrawContext, pageSvg } from '../draw.ts';
import { assSubtitles, srtSubtitles } from './captions.ts';
import { type NarrationSetup, speakVideo } from './narration.ts';

/** Videos this process is making now (a worker's concurrent renders, or several workers). */
let videosInProgress = 0;

/** The ffmpeg encodes of this process's videos: stopped when the render worker shuts down. */
export const videoEncodes = new RunningProcesses();

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
  /** The script as spoken (null: not narrated). */
  script: string | null;
  /** SubRip captions for the platforms that take a file (null: no captions). */
  srt: string | null;
  /** The AI components that made part of the video: what makes it an AI video. */
  aiComponents: AiComponent[];
  /** The finished file's sound, as ffmpeg's EBU R128 meter read it (null: silent). */
  loudness: Loudness | null;
  /** Milliseconds each stage took (the benchmark prints them). */
  timings: { drawAndSpeak: number; sound: number; encode: number; check: number };
}

export interface VideoOptions {
  /** A folder of this render's own: the stills and ffmpeg's pid go here. */
  workDir: string;
  output: string;
  /** 0–1, as the work goes: stills are the first tenth, encoding most of the rest. */
  onProgress?: (fraction: number) => void;
  /** The voice-over, or null for none (a template without narration, or a silent request). */
  narration?: NarrationSetup | null;
  /** The music file under the voice, or null for none. */
  music?: string | null;
  /** The implicit AIGC label's producer and the render's own id (GB 45438-2025 metadata). */
  aigc?: { producer: string; produceId: string };
}

/** The loudness the finished file must measure: the target ± this, and the true peak under the ceiling. */
export const LOUDNESS_TOLERANCE_LU = 1.5;
export const TRUE_PEAK_CEILING = -1;

/**
 * Each scene of the video as SVG, in order: the same drawing and text fitting as posters, so every
 * field is fitted with the real font and escaped before anything is encoded.
 */
export async function videoSceneSvgs(
  loaded: LoadedTemplate<'video'>,
  jobs: readonly JobView[],
  site: SiteSettings,
): Promise<{ planned: PlannedScene[]; svgs: string[]; layerSvgs: ({ base: string; layer: string } | null)[] }> {
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
  // A scene whose content enters is also drawn as two layers: its backgrounds and cards (rects), and
  // everything else on a transparent page.
  const layerSvgs = await Promise.all(
    planned.map(async ({ scene, job }) => {
      if (scene.enter !== 'rise') return null;
      const forJob = job === null ? soleJob : jobs[job];
      const backs = scene.elements.filter((e) => e.type === 'rect');
      const fronts = scene.elements.filter((e) => e.type !== 'rect');
      return {
        base: await pageSvg(VIDEO_PROFILE, scene.background ?? t.background, backs, forJob, context),
        layer: await pageSvg(VIDEO_PROFILE, 'none', fronts, forJob, context),
      };
    }),
  );
  return { planned, svgs, layerSvgs };
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
  const started = performance.now();
  const { planned, svgs, layerSvgs } = await videoSceneSvgs(loaded, jobs, site);
  const narration = options.narration && t.narration.enabled ? options.narration : null;
  // The voice is synthesised while sharp draws the stills: one is a child process, the other a thread pool.
  const [spoken, stills] = await Promise.all([
    narration
      ? speakVideo({
          planned,
          transitionS: t.transition.seconds,
          mayGrow: t.narration.mayGrow,
          maxSeconds: Math.min(t.duration.max, VIDEO_PROFILE.maxDurationS),
          jobs,
          site,
          setup: narration,
          voiceTrack: path.join(options.workDir, 'voice.wav'),
        })
      : Promise.resolve(null),
    Promise.all(
      svgs.map(async (svg, i) => {
        const motion = planned[i]?.scene.motion ?? 'none';
        const density = motion === 'drift' ? 72 * DRIFT_SCALE : 72;
        const name = (suffix: string) => path.join(options.workDir, `scene-${String(i).padStart(2, '0')}${suffix}.png`);
        const { file, width, height } = await drawPng(svg, density, name(''), false);
        const enter = layerSvgs[i];
        const layers = enter
          ? {
              base: (await drawPng(enter.base, density, name('-base'), false)).file,
              layer: (await drawPng(enter.layer, density, name('-layer'), true)).file,
            }
          : null;
        return { file, motion, width, height, layers };
      }),
    ),
  ]);
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

  const sceneSeconds = spoken?.timeline.sceneSeconds ?? planned.map((p) => p.scene.seconds);
  const layers: string[] = [];
  const scenes: SceneClip[] = stills.map((s, i) => {
    const clip: SceneClip = { seconds: sceneSeconds[i] ?? 0, motion: s.motion, width: s.width, height: s.height };
    if (s.layers) {
      layers.push(s.layers.base, s.layers.layer);
      const base = stills.length + layers.length - 2;
      clip.enter = { base, layer: base + 1, frames: ENTER_FRAMES, rise: ENTER_RISE };
    }
    return clip;
  });
  const plan = { ...VIDEO_PROFILE, transition: t.transition, scenes };
  const { totalFrames } = planFrames(plan);
  const seconds = totalFrames / VIDEO_PROFILE.fps;

  const aiComponents: AiComponent[] = spoken ? [spoken.voice] : [];
  const drawn = performance.now();
  const audio = await mixSoundTrack({
    voice: spoken?.voiceTrack ?? null,
    music: options.music ?? null,
    seconds,
    workDir: options.workDir,
    running: videoEncodes,
  });
  options.onProgress?.(0.15);
  const mixed = performance.now();
  let subtitles: string | undefined;
  if (spoken || aiComponents.length > 0) {
    subtitles = 'captions.ass';
    await writeFile(
      path.join(options.workDir, subtitles),
      assSubtitles(spoken?.cues ?? [], { seconds, aiLabel: aiComponents.length > 0 }),
    );
  }
  const args = stillsVideoArgs({
    stills: stills.map((s) => s.file),
    layers,
    plan,
    audio,
    subtitles,
    metadata: aiComponents.length > 0 ? { AIGC: aigcLabel(aiComponents, options.aigc) } : undefined,
    output: options.output,
    // Counted now, after the stills: renders claimed together are all counted by then.
    threads: encoderThreads(videosInProgress),
  });
  await runFfmpeg(args, {
    cwd: options.workDir,
    pidFile: path.join(options.workDir, 'ffmpeg.pid'),
    running: videoEncodes,
    onProgress: ({ frame }) => {
      if (frame !== null) options.onProgress?.(0.15 + 0.8 * Math.min(1, frame / totalFrames));
    },
  });
  const encoded = performance.now();
  const facts = await probeVideo(options.output);
  const problems = profileProblems(facts, VIDEO_PROFILE);
  // The scenes are whole frames: the length is the frame count's, within one frame of the template's.
  if (Math.abs(facts.durationS - seconds) > 0.1) {
    problems.push(`duration ${facts.durationS.toFixed(2)} s, ${totalFrames} frames make ${seconds.toFixed(2)} s`);
  }
  // Tracked like the encode: a worker shutting down stops it, and the render goes back to the queue.
  const loudness = audio ? await measureLoudness(options.output, { running: videoEncodes }) : null;
  if (loudness) {
    if (Math.abs(loudness.integrated - LOUDNESS_TARGET.integrated) > LOUDNESS_TOLERANCE_LU) {
      problems.push(
        `loudness ${loudness.integrated} LUFS, not ${LOUDNESS_TARGET.integrated} ± ${LOUDNESS_TOLERANCE_LU}`,
      );
    }
    if (loudness.truePeak > TRUE_PEAK_CEILING)
      problems.push(`true peak ${loudness.truePeak} dBTP, over ${TRUE_PEAK_CEILING}`);
  }
  if (problems.length > 0)
    throw new Error(`视频未通过平台规格检查 (video fails the platform profile): ${problems.join('; ')}`);
  options.onProgress?.(0.98);
  return {
    facts,
    cover,
    seconds,
    frames: totalFrames,
    script: spoken?.script ?? null,
    srt: spoken ? srtSubtitles(spoken.cues) : null,
    aiComponents,
    loudness,
    timings: {
      drawAndSpeak: Math.round(drawn - started),
      sound: Math.round(mixed - drawn),
      encode: Math.round(encoded - mixed),
      check: Math.round(performance.now() - encoded),
    },
  };
}

/** An SVG drawn to a PNG file: opaque, or with its transparency kept (a layer drawn over another). */
async function drawPng(
  svg: string,
  density: number,
  file: string,
  alpha: boolean,
): Promise<{ file: string; width: number; height: number }> {
  let image = sharp(Buffer.from(svg), { density });
  if (!alpha) image = image.removeAlpha();
  const info = await image.png({ compressionLevel: 1 }).toFile(file);
  return { file, width: info.width, height: info.height };
}

/** How long a scene's content takes to enter, and how far it rises (px). */
export const ENTER_FRAMES = 12;
export const ENTER_RISE = 90;

/**
 * The implicit label of GB 45438-2025 for a video with AI-made parts: Label 1 (AI-generated content
 * in part), the producer, and the render's own id; the propagation fields are the platforms' to fill.
 */
export function aigcLabel(components: readonly AiComponent[], ids?: { producer: string; produceId: string }): string {
  return JSON.stringify({
    Label: '1',
    ContentProducer: ids?.producer ?? 'JobCast',
    ProduceID: ids?.produceId ?? '',
    ReservedCode1: components.map((c) => `${c.kind}:${c.provider}`).join(','),
    ContentPropagator: '',
    PropagateID: '',
    ReservedCode2: '',
  });
}
