import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { importBatches } from './schema/index.ts';

/**
 * The uploaded files an import may still read: those of batches queued or running, and of batches
 * that failed within `retryWindowSeconds` (the queue may try them again). The upload sweep keeps them.
 */
export async function listImportFilesInUse(db: Database, retryWindowSeconds: number): Promise<string[]> {
  const rows = await db
    .select({ storedPath: importBatches.storedPath })
    .from(importBatches)
    .where(
      and(
        isNotNull(importBatches.storedPath),
        or(
          inArray(importBatches.status, ['queued', 'running']),
          and(
            eq(importBatches.status, 'failed'),
            sql`coalesce(${importBatches.finishedAt}, ${importBatches.createdAt}) > now() - make_interval(secs => ${retryWindowSeconds})`,
          ),
        ),
      ),
    );
  return rows.map((row) => row.storedPath as string);
}
