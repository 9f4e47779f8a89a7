import { readFileSync } from 'node:fs';
import { createRoute, z } from '@hono/zod-openapi';
import type { Config } from '@jobcast/config';
import { defineRoute } from '../../routing.ts';

const PLAYER_DIR = new URL('../../player/', import.meta.url);

/** The player's own files, read once: the screen caches them through its service worker. */
const files = Object.fromEntries(
  (
    [
      ['player.html', 'text/html; charset=utf-8'],
      ['player.js', 'text/javascript; charset=utf-8'],
      ['player.css', 'text/css; charset=utf-8'],
      ['sw.js', 'text/javascript; charset=utf-8'],
    ] as const
  ).map(([name, type]) => [name, { body: readFileSync(new URL(name, PLAYER_DIR), 'utf8'), type }]),
) as Record<string, { body: string; type: string }>;

/** Only this server, and the stream service's preview for a livestream on the screens. */
function playerHeaders(config: Config, type: string): Record<string, string> {
  const streamOrigin = new URL(config.streamPublicUrl).origin;
  return {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      `connect-src 'self' ${streamOrigin}`,
      "worker-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
  };
}

function fileRoute(path: string, name: string, summary: string) {
  const file = files[name];
  if (!file) throw new Error(`player file ${name} missing`);
  const route = createRoute({
    method: 'get',
    path,
    tags: ['screens'],
    summary,
    responses: {
      200: { description: name, content: { [file.type.split(';')[0] ?? 'text/plain']: { schema: z.string() } } },
    },
  });
  return defineRoute('public', route, (c) => c.body(file.body, 200, playerHeaders(c.var.services.config, file.type)));
}

/** Open this on the screen (a kiosk Chromium, a TV box, the 职播机): it shows a pairing code, then plays. */
export const playerPage = fileRoute(
  '/player/',
  'player.html',
  'The screen player (职播机): pairing, then its playlist',
);
export const playerScript = fileRoute('/player/player.js', 'player.js', "The player's script");
export const playerStyle = fileRoute('/player/player.css', 'player.css', "The player's style");
export const playerServiceWorker = fileRoute(
  '/player/sw.js',
  'sw.js',
  "The player's service worker (keeps the player offline)",
);

const bare = createRoute({
  method: 'get',
  path: '/player',
  tags: ['screens'],
  summary: 'The player, at its address with a trailing slash (the service worker’s scope)',
  responses: { 302: { description: 'to /player/' } },
});

export const playerRedirect = defineRoute('public', bare, (c) => c.redirect('/player/', 302));
