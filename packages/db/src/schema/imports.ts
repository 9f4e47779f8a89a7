import { importFormats, importStatuses } from '@jobcast/core';
import { index, integer, json, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sites } from './sites.ts';
import { users } from './users.ts';

export const importFormat = pgEnum('import_format', importFormats);
export const importStatus = pgEnum('import_status', importStatuses);

/** One file read into the job pool, with what came of it. */
export const importBatches = pgTable(
  'import_batches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    fileName: text('file_name').notNull(),
    /** Where the uploaded copy waits for the worker (API imports only). */
    storedPath: text('stored_path'),
    fileSha256: text('file_sha256'),
    fileBytes: integer('file_bytes'),
    format: importFormat('format'),
    encoding: text('encoding'),
    sheet: text('sheet'),
    /**
     * The header as the file writes it: the names of the cells of each job's source record (kept
     * once here rather than in every row: they were 30% of the bytes an import wrote).
     */
    columns: json('columns').$type<string[]>(),
    status: importStatus('status').notNull().default('queued'),
    rows: integer('rows').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
    /** The first warnings, for the summary; every warning also stays on its job version. */
    warningSamples: jsonb('warning_samples').$type<{ row: number; field: string; reason: string }[]>(),
    message: text('message'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('import_batches_site_idx').on(t.siteId, t.createdAt),
    index('import_batches_sha_idx').on(t.siteId, t.fileSha256),
  ],
);

/** A row that could not be used: its number, the field, and a reason a person understands. */
export const importRejects = pgTable(
  'import_rejects',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    field: text('field').notNull(),
    reason: text('reason').notNull(),
    value: text('value'),
  },
  (t) => [index('import_rejects_batch_idx').on(t.batchId, t.rowNumber)],
);
