import { createRoute, z } from '@hono/zod-openapi';
import { pingDatabase } from '@jobcast/db';
import type { ApiServices } from '../../context.ts';
import { defineRoute } from '../../routing.ts';
import { TimeoutError, withTimeout } from '../../timeout.ts';

/** A probe must answer before the orchestrator's own timeout, whatever a dependency does. */
const CHECK_TIMEOUT_MS = 2000;

const checkResultSchema = z.enum(['ok', 'failed', 'timeout']);
type CheckResult = z.infer<typeof checkResultSchema>;

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ postgres: checkResultSchema, redis: checkResultSchema }),
  })
  .openapi('Readiness');

const route = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Readiness: PostgreSQL and Redis answer',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: readinessSchema } } },
    503: {
      description: 'a dependency failed or timed out; the log says why',
      content: { 'application/json': { schema: readinessSchema } },
    },
  },
});

async function probe(
  name: string,
  run: () => Promise<unknown>,
  log: ApiServices['log'],
  requestId: string,
): Promise<CheckResult> {
  try {
    await withTimeout(run(), CHECK_TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    // The reason goes to the log, not to an unauthenticated caller.
    log(`[${requestId}] readyz: ${name} ${(error as Error).message}`);
    return error instanceof TimeoutError ? 'timeout' : 'failed';
  }
}

export const readyz = defineRoute('public', route, async (c) => {
  const { db, producer, log } = c.var.services;
  const [postgres, redis] = await Promise.all([
    probe('postgres', () => pingDatabase(db), log, c.var.requestId),
    probe(
      'redis',
      async () => {
        if (!(await producer.ping())) throw new Error('PING did not answer PONG');
      },
      log,
      c.var.requestId,
    ),
  ]);
  const checks = { postgres, redis };
  return postgres === 'ok' && redis === 'ok'
    ? c.json({ status: 'ready' as const, checks }, 200)
    : c.json({ status: 'unavailable' as const, checks }, 503);
});
