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
  // The requirements one by one, for a template that lays them out as separate facts.
  'job.education',
  'job.experience',
  'job.description',
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
  .refine((s) => s.minSize <= s.maxSize, {
    message: 'minSize（最小字号）不能大于 maxSize（最大字号）',
    path: ['minSize'],
  });

/**
 * Shown only when the site has a page for its QR codes (`qr`: 扫码报名 beside the code), or only when it
 * has none (`no-qr`: what the card says instead); likewise with and without a service hotline.
 */
const when = z.enum(['qr', 'no-qr', 'hotline', 'no-hotline']).optional();

/** What a text shows and how: a field or fixed wording, set in a style. */
const textFields = {
  /** A field to show; or `text`, fixed wording of the template (招聘, 扫码报名 …). */
  bind: z.enum(textBindings).optional(),
  text: z.string().min(1).max(200).optional(),
  /** Put before a bound value: "联系电话：". */
  prefix: z.string().max(40).default(''),
  /** A field that may be empty (a job without contact): the element is left out instead of failing. */
  optional: z.boolean().default(false),
  when,
  style: textStyle,
};
const bindOrText = [
  (t: { bind?: unknown; text?: unknown }) => (t.bind === undefined) !== (t.text === undefined),
  { message: '文字元素须有 bind（字段）或 text（固定文字），二者选一', path: ['bind'] },
] as [(t: { bind?: unknown; text?: unknown }) => boolean, { message: string; path: string[] }];

/**
 * A piece of a stack, `height` pixels at most: it takes only the height its text needs, and is left
 * out (with its label) when its field is empty and optional or its `when` does not hold.
 */
const stackItem = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('text'),
      height: z.number().positive(),
      ...textFields,
      /** A small heading set above the value (招聘人数 over 5人), shown only with it. */
      label: z
        .object({
          text: z.string().min(1).max(40),
          height: z.number().positive(),
          style: textStyle,
          /** Space between the label and the value. */
          gap: z.number().min(0).default(8),
        })
        .optional(),
      /**
       * A rounded panel behind the item (label and value): across the stack (`full`), or only as wide as
       * the text (`text`: a pill).
       */
      backdrop: z
        .object({
          color,
          radius: z.number().min(0).default(0),
          padX: z.number().min(0).default(0),
          padY: z.number().min(0).default(0),
          width: z.enum(['full', 'text']).default('full'),
        })
        .optional(),
      /** Space above the item instead of the stack's gap. */
      gapBefore: z.number().min(0).optional(),
    })
    .refine(...bindOrText),
  z.object({
    /** A line between groups: `width` long (the stack's width when not given), placed like text. */
    type: z.literal('rule'),
    height: z.number().positive(),
    width: z.number().positive().optional(),
    color,
    align: z.enum(['start', 'middle', 'end']).default('start'),
    when,
    gapBefore: z.number().min(0).optional(),
  }),
  z.object({
    /** The site's QR code, `height` square, centred across the stack; left out when the site has no page. */
    type: z.literal('qr'),
    height: z.number().positive(),
    bind: z.literal('site.qrUrl'),
    color: color.default('#000000'),
    gapBefore: z.number().min(0).optional(),
  }),
]);
export type StackItem = z.infer<typeof stackItem>;

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
      ...textFields,
    })
    .refine(...bindOrText),
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
  z.object({
    /**
     * Pieces laid out top to bottom in `box`, each as tall as its text needs and `gap` apart, the
     * whole centred in the box's height (`valign: middle`) or from its top: a job without a field
     * closes up instead of leaving a hole, and a short text does not leave the bottom empty.
     */
    type: z.literal('stack'),
    box,
    gap: z.number().min(0).default(24),
    valign: z.enum(['top', 'middle']).default('middle'),
    items: z.array(stackItem).min(1).max(24),
  }),
]);
export type TemplateElement = z.infer<typeof element>;
