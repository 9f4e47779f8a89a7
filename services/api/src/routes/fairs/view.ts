import { z } from '@hono/zod-openapi';
import {
  FAIR_KIND_LABELS,
  FAIR_STATUS_LABELS,
  type FairDetail,
  type FairEmployerView,
  type FairMonth,
  type FairPhoto,
  type JudgedFair,
  schema,
} from '@jobcast/db';
import { FAIR_RULES } from '@jobcast/kpi';
import { errorResponse } from '../../errors.ts';
import { idSchema } from '../../schemas.ts';

export const fairParams = z.object({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
});

export const fairPhotoParams = z.object({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
  photoId: idSchema.openapi({ param: { name: 'photoId', in: 'path' }, example: 5 }),
});

export const fairDocumentParams = z.object({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
  which: z.enum(['plan', 'summary']).openapi({
    param: { name: 'which', in: 'path' },
    description: 'plan = 活动方案, summary = 活动总结',
    example: 'summary',
  }),
});

const instant = z.string().openapi({ format: 'date-time' });

export const fairOverlapResponse = errorResponse(
  'AI数智招聘会的屏幕分组在这段时间已有另一场 AI数智招聘会，同一分组的播放只能证明一场 (CONFLICT, field startsAt; the message names the other fair and its time)',
);

const kindSchema = z
  .enum(schema.fairKinds)
  .openapi({ description: 'ai = AI数智招聘会 (its screens play job videos), onsite = 线下招聘会' });

const statusSchema = z.enum(['upcoming', 'ongoing', 'held']).openapi({
  description:
    'held = over (it counts, as the score counts it: only fairs that have ended); ongoing = started, not over; upcoming = not started. A fair not held is never qualified and is left out of the counts',
});

const verdictSchema = z
  .object({
    qualified: z.boolean().openapi({
      description:
        'It counts: held, and meeting the rules. False for a fair not over yet, whose reasons say how its registration stands',
    }),
    employers: z.number().int().openapi({ description: 'Distinct employers' }),
    reasons: z.array(z.string()).openapi({
      description: 'Why it counts, or every reason it does not, in Chinese',
      example: ['用人单位 5 家，少于 6 家'],
    }),
  })
  .openapi('FairVerdict');

const fileSchema = z
  .object({ name: z.string(), url: z.string() })
  .nullable()
  .openapi({ description: 'The plan or summary given as a file (PDF or Word), if any' });

export const fairSchema = z
  .object({
    id: z.number().int(),
    kind: kindSchema,
    kindLabel: z.string().openapi({ example: 'AI数智招聘会' }),
    title: z.string(),
    startsAt: instant,
    endsAt: instant,
    day: z.string().openapi({ format: 'date', description: "The day it starts, on the site's clock" }),
    venue: z.string(),
    group: z
      .object({ id: z.number().int(), name: z.string() })
      .nullable()
      .openapi({ description: 'The screen group whose plays prove an AI fair' }),
    jobSeekers: z.number().int().nullable(),
    offers: z.number().int().nullable().openapi({ description: '意向 (offers of interest) made' }),
    plan: z.string().nullable(),
    summary: z.string().nullable(),
    planFile: fileSchema,
    summaryFile: fileSchema,
    employerCount: z.number().int(),
    jobCount: z.number().int(),
    photoCount: z.number().int(),
    plays: z
      .object({
        plays: z.number().int().openapi({ description: 'Plays of job videos on the group during the fair' }),
        completed: z.number().int().openapi({ description: 'Of those, played to at least 90 %' }),
        videos: z.number().int().openapi({ description: 'Distinct videos completed' }),
      })
      .openapi({ description: 'AI fairs: plays on the fair’s screen group between its start and end' }),
    status: statusSchema,
    statusLabel: z.string().openapi({ example: '已举办', description: '已举办, 进行中 or 未举办' }),
    verdict: verdictSchema,
    updatedAt: instant,
  })
  .openapi('Fair');

const employerSchema = z
  .object({
    employerId: z.number().int(),
    name: z.string(),
    jobs: z.array(
      z.object({
        id: z.number().int(),
        title: z.string(),
        validUntil: z.string().nullable().openapi({ format: 'date' }),
      }),
    ),
  })
  .openapi('FairEmployer') satisfies z.ZodType<FairEmployerView>;

export const fairPhotoSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    url: z.string(),
    thumbnailUrl: z.string(),
    createdAt: instant,
  })
  .openapi('FairPhoto');

