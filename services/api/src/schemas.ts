import { z } from '@hono/zod-openapi';
import { type ImportSummary, importFormats, type JobView, jobCategories, payUnits, type RowIssue } from '@jobcast/core';

// Domain types as the API documents them; `satisfies` keeps each in step with @jobcast/core.

/** PostgreSQL integer ids: larger numbers would fail in the database instead of answering 404. */
/**
 * A request body of one uploaded file (multipart field `file`): documented for OpenAPI, read as a
 * stream by the handler (never held whole), so not validated here.
 */
export const fileUploadBody = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        required: ['file'],
        properties: { file: { type: 'string' as const, format: 'binary' } },
      },
    },
  },
};

export const idSchema = z.coerce.number().int().positive().max(2_147_483_647);

export const jobViewSchema = z
  .object({
    id: z.number().int(),
    site: z.string(),
    employer: z.string(),
    title: z.string(),
    pay: z.object({
      min: z.number().nullable(),
      max: z.number().nullable(),
      unit: z.enum(payUnits).nullable(),
      negotiable: z.boolean(),
      months: z.number().nullable(),
      text: z.string().nullable(),
    }),
    headcount: z.number().int().nullable(),
    headcountText: z.string().nullable(),
    location: z.string().nullable(),
    education: z.string().nullable(),
    experience: z.string().nullable(),
    category: z.enum(jobCategories),
    contact: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
    validFrom: z.string().nullable().openapi({ format: 'date' }),
    validUntil: z.string().nullable().openapi({ format: 'date' }),
    description: z.string().nullable(),
    extra: z.record(z.string(), z.string()),
    warnings: z.array(z.string()),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Job') satisfies z.ZodType<JobView>;

const rowIssueSchema = z
  .object({ row: z.number().int(), field: z.string(), reason: z.string() })
  .openapi('RowIssue') satisfies z.ZodType<RowIssue>;

export const importSummarySchema = z
  .object({
    batchId: z.number().int(),
    file: z.string(),
    format: z.enum(importFormats),
    encoding: z.string().nullable(),
    sheet: z.string().nullable(),
    rows: z.number().int(),
    imported: z.number().int(),
    updated: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    warnings: z.number().int(),
    rejects: z.array(rowIssueSchema),
    rejectsTotal: z.number().int(),
    warningSamples: z.array(rowIssueSchema),
    message: z.string(),
  })
  .openapi('ImportSummary') satisfies z.ZodType<ImportSummary>;
