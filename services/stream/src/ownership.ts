import { hostname } from 'node:os';
import { JobcastError } from '@jobcast/core';
import pg from 'pg';

/**
 * One stream service per database: the service holds a PostgreSQL advisory lock on a connection of
 * its own for as long as it runs (PostgreSQL lets it go if the process dies). A second service asks
 * for it before it touches anything, and stops when it is taken, saying which service holds it.
 */

/** The lock's key (advisory locks are per database): `jobcast` in ASCII, and 1 for the stream service. */
const LOCK = [0x6a6f6263, 1] as const;

export interface StreamOwnership {
  release(): Promise<void>;
}

/** Takes the database's stream-service lock, or throws naming the service that holds it. */
export async function claimStreamOwnership(
  databaseUrl: string,
  ports: { rtmp: number; http: number },
): Promise<StreamOwnership> {
  const describe = `jobcast-stream ${hostname()} pid ${process.pid} rtmp ${ports.rtmp} http ${ports.http}`;
  const client = new pg.Client({ connectionString: databaseUrl, application_name: describe.slice(0, 63) });
  // A lock connection that drops (PostgreSQL restarted) is reported by the pool of the service; this
  // one only has to exist.
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [
      ...LOCK,
    ]);
    if (!rows[0]?.locked) {
      const holder = await client.query<{ application_name: string; client_addr: string | null; backend_start: Date }>(
        `select a.application_name, a.client_addr, a.backend_start from pg_locks l
           join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.classid = $1 and l.objid = $2 and l.granted and l.database = (
            select oid from pg_database where datname = current_database())`,
        [...LOCK],
      );
      const other = holder.rows[0];
      const where = other
        ? `${other.application_name || '未知进程'}${other.client_addr ? `，来自 ${other.client_addr}` : ''}，${other.backend_start.toISOString()} 起`
        : '未知进程';
      throw new JobcastError(
        'CONFLICT',
        `另一个直播推流服务正在使用这个数据库（${where}），本服务没有启动，也没有改动任何直播；请先停止那个服务 (another stream service is running against this database: ${other?.application_name ?? 'unknown'})`,
      );
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    async release() {
      await client.query('select pg_advisory_unlock($1, $2)', [...LOCK]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