export const fairDetailSchema = fairSchema
  .extend({
    employers: z.array(employerSchema),
    photos: z.array(fairPhotoSchema),
    playlist: z.array(z.number().int()).openapi({ description: 'The fair’s own playlist: render ids in order' }),
  })
  .openapi('FairDetail');

const countSchema = z.object({
  held: z.number().int().openapi({ description: 'Fairs held (over) in the range' }),
  qualified: z.number().int().openapi({
    description: 'Of those, the qualified ones: for a service year, the score line’s count (/api/kpi)',
  }),
  upcoming: z.number().int().openapi({ description: 'Fairs recorded that are not over yet: not counted' }),
  target: z.number().int(),
});

export const fairYearSchema = z
  .object({
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date', description: 'The day after the last day' }),
    year: z.number().int().nullable().openapi({ description: 'The service year listed, when one was asked for' }),
    counts: z.object({ ai: countSchema, onsite: countSchema }),
    months: z
      .array(
        z.object({
          month: z.string().openapi({ example: '2026-05' }),
          fairs: z.number().int().openapi({ description: '线下招聘会 held (over) that month' }),
          qualified: z.number().int(),
          upcoming: z.number().int().openapi({ description: '线下招聘会 recorded that month, not over yet' }),
          met: z.boolean().openapi({ description: 'At least one qualifying 线下招聘会 held that month' }),
        }),
      )
      .openapi({ description: 'The service year’s months and their on-site fairs (empty for a from/to range)' }),
    fairs: z.array(fairSchema),
  })
  .openapi('FairYear');

export type FairView = z.infer<typeof fairSchema>;
export type FairDetailView = z.infer<typeof fairDetailSchema>;

export function fairPhotoUrl(fairId: number, photoId: number, thumbnail = false): string {
  return `/api/fairs/${fairId}/photos/${photoId}${thumbnail ? '/thumbnail' : ''}`;
}

export function toFairView(fair: JudgedFair): FairView {
  return {
    id: fair.id,
    kind: fair.kind,
    kindLabel: FAIR_KIND_LABELS[fair.kind],
    title: fair.title,
    startsAt: new Date(fair.startsAt).toISOString(),
    endsAt: new Date(fair.endsAt).toISOString(),
    day: fair.day,
    venue: fair.venue,
    group: fair.groupId !== null ? { id: fair.groupId, name: fair.groupName ?? '' } : null,
    jobSeekers: fair.jobSeekers,
    offers: fair.offers,
    plan: fair.plan,
    summary: fair.summary,
    planFile: fair.planName && fair.planKey ? { name: fair.planName, url: `/api/fairs/${fair.id}/files/plan` } : null,
    summaryFile:
      fair.summaryName && fair.summaryKey
        ? { name: fair.summaryName, url: `/api/fairs/${fair.id}/files/summary` }
        : null,
    employerCount: fair.employerIds.length,
    jobCount: fair.jobCount,
    photoCount: fair.photoCount,
    plays: { plays: fair.plays, completed: fair.facts.completedPlays, videos: fair.facts.videosPlayed },
    status: fair.status,
    statusLabel: FAIR_STATUS_LABELS[fair.status],
    verdict: fair.verdict,
    updatedAt: new Date(fair.updatedAt).toISOString(),
  };
}

export function toFairPhotoView(photo: FairPhoto): z.infer<typeof fairPhotoSchema> {
  return {
    id: photo.id,
    name: photo.displayName,
    width: photo.width,
    height: photo.height,
    bytes: photo.bytes,
    url: fairPhotoUrl(photo.fairId, photo.id),
    thumbnailUrl: fairPhotoUrl(photo.fairId, photo.id, true),
    createdAt: new Date(photo.createdAt).toISOString(),
  };
}

export function toFairDetailView(fair: FairDetail): FairDetailView {
  return {
    ...toFairView(fair),
    employers: fair.employers,
    photos: fair.photos.map(toFairPhotoView),
    playlist: fair.playlist,
  };
}

/**
 * The year's counts against the contract's targets, as the score counts them: only fairs held (over);
 * the ones still to come are counted apart.
 */
export function fairCounts(fairs: readonly JudgedFair[]): z.infer<typeof fairYearSchema>['counts'] {
  const of = (kind: 'ai' | 'onsite') => {
    const recorded = fairs.filter((fair) => fair.kind === kind);
    const held = recorded.filter((fair) => fair.status === 'held');
    return {
      held: held.length,
      qualified: held.filter((fair) => fair.verdict.qualified).length,
      upcoming: recorded.length - held.length,
      target: FAIR_RULES[kind].target,
    };
  };
  return { ai: of('ai'), onsite: of('onsite') };
}

export type { FairMonth };
