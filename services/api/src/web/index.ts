import { readdirSync, readFileSync } from 'node:fs';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { JobcastError } from '@jobcast/core';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { CSRF_HEADER } from '../auth.ts';
import type { ApiServices, AppEnv } from '../context.ts';
import { ADMINS } from '../roles.ts';
import { asPage, definePage, type PageRoute, pageGuards, renderPage } from './page.tsx';
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
 * The queue dashboard (bull-board): its own pages and API under /admin/queues, for admins who are
 * deployment admins (users.deployment_admin): its queues are every site's. Listed here for the role
 * table; mounted apart, behind the same guard and `queueGuards`.
 */
const QUEUES_PATH = '/admin/queues';
const queuesPage = definePage(ADMINS, 'get', QUEUES_PATH, (c) => c.notFound());

/**
 * bull-board's UI calls its API with axios, which sends this cookie's value back as the header on
 * same-origin requests: the session's CSRF token reaches its pause, retry and clean that way. The
 * check is against the session's token, so a cookie planted by another page proves nothing.
 */
const BOARD_TOKEN_COOKIE = 'XSRF-TOKEN';
const BOARD_TOKEN_HEADER = 'X-XSRF-TOKEN';

/**
 * Only this server: its scripts (and their highlighting worker), its API, its images. Inline styles
 * are allowed: the UI's JSON editor (CodeMirror) writes its styles into <style> elements.
 */
const QUEUES_HEADERS: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // The page's <base href> points at /admin/queues/.
    "base-uri 'self'",
  ].join('; '),
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

/** bull-board's page asks Google for its fonts: every stylesheet or script from another host goes. */
const OUTSIDE_RESOURCE =
  /<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?(?:https?:)?\/\/[^>]*>(?:\s*<\/script>)?\s*/gi;

function withoutOutsideResources(page: string): string {
  return page.replace(OUTSIDE_RESOURCE, '');
}

/** After the page guards: the dashboard is a deployment admin's, and its changes carry the token. */
const queueGuards: MiddlewareHandler<AppEnv>[] = [
  async (c, next) => {
    if (c.var.web?.deploymentAdmin) return next();
    return renderPage(
      c,
      {
        title: '无权访问',
        status: 403,
        notice: { kind: 'error', text: '队列面板管理所有站点的任务，只对系统管理员开放' },
      },
      html`<p><a href="/">回到工作台</a></p>`,
    );
  },
  async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const token = c.req.header(BOARD_TOKEN_HEADER) ?? c.req.header(CSRF_HEADER);
    if (token !== undefined && token === c.var.web?.csrfToken) return next();
    throw new JobcastError('FORBIDDEN', '队列面板的操作缺少有效的安全令牌，请刷新页面后重试');
  },
];

/** bull-board's answer with the dashboard's headers; its page without outside hosts, and the token cookie. */
async function boardResponse(c: Context<AppEnv>, response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(QUEUES_HEADERS)) headers.set(name, value);
  if (!headers.get('Content-Type')?.startsWith('text/html')) {
    return new Response(response.body, { status: response.status, headers });
  }
  const page = withoutOutsideResources(await response.text());
  headers.delete('Content-Length');
  headers.set('Cache-Control', 'no-store');
  const secure = c.var.services.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  headers.append(
    'Set-Cookie',
    `${BOARD_TOKEN_COOKIE}=${c.var.web?.csrfToken ?? ''}; Path=${QUEUES_PATH}; SameSite=Strict${secure}`,
  );
  return new Response(page, { status: response.status, headers });
}

/** Every page of the console with who may open it: the API's route table's counterpart. */
export const pageRoutes: readonly PageRoute[] = [...consolePages, queuesPage];

/**
 * Mounts the console on the app: the Origin check on form posts, the assets, every page behind its
 * guards (an error becomes a page, not JSON), and bull-board for deployment admins.
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

  for (const guard of [...pageGuards(queuesPage), ...queueGuards]) {
    app.use(QUEUES_PATH, guard).use(`${QUEUES_PATH}/*`, guard);
  }
  // Made on an admin's first visit, not with the app: opening the queues writes to Redis, and an API
  // composed for one request (a test, the CLI) would close its connection under those writes.
  let board: Hono | undefined;
  const queueBoard = (): Hono => {
    if (!board) {
      const adapter = new HonoAdapter(serveStatic);
      adapter.setBasePath(QUEUES_PATH);
      createBullBoard({
        queues: services.producer.allQueues().map((queue) => new BullMQAdapter(queue)),
        serverAdapter: adapter,
        options: { uiConfig: { boardTitle: '岗播 队列' } },
      });
      board = new Hono().route(QUEUES_PATH, adapter.registerPlugin());
    }
    return board;
  };
  const serveBoard = async (c: Context<AppEnv>) => boardResponse(c, await queueBoard().fetch(c.req.raw, c.env));
  app.all(QUEUES_PATH, serveBoard);
  app.all(`${QUEUES_PATH}/*`, serveBoard);
}
