import { closeWorker, consume, Producer, type QueueConnection, reconcileNowAndEvery } from '@jobcast/queue';
import { type RenderDeps, reconcileRenders, runRender } from './service.ts';

export interface RenderWorker {
  close(): Promise<void>;
}

const RECONCILE_EVERY_MS = 60_000;
/** A queued render younger than this may simply not have reached Redis yet. */
const QUEUED_GRACE_S = 30;
/** Progress is reported at least this often while a render runs; silence longer than this is a dead worker. */
const STALLED_AFTER_S = 300;
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * Renders from the render queue, two at a time. PostgreSQL holds the truth: at start and every
 * minute, renders pending there but unknown to Redis are queued again.
 */
export async function startRenderWorker(
  deps: Omit<RenderDeps, 'producer'>,
  connection: QueueConnection,
  log: (line: string) => void = () => undefined,
  options: { concurrency?: number; reconcileEveryMs?: number } = {},
): Promise<RenderWorker> {
  const producer = new Producer(connection);
  const all: RenderDeps = { ...deps, producer };
  const worker = consume(
    connection,
    'render',
    async ({ renderId }, job) => {
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const render = await runRender(all, renderId, finalAttempt);
      if (render) log(`render #${renderId} ${render.kind} ${render.template}: ${render.status}`);
      return render?.status ?? 'skipped';
    },
    { concurrency: options.concurrency ?? 2 },
  );
  worker.on('failed', (job, error) => log(`render job ${job?.id ?? '?'} failed: ${error.message}`));

  const reconcile = async () => {
    const requeued = await reconcileRenders(all, { queuedForS: QUEUED_GRACE_S, stalledForS: STALLED_AFTER_S });
    if (requeued.length > 0) log(`re-queued renders ${requeued.join(', ')} (lost from Redis)`);
  };
  const stopReconciling = await reconcileNowAndEvery(reconcile, options.reconcileEveryMs ?? RECONCILE_EVERY_MS, log);

  return {
    async close() {
      stopReconciling();
      await closeWorker(worker, CLOSE_TIMEOUT_MS);
      await producer.close();
    },
  };
}
