/** The pieces every kind of template is drawn from: colours, boxes, text and its bindings. */
import { z } from 'zod';

/** #rrggbb, or a site colour by name (the site's setting, else the template's default). */
export const color = z.union([
  z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb'),
  z.enum(['primary', 'accent']),
]);

export const box = z.object({
  x: z.number().min(0),
  y: z.number().min(0),
  width: z.number().positive(),
  height: z.number().positive(),
});
export type Box = z.infer<typeof box>;

/** A job's fields a template can show. */
export const jobBindings = [
  'job.title',
  'job.employer',
  'job.pay',
  'job.headcount',
  'job.location',
  'job.requirements',
  'job.contact',
] as const;

/** What a text element shows: a job's field, a site setting, or a policy explainer's text. */
export const textBindings = [
  ...jobBindings,
  'site.name',
  'site.hotline',
  'site.address',
  // A policy explainer's title, the point a scene shows, and its number ("2 / 5").
  'explainer.title',
  'explainer.point',
  'explainer.number',
] as const;
export type TextBinding = (typeof textBindings)[number];

/**
 * Sizes are pixels on posters and video frames, points on the flyer. Nothing smaller than 6 (6 pt is
 * about the smallest Chinese that still reads in print).
 */
export const textStyle = z
  .object({
    weight: z.enum(['regular', 'bold']).default('regular'),
    maxSize: z.number().min(6).max(400),
    minSize: z.number().min(6).max(400),
    lineHeight: z.number().min(1).max(3).default(1.25),
    maxLines: z.number().int().positive().optional(),
    color: color.default('#000000'),
    align: z.enum(['start', 'middle', 'end']).default('start'),
  })
  .refine((s) => s.minSize <= s.maxSize, { message: 'minSize must not exceed maxSize', path: ['minSize'] });

export const element = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('rect'),
    box,
    color,
    radius: z.number().min(0).default(0),
    /** Below 1, the picture shows through (a panel over footage, so its text reads on any clip). */
    opacity: z.number().min(0.05).max(1).default(1),
  }),
  z
    .object({
      type: z.literal('text'),
      box,
      /** A field to show; or `text`, fixed wording of the template (招聘, 扫码报名 …). */
      bind: z.enum(textBindings).optional(),
      text: z.string().min(1).max(200).optional(),
      /** Put before a bound value: "联系电话：". */
      prefix: z.string().max(40).default(''),
      /** A field that may be empty (a job without contact): the element is left out instead of failing. */
      optional: z.boolean().default(false),
      /**
       * Shown only when the site has a page for its QR codes (`qr`: 扫码报名 beside the code), or only
       * when it has none (`no-qr`: what the card says instead).
       */
      when: z.enum(['qr', 'no-qr']).optional(),
      style: textStyle,
    })
    .refine((t) => (t.bind === undefined) !== (t.text === undefined), {
      message: 'a text element has either bind or text',
      path: ['bind'],
    }),
  z.object({
    type: z.literal('image'),
    box,
    /** A file in the template's folder, or the site's logo. */
    asset: z
      .string()
      .regex(
        /^(?:site\.logo|[a-z0-9][a-z0-9._-]*\.(?:png|jpg|jpeg|svg))$/,
        'an asset is a png, jpg or svg file of the template, or site.logo',
      ),
  }),
  z.object({
    type: z.literal('qr'),
    box,
    /** The page the code opens: the site's (site.qrUrl). */
    bind: z.literal('site.qrUrl'),
    color: color.default('#000000'),
  }),
]);
export type TemplateElement = z.infer<typeof element>;
