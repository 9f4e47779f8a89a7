import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { errorResponse } from '../../errors.ts';
import { defineRoute } from '../../routing.ts';
import { overlayCard, overlaySession, siteQrImage } from './card.ts';
import { overlayTokenParams } from './page.ts';

/** Proxies and OBS drop a connection silent for long: a comment line every 15 s keeps it open. */
const HEARTBEAT_MS = 15_000;
/** How soon EventSource comes back after the server restarts. */
const RETRY_MS = 2_000;

const route = createRoute({
  method: 'get',
  path: '/overlay/{token}/events',
  tags: ['live'],
  summary:
    'The overlay’s live updates (Server-Sent Events): `card` with the job on screen, at once and on every change',
  request: { params: overlayTokenParams },
  responses: {
    200: {
      description: 'event: card, data: {"card": {...} | null}',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    404: errorResponse('没有这个直播叠加层地址 (no overlay at this address)'),
  },
});

export const overlayEvents = defineRoute('public', route, async (c) => {
  const { db, config, liveFeed, log } = c.var.services;
  const session = await overlaySession(db, c.req.valid('param').token);
  const qr = await siteQrImage(db, session.siteId);
  const requestId = c.var.requestId;
  const response = streamSSE(c, async (stream) => {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    stream.onAbort(finish);

    // Changes that arrive while a card is being read are covered by one more read, not one each.
    let sent: string | undefined;
    let queued = false;
    let sending = Promise.resolve();
    const refresh = () => {
      if (queued) return;
      queued = true;
      sending = sending
        .then(async () => {
          queued = false;
          const data = JSON.stringify({ card: await overlayCard(db, config.live, session.id, qr) });
          if (data === sent) return;
          sent = data;
          await stream.writeSSE({ event: 'card', data, retry: RETRY_MS });
        })
        .catch((error: Error) => log(`[${requestId}] overlay of live session ${session.id}: ${error.message}`));
    };

    let stopWatching: () => void;
    try {
      stopWatching = await liveFeed.watch(session.id, { changed: refresh, closed: finish });
    } catch (error) {
      log(`[${requestId}] overlay of live session ${session.id}: no live feed: ${(error as Error).message}`);
      return;
    }
    // Read once subscribed: a change between the read and the subscription cannot be missed.
    refresh();
    const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    try {
      await finished;
    } finally {
      clearInterval(heartbeat);
      stopWatching();
    }
  });
  // A stream that ended (the server is closing) leaves no idle keep-alive socket for close to wait on.
  response.headers.set('Connection', 'close');
  return response;
});
