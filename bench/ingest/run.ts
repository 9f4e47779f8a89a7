/**
 * Ingest benchmark: messy GBK CSV files of 100,000 and 1,000,000 rows are generated, imported the
 * way `jobcast import` does it (in a child process, for its peak RSS), and beside that the same
 * file is loaded with PostgreSQL COPY into a bare table: the ceiling, printed as a ratio.
 *
 *   npm run bench:ingest [-- --rows 100000,1000000]
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot } from '@jobcast/config';
import { createTestDatabase } from '@jobcast/db/testing';
import { sampleHeader, sampleJobRows, writeCsvFile } from '@jobcast/sample-data';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const run = promisify(execFile);
const rowsArg = process.argv.indexOf('--rows');
const sizes = (rowsArg > -1 ? (process.argv[rowsArg + 1] ?? '') : '100000,1000000').split(',').map(Number);
const benchDir = path.join(repoRoot, 'data', 'bench');
const child = fileURLToPath(new URL('./import-child.ts', import.meta.url));
const runTs = path.join(repoRoot, 'cli', 'bin', 'run-ts.js');
/** The heap bound the jobcast command runs with (see cli/bin/jobcast.js). */
const JOBCAST_NODE_FLAGS = ['--max-old-space-size=256'];

interface Result {
  rows: number;
  fileMb: number;
  importSeconds: number;
  importRowsPerSecond: number;
  peakRssMb: number;
  copySeconds: number;
  copyRowsPerSecond: number;
  imported: number;
  rejected: number;
}

async function generate(rows: number): Promise<string> {
  const file = path.join(benchDir, `messy-${rows}.gbk.csv`);
  const exists = await stat(file).catch(() => null);
  if (!exists) {
    process.stdout.write(`generating ${rows.toLocaleString()} rows of messy GBK CSV…\n`);
    await writeCsvFile(
      file,
      sampleHeader,
      sampleJobRows({ count: rows, messy: true, badRatio: 0.05, seed: rows }),
      'gbk',
    );
  }
  return file;
}

async function copyCeiling(databaseUrl: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const columns = sampleHeader.map((_, i) => `c${i} text`).join(', ');
    await client.query(`create table bench_copy (${columns})`);
    const started = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom(`copy bench_copy from stdin with (format csv, header true, encoding 'GB18030')`)),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

async function measure(rows: number): Promise<Result> {
  const file = await generate(rows);
  const database = await createTestDatabase('bench');
  try {
    const { stdout } = await run(process.execPath, [...JOBCAST_NODE_FLAGS, runTs, child, database.url, file], {
      maxBuffer: 1 << 20,
    });
    const outcome = JSON.parse(stdout.trim().split('\n').pop() as string);
    const copySeconds = await copyCeiling(database.url, file);
    return {
      rows,
      fileMb: (await stat(file)).size / 1e6,
      importSeconds: outcome.seconds,
      importRowsPerSecond: rows / outcome.seconds,
      peakRssMb: outcome.peakRssBytes / 1e6,
      copySeconds,
      copyRowsPerSecond: rows / copySeconds,
      imported: outcome.summary.imported,
      rejected: outcome.summary.rejected,
    };
  } finally {
    await database.drop();
  }
}

await mkdir(benchDir, { recursive: true });
const results: Result[] = [];
for (const rows of sizes) results.push(await measure(rows));

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const table = results.map((r) => ({
  rows: fmt(r.rows),
  'file MB': fmt(r.fileMb, 1),
  'import s': fmt(r.importSeconds, 2),
  'import rows/s': fmt(r.importRowsPerSecond),
  'peak RSS MB': fmt(r.peakRssMb, 1),
  'COPY s': fmt(r.copySeconds, 2),
  'COPY rows/s': fmt(r.copyRowsPerSecond),
  'import/COPY': fmt(r.importRowsPerSecond / r.copyRowsPerSecond, 3),
  imported: fmt(r.imported),
  rejected: fmt(r.rejected),
}));
console.table(table);
const largest = results[results.length - 1];
if (largest) {
  const okRate = largest.importRowsPerSecond >= 20_000;
  const okRss = largest.peakRssMb < 300;
  console.log(
    `targets at ${fmt(largest.rows)} rows: ≥20,000 rows/s ${okRate ? 'met' : 'MISSED'} (${fmt(largest.importRowsPerSecond)}), ` +
      `peak RSS <300 MB ${okRss ? 'met' : 'MISSED'} (${fmt(largest.peakRssMb, 1)} MB)`,
  );
}
