import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/reporters';

const resultsDir = fileURLToPath(new URL('./data/test-results/', import.meta.url));
const databaseSetup = fileURLToPath(new URL('./packages/db/src/vitest-global-setup.ts', import.meta.url));

/**
 * Every workspace's vitest config. Tests that need PostgreSQL get a freshly migrated database of
 * their own for the run (dropped afterwards); every run leaves a JSON report for the summary line.
 */
export function workspaceTestConfig(name: string, options: { database?: boolean } = {}) {
  return defineConfig({
    test: {
      name,
      include: ['test/**/*.test.ts'],
      globalSetup: options.database ? [databaseSetup] : [],
      // `npm test` runs every workspace at once on what may be a 2-core machine, while the render
      // tests encode videos: a test that takes 5 s alone has taken 40 s then. A hang still fails.
      testTimeout: 120_000,
      hookTimeout: 120_000,
      reporters: ['default', 'json', failuresReporter(name)],
      outputFile: { json: `${resultsDir}${name}.json` },
    },
  });
}

/**
 * Writes what went wrong in a run (failed tests, and errors thrown outside any test, which the JSON
 * report leaves out) to `<name>.failures.txt`, for the summary printed at the very end of `npm test`:
 * CI keeps only the tail of a long log.
 */
function failuresReporter(name: string): Reporter {
  return {
    onTestRunEnd(testModules, unhandledErrors) {
      const lines: string[] = [];
      for (const module of testModules) {
        for (const test of module.children.allTests('failed')) {
          const error = test.result().errors?.[0];
          lines.push(`FAIL ${module.moduleId.split('/test/').pop()} > ${test.fullName}: ${firstLines(error)}`);
        }
      }
      for (const error of unhandledErrors) {
        const file = (error as { VITEST_TEST_PATH?: string }).VITEST_TEST_PATH?.split('/test/').pop() ?? '?';
        lines.push(`UNHANDLED in ${file}: ${firstLines(error)}`);
      }
      if (lines.length === 0) return;
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(`${resultsDir}${name}.failures.txt`, `${lines.join('\n')}\n`);
    },
  };
}

function firstLines(error: { name?: string; message?: string; stack?: string } | undefined): string {
  if (!error) return '(no error recorded)';
  const stack = (error.stack ?? `${error.name}: ${error.message}`).split('\n').slice(0, 8);
  return stack.join('\n    ');
}
