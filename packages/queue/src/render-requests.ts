import { jobCategories, MONTH_HINT, MONTH_PATTERN, renderKinds } from '@jobcast/core';
import { z } from 'zod';

/** A template's name: its folder under templates/. */
const templateName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '模板名只有小写字母、数字和 -，如 job-poster');

/** The most jobs any template shows (the flyer's 24). */
export const MAX_RENDER_JOBS = 24;

const jobIds = z.array(z.number().int().positive()).min(1).max(MAX_RENDER_JOBS);

/** "This week's gig jobs": resolved to job ids when the render is requested, so a retry shows the same jobs. */
export const jobFilter = z.object({
  category: z.enum(jobCategories).optional(),
  search: z.string().trim().min(1).max(100).optional(),
  /** Only jobs imported or changed in the last N days. */
  days: z.number().int().min(1).max(366).optional(),
  limit: z.number().int().min(1).max(MAX_RENDER_JOBS).default(6),
});
export type JobFilterRequest = z.infer<typeof jobFilter>;

/**
 * How a video speaks and sounds, where the request differs from the site's voice and the template's
 * music. The script is the media team's edit of the rule writer's (a paragraph per scene, separated by
 * a blank line); its text only ever reaches a voice and the caption file, never a command line.
 */
export const videoOptions = {
  script: z.string().trim().min(1).max(3000).optional(),
  voice: z
    .object({
      provider: z
        .string()
        .regex(/^[a-z0-9-]{1,40}$/, '语音服务名只有小写字母、数字和 -，如 espeak')
        .optional(),
      voice: z.string().min(1).max(80).optional(),
      rate: z.number().min(0.5).max(2).optional(),
    })
    .optional(),
  /** `none`, one of JobCast's beds (`builtin-bright`), or a track of the site's music library (`library-12`). */
  music: z
    .string()
    .regex(
      /^(?:none|builtin-[a-z]+|library-[1-9][0-9]{0,9})$/,
      '音乐写作 none、builtin-bright 等内置音乐或 library-编号',
    )
    .optional(),
  /** No voice-over even where the template has one. */
  silent: z.boolean().optional(),
  /**
   * Who writes the script when `script` is not given: the rules (default), or the AI script writer, whose
   * draft is spoken only if every figure, phone and employer in it is the jobs' and it fits the scenes.
   */
  writer: z.enum(['rule', 'ai']).optional(),
  /**
   * The media team's clips and photos (media assets) for a footage template (site-visit), in the
   * order they are shown.
   */
  clips: z
    .array(
      z
        .object({
          asset: z.number().int().positive(),
          /** Where the scene starts and ends in the clip, in seconds; by default its first seconds. */
          inS: z.number().min(0).max(36_000).optional(),
          outS: z.number().min(0.5).max(36_000).optional(),
          /** The clip's own sound: kept under the voice and music, or muted. */
          sound: z.enum(['keep', 'mute']).default('keep'),
        })
        .refine((c) => c.outS === undefined || c.outS >= (c.inS ?? 0) + 1, {
          message: '结束点须比开始点晚至少 1 秒',
          path: ['outS'],
        }),
    )
    .min(1)
    .max(8)
    .optional(),
  /** A policy explainer's text (policy-explainer): its title, 3–8 points, and photos to show behind them. */
  explainer: z
    .object({
      title: z.string().trim().min(1).max(30),
      points: z.array(z.string().trim().min(2).max(80)).min(3).max(8),
      images: z.array(z.number().int().positive()).max(8).optional(),
    })
    .optional(),
};

/** A video request's narration, sound, clips and explainer, as the render reads them back from its row. */
export type VideoRequestOptions = z.infer<z.ZodObject<typeof videoOptions>>;

const pickedJobs = <K extends 'video' | 'poster'>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      template: templateName,
      jobIds: jobIds.optional(),
      filter: jobFilter.optional(),
      ...(kind === 'video' ? videoOptions : {}),
    })
    // A policy explainer may speak of no job at all.
    .refine(
      (r) =>
        (r.jobIds === undefined) !== (r.filter === undefined) ||
        ('explainer' in r && r.explainer && !r.jobIds && !r.filter),
      {
        message: '请给出岗位编号或筛选条件，二者选一',
        path: ['jobIds'],
      },
    );

/**
 * What a person asks for (API body, CLI flags), one schema per render kind. The request is kept on
 * the render row as made; the queue only carries the row's id.
 */
export const renderRequests = {
  video: pickedJobs('video'),
  poster: pickedJobs('poster'),
  flyer: z.object({
    kind: z.literal('flyer'),
    template: templateName.default('monthly-flyer'),
    month: z.string().regex(MONTH_PATTERN, MONTH_HINT),
    copies: z.number().int().min(1).max(1_000_000).default(1000),
    /** Picked automatically (active jobs, newest and largest headcount first) unless given. */
    jobIds: jobIds.optional(),
  }),
} as const;

export const renderRequest = z.discriminatedUnion('kind', [
  renderRequests.video,
  renderRequests.poster,
  renderRequests.flyer,
]);
export type RenderRequest = z.infer<typeof renderRequest>;

/** The queue job of a render: the row's id; the worker reads everything else from PostgreSQL. */
export const renderJobPayload = z.object({ renderId: z.number().int().positive(), kind: z.enum(renderKinds) });
