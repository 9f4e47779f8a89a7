import { createRoute, type RouteHandler, z } from '@hono/zod-openapi';
import { liveSessionTypes } from '@jobcast/core';
import { userDisplayName } from '@jobcast/db';
import { bookLiveSession } from '@jobcast/live';
import type { AppEnv } from '../../context.ts';
import { errorResponse } from '../../errors.ts';
import { idempotencyHeaders, idempotent } from '../../idempotency.ts';
import { LIVE_OPERATORS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { bookingSchema } from './view.ts';

const bookingRequestSchema = z
  .object({
    type: z.enum(liveSessionTypes).openapi({ description: 'job = 直播带岗; policy, training, visit, other' }),
    title: z.string().max(200).openapi({ example: '十一月直播带岗：制造业专场' }),
    anchorName: z.string().max(100).optional().openapi({ description: 'By default the booking user’s name' }),
    start: z.iso.datetime({ offset: true }).openapi({ example: '2026-12-03T14:00:00+08:00' }),
    minutes: z.number().int().optional().openapi({ description: 'The slot’s length; 90 by default' }),
    jobIds: z
      .array(idSchema)
      .openapi({ description: 'The rundown, in order (直播带岗: at least the configured minimum)' }),
    relays: z
      .array(z.string().max(2000))
      .max(10)
      .optional()
      .openapi({ description: 'rtmp:// push addresses of other platforms; kept encrypted, never shown again' }),
  })
  .openapi('LiveBookingRequest');

const route = createRoute({
  method: 'post',
  path: '/api/live',
  tags: ['live'],
  summary: 'Book a livestream: its slot, rundown and relays; answers the stream key once',
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: bookingRequestSchema } } },
  },
  responses: {
    201: { description: 'booked', content: { 'application/json': { schema: bookingSchema } } },
    404: errorResponse('某个岗位不存在 (a job of the rundown does not exist on your site)'),
    409: errorResponse('同一 Idempotency-Key 的第一个请求仍在处理中 (IDEMPOTENCY_KEY_IN_FLIGHT)'),
    422: errorResponse(
      '违反直播规则，例如直播带岗的岗位不足；或 Idempotency-Key 已用于另一个请求 (against a livestream rule, e.g. too few jobs; or IDEMPOTENCY_KEY_REUSED)',
    ),
  },
});

const book = async (c: Parameters<RouteHandler<typeof route, AppEnv>>[0]) => {
  const { db, config } = c.var.services;
  const { start, ...input } = c.req.valid('json');
  const principal = c.var.principal;
  const displayName = await userDisplayName(db, principal.userId);
  const booking = await bookLiveSession(
    { db, rules: config.live, urls: config, secrets: await c.var.services.secrets(), relayHosts: config.relayHosts },
    { siteId: principal.siteId, userId: principal.userId, displayName: displayName ?? principal.username },
    { ...input, start: new Date(start) },
  );
  // The only answer that carries the stream key: no cache may keep it.
  c.header('Cache-Control', 'no-store');
  return c.json(booking, 201);
};

// A retry with the key answers the same stream key: kept sealed with the relay addresses' key.
export const bookLive = defineRoute(LIVE_OPERATORS, route, (c) =>
  idempotent(
    c,
    () => c.req.valid('json'),
    () => book(c),
    { seal: true },
  ),
);
