import { coverageLevels, publicationPlatforms } from '@jobcast/core';
import { boolean, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { renders } from './renders.ts';
import { sites } from './sites.ts';
import { users } from './users.ts';

export const publicationPlatform = pgEnum('publication_platform', publicationPlatforms);
export const coverageLevel = pgEnum('coverage_level', coverageLevels);

/**
 * A short video as published on a platform: one of JobCast's renders or a video made elsewhere.
 * The year's video count is the count of these inside the service year; the same address twice is
 * refused (`url_key` is the address normalised), so one video is never counted twice.
 */
export const publications = pgTable(
  'publications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** Null for a video made outside JobCast. */
    renderId: integer('render_id').references(() => renders.id),
    platform: publicationPlatform('platform').notNull(),
    url: text('url').notNull(),
    urlKey: text('url_key').notNull(),
    publishedOn: date('published_on').notNull(),
    title: text('title').notNull(),
    /** For one of JobCast's videos, the render's own record; for a video made elsewhere, as entered with its tool. */
    aiVideo: boolean('ai_video').notNull().default(false),
    /** The AI tool a video made elsewhere was made with (剪映 AI 配音, 即梦 …): an AI video names it. */
    aiTool: text('ai_tool'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('publications_site_url_idx').on(t.siteId, t.urlKey),
    index('publications_site_date_idx').on(t.siteId, t.publishedOn),
  ],
);

/**
 * A report about the office in the media (媒体宣传): outlet, level and address; an address counts once.
 * Its evidence is a screenshot (PNG, JPEG) or PDF of the article, kept because pages move or vanish.
 */
export const coverageReports = pgTable(
  'coverage_reports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    outlet: text('outlet').notNull(),
    level: coverageLevel('level').notNull(),
    url: text('url').notNull(),
    urlKey: text('url_key').notNull(),
    publishedOn: date('published_on').notNull(),
    title: text('title').notNull(),
    /** The screenshot or PDF in the media store (`coverage/<site>/<uuid>.png|jpg|pdf`); null until given. */
    evidenceKey: text('evidence_key'),
    /** The name the uploader knew the file by. */
    evidenceName: text('evidence_name'),
    evidenceBytes: integer('evidence_bytes'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('coverage_reports_site_url_idx').on(t.siteId, t.urlKey),
    index('coverage_reports_site_date_idx').on(t.siteId, t.publishedOn),
  ],
);
