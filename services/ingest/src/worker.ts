import { JobcastError } from '@jobcast/core';
import { type Database, getImportBatch, listStaleQueuedBatches } from '@jobcast/db';
import {
  closeWorker,
  consume,
  PermanentJobError,
  Producer,
  type QueueConnection,
  queues,
  reconcileNowAndEvery,
} from '@jobcast/queue';
import { runImportBatch } from './importer.ts';
import { sweepUploads, type UploadRetention } from './upload-sweep.ts';

export interface IngestWorker {
  close(): Promise<void>;
}

const RECONCILE_EVERY_MS = 60_000;
/** How often uploaded files past their retention are looked for. */
const SWEEP_UPLOADS_EVERY_MS = 60 * 60_000;
/** A queued batch younger than this may simply not have reached Redis yet. */
const RECONCILE_GRACE_SECONDS = 30;
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * Imports uploaded files from the import queue. PostgreSQL holds the truth: at start and every
 * minute, batches still queued there but unknown to Redis are queued again.
 */
export async function startIngestWorker(
  db: Database,
  connection: QueueConnection,
  log: (line: string) => void = () => undefined,
  options: { chunkRows?: number; closeTimeoutMs?: number; uploads?: UploadRetention } = {},
): Promise<IngestWorker> {
  // Redis errors reach this worker's log, each at most once a minute, unless the caller gave another.
  const queueConnection = { ...connection, log: connection.log ?? log };
  const producer = new Producer(queueConnection);
  const worker = consume(queueConnection, 'import', async ({ batchId }) => {
    const batch = await getImportBatch(db, batchId);
    if (!batch.storedPath) throw new PermanentJobError(`import batch ${batchId} has no stored file`);
    try {
      // The import yields to the event loop every few rows, so the job's lock keeps being renewed.
      const summary = await runImportBatch(db, batchId, batch.storedPath, {
        displayName: batch.fileName,
        chunkRows: options.chunkRows,
      });
      log(`import #${batchId} ${batch.fileName}: ${summary.message}`);
      return summary;
    } catch (error) {
      if (error instanceof JobcastError && error.code !== 'INTERNAL') throw new PermanentJobError(error.message);
      throw error;
    }
  });
  worker.on('failed', (job, error) => log(`import job ${job?.id ?? '?'} failed: ${error.message}`));

  const reconcile = async () => {
    for (const batch of await listStaleQueuedBatches(db, RECONCILE_GRACE_SECONDS)) {
      const jobId = queues.import.jobId({ batchId: batch.id });
      if (!(await producer.has('import', jobId))) {
        await producer.enqueue('import', { batchId: batch.id });
        log(`re-queued import #${batch.id} (lost from Redis)`);
      }
    }
  };
  const stopReconciling = await reconcileNowAndEvery(reconcile, RECONCILE_EVERY_MS, log);

  // Uploaded files are kept for the retention, then removed (never one an import still needs). Here,
  // in the process that reads them: every deployment that takes uploads runs it.
  const uploads = options.uploads;
  const sweep = async () => {
    if (!uploads) return;
    const removed = await sweepUploads(db, uploads);
    if (removed > 0) log(`removed ${removed} uploaded file(s) kept longer than ${uploads.retentionDays} day(s)`);
  };
  const stopSweeping = await reconcileNowAndEvery(
    () => sweep().catch((error: Error) => log(`upload sweep failed: ${error.message}`)),
    SWEEP_UPLOADS_EVERY_MS,
    log,
  );

  return {
    async close() {
      stopReconciling();
      stopSweeping();
      await closeWorker(worker, options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS);
      await producer.close();
    },
  };
}
