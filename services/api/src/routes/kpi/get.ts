import { createRoute, z } from '@hono/zod-openapi';
import { getSiteByCode } from '@jobcast/db';
import { kpiLineIds } from '@jobcast/kpi';
import { currentServiceYear, type KpiView, kpiView, loadYearReport } from '@jobcast/ledger';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';

/** Why a `?year=` was refused; follows the field's name (年份). */
export const YEAR_RANGE = '须为 2000 到 2100 之间的整数';

/** `?year=`: a service year, named by the calendar year it starts in. */
export const kpiYearQuery = z.object({
  year: z.coerce.number(YEAR_RANGE).int(YEAR_RANGE).min(2000, YEAR_RANGE).max(2100, YEAR_RANGE).optional().openapi({
    description:
      "The calendar year the service year starts in; by default the service year today falls in (by the site's start day and time zone)",
    example: 2026,
  }),
});

const day = z.string().openapi({ format: 'date' });
const counted = z.number().int().openapi({ description: 'Counted so far' });
const expectedByToday = z.number().openapi({
  description:
    'Where the count should be today if the year went evenly: target × elapsed share (one decimal); flyers and on-site fairs (one a month): the months already ended',
});
const projected = z.number().int().openapi({ description: "The count carried to the year's end at the rate so far" });

const subTargetSchema = z
  .object({
    id: z.string().openapi({ example: 'ai' }),
    label: z.string().openapi({ example: 'AI 视频' }),
    target: z.number().int(),
    done: counted,
    expectedByToday,
    projected,
  })
  .openapi('KpiSubTarget');

const lineSchema = z
  .object({
    line: z.enum(kpiLineIds),
    label: z.string().openapi({ example: '短视频' }),
    unit: z.string().openapi({ example: '条' }),
    target: z.number().int(),
    done: counted,
    expectedByToday,
    projected,
    shortfall: z.number().int().openapi({ description: 'How many more would bring the line to full points' }),
    points: z.number().openapi({ description: 'Points as of today under the contract (one decimal)', example: 6.4 }),
    maxPoints: z.number().int(),
    pointsIfProjected: z.number().openapi({ description: 'The points the projected counts would score' }),
    subTargets: z.array(subTargetSchema),
  })
  .openapi('KpiLine');

const kpiSchema = z
  .object({
    site: z.object({
      code: z.string(),
      name: z.string(),
      timezone: z.string(),
      serviceYearStart: z.string().openapi({ description: 'MM-DD', example: '01-01' }),
    }),
    year: z.number().int(),
    serviceYear: z.object({ start: day, lastDay: day, days: z.number().int() }),
    today: day.openapi({ description: "Today in the site's time zone" }),
    elapsedShare: z.number().openapi({ description: 'The share of the service year gone by today, 0 to 1' }),
    lines: z.array(lineSchema).openapi({
      description:
        '短视频, 媒体宣传, 招工小报, 直播, AI数智招聘会 (aiFairs: qualified fairs held), 线下招聘会 (onsiteFairs), in that order',
    }),
    total: z.object({
      points: z.number(),
      maxPoints: z.number().int().openapi({ example: 37 }),
      pointsIfProjected: z.number(),
    }),
    months: z
      .array(
        z.object({
          month: z.string().openapi({ example: '2026-03' }),
          videos: z.number().int(),
          coverage: z.number().int(),
          flyers: z.number().int(),
          livestreams: z.number().int(),
          aiFairs: z.number().int(),
          onsiteFairs: z.number().int(),
        }),
      )
      .openapi({ description: 'Every calendar month the service year touches, with what each line counted in it' }),
    alerts: z.array(
      z.object({
        level: z.enum(['warn', 'info']),
        line: z.enum(kpiLineIds).nullable(),
        text: z.string().openapi({ example: '距服务期结束还差 38 条短视频，需每周 4 条' }),
      }),
    ),
  })
  .openapi('Kpi') satisfies z.ZodType<KpiView>;

const route = createRoute({
  method: 'get',
  path: '/api/kpi',
  tags: ['kpi'],
  summary: "The service year's targets: done, expected by today, projected, and the points each line scores now",
  request: { query: kpiYearQuery },
  responses: {
    200: { description: 'the service year', content: { 'application/json': { schema: kpiSchema } } },
  },
});

export const getKpi = defineRoute(anyRole, route, async (c) => {
  const { db } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const year = c.req.valid('query').year ?? currentServiceYear(site);
  return c.json(kpiView(await loadYearReport(db, site, year)), 200);
});
