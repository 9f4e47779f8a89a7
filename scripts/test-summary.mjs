// Adds up the vitest JSON reports of every workspace into one closing line: "N passed, N failed",
// after what went wrong (failed tests, errors outside tests), so that the end of a log says it.
import { readdir, readFile } from 'node:fs/promises';

const dir = new URL('../data/test-results/', import.meta.url);
let passed = 0;
let failed = 0;
let skipped = 0;
let files = [];
try {
  files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
} catch {}
let failures = [];
try {
  failures = (await readdir(dir)).filter((name) => name.endsWith('.failures.txt'));
} catch {}
for (const name of failures) {
  console.log(`--- ${name.replace('.failures.txt', '')}: what went wrong ---`);
  console.log((await readFile(new URL(name, dir), 'utf8')).trimEnd());
}
for (const name of files) {
  const report = JSON.parse(await readFile(new URL(name, dir), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
if (files.length === 0 || passed + failed === 0) {
  console.error('no test results found: did any test run?');
  process.exit(1);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
