import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { JobcastError } from '@jobcast/core';
import { composeApi } from './app.ts';
import type { ApiDeps } from './context.ts';

/** In-flight requests get this long (by default) to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 10_000;

export interface ApiServer {
  url: string;
  /** Stops the HTTP server and the overlays' event streams; the database and producer belong to whoever passed them in. */
  close(): Promise<void>;
}

/** Listens on `hostname`, else on the configured JOBCAST_LISTEN_HOST, else on every interface. */
export function startApiServer(
  deps: ApiDeps & { port: number; hostname?: string; closeGraceMs?: number },
): Promise<ApiServer> {
  const api = composeApi(deps);
  const hostname = deps.hostname ?? deps.config.listenHost;
  return new Promise((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException) => {
      void api.close();
      reject(listenError(deps.port, hostname, error));
    };
    const server = serve({ fetch: api.app.fetch, port: deps.port, hostname }, (info: AddressInfo) => {
      server.off('error', refuse);
      // A wildcard address is where the server listens, not where a client can reach it.
      const listening = hostname ?? '';
      const host = ['', '0.0.0.0', '::'].includes(listening) ? 'localhost' : listening;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: async () => {
          const stopped = new Promise<void>((done, fail) => {
            const cut = setTimeout(() => {
              if ('closeAllConnections' in server) server.closeAllConnections();
            }, deps.closeGraceMs ?? CLOSE_GRACE_MS);
            cut.unref();
            server.close((error) => {
              clearTimeout(cut);
              if (error) fail(error);
              else done();
            });
          });
          // Event streams never finish by themselves: once no new one can start they are ended, or
          // closing would wait out the grace.
          await Promise.all([stopped, api.close()]);
        },
      });
    });
    server.once('error', refuse);
  });
}

/** Why the API cannot listen, in words that name the setting to change. */
function listenError(port: number, hostname: string | undefined, error: NodeJS.ErrnoException): JobcastError {
  const message =
    error.code === 'EADDRINUSE'
      ? `端口 ${port} 已被占用：请停止占用它的程序，或设置 PORT=其他端口`
      : error.code === 'EACCES'
        ? `没有权限监听端口 ${port}：请设置 PORT=1024 以上的端口`
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
          ? `无法在地址 ${hostname} 上监听：本机没有这个地址，请检查 JOBCAST_LISTEN_HOST`
          : `API 无法监听端口 ${port}（${error.code ?? error.message}）`;
  return new JobcastError('UNAVAILABLE', message);
}
