import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { JobView } from '@jobcast/core';
import type { AiComponent } from '@jobcast/db';
import {
  type FootageSound,
  footageSoundArgs,
  LOUDNESS_TARGET,
  type Loudness,
  measureLoudness,
  planFrames,
  probeVideo,
  profileProblems,
  RunningProcesses,
  runFfmpeg,
  type SceneClip,
  soundMuxArgs,
  soundTrackAacArgs,
  stillsVideoArgs,
  thumbnailArgs,
  type VideoFacts,
} from '@jobcast/ffmpeg';
import {
  clipSceneSeconds,
  type LoadedTemplate,
  type PlannedScene,
  RenderInputError,
  VIDEO_PROFILE,
  videoScenes,
} from '@jobcast/renders';
import sharp from 'sharp';
import { mixSoundTrack } from '../audio/sound.ts';
import type { SceneText, SiteSettings } from '../bindings.ts';
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
  /** Each scene's length, transitions included, as encoded. */
  sceneSeconds: number[];
  /** The script as spoken (null: not narrated). */
  script: string | null;
  /** SubRip captions for the platforms that take a file (null: no captions). */
  srt: string | null;
  /** The AI components that made part of the video: what makes it an AI video. */
  aiComponents: AiComponent[];
  /** The finished file's sound, as ffmpeg's EBU R128 meter read it (null: silent). */
  loudness: Loudness | null;
  /**
   * Milliseconds each stage took (the benchmark prints them): the sound is mixed while the picture
   * encodes, so `encode` (picture and joining the sound) includes `sound`'s time, not after it.
   */
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
  /** The media team's clips and photos, in order, for a footage template's clip scenes. */
  footage?: readonly FootageItem[];
  /** A policy explainer's title, points and backdrop photos. */
  explainer?: ExplainerInput;
}

/** A clip or photo of the media team's, as a render uses it (from its media asset and the request). */
export interface FootageItem {
  kind: 'clip' | 'photo';
  /** The file on this machine. */
  file: string;
  /** The name the team knows it by, for messages. */
  name: string;
  /** As displayed (rotation applied). */
  width: number;
  height: number;
  /** A clip's length in seconds. */
  durationS: number | null;
  /** Where its scene starts in the clip, and (if the team set it) ends. */
  inS: number;
  outS?: number;
  /** The clip's own sound: kept under the voice, or muted. */
  sound: 'keep' | 'mute';
  hasAudio: boolean;
}

export interface ExplainerInput {
  title: string;
  points: readonly string[];
  /** Photos shown behind the points, in turn (files on this machine). */
  images: readonly string[];
}
type ExplainerText = Pick<ExplainerInput, 'title' | 'points'> & { images?: readonly string[] };

/** A clip within this of the frame's 9:16 fills it (cropped a little); any other shape is fitted over a blurred fill. */
const PORTRAIT_TOLERANCE = 0.08;

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
  extra: { clips?: number; explainer?: ExplainerText } = {},
): Promise<{ planned: PlannedScene[]; svgs: string[]; layerSvgs: ({ base: string; layer: string } | null)[] }> {
  const t = loaded.template;
  checkJobCount(t.title, t.jobs, jobs.length);
  const explainer = extra.explainer;
  const planned = videoScenes(t, jobs.length, { clips: extra.clips ?? 0, points: explainer?.points.length ?? 0 });
  checkSceneInputs(t, planned, extra.clips ?? 0, explainer);
  const contextOf = (p: PlannedScene): DrawContext => ({
    dir: loaded.dir,
    templateTitle: t.title,
    colors: t.colors,
    site,
    text: sceneText(p, explainer),
  });
  // A scene shown once binds to the job when there is only one (job-spotlight's opening), or to the
  // first when it leads (weekly picks' opening).
  const soleJob = jobs.length === 1 ? jobs[0] : undefined;
  const jobOf = (p: PlannedScene) => (p.job !== null ? jobs[p.job] : p.scene.lead ? jobs[0] : soleJob);
  const svgs = await Promise.all(
    planned.map((p) =>
      pageSvg(
        VIDEO_PROFILE,
        // A clip scene's still is only what is laid over the footage; a photo goes under a backdrop scene's.
        p.scene.each === 'clip' || backdropOf(p, explainer) ? 'none' : (p.scene.background ?? t.background),
        p.scene.elements,
        jobOf(p),
        contextOf(p),
      ),
    ),
  );
  // A scene whose content enters is also drawn as two layers: its backgrounds and cards (rects), and
  // everything else on a transparent page.
  const layerSvgs = await Promise.all(
    planned.map(async (p) => {
      const { scene } = p;
      // Footage moves by itself; only a drawn scene's content enters.
      if (scene.enter !== 'rise' || scene.each === 'clip') return null;
      const forJob = jobOf(p);
      const backs = scene.elements.filter((e) => e.type === 'rect');
      const fronts = scene.elements.filter((e) => e.type !== 'rect');
      // Over a photo the base is transparent too: the photo goes under both when the still is made.
      const background = backdropOf(p, explainer) ? 'none' : (scene.background ?? t.background);
      return {
        base: await pageSvg(VIDEO_PROFILE, background, backs, forJob, contextOf(p)),
        layer: await pageSvg(VIDEO_PROFILE, 'none', fronts, forJob, contextOf(p)),
      };
    }),
  );
  return { planned, svgs, layerSvgs };
}

