import { narrationParts } from '@jobcast/speech';
import { z } from 'zod';
import { flyerTemplate } from './flyer-schema.ts';
import { type Box, box, color, element } from './parts.ts';

export {
  type Box,
  color,
  element,
  type StackItem,
  type TemplateElement,
  type TextBinding,
  textBindings,
  textStyle,
} from './parts.ts';

/** Elements drawn once per job, placed in `rows` equal rows of `box` (multi-job posters). */
const jobList = z.object({ box, rows: z.number().int().min(1).max(24), elements: z.array(element).min(1) });

export const posterTemplate = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    kind: z.literal('poster'),
    title: z.string().min(1),
    size: z.object({ width: z.number().int().min(100).max(8000), height: z.number().int().min(100).max(8000) }),
    jobs: z.object({ min: z.number().int().min(0), max: z.number().int().min(1).max(24) }),
    colors: z.object({ primary: color, accent: color }),
    background: color,
    elements: z.array(element),
    jobList: jobList.optional(),
  })
  .superRefine((t, ctx) => {
    const check = boxChecker(t.size, ctx);
    for (const [i, e] of t.elements.entries()) check(e.box, ['elements', i, 'box']);
    if (t.jobList) check(t.jobList.box, ['jobList', 'box']);
    if (t.jobs.max > 1 && !t.jobList) {
      ctx.addIssue({ code: 'custom', message: '放多个岗位的模板须有 jobList（岗位列表）', path: ['jobList'] });
    }
  });
export type PosterTemplate = z.infer<typeof posterTemplate>;

/** Reports a box that reaches outside the page, with the box's path. */
function boxChecker(size: { width: number; height: number }, ctx: z.RefinementCtx) {
  return (b: Box, path: (string | number)[]) => {
    if (b.x + b.width > size.width || b.y + b.height > size.height) {
      ctx.addIssue({ code: 'custom', message: `方框超出了 ${size.width}×${size.height} 的版面`, path });
    }
  };
}

/** The platform profile every video is made to (视频号 and 抖音, vertical). */
export const VIDEO_PROFILE = {
  width: 1080,
  height: 1920,
  fps: 30,
  minDurationS: 5,
  maxDurationS: 60,
  maxBytes: 128 * 1024 * 1024,
} as const;

/**
 * A scene of a video: a still drawn like a poster, shown for `seconds`. A `job` scene is shown once
 * per job, in order; `once` scenes (opening, closing) once. `drift` moves the still slowly by
 * cropping a slightly larger picture, which costs no resampling (measured in bench/render).
 */
const scene = z.object({
  /**
   * `clip`: one scene per clip or photo of the request (footage templates), its elements drawn over
   * the footage; `clips` says which of them (the first, the rest, or all). `point`: one scene per
   * point of a policy explainer.
   */
  each: z.enum(['once', 'job', 'clip', 'point']),
  clips: z.enum(['all', 'first', 'rest']).default('all'),
  /**
   * A scene shown once that shows the first job (weekly picks' opening: the lead job's title and pay
   * large). A scene shown once shows the job anyway when the video has only one.
   */
  lead: z.boolean().default(false),
  seconds: z.number().min(1).max(30),
  motion: z.enum(['none', 'drift']).default('none'),
  /** `rise`: the scene's text and pictures rise into place over its backgrounds and cards as it opens. */
  enter: z.enum(['none', 'rise']).default('none'),
  background: color.optional(),
  elements: z.array(element).min(1),
  /** What the voice-over says while the scene is shown (hook, who, requirements, apply …); silent when empty. */
  say: z.array(z.enum(narrationParts)).default([]),
});
export type VideoScene = z.infer<typeof scene>;

