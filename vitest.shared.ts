import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
      reporters: ['default', 'json'],
      outputFile: { json: `${resultsDir}${name}.json` },
    },
  });
}
