import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { createImportBatch, type ImportBatch } from '@jobcast/db';
import type { Context } from 'hono';
import { limitBody } from '../../body-limit.ts';
import type { AppEnv } from '../../context.ts';
import { errorResponse } from '../../errors.ts';
import { fileFingerprint, idempotencyHeaders, idempotent } from '../../idempotency.ts';
import { requireQueue } from '../../queue-check.ts';
import { IMPORTERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { withTimeout } from '../../timeout.ts';
import { discardUpload, receiveForm, storeUpload } from '../../uploads.ts';
import { statusUrlOf } from './view.ts';

/** Redis answers in milliseconds or not at all; the uploader should not wait on a dead one. */
const ENQUEUE_TIMEOUT_MS = 5000;

/** What an upload must hold; the console's form checks its fields against it too. */
export const uploadSchema = z.object({
  file: z
    .instanceof(File, { message: '请选择要导入的文件' })
    .refine((file) => file.size > 0, '内容是空的')
    .openapi({ type: 'string', format: 'binary', description: 'CSV, XLSX or JSON job list' }),
  sheet: z.string().max(100).optional().openapi({ description: 'XLSX worksheet to read; the first one by default' }),
});

const acceptedSchema = z
  .object({
    batchId: z.number().int(),
    status: z.literal('queued'),
    statusUrl: z.string().openapi({ example: '/api/imports/42' }),
  })
  .openapi('ImportAccepted');

const route = createRoute({
  method: 'post',
  path: '/api/imports',
  tags: ['imports'],
  summary: 'Upload a job file; the ingest worker imports it in the background',
  // The file is written to disk as it arrives, never held in memory (the validator reads it from disk).
  middleware: receiveForm({
    fileField: 'file',
    maxBytes: (config) => config.uploadLimitBytes,
    what: '上传文件',
    otherwise: limitBody((config) => config.uploadLimitBytes, '上传文件'),
  }),
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'multipart/form-data': { schema: uploadSchema } } },
  },
  responses: {
    202: {
      description: 'stored and queued; poll statusUrl',
      headers: z.object({ Location: z.string() }),
      content: { 'application/json': { schema: acceptedSchema } },
    },
    413: errorResponse('上传文件超过上限 (upload exceeds the configured limit, 50 MB by default)'),
    409: errorResponse('同一 Idempotency-Key 的第一个请求仍在处理中 (IDEMPOTENCY_KEY_IN_FLIGHT)'),
    422: errorResponse('Idempotency-Key 已用于另一个请求 (IDEMPOTENCY_KEY_REUSED)'),
    503: {
      ...errorResponse(
        '任务队列暂不可用：QUEUE_UNAVAILABLE 未登记，请按 Retry-After 重试；UNAVAILABLE 已登记，恢复后自动排队 (QUEUE_UNAVAILABLE: nothing recorded, retry; UNAVAILABLE: recorded, queued once Redis is back)',
      ),
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait (QUEUE_UNAVAILABLE)' } },
    },
  },
});

/**
 * Stores an upload, records its batch and queues it for the ingest worker: the API's upload and the
 * console's form both come through here. Throws UNAVAILABLE (the batch kept) when Redis is down.
 */
export async function queueImport(c: Context<AppEnv>, file: File, sheet: string | undefined): Promise<ImportBatch> {
  const { db, producer, config, log } = c.var.services;
  const principal = c.var.principal;
  const upload = await storeUpload(config.uploadDir, file);
  let batch: ImportBatch;
  try {
    // The row comes first: PostgreSQL is the record of what was asked for, Redis only carries it.
    batch = await createImportBatch(db, {
      siteId: principal.siteId,
      fileName: upload.displayName,
      storedPath: upload.storedPath,
      sheet: sheet?.trim() || null,
      createdBy: principal.userId,
    });
  } catch (error) {
    await discardUpload(upload.storedPath);
    throw error;
  }

  try {
    await withTimeout(producer.enqueue('import', { batchId: batch.id }), ENQUEUE_TIMEOUT_MS);
  } catch (error) {
    // The row stays queued and the file stays put: the ingest worker's reconciler re-queues batches
    // Redis never received, so the uploader must not send the file again.
    log(`[${c.var.requestId}] import #${batch.id}: import queue unavailable: ${(error as Error).message}`);
    throw new JobcastError(
      'UNAVAILABLE',
      `导入批次 #${batch.id} 已登记，但任务队列暂不可用，恢复后会自动排队，请勿重复上传`,
    );
  }
  return batch;
}

export const createImport = defineRoute(IMPORTERS, route, async (c) => {
  const { file, sheet } = c.req.valid('form');
  return idempotent(
    c,
    async () => ({ file: await fileFingerprint(file), sheet: sheet?.trim() || null }),
    async () => {
      await requireQueue(c, '导入批次');
      const batch = await queueImport(c, file, sheet);
      const statusUrl = statusUrlOf(batch.id);
      c.header('Location', statusUrl);
      return c.json({ batchId: batch.id, status: 'queued' as const, statusUrl }, 202);
    },
  );
});