export const videoTemplate = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    kind: z.literal('video'),
    title: z.string().min(1),
    /** A policy explainer may take no job (min 0). */
    jobs: z.object({ min: z.number().int().min(0), max: z.number().int().min(0).max(24) }),
    /** The template's own length limits (within the platform's 5–60 s). */
    duration: z.object({
      min: z.number().min(VIDEO_PROFILE.minDurationS).max(VIDEO_PROFILE.maxDurationS),
      max: z.number().min(VIDEO_PROFILE.minDurationS).max(VIDEO_PROFILE.maxDurationS),
    }),
    colors: z.object({ primary: color, accent: color }),
    background: color,
    transition: z.object({
      type: z.enum(['fade', 'slideleft', 'slideup', 'wipeleft', 'smoothup', 'circleopen']).default('fade'),
      seconds: z.number().min(0.1).max(2).default(0.5),
    }),
    /**
     * The music under the voice unless the request picks another: one of JobCast's own beds
     * (`builtin-bright`, `builtin-calm`), a file in the template's folder, or `none` for no music.
     */
    music: z
      .string()
      .regex(
        /^(?:none|builtin-[a-z]+|[a-z0-9][a-z0-9._-]*\.(?:m4a|mp3|aac|wav))$/,
        'music is none, a builtin-… bed, or an m4a, mp3, aac or wav file of the template',
      )
      .default('builtin-bright'),
    /**
     * The voice-over: on by default. Scenes may grow to fit their paragraph of the script up to
     * `duration.max` when `mayGrow` is set; otherwise a paragraph too long for its scene fails the render.
     */
    narration: z
      .object({ enabled: z.boolean().default(true), mayGrow: z.boolean().default(false) })
      .default({ enabled: true, mayGrow: false }),
    scenes: z.array(scene).min(1).max(40),
  })
  .superRefine((t, ctx) => {
    const check = boxChecker(VIDEO_PROFILE, ctx);
    for (const [i, s] of t.scenes.entries()) {
      for (const [j, e] of s.elements.entries()) check(e.box, ['scenes', i, 'elements', j, 'box']);
      // A scene between two others shares a transition with each.
      if (s.seconds <= 2 * t.transition.seconds) {
        ctx.addIssue({
          code: 'custom',
          message: '每屏的时长须大于转场时长的两倍',
          path: ['scenes', i],
        });
      }
    }
    if (!t.scenes.some((s) => s.each !== 'once')) {
      ctx.addIssue({
        code: 'custom',
        message: '视频模板至少要有一屏的 each 为 "job"、"clip" 或 "point"',
        path: ['scenes'],
      });
    }
    const footage = t.scenes.some((s) => s.each === 'clip' || s.each === 'point');
    if (t.jobs.min > t.jobs.max) ctx.addIssue({ code: 'custom', message: 'min 不能大于 max', path: ['jobs', 'min'] });
    if (t.duration.min > t.duration.max) {
      ctx.addIssue({ code: 'custom', message: 'min 不能大于 max', path: ['duration', 'min'] });
    }
    // Every allowed number of jobs must give a length within the template's limits. A footage or
    // explainer video's length follows its clips or points: it is checked when it is planned.
    for (const n of footage ? [] : [t.jobs.min, t.jobs.max]) {
      const length = videoSeconds(t, n);
      if (length < t.duration.min || length > t.duration.max) {
        ctx.addIssue({
          code: 'custom',
          message: `${n} 个岗位时视频长 ${length.toFixed(1)} 秒，不在 ${t.duration.min}–${t.duration.max} 秒之间`,
          path: ['scenes'],
        });
      }
    }
  });
export type VideoTemplate = z.infer<typeof videoTemplate>;

/** How many scenes a video of `jobs` jobs has, and how long it lasts (transitions overlap scenes). */
export interface PlannedScene {
  scene: VideoScene;
  /** Which job (0-based) a job scene shows; null for a scene shown once. */
  job: number | null;
  /** Which clip or photo (0-based) a clip scene shows. */
  clip?: number;
  /** Which point (0-based) of an explainer a point scene shows. */
  point?: number;
  /** The scene's length where it is not the template's (a clip's own length). */
  seconds?: number;
  /**
   * This scene's share of what its clip scenes say together: the `index`th of `of` (the sentences of
   * the template's `say` are shared out in order), so three clips do not each say the same thing.
   */
  share?: { index: number; of: number };
}

/** How many clips and explainer points a footage or explainer video has. */
export interface SceneCounts {
  clips?: number;
  points?: number;
}

export function videoScenes(t: Pick<VideoTemplate, 'scenes'>, jobs: number, counts: SceneCounts = {}): PlannedScene[] {
  const clips = counts.clips ?? 0;
  return t.scenes.flatMap((scene): PlannedScene[] => {
    switch (scene.each) {
      case 'once':
        return [{ scene, job: null }];
      case 'job':
        return Array.from({ length: jobs }, (_, job) => ({ scene, job }));
      case 'point':
        return Array.from({ length: counts.points ?? 0 }, (_, point) => ({ scene, job: null, point }));
      default: {
        // A clip scene: the first clip, the rest, or all of them.
        const from = scene.clips === 'rest' ? 1 : 0;
        const to = scene.clips === 'first' ? Math.min(1, clips) : clips;
        const shown = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
        return shown.map((clip, i) => ({ scene, job: null, clip, share: { index: i, of: shown.length } }));
      }
    }
  });
}

export function videoSeconds(t: Pick<VideoTemplate, 'scenes' | 'transition'>, jobs: number): number {
  const scenes = videoScenes(t, jobs);
  return scenes.reduce((sum, s) => sum + s.scene.seconds, 0) - (scenes.length - 1) * t.transition.seconds;
}

/** Every kind of template the loader knows. */
export const templateSchemas = { poster: posterTemplate, video: videoTemplate, flyer: flyerTemplate } as const;
export type TemplateKind = keyof typeof templateSchemas;
export type TemplateOf<K extends TemplateKind> = z.infer<(typeof templateSchemas)[K]>;
