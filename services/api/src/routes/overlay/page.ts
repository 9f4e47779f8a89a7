import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../errors.ts';
import { newNonce, pageHeaders } from '../../pages.ts';
import { defineRoute } from '../../routing.ts';
import { overlayCard, overlaySession, siteQrImage } from './card.ts';
import { overlayHtml } from './html.ts';

export const overlayTokenParams = z.object({
  token: z
    .string()
    .max(128)
    .openapi({ param: { name: 'token', in: 'path' }, description: 'From the booking: the address is the password' }),
});

const route = createRoute({
  method: 'get',
  path: '/overlay/{token}',
  tags: ['live'],
  summary: 'OBS browser source (1920×1080, transparent): the job on screen as a card in the lower third',
  request: { params: overlayTokenParams },
  responses: {
    200: { description: 'the page', content: { 'text/html': { schema: z.string() } } },
    404: errorResponse('没有这个直播叠加层地址 (no overlay at this address)'),
  },
});

export const overlayPage = defineRoute('public', route, async (c) => {
  const { db, config } = c.var.services;
  const { token } = c.req.valid('param');
  const session = await overlaySession(db, token);
  const card = await overlayCard(db, config.live, session.id, await siteQrImage(db, session.siteId));
  const nonce = newNonce();
  const eventsUrl = `/overlay/${encodeURIComponent(token)}/events`;
  return c.html(overlayHtml({ nonce, card, eventsUrl }), 200, pageHeaders(nonce));
});
