import pg from 'pg';
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
      // The stream service names its lock connection `jobcast-stream <host> pid … rtmp … http …`
      // (services/stream/src/ownership.ts) and holds an advisory lock on it while it runs.
      const holder = await client.query<{ application_name: string; client_addr: string | null; backend_start: Date }>(
        `select a.application_name, a.client_addr, a.backend_start from pg_stat_activity a
          where a.datname = current_database() and a.application_name like 'jobcast-stream %'
            and exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.granted)
          limit 1`,
      );
      const row = holder.rows[0];
      if (row) state.streamService = { name: row.application_name, address: row.client_addr, since: row.backend_start };
    }
    return state;
  } finally {
    await client.end().catch(() => {});
  }
}
