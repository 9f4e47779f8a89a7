import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { ApiDeps } from './context.ts';

/** In-flight requests get this long to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 10_000;

export interface ApiServer {
  url: string;
  /** Stops the HTTP server only; the database and producer belong to whoever passed them in. */
  close(): Promise<void>;
}

export function startApiServer(deps: ApiDeps & { port: number; hostname?: string }): Promise<ApiServer> {
  const app = createApp(deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: deps.port, hostname: deps.hostname }, (info: AddressInfo) => {
      server.off('error', reject);
      // A wildcard address is where the server listens, not where a client can reach it.
      const listening = deps.hostname ?? '';
      const host = ['', '0.0.0.0', '::'].includes(listening) ? 'localhost' : listening;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            const cut = setTimeout(() => {
              if ('closeAllConnections' in server) server.closeAllConnections();
            }, CLOSE_GRACE_MS);
            cut.unref();
            server.close((error) => {
              clearTimeout(cut);
              if (error) fail(error);
              else done();
            });
          }),
      });
    });
    server.once('error', reject);
  });
}
