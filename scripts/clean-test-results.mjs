// Removes the previous run's reports so the summary counts only this run.
import { rm } from 'node:fs/promises';

await rm(new URL('../data/test-results/', import.meta.url), { recursive: true, force: true });
