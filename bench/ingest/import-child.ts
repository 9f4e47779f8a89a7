/**
 * One import as `jobcast import` runs it (on its import thread), in its own process so its peak RSS
 * is the import's alone.
 * Prints the summary, the wall time and the peak RSS as one JSON line.
 */
import { closeDatabase, createDatabase, ensureSite } from '@jobcast/db';
import { importFile } from '@jobcast/ingest';

const [databaseUrl, file] = process.argv.slice(2);
if (!databaseUrl || !file) throw new Error('usage: import-child.ts DATABASE_URL FILE');
const db = createDatabase(databaseUrl, 2);
await ensureSite(db, { code: 'bench', name: '基准测试' });
const started = performance.now();
const summary = await importFile(db, file, { siteCode: 'bench' });
const seconds = (performance.now() - started) / 1000;
await closeDatabase(db);
process.stdout.write(
  `${JSON.stringify({ summary: { ...summary, rejects: undefined, warningSamples: undefined }, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
