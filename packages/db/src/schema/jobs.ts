import { jobCategories, payUnits } from '@jobcast/core';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sites } from './sites.ts';

export const jobCategory = pgEnum('job_category', jobCategories);
export const payUnit = pgEnum('pay_unit', payUnits);

export const employers = pgTable(
  'employers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    name: text('name').notNull(),
    /** The name folded for matching (width, case, spaces, brackets). */
    nameKey: text('name_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('employers_site_key_idx').on(t.siteId, t.nameKey)],
);

/**
 * One posting. Its fingerprint (employer, title, location, pay after normalisation) makes it one job
 * across files and re-imports; contentHash tells a changed version from a repeat.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    // No foreign key on site_id: the employer's key already ties a job to its site, and each check costs
    // a lookup per imported row (the import benchmark measured the four batch/site checks at 13 µs a row).
    siteId: integer('site_id').notNull(),
    employerId: integer('employer_id')
      .notNull()
      .references(() => employers.id),
    title: text('title').notNull(),
    payMin: integer('pay_min'),
    payMax: integer('pay_max'),
    payUnit: payUnit('pay_unit'),
    payNegotiable: boolean('pay_negotiable').notNull().default(false),
    payMonths: integer('pay_months'),
    payText: text('pay_text'),
    headcount: integer('headcount'),
    headcountText: text('headcount_text'),
    location: text('location'),
    education: text('education'),
    experience: text('experience'),
    category: jobCategory('category').notNull(),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    description: text('description'),
    extra: jsonb('extra').$type<Record<string, string>>().notNull().default({}),
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    fingerprint: text('fingerprint').notNull(),
    contentHash: text('content_hash').notNull(),
    /** Import batches are never deleted, so these need no foreign-key check on every imported row. */
    firstBatchId: integer('first_batch_id'),
    lastBatchId: integer('last_batch_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('jobs_site_fingerprint_idx').on(t.siteId, t.fingerprint),
    index('jobs_site_category_idx').on(t.siteId, t.category, t.id),
    index('jobs_employer_idx').on(t.employerId),
  ],
);

/** Where each version of a job came from: the batch, the row, and the record as it was read. */
export const jobSources = pgTable(
  'job_sources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    batchId: integer('batch_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    contentHash: text('content_hash').notNull(),
    record: jsonb('record').$type<Record<string, string>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('job_sources_version_idx').on(t.jobId, t.contentHash),
    index('job_sources_batch_idx').on(t.batchId),
  ],
);
