import { createRoute, z } from '@hono/zod-openapi';
import { newNonce, pageHeaders } from '../../pages.ts';
import { defineRoute } from '../../routing.ts';
import { sessionIdParams } from '../live/view.ts';
import { consoleHtml } from './html.ts';

const route = createRoute({
  method: 'get',
  path: '/console/live/{id}',
  tags: ['live'],
  summary: "The anchor's console page: signs in, then shows the guard and the rundown and calls /api/live/{id}",
  request: { params: sessionIdParams },
  responses: {
    200: {
      description: 'the page (it holds no data: it reads the API with the signed-in token)',
      content: { 'text/html': { schema: z.string() } },
    },
  },
});

export const liveConsolePage = defineRoute('public', route, (c) => {
  const nonce = newNonce();
  const preview = { origin: new URL(c.var.services.config.streamPublicUrl).origin };
  return c.html(consoleHtml({ nonce, sessionId: c.req.valid('param').id }), 200, pageHeaders(nonce, preview));
});
