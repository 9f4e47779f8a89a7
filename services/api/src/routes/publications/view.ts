import { z } from '@hono/zod-openapi';
import { COVERAGE_LEVEL_LABELS, coverageLevels, PLATFORM_LABELS, publicationPlatforms } from '@jobcast/core';
import { type CoverageReport, getSiteByCode, type Publication, type Site } from '@jobcast/db';
import { type ServiceYear, serviceYear } from '@jobcast/kpi';
import { coverageEvidenceMimeType, currentServiceYear } from '@jobcast/ledger';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';

const day = z.string().openapi({ format: 'date', example: '2026-03-10' });

/** `national = 国家级或部级, provincial = 省级`: an enum's values with what a person calls them. */
function labelled(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([value, label]) => `${value} = ${label}`)
    .join(', ');
}

export const platformSchema = z.enum(publicationPlatforms).openapi({ description: labelled(PLATFORM_LABELS) });
export const coverageLevelSchema = z.enum(coverageLevels).openapi({ description: labelled(COVERAGE_LEVEL_LABELS) });

export const publicationSchema = z
  .object({
    id: z.number().int(),
    platform: platformSchema,
    url: z.string().openapi({ example: 'https://www.douyin.com/video/7400000000000000000' }),
    publishedOn: day,
    title: z.string(),
    aiVideo: z.boolean(),
    aiTool: z.string().nullable().openapi({ description: 'The AI tool a video made elsewhere was made with' }),
    renderId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The JobCast video published; null if made elsewhere' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Publication');

export const coverageSchema = z
  .object({
    id: z.number().int(),
    outlet: z.string().openapi({ example: '人民网' }),
    level: coverageLevelSchema,
    url: z.string(),
    publishedOn: day,
    title: z.string(),
    evidence: z
      .object({
        name: z.string().openapi({ example: '人民网报道截图.png' }),
        type: z.string().openapi({ description: 'image/png, image/jpeg or application/pdf', example: 'image/png' }),
        bytes: z.number().int(),
        url: z.string().openapi({ example: '/api/coverage/3/evidence' }),
      })
      .nullable()
      .openapi({ description: "The article's screenshot or PDF (PUT /api/coverage/{id}/evidence); null until given" }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('CoverageReport');

/** The service year a list covers, as the lists answer it. */
export const serviceYearSchema = z
  .object({ year: z.number().int(), start: day, lastDay: day })
  .openapi('ServiceYearRange');

export function toPublicationView(row: Publication): z.infer<typeof publicationSchema> {
  const { id, platform, url, publishedOn, title, aiVideo, aiTool, renderId, createdAt } = row;
  return { id, platform, url, publishedOn, title, aiVideo, aiTool, renderId, createdAt: createdAt.toISOString() };
}

/** Where a report's screenshot or PDF is read. */
export const coverageEvidenceUrl = (id: number) => `/api/coverage/${id}/evidence`;

export function toCoverageView(row: CoverageReport): z.infer<typeof coverageSchema> {
  const { id, outlet, level, url, publishedOn, title, createdAt } = row;
  const evidence = row.evidenceKey
    ? {
        name: row.evidenceName ?? '',
        type: coverageEvidenceMimeType(row.evidenceKey),
        bytes: row.evidenceBytes ?? 0,
        url: coverageEvidenceUrl(id),
      }
    : null;
  return { id, outlet, level, url, publishedOn, title, evidence, createdAt: createdAt.toISOString() };
}

/**
 * The signed-in user's site and the service year asked for (by the calendar year it starts in), by
 * default the one under way by the site's own start day and time zone.
 */
export async function siteServiceYear(
  c: Context<AppEnv>,
  year: number | undefined,
): Promise<{ site: Site; sy: ServiceYear }> {
  const site = await getSiteByCode(c.var.services.db, c.var.principal.siteCode);
  return { site, sy: serviceYear(year ?? currentServiceYear(site), site.serviceYearStart) };
}

/** `{ from, to }` of the service year, for the lists' date ranges. */
export function rangeOf(sy: ServiceYear): { from: string; to: string } {
  return { from: sy.start, to: sy.endExclusive };
}

export function serviceYearView(sy: ServiceYear): z.infer<typeof serviceYearSchema> {
  return { year: sy.year, start: sy.start, lastDay: sy.lastDay };
}
