import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };

// DATE columns stay 'YYYY-MM-DD' strings: a job's validity is a calendar day, not an instant.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, application_name: 'jobcast' });
  // An idle connection that drops (PostgreSQL restarted) is an `error` on the pool, which would end
  // the process: the pool replaces the connection, and a query that fails reports its own error.
  pool.on('error', () => undefined);
  return pool;
}

export function createDatabase(databaseUrl: string, max = 10): Database {
  return drizzle(createPool(databaseUrl, max), { schema }) as Database;
}

export async function closeDatabase(db: Database): Promise<void> {
  await db.$client.end();
}
