import { randomBytes } from 'node:crypto';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createImportBatch, failImportBatch, finishImportBatch, startImportBatch } from '@jobcast/db';
import { Producer } from '@jobcast/queue';
import { describe, expect, it } from 'vitest';
import { startIngestWorker } from '../src/worker.ts';
import { freshSite, useImportFixture } from './helpers.ts';

const fixture = useImportFixture();
const DAY_MS = 86_400_000;

const totals = {
  rows: 1,
  imported: 1,
  updated: 0,
  duplicates: 0,
  rejected: 0,
  warnings: 0,
  warningSamples: [],
  message: '导入 1 条',
};
const started = { format: 'csv' as const, encoding: 'utf-8', sheet: null, sha256: 'x', bytes: 1 };

describe('uploaded files past their retention', () => {
  it('are removed by the ingest worker, except those an import in progress still needs', async () => {
    const site = await freshSite(fixture.db);
    const dir = path.join(fixture.dir, 'uploads');
    await mkdir(dir, { recursive: true });
    /** A file uploaded `daysAgo` days ago, and its batch in the state given (none: no batch). */
    const upload = async (name: string, daysAgo: number, state?: 'queued' | 'running' | 'done' | 'failed') => {
      const file = path.join(dir, name);
      await writeFile(file, '单位名称,岗位名称\n南昌甲公司,普工\n');
      const then = new Date(Date.now() - daysAgo * DAY_MS);
      await utimes(file, then, then);
      if (!state) return;
      const batch = await createImportBatch(fixture.db, { siteId: site.id, fileName: name, storedPath: file });
      if (state !== 'queued') await startImportBatch(fixture.db, batch.id, started);
      if (state === 'done') await finishImportBatch(fixture.db, batch.id, totals);
      if (state === 'failed') await failImportBatch(fixture.db, batch.id, { code: 'INTERNAL', message: '导入失败' });
      return batch.id;
    };
    await upload('done-long-ago.csv', 3, 'done');
    await upload('queued-long-ago.csv', 3, 'queued');
    await upload('running-long-ago.csv', 3, 'running');
    // Failed just now: the queue may try it again.
    await upload('failed-just-now.csv', 3, 'failed');
    const failedBefore = await upload('failed-days-ago.csv', 3, 'failed');
    await fixture.db.$client.query("update import_batches set finished_at = now() - interval '2 days' where id = $1", [
      failedBefore,
    ]);
    await upload(`.${randomBytes(4).toString('hex')}.part`, 3);
    await upload('no-batch-long-ago.csv', 3);
    await upload('done-today.csv', 0.1, 'done');

    const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: `test-sweep-${randomBytes(4).toString('hex')}` };
    const lines: string[] = [];
    // A retention of a day: what is older goes when the worker starts (and every hour after).
    const worker = await startIngestWorker(fixture.db, connection, (line) => lines.push(line), {
      uploads: { dir, retentionDays: 1 },
    });
    try {
      expect((await readdir(dir)).sort()).toEqual(
        ['done-today.csv', 'failed-just-now.csv', 'queued-long-ago.csv', 'running-long-ago.csv'].sort(),
      );
      expect(lines).toContain('removed 4 uploaded file(s) kept longer than 1 day(s)');
    } finally {
      await worker.close();
      const producer = new Producer(connection);
      await Promise.all(producer.allQueues().map((queue) => queue.obliterate({ force: true })));
      await producer.close();
    }
  });
});
