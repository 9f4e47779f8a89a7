/**
 * Test support: each test run gets its own freshly migrated database, dropped at the end.
 * Use `databaseTestSetup` as a vitest globalSetup and `testDatabaseUrl()` inside tests.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type {} from 'vitest';
import { closeDatabase, createDatabase } from './client.ts';
import type { JobRecord } from './job-records.ts';
import { runMigrations } from './migrate.ts';
import type { AiComponent } from './schema/renders.ts';

export * from './testing-fairs.ts';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/jobcast';

export function databaseUrlFor(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrlFor('postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a throwaway database; returns its URL and a function that drops it. */
export async function createTestDatabase(label = 'test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `jobcast_${label}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`create database "${name}"`));
  const url = databaseUrlFor(name);
  const db = createDatabase(url, 2);
  try {
    await runMigrations(db);
  } finally {
    await closeDatabase(db);
  }
  return {
    url,
    drop: () => admin((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** vitest globalSetup: one database per test run, handed to the tests through provide/inject. */
export async function databaseTestSetup({ provide }: { provide: (key: 'databaseUrl', value: string) => void }) {
  const database = await createTestDatabase(process.env.VITEST_POOL_ID ? 'pool' : 'run');
  provide('databaseUrl', database.url);
  return database.drop;
}

/**
 * A normalised job record as the importer would produce it, for tests that need jobs in the pool:
 * a monthly-paid full-time posting, its fingerprint and content hash taken from employer and title
 * unless given.
 */
export function testJobRecord(overrides: Partial<JobRecord> & { employerName: string; title: string }): JobRecord {
  const { employerName, title } = overrides;
  return {
    rowNumber: 2,
    employerKey: employerName,
    payMin: 4000,
    payMax: 6000,
    payUnit: 'month',
    payNegotiable: false,
    payMonths: null,
    payText: '4000-6000元/月',
    headcount: 3,
    headcountText: '3人',
    location: '南昌市青山湖区',
    education: null,
    experience: null,
    category: 'full-time',
    contactName: '张先生',
    contactPhone: '13800000000',
    validFrom: null,
    validUntil: null,
    description: null,
    extra: {},
    warnings: [],
    fingerprint: `${employerName}|${title}`,
    contentHash: `${employerName}|${title}|${overrides.category ?? 'full-time'}`,
    sourceJson: JSON.stringify([employerName, title]),
    ...overrides,
  };
}

/** The record a render keeps of an AI voice it used: what makes a test's video an AI video. */
export function testAiVoice(at = '2026-03-01T00:00:00.000Z'): AiComponent {
  return {
    kind: 'voice',
    provider: 'espeak',
    providerLabel: '离线语音（eSpeak NG）',
    model: 'eSpeak NG cmn-latn-pinyin',
    voice: 'female',
    at,
  };
}
