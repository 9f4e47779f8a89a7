import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type JobPayload, type QueueName, queues } from './contracts.ts';

/** The only module that touches BullMQ and ioredis. */
export interface QueueConnection {
  redisUrl: string;
  prefix: string;
}

function connect(connection: QueueConnection, forWorker: boolean): Redis {
  // Workers block on Redis and must wait for it forever; a producer's command waits for the
  // connection (so one sent right after start-up is not lost) but fails after one retry.
  const redis = new Redis(connection.redisUrl, {
    maxRetriesPerRequest: forWorker ? null : 1,
    connectTimeout: 5000,
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error; callers see
  // the failure where it matters, on the command (readiness checks, enqueue).
  redis.on('error', () => undefined);
  return redis;
}

export class Producer {
  private readonly redis: Redis;
  private readonly open = new Map<QueueName, Queue>();

  constructor(private readonly connection: QueueConnection) {
    this.redis = connect(connection, false);
  }

  private queue(name: QueueName): Queue {
    let queue = this.open.get(name);
    if (!queue) {
      queue = new Queue(queues[name].name, { connection: this.redis, prefix: this.connection.prefix });
      this.open.set(name, queue);
    }
    return queue;
  }

  async enqueue<Q extends QueueName>(name: Q, payload: JobPayload<Q>): Promise<string> {
    const contract = queues[name];
    const data = contract.payload.parse(payload) as JobPayload<Q>;
    // TypeScript cannot pair the contract's jobId with its own payload across the union of queues.
    const jobId = (contract.jobId as (payload: JobPayload<Q>) => string)(data);
    await this.queue(name).add(name, data, {
      jobId,
      attempts: contract.attempts,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 86_400, count: 1000 },
      removeOnFail: { age: 7 * 86_400 },
    });
    return jobId;
  }

  /**
   * Whether the queue still holds a job to run (waiting, delayed or active), for a reconciler whose
   * row says the work is pending. A job the queue has finished with (failed after its attempts, or
   * completed) is removed and reported absent: kept, it would block queueing the row again under the
   * same id, and the row would wait forever (a render stopped by a shutdown on its last attempt).
   */
  async has(name: QueueName, jobId: string): Promise<boolean> {
    const job = await this.queue(name).getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return true;
    await job.remove();
    return false;
  }

  /** Every queue, for the admins' queue dashboard. */
  allQueues(): Queue[] {
    return (Object.keys(queues) as QueueName[]).map((name) => this.queue(name));
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }
}

export interface ConsumerOptions {
  concurrency?: number;
  /** How long a job's lock lasts without renewal (renewed every half of it while the job runs). */
  lockDurationMs?: number;
  /** How often the worker looks for jobs whose worker died (their lock expired). */
  stalledIntervalMs?: number;
}

/** Runs a handler for one queue; input that can never work should throw `PermanentJobError`. */
export function consume<Q extends QueueName>(
  connection: QueueConnection,
  name: Q,
  handler: (payload: JobPayload<Q>, job: Job) => Promise<unknown>,
  options: ConsumerOptions = {},
): Worker {
  const contract = queues[name];
  const redis = connect(connection, true);
  const worker = new Worker(
    contract.name,
    async (job) => {
      const parsed = contract.payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad ${name} payload: ${parsed.error.message}`);
      return handler(parsed.data as JobPayload<Q>, job);
    },
    {
      connection: redis,
      prefix: connection.prefix,
      concurrency: options.concurrency ?? 1,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    },
  );
  // BullMQ leaves a connection it was handed open after close(): without this the process cannot exit.
  worker.on('closed', () => redis.disconnect());
  return worker;
}

/**
 * Stops a worker taking jobs and waits for the ones it holds, at most `timeoutMs`: worker.close()
 * has no bound of its own. A job still running then is released to the queue by its expiring lock.
 */
export async function closeWorker(worker: Worker, timeoutMs: number): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  // A worker closed while it is still connecting leaves BullMQ's connection set-up to fail
  // unhandled ("Connection is closed"): let it finish connecting first (seen in a test that
  // stopped a worker right after starting it).
  const ready = worker.waitUntilReady().then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([ready.then(() => worker.close()), timeout]);
}

/**
 * Runs a reconciler now (its failure is the caller's) and then every `everyMs` (failures are logged
 * and the next run tries again). Returns what stops it.
 */
export async function reconcileNowAndEvery(
  reconcile: () => Promise<void>,
  everyMs: number,
  log: (line: string) => void,
): Promise<() => void> {
  await reconcile();
  const timer = setInterval(() => {
    reconcile().catch((error: Error) => log(`reconcile failed: ${error.message}`));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export { UnrecoverableError as PermanentJobError };
