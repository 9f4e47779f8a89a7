import pg from 'pg';
import { advisoryLockHolder, STREAM_SERVICE_LOCK } from './advisory-lock.ts';
import { checkJournal } from './migrate.ts';

/** What a command that starts a service needs to know about its database before it starts. */
export interface DatabaseState {
  /** Migrations in the journal that the database has not applied (their tags). */
  pendingMigrations: string[];
  /** A stream service already running against this database: its connection's description. */
  streamService?: { name: string; address: string | null; since: Date };
}

/**
 * Connects once, on a connection of its own bounded by `timeoutMs`, and reads what start-up checks
 * need. Rejects with the driver's error (its `code`: ECONNREFUSED, ENOTFOUND, 3D000 no such
 * database, 28P01 bad password…), or with code ETIMEDOUT when the server does not answer in time.
 */
export async function inspectDatabase(
  databaseUrl: string,
  options: { timeoutMs: number; streamService?: boolean },
): Promise<DatabaseState> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    application_name: 'jobcast-preflight',
  });
  client.on('error', () => {});
  try {
    await client.connect().catch((error: Error & { code?: string }) => {
      // pg says "timeout expired" without a code.
      if (!error.code && /timeout/i.test(error.message)) error.code = 'ETIMEDOUT';
      throw error;
    });
    const entries = await checkJournal();
    const table = await client.query<{ present: boolean }>(
      `select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
    );
    const applied = new Set<number>();
    if (table.rows[0]?.present) {
      const rows = await client.query<{ created_at: string }>('select created_at from drizzle.__drizzle_migrations');
      for (const row of rows.rows) applied.add(Number(row.created_at));
    }
    const state: DatabaseState = {
      pendingMigrations: entries.filter((entry) => !applied.has(entry.when)).map((entry) => entry.tag),
    };
    if (options.streamService) {
      // The stream service holds STREAM_SERVICE_LOCK while it runs (services/stream/src/ownership.ts).
      const holder = await advisoryLockHolder(client, STREAM_SERVICE_LOCK);
      if (holder) state.streamService = { name: holder.applicationName, address: holder.address, since: holder.since };
    }
    return state;
  } finally {
    await client.end().catch(() => {});
  }
}
