import type { Database } from './client.ts';

/** Resolves when PostgreSQL answers a query. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.$client.query('select 1');
}

/** A wall-clock time ('YYYY-MM-DD HH:MM') in a time zone, as an instant: the database knows the zone's rules. */
export async function zonedInstant(db: Database, local: string, timezone: string): Promise<Date> {
  const result = await db.$client.query<{ at: Date }>('select ($1::timestamp at time zone $2) as at', [
    local,
    timezone,
  ]);
  return result.rows[0]?.at as Date;
}
