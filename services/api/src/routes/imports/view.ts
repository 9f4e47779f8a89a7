import { z } from '@hono/zod-openapi';
import { importFormats, importStatuses } from '@jobcast/core';
import type { ImportBatch } from '@jobcast/db';

export function statusUrlOf(batchId: number): string {
  return `/api/imports/${batchId}`;
}

export const importBatchSchema = z
  .object({
    batchId: z.number().int(),
    status: z.enum(importStatuses),
    file: z.string().openapi({ description: 'The uploaded file name, for display' }),
    sheet: z.string().nullable(),
    format: z.enum(importFormats).nullable().openapi({ description: 'Known once the worker has read the file' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    startedAt: z.string().nullable().openapi({ format: 'date-time' }),
    finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
    progress: z
      .object({
        rows: z.number().int(),
        imported: z.number().int(),
        updated: z.number().int(),
        duplicates: z.number().int(),
        rejected: z.number().int(),
      })
      .openapi({ description: 'Counters move with each committed chunk while the import runs' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    statusUrl: z.string(),
  })
  .openapi('ImportBatch');

export type ImportBatchView = z.infer<typeof importBatchSchema>;

export function toImportBatchView(batch: ImportBatch): ImportBatchView {
  return {
    batchId: batch.id,
    status: batch.status,
    file: batch.fileName,
    sheet: batch.sheet,
    format: batch.format,
    createdAt: batch.createdAt.toISOString(),
    startedAt: batch.startedAt?.toISOString() ?? null,
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    progress: {
      rows: batch.rows,
      imported: batch.imported,
      updated: batch.updated,
      duplicates: batch.duplicates,
      rejected: batch.rejected,
    },
    error:
      batch.status === 'failed'
        ? { code: batch.errorCode ?? 'INTERNAL', message: batch.errorMessage ?? '导入失败' }
        : null,
    statusUrl: statusUrlOf(batch.id),
  };
}
