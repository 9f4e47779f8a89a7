import { jobCategories, payUnits } from '@jobcast/core';
import {
  boolean,
  date,
  index,
  integer,
  json,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sites } from './sites.ts';

/** A source row's cells in the order of its batch's columns; null where the cell was empty. */
export type SourceCells = (string | null)[];

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
    // No foreign keys on site_id or employer_id: each check costs a lookup per imported row, and the
    // employer's also locks the employer row (measured on the million-row benchmark: 11 µs a row, a
    // third of PostgreSQL's share of the import). Jobs are written only by writeImportChunk, with
    // employer ids it has just resolved in the same transaction or read committed; employers are never
    // deleted.
    siteId: integer('site_id').notNull(),
    employerId: integer('employer_id').notNull(),
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
    /** The batch, row and record the current version came from. */
    lastBatchId: integer('last_batch_id'),
    sourceRow: integer('source_row'),
    /**
     * The row as read: its cells as a JSON array (null for an empty cell), named by the columns of
     * the batch it came from (see sourceRecordOf). json, not jsonb: kept as read, never searched;
     * measured, jsonb's parsing cost 11 µs of the 30 µs PostgreSQL spent on each imported row.
     */
    sourceRecord: json('source_record').$type<SourceCells | Record<string, string>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Only the index de-duplication needs: every secondary index is paid on each imported row, so one
  // is added with the query that needs it (measured: three of them cost 13 µs a row on import).
  (t) => [uniqueIndex('jobs_site_fingerprint_idx').on(t.siteId, t.fingerprint)],
);

/**
 * Earlier versions of a job: when a posting changes, the version it replaces is kept here with where
 * it came from, by a trigger on jobs (migration 0001), so no writer can skip it. The current version's
 * source stays on the job row, so a new posting is one row written, not two.
 */
export const jobVersions = pgTable(
  'job_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    // No foreign key: history is append-only and written from the job rows themselves.
    jobId: integer('job_id').notNull(),
    batchId: integer('batch_id'),
    rowNumber: integer('row_number'),
    contentHash: text('content_hash').notNull(),
    /** The replaced version's source record, named by the columns of batchId. */
    record: json('record').$type<SourceCells | Record<string, string>>(),
    /** The job row as it was (title, pay, contact …), as JSON. */
    snapshot: jsonb('snapshot').notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_versions_job_idx').on(t.jobId)],
);
