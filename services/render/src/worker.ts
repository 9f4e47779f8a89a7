import { failRender } from '@jobcast/db';
import {
  attemptsFor,
  closeWorker,
  consume,
  Producer,
  type QueueConnection,
  reconcileNowAndEvery,
} from '@jobcast/queue';
import { isStorageFault } from '@jobcast/storage';
import { stopFlyerThread } from './flyer/index.ts';
import { INTERRUPTED_MESSAGE, type RenderDeps, reconcileRenders, runRender } from './service.ts';
import { videoEncodes } from './video/render-video.ts';

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
 * After the bound, how long close() waits for the renders it stopped to record that they will run
 * again (their ffmpeg is killed; a stage that is not ffmpeg, a voice or a still, ends on its own).
 */
const RELEASE_TIMEOUT_MS = 15_000;
/** Temporary media files older than this are left over from a worker that was killed. */
const LEFTOVER_AGE_MS = 60 * 60_000;
/**
 * A render's queue lock lasts 15 s and is renewed every 7.5 s while it runs (encoding happens in
 * ffmpeg, a child process, and the flyer's PDF in a worker thread, so the event loop is free to renew
 * it). When a worker dies, another finds its render within about 15 s plus one 10 s check.
 */
const LOCK_DURATION_MS = 15_000;
const STALLED_CHECK_MS = 10_000;

/**
 * Renders from the render queue, two at a time. On close it stops taking work and waits for what it
 * holds at most CLOSE_TIMEOUT_MS. PostgreSQL holds the truth: at start and every
 * minute, renders pending there but unknown to Redis are queued again.
 */
export async function startRenderWorker(
  deps: Omit<RenderDeps, 'producer'>,
  connection: QueueConnection,
  log: (line: string) => void = () => undefined,
  options: { concurrency?: number; reconcileEveryMs?: number; closeTimeoutMs?: number } = {},
): Promise<RenderWorker> {
  // What a killed worker left in the media store's temporary folder (a video's stills, a partial
  // file): an hour old, nothing is still writing it.
  const swept = await deps.store.sweepTemporary(LEFTOVER_AGE_MS).catch(() => 0);
  if (swept > 0) log(`removed ${swept} leftover temporary file(s) from the media store`);
  // Redis errors reach this worker's log, each at most once a minute, unless the caller gave another.
  const queueConnection = { ...connection, log: connection.log ?? log };
  const producer = new Producer(queueConnection);
  const all: RenderDeps = { ...deps, producer };
  /** Renders this worker is making now, each with the promise that settles when it has. */
  const inFlight = new Map<number, Promise<unknown>>();
  const worker = consume(
    queueConnection,
    'render',
    async ({ renderId }, job) => {
      // A storage fault gets more tries, minutes apart, than any other fault.
      const finalAttempt = (error: unknown) =>
        job.attemptsMade + 1 >= Math.min(job.opts.attempts ?? 1, attemptsFor('render', isStorageFault(error)));
      const running = runRender(all, renderId, finalAttempt);
      const settled = running.then(
        () => undefined,
        () => undefined,
      );
      inFlight.set(renderId, settled);
      void settled.then(() => inFlight.delete(renderId));
      const render = await running;
      if (render) log(`render #${renderId} ${render.kind} ${render.template}: ${render.status}`);
      return render?.status ?? 'skipped';
    },
    {
      concurrency: options.concurrency ?? 2,
      lockDurationMs: LOCK_DURATION_MS,
      stalledIntervalMs: STALLED_CHECK_MS,
      slowRetry: isStorageFault,
    },
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
      await closeWorker(worker, options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS);
      // Renders still running past the bound: their ffmpeg must not outlive this process. Each such
      // render goes back to queued, and its expired lock lets a worker run it again.
      // The caller closes the database next, so wait here until each stopped render has written that
      // it will run again. A render between two ffmpeg runs starts the next one after the first kill:
      // that one is killed too, on the next round.
      const stopped = new Set<number>();
      const deadline = Date.now() + RELEASE_TIMEOUT_MS;
      while (inFlight.size > 0 && Date.now() < deadline) {
        for (const id of inFlight.keys()) stopped.add(id);
        videoEncodes.killAll();
        await Promise.race([Promise.allSettled([...inFlight.values()]), sleep(250)]);
      }
      // Any render still going (a stage that would not end) is released here; the queue's expired
      // lock lets a worker take it again.
      for (const id of inFlight.keys()) {
        await failRender(deps.db, id, { code: 'INTERRUPTED', message: INTERRUPTED_MESSAGE }, false).catch(
          (error: Error) => log(`render #${id} could not be released: ${error.message}`),
        );
      }
      if (stopped.size > 0) log(`stopped ${stopped.size} unfinished render(s); they will run again`);
      await stopFlyerThread();
      await producer.close();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
