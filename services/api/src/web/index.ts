import { readdirSync, readFileSync } from 'node:fs';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { ApiServices, AppEnv } from '../context.ts';
import { asPage, definePage, type PageRoute, pageGuards } from './page.tsx';
import { consolePages } from './routes/index.ts';

const ASSETS_DIR = new URL('./assets/', import.meta.url);
const ASSET_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** The console's own stylesheets and scripts, read once at start: no CDN, nothing fetched. */
function loadAssets(): Map<string, { body: string; type: string }> {
  const assets = new Map<string, { body: string; type: string }>();
  for (const name of readdirSync(ASSETS_DIR)) {
    const type = ASSET_TYPES[name.split('.').pop() ?? ''];
    if (type && /^[a-z0-9-]+\.[a-z]+$/.test(name)) {
      assets.set(name, { body: readFileSync(new URL(name, ASSETS_DIR), 'utf8'), type });
    }
  }
  return assets;
}

/**
 * The admins' queue dashboard (bull-board): its own pages and API under /admin/queues. Listed here
 * for the role table; mounted apart, behind the same guard.
 */
const queuesPage = definePage(['admin'], 'get', '/admin/queues', (c) => c.notFound());

/** Every page of the console with who may open it: the API's route table's counterpart. */
export const pageRoutes: readonly PageRoute[] = [...consolePages, queuesPage];

/**
 * Mounts the console on the app: the Origin check on form posts, the assets, every page behind its
 * guards (an error becomes a page, not JSON), and bull-board for admins.
 */
export function mountConsole(app: Hono<AppEnv>, services: ApiServices): void {
  const publicOrigin = new URL(services.config.publicUrl).origin;
  // Forms posted from another site are refused by their Origin header (a second wall besides the token).
  app.use(
    csrf({
      origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin,
    }),
  );

  const assets = loadAssets();
  app.get('/assets/:name', (c, next) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return next();
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });

  for (const route of consolePages) {
    const method = route.method.toUpperCase();
    for (const step of [...pageGuards(route), route.handler as MiddlewareHandler<AppEnv>]) {
      app.on(method, route.path, asPage(step, services.log));
    }
  }

  for (const guard of pageGuards(queuesPage)) app.use('/admin/queues', guard).use('/admin/queues/*', guard);
  // Made on an admin's first visit, not with the app: opening the queues writes to Redis, and an API
  // composed for one request (a test, the CLI) would close its connection under those writes.
  let board: Hono | undefined;
  const queueBoard = (): Hono => {
    if (!board) {
      const adapter = new HonoAdapter(serveStatic);
      adapter.setBasePath('/admin/queues');
      createBullBoard({
        queues: services.producer.allQueues().map((queue) => new BullMQAdapter(queue)),
        serverAdapter: adapter,
        options: { uiConfig: { boardTitle: '岗播 队列' } },
      });
      board = new Hono().route('/admin/queues', adapter.registerPlugin());
    }
    return board;
  };
  app.all('/admin/queues', (c) => queueBoard().fetch(c.req.raw, c.env));
  app.all('/admin/queues/*', (c) => queueBoard().fetch(c.req.raw, c.env));
}
