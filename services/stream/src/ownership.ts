import { hostname } from 'node:os';
import { JobcastError } from '@jobcast/core';
import { claimAdvisoryLock, STREAM_SERVICE_LOCK } from '@jobcast/db';

/**
 * One stream service per database: the service holds a PostgreSQL advisory lock on a connection of
 * its own for as long as it runs (PostgreSQL lets it go if the process dies). A second service asks
 * for it before it touches anything, and stops when it is taken, saying which service holds it.
 */

export interface StreamOwnership {
  release(): Promise<void>;
}

/** Takes the database's stream-service lock, or throws naming the service that holds it. */
export async function claimStreamOwnership(
  databaseUrl: string,
  ports: { rtmp: number; http: number },
): Promise<StreamOwnership> {
  const describe = `jobcast-stream ${hostname()} pid ${process.pid} rtmp ${ports.rtmp} http ${ports.http}`;
  const claim = await claimAdvisoryLock(databaseUrl, STREAM_SERVICE_LOCK, describe);
  if (!claim.held) {
    const other = claim.holder;
    const where = other
      ? `${other.applicationName || '未知进程'}${other.address ? `，来自 ${other.address}` : ''}，${other.since.toISOString()} 起`
      : '未知进程';
    throw new JobcastError(
      'CONFLICT',
      `另一个直播推流服务正在使用这个数据库（${where}），本服务没有启动，也没有改动任何直播；请先停止那个服务`,
    );
  }
  return { release: () => claim.release() };
}
