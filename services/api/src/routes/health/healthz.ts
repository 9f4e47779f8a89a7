import { createRoute, z } from '@hono/zod-openapi';
import { defineRoute } from '../../routing.ts';

const route = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the process answers (no dependency is checked)',
  responses: {
    200: {
      description: 'alive',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

export const healthz = defineRoute('public', route, (c) => c.json({ status: 'ok' as const }, 200));