/** A policy explainer's words for one scene: its title, and the scene's point and its number. */
function sceneText(p: PlannedScene, explainer: ExplainerText | undefined): SceneText {
  if (!explainer) return {};
  const text: SceneText = { title: explainer.title };
  if (p.point !== undefined) {
    text.point = explainer.points[p.point];
    text.number = `${p.point + 1} / ${explainer.points.length}`;
  }
  return text;
}

/** Whether a point scene is drawn over one of the explainer's photos. */
function backdropOf(p: PlannedScene, explainer: ExplainerText | undefined): string | undefined {
  const images = explainer?.images ?? [];
  return p.point !== undefined && images.length > 0 ? images[p.point % images.length] : undefined;
}

/** A footage template without clips, or an explainer without its text, fails before anything is drawn. */
function checkSceneInputs(
  t: LoadedTemplate<'video'>['template'],
  planned: readonly PlannedScene[],
  clips: number,
  explainer: ExplainerText | undefined,
): void {
  if (t.scenes.some((s) => s.each === 'clip') && clips === 0) {
    throw new RenderInputError('MISSING_FIELD', `「${t.title}」用拍摄的视频片段或照片制作，请至少上传并选择 1 段素材`);
  }
  if (t.scenes.some((s) => s.each === 'point') && !explainer) {
    throw new RenderInputError('MISSING_FIELD', `「${t.title}」需要政策标题和 3 到 8 条要点`);
  }
  if (planned.length === 0) throw new RenderInputError('MISSING_FIELD', `「${t.title}」没有可制作的画面`);
}

/** How a clip fills the 9:16 frame: cropped when it is about that shape, else whole over a blurred copy. */
export function clipFit(item: Pick<FootageItem, 'width' | 'height'>): 'cover' | 'blur' {
  const ratio = item.width / item.height;
  return Math.abs(ratio - VIDEO_PROFILE.width / VIDEO_PROFILE.height) <= PORTRAIT_TOLERANCE ? 'cover' : 'blur';
}

/**
 * A photo as a scene's picture at `width`×`height`: fitted whole over a blurred, darkened copy of
 * itself (`fit`), or filling the frame darkened so text reads over it (`backdrop`). Turned upright by
 * its EXIF orientation; a 48-megapixel phone photo is read once and shrunk before anything else.
 */
