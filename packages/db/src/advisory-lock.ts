/**
 * PostgreSQL advisory locks held on a connection of their own for as long as a process runs
 * (PostgreSQL lets one go if the process dies). Keys are per database.
 */
import pg from 'pg';

export type AdvisoryLockKey = readonly [number, number];

/** The stream service's lock: `jobcast` in ASCII, and 1 for the stream service. */
export const STREAM_SERVICE_LOCK: AdvisoryLockKey = [0x6a6f6263, 1];

/** The connection that holds a lock, as PostgreSQL describes it. */
export interface AdvisoryLockHolder {
  applicationName: string;
  address: string | null;
  since: Date;
}

export type AdvisoryLockClaim =
  | { held: true; release(): Promise<void> }
  | { held: false; holder: AdvisoryLockHolder | null };

/** Who holds the lock in the client's database; null when nobody (or it was let go meanwhile). */
export async function advisoryLockHolder(client: pg.Client, key: AdvisoryLockKey): Promise<AdvisoryLockHolder | null> {
  const { rows } = await client.query<{ application_name: string; client_addr: string | null; backend_start: Date }>(
    `select a.application_name, a.client_addr, a.backend_start from pg_locks l
       join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.classid = $1 and l.objid = $2 and l.granted and l.database = (
        select oid from pg_database where datname = current_database())`,
    [...key],
  );
  const row = rows[0];
  return row ? { applicationName: row.application_name, address: row.client_addr, since: row.backend_start } : null;
}

/**
 * Takes the lock on a new connection named `applicationName` (what others see as its holder), or
 * says who holds it. The held lock lasts until `release()`.
 */
export async function claimAdvisoryLock(
  databaseUrl: string,
  key: AdvisoryLockKey,
  applicationName: string,
): Promise<AdvisoryLockClaim> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: applicationName.slice(0, 63) });
  // A lock connection that drops (PostgreSQL restarted) is reported by the process's pool; this one
  // only has to exist.
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [...key]);
    if (!rows[0]?.locked) {
      const holder = await advisoryLockHolder(client, key);
      await client.end().catch(() => {});
      return { held: false, holder };
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    held: true,
    async release() {
      await client.query('select pg_advisory_unlock($1, $2)', [...key]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
