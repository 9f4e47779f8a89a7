import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { composeApi } from './app.ts';
import type { ApiDeps } from './context.ts';

/** In-flight requests get this long to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 10_000;

export interface ApiServer {
  url: string;
  /** Stops the HTTP server and the overlays' event streams; the database and producer belong to whoever passed them in. */
  close(): Promise<void>;
}

export function startApiServer(deps: ApiDeps & { port: number; hostname?: string }): Promise<ApiServer> {
  const api = composeApi(deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: api.app.fetch, port: deps.port, hostname: deps.hostname }, (info: AddressInfo) => {
      server.off('error', reject);
      // A wildcard address is where the server listens, not where a client can reach it.
      const listening = deps.hostname ?? '';
      const host = ['', '0.0.0.0', '::'].includes(listening) ? 'localhost' : listening;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: async () => {
          const stopped = new Promise<void>((done, fail) => {
            const cut = setTimeout(() => {
              if ('closeAllConnections' in server) server.closeAllConnections();
            }, CLOSE_GRACE_MS);
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
    server.once('error', reject);
  });
}