export async function photoPicture(
  file: string,
  width: number,
  height: number,
  mode: 'fit' | 'backdrop',
): Promise<Buffer> {
  const upright = await sharp(file, { limitInputPixels: PHOTO_MAX_PIXELS })
    .rotate()
    .resize(width * 2, height * 2, { fit: 'inside', withoutEnlargement: true })
    .toBuffer();
  if (mode === 'backdrop') {
    return sharp(upright).resize(width, height, { fit: 'cover' }).modulate({ brightness: 0.5 }).png().toBuffer();
  }
  const fill = await sharp(upright)
    .resize(Math.round(width / 8), Math.round(height / 8), { fit: 'cover' })
    .blur(4)
    .resize(width, height, { fit: 'fill' })
    .modulate({ brightness: 0.7 })
    .toBuffer();
  const front = await sharp(upright).resize(width, height, { fit: 'inside' }).toBuffer({ resolveWithObject: true });
  return sharp(fill)
    .composite([
      {
        input: front.data,
        left: Math.floor((width - front.info.width) / 2),
        top: Math.floor((height - front.info.height) / 2),
      },
    ])
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** The largest photo read (an 8000×6000 phone photo is 48 megapixels). */
export const PHOTO_MAX_PIXELS = 100_000_000;

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
  const footage = options.footage ?? [];
  const explainer = options.explainer;
  const { planned, svgs, layerSvgs } = await videoSceneSvgs(loaded, jobs, site, { clips: footage.length, explainer });
  for (const p of planned) {
    const item = p.clip === undefined ? undefined : footage[p.clip];
    if (item) p.seconds = clipSceneSeconds(item, p.scene.seconds);
  }
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
          explainer,
        })
      : Promise.resolve(null),
    Promise.all(
      svgs.map(async (svg, i) => {
        const p = planned[i] as PlannedScene;
        const item = p.clip === undefined ? undefined : footage[p.clip];
        const name = (suffix: string) => path.join(options.workDir, `scene-${String(i).padStart(2, '0')}${suffix}.png`);
        if (item?.kind === 'clip') {
          // Only the card, cut to its own rectangle: the clip plays under it, and only those pixels are blended.
          const card = await sharp(Buffer.from(svg), { density: 72 })
            .trim({ threshold: 0 })
            .png({ compressionLevel: 1 })
            .toFile(name(''))
            .catch(() => null);
          if (card && card.trimOffsetLeft !== undefined && card.trimOffsetTop !== undefined) {
            const at = { x: -card.trimOffsetLeft, y: -card.trimOffsetTop };
            return {
              file: name(''),
              motion: 'none' as const,
              width: card.width,
              height: card.height,
              layers: null,
              clip: item,
              at,
            };
          }
          const { file, width, height } = await drawPng(svg, 72, name(''), true);
          return { file, motion: 'none' as const, width, height, layers: null, clip: item };
        }
        // A photo drifts slowly, as a camera would move over it.
        const motion = item?.kind === 'photo' ? 'drift' : p.scene.motion;
        const density = motion === 'drift' ? 72 * DRIFT_SCALE : 72;
        const under = item ? { file: item.file, mode: 'fit' as const } : backdropOf(p, explainer);
        const enter = layerSvgs[i];
        if (under !== undefined) {
          const photo = typeof under === 'string' ? { file: under, mode: 'backdrop' as const } : under;
          const over = await sharp(Buffer.from(svg), { density }).png().toBuffer({ resolveWithObject: true });
          const { width, height } = over.info;
          const picture = await photoPicture(photo.file, width, height, photo.mode);
          const file = name('');
          await sharp(picture)
            .composite([{ input: over.data }])
            .removeAlpha()
            .png({ compressionLevel: 1 })
            .toFile(file);
          let layers: { base: string; layer: string } | null = null;
          if (enter) {
            const base = await sharp(Buffer.from(enter.base), { density }).png().toBuffer();
            const baseFile = name('-base');
            await sharp(picture)
              .composite([{ input: base }])
              .removeAlpha()
              .png({ compressionLevel: 1 })
              .toFile(baseFile);
            layers = { base: baseFile, layer: (await drawPng(enter.layer, density, name('-layer'), true)).file };
          }
          return { file, motion, width, height, layers, clip: null };
        }
        const { file, width, height } = await drawPng(svg, density, name(''), false);
        const layers = enter
          ? {
              base: (await drawPng(enter.base, density, name('-base'), false)).file,
              layer: (await drawPng(enter.layer, density, name('-layer'), true)).file,
            }
          : null;
        return { file, motion, width, height, layers, clip: null };
      }),
    ),
  ]);
  options.onProgress?.(0.1);

  // The cover is the first job scene; a footage video's is a frame of the finished video (below).
  const coverIndex = Math.max(
    0,
    planned.findIndex((p) => p.job !== null),
  );
  const coverStill = stills[coverIndex] as (typeof stills)[number];
  let cover = coverStill.clip
    ? null
    : await sharp(coverStill.file)
        .extract({
          left: Math.floor((coverStill.width - VIDEO_PROFILE.width) / 2),
          top: Math.floor((coverStill.height - VIDEO_PROFILE.height) / 2),
          width: VIDEO_PROFILE.width,
          height: VIDEO_PROFILE.height,
        })
        .jpeg({ quality: 85 })
        .toBuffer();

  const sceneSeconds = spoken?.timeline.sceneSeconds ?? planned.map((p) => p.seconds ?? p.scene.seconds);
  const layers: string[] = [];
  const clips: { file: string; startS: number; seconds: number }[] = [];
  const scenes: SceneClip[] = stills.map((s, i) => {
    const clip: SceneClip = { seconds: sceneSeconds[i] ?? 0, motion: s.motion, width: s.width, height: s.height };
    if (s.layers) {
      layers.push(s.layers.base, s.layers.layer);
      const base = stills.length + layers.length - 2;
      clip.enter = { base, layer: base + 1, frames: ENTER_FRAMES, rise: ENTER_RISE };
    }
    if (s.clip) {
      // Numbered after the layers once all are known (below).
      clip.footage = { input: clips.length, fit: clipFit(s.clip), at: 'at' in s ? s.at : undefined };
      clips.push({ file: s.clip.file, startS: s.clip.inS, seconds: clip.seconds });
    }
    return clip;
  });
  for (const scene of scenes) if (scene.footage) scene.footage.input += stills.length + layers.length;
  const plan = { ...VIDEO_PROFILE, transition: t.transition, scenes };
  const { totalFrames } = planFrames(plan);
  const seconds = totalFrames / VIDEO_PROFILE.fps;
  // A narrated video's length was checked as it was planned; clips set their own.
  const longest = Math.min(t.duration.max, VIDEO_PROFILE.maxDurationS);
  if (seconds > longest + 1e-6 || seconds < VIDEO_PROFILE.minDurationS) {
    throw new RenderInputError(
      'VIDEO_LENGTH',
      `这些素材做成的视频长 ${seconds.toFixed(1)} 秒，须在 ${VIDEO_PROFILE.minDurationS}–${longest} 秒之间，请调整片段的开始和结束点或增减素材`,
      { seconds, maxSeconds: longest },
    );
  }

  // The voice, and the script when an AI wrote what the voice says: both go in the labels.
  const scriptAi = spoken ? (narration?.aiScript?.component?.() ?? null) : null;
  const aiComponents: AiComponent[] = spoken ? [spoken.voice, ...(scriptAi ? [scriptAi] : [])] : [];
  const drawn = performance.now();
  let subtitles: string | undefined;
  if (spoken || aiComponents.length > 0) {
    subtitles = 'captions.ass';
    await writeFile(
      path.join(options.workDir, subtitles),
      assSubtitles(spoken?.cues ?? [], { seconds, aiLabel: aiComponents.length > 0 }),
    );
  }
  const metadata = aiComponents.length > 0 ? { AIGC: aigcLabel(aiComponents, options.aigc) } : undefined;
  // The sound is mixed while the picture encodes (two processes, neither waits for the other), and the
  // two are joined after: a video with neither voice, music nor clip sound is encoded with silence in one go.
  const withSound =
    spoken !== null ||
    Boolean(options.music) ||
    stills.some((s) => s.clip && s.clip.sound === 'keep' && s.clip.hasAudio);
  const picture = withSound ? path.join(options.workDir, 'picture.mp4') : options.output;
  let mixed = drawn;
  const sound = withSound
    ? (async () => {
        const ambience = await clipsSound(stills, sceneSeconds, t.transition.seconds, seconds, options.workDir);
        const track = await mixSoundTrack({
          voice: spoken?.voiceTrack ?? null,
          music: options.music ?? null,
          ambience,
          seconds,
          workDir: options.workDir,
          running: videoEncodes,
        });
        if (!track) return null;
        // Encoded here too, beside the picture: joining the two then copies both.
        const aac = path.join(options.workDir, 'sound.m4a');
        await runFfmpeg(soundTrackAacArgs(track, aac), { running: videoEncodes });
        mixed = performance.now();
        return { track, aac };
      })()
    : Promise.resolve(null);
  const args = stillsVideoArgs({
    stills: stills.map((s) => s.file),
    layers,
    footage: clips,
    plan,
    audio: withSound ? 'later' : null,
    subtitles,
    metadata,
    output: picture,
    // Counted now, after the stills: renders claimed together are all counted by then.
    threads: encoderThreads(videosInProgress),
  });
  const encoding = runFfmpeg(args, {
    cwd: options.workDir,
    pidFile: path.join(options.workDir, 'ffmpeg.pid'),
    running: videoEncodes,
    onProgress: ({ frame }) => {
      if (frame !== null) options.onProgress?.(0.1 + 0.82 * Math.min(1, frame / totalFrames));
    },
  });
  // Both settle before either's failure is thrown: nothing of this render is left running.
  const [encodedPicture, mixedSound] = await Promise.allSettled([encoding, sound]);
  if (encodedPicture.status === 'rejected') throw encodedPicture.reason;
  if (mixedSound.status === 'rejected') throw mixedSound.reason;
  const audio = mixedSound.value;
  if (withSound) {
    if (!audio) throw new Error('the sound track came out empty');
    await runFfmpeg(soundMuxArgs({ picture, audio: audio.aac, metadata, output: options.output }), {
      running: videoEncodes,
    });
  }
  options.onProgress?.(0.94);
  const encoded = performance.now();
  // The file read back three ways at once: its facts, its loudness (tracked like the encode: a worker
  // shutting down stops it, and the render goes back to the queue), and a footage video's cover, a
  // frame after the hook has entered.
  const coverFile = path.join(options.workDir, 'cover.jpg');
  const [facts, loudness] = await Promise.all([
    probeVideo(options.output),
    audio ? measureLoudness(options.output, { running: videoEncodes }) : Promise.resolve(null),
    cover
      ? Promise.resolve()
      : runFfmpeg(thumbnailArgs(options.output, Math.min(1.5, seconds / 2), coverFile, VIDEO_PROFILE.width), {
          running: videoEncodes,
        }),
  ]);
  cover ??= await readFile(coverFile);
  const problems = profileProblems(facts, VIDEO_PROFILE);
  // The scenes are whole frames: the length is the frame count's, within one frame of the template's.
  if (Math.abs(facts.durationS - seconds) > 0.1) {
    problems.push(`时长 ${facts.durationS.toFixed(2)} 秒，而 ${totalFrames} 帧应为 ${seconds.toFixed(2)} 秒`);
  }
  if (loudness) {
    if (Math.abs(loudness.integrated - LOUDNESS_TARGET.integrated) > LOUDNESS_TOLERANCE_LU) {
      problems.push(`响度 ${loudness.integrated} LUFS，应为 ${LOUDNESS_TARGET.integrated} ± ${LOUDNESS_TOLERANCE_LU}`);
    }
    if (loudness.truePeak > TRUE_PEAK_CEILING)
      problems.push(`真峰值 ${loudness.truePeak} dBTP，超过 ${TRUE_PEAK_CEILING}`);
  }
  if (problems.length > 0) throw new Error(`视频未通过平台规格检查：${problems.join('；')}`);
  options.onProgress?.(0.98);
  return {
    facts,
    cover,
    seconds,
    frames: totalFrames,
    sceneSeconds: scenes.map((scene) => scene.seconds),
    script: spoken?.script ?? null,
    srt: spoken ? srtSubtitles(spoken.cues) : null,
    aiComponents,
    loudness,
    timings: {
      drawAndSpeak: Math.round(drawn - started),
      // The sound is mixed while the picture encodes: its time is part of the encode's, not added to it.
      sound: Math.round(mixed - drawn),
      encode: Math.round(encoded - drawn),
      check: Math.round(performance.now() - encoded),
    },
  };
}

/**
 * The clips' own sound, each where its scene plays, as one WAV for the mix (null: every clip is muted
 * or has no sound). A scene longer than its clip leaves silence after it.
 */
async function clipsSound(
  stills: readonly { clip: FootageItem | null }[],
  sceneSeconds: readonly number[],
  transitionS: number,
  seconds: number,
  workDir: string,
): Promise<string | null> {
  const pieces: FootageSound[] = [];
  let at = 0;
  for (const [i, still] of stills.entries()) {
    const length = sceneSeconds[i] ?? 0;
    const clip = still.clip;
    if (clip && clip.sound === 'keep' && clip.hasAudio) {
      const available = (clip.durationS ?? length) - clip.inS;
      pieces.push({ file: clip.file, startS: clip.inS, seconds: Math.min(length, available), atS: at });
    }
    at += length - transitionS;
  }
  if (pieces.length === 0) return null;
  const output = path.join(workDir, 'ambience.wav');
  await runFfmpeg(footageSoundArgs(pieces, seconds, output), { running: videoEncodes });
  return output;
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
