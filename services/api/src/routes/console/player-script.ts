import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createRoute, z } from '@hono/zod-openapi';
import { defineRoute } from '../../routing.ts';

const route = createRoute({
  method: 'get',
  path: '/assets/mpegts.js',
  tags: ['live'],
  summary: "The console's preview player (mpegts.js, an HTTP-FLV player on Media Source Extensions)",
  responses: {
    200: { description: 'the script', content: { 'text/javascript': { schema: z.string() } } },
  },
});

// From the installed package, read once: no CDN (the office's network may have none) and no copy.
const playerFile = createRequire(import.meta.url).resolve('mpegts.js');
let player: Promise<string> | undefined;

export const previewPlayerScript = defineRoute('public', route, async (c) => {
  player ??= readFile(playerFile, 'utf8');
  return c.body(await player, 200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=86400',
  });
});
