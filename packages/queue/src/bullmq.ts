import { onceAMinute } from '@jobcast/core';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { attemptsFor, type JobPayload, type QueueName, queues, RETRY_BACKOFF, retryDelayMs } from './contracts.ts';

/** The only module that touches BullMQ and ioredis. */
export interface QueueConnection {
  redisUrl: string;
  prefix: string;
  /** Where connection errors are reported: each distinct message at most once a minute. */
  log?: (line: string) => void;
}

/** The clients a worker's Redis connection was duplicated into (BullMQ's blocking connection). */
const duplicates = new WeakMap<Redis, Redis[]>();

function connect(connection: QueueConnection, forWorker: boolean): Redis {
  // Workers block on Redis and must wait for it forever; a producer's command waits for the
  // connection (so one sent right after start-up is not lost) but fails after one retry.
  const redis = new Redis(connection.redisUrl, {
    maxRetriesPerRequest: forWorker ? null : 1,
    connectTimeout: 5000,
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error; callers also
  // see the failure where it matters, on the command (readiness checks, enqueue). A worker's
  // connection errors reach its own `error` event, logged there.
  const report = connection.log && !forWorker ? onceAMinute(connection.log) : undefined;
  redis.on('error', (error: Error) => report?.(`redis (queue producer): ${error.message}`));
  // BullMQ duplicates a worker's connection for its blocking reads; kept here so that a close that
  // cannot reach Redis can still cut them (ioredis `quit` waits for a reconnect that may never come).
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (override) => {
    const copy = duplicate(override);
    duplicates.set(redis, [...(duplicates.get(redis) ?? []), copy]);
    return copy;
  };
  return redis;
}

/** Every client behind a connection, for a forced close. */
function clientsOf(redis: Redis): Redis[] {
  return [redis, ...(duplicates.get(redis) ?? [])];
}

const PING_TIMEOUT_MS = 3000;

/**
 * Whether Redis answers PING within `timeoutMs`, on a connection of its own that does not retry:
 * start-up checks. Rejects with the connection's error (its `code`, e.g. ECONNREFUSED, ENOTFOUND,
 * or a Redis reply such as NOAUTH), or with code ETIMEDOUT.
 */
export async function pingRedis(redisUrl: string, timeoutMs = PING_TIMEOUT_MS): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let failure: Error | undefined;
  redis.on('error', (error: Error) => {
    failure ??= error;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      timeout,
    ]);
  } catch (error) {
    // ioredis reports a refused connection as "Connection is closed"; the socket's error says why.
    throw failure && (error as Error).message === 'Connection is closed.' ? failure : error;
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

/** At most `ms`; true if `promise` settled first. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface ProducerOptions {
  /** How long `enqueue`, `has` and `ping` wait for Redis before failing with QueueUnavailableError. */
  timeoutMs?: number;
}

/** Redis did not take or answer a producer's command in time: nothing is known to be queued. */
export class QueueUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

/** Redis answers in milliseconds when it is up; a caller (an API request) should not wait much longer. */
const DEFAULT_PRODUCER_TIMEOUT_MS = 3000;

export class Producer {
  private readonly redis: Redis;
  private readonly open = new Map<QueueName, Queue>();
  private readonly timeoutMs: number;

  constructor(
    private readonly connection: QueueConnection,
    options: ProducerOptions = {},
  ) {
    this.redis = connect(connection, false);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PRODUCER_TIMEOUT_MS;
  }

  /**
   * Bounds a command: a Queue whose connection never came up waits for it forever (BullMQ ignores
   * refused connections while it waits), whatever ioredis's own retry limit says.
   */
  private async bounded<T>(what: string, work: Promise<T>): Promise<T> {
    // The command may still settle after the deadline: its late failure is nobody's to handle.
    work.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(`Redis did not answer ${what} within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw error;
      throw new QueueUnavailableError(`Redis refused ${what}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private queue(name: QueueName): Queue {
    let queue = this.open.get(name);
    if (!queue) {
      queue = new Queue(queues[name].name, { connection: this.redis, prefix: this.connection.prefix });
      // BullMQ re-emits a connection that never came up as the queue's `error`, from inside a promise:
      // with no listener that is an unhandled rejection. The command itself fails within its bound.
      queue.on('error', () => undefined);
      this.open.set(name, queue);
    }
    return queue;
  }

  async enqueue<Q extends QueueName>(name: Q, payload: JobPayload<Q>): Promise<string> {
    const contract = queues[name];
    const data = contract.payload.parse(payload) as JobPayload<Q>;
    // TypeScript cannot pair the contract's jobId with its own payload across the union of queues.
    const jobId = (contract.jobId as (payload: JobPayload<Q>) => string)(data);
    await this.bounded(
      `enqueue ${jobId}`,
      this.queue(name).add(name, data, {
        jobId,
        // The most any fault may get; the worker's strategy stops an ordinary fault sooner.
        attempts: attemptsFor(name, true),
        backoff: { type: RETRY_BACKOFF },
        removeOnComplete: { age: 86_400, count: 1000 },
        removeOnFail: { age: 7 * 86_400 },
      }),
    );
    return jobId;
  }

  /**
   * Whether the queue still holds a job to run (waiting, delayed or active), for a reconciler whose
   * row says the work is pending. A job the queue has finished with (failed after its attempts, or
   * completed) is removed and reported absent: kept, it would block queueing the row again under the
   * same id, and the row would wait forever (a render stopped by a shutdown on its last attempt).
   */
  has(name: QueueName, jobId: string): Promise<boolean> {
    return this.bounded(`has ${jobId}`, this.present(name, jobId));
  }

  private async present(name: QueueName, jobId: string): Promise<boolean> {
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
    return (await this.bounded('PING', this.redis.ping())) === 'PONG';
  }

  /** Closes the queues, at most a few seconds when Redis is gone, then cuts the connection. */
  async close(): Promise<void> {
    await within(Promise.all([...this.open.values()].map((queue) => queue.close())), PRODUCER_CLOSE_MS);
    this.redis.disconnect();
  }
}

const PRODUCER_CLOSE_MS = 2000;

export interface ConsumerOptions {
  concurrency?: number;
  /** How long a job's lock lasts without renewal (renewed every half of it while the job runs). */
  lockDurationMs?: number;
  /** How often the worker looks for jobs whose worker died (their lock expired). */
  stalledIntervalMs?: number;
  /** Whether a failure passes only slowly (a full disk): retried as the contract's `slowRetry` says. */
  slowRetry?: (error: Error) => boolean;
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
      settings: {
        backoffStrategy: (failed: number, _type?: string, error?: Error) =>
          retryDelayMs(name, failed, error !== undefined && (options.slowRetry?.(error) ?? false)),
      },
    },
  );
  // BullMQ leaves a connection it was handed open after close(): without this the process cannot exit.
  worker.on('closed', () => redis.disconnect());
  // Without a listener an `error` event (Redis gone, a failed lock renewal) would be thrown.
  const report = connection.log ? onceAMinute(connection.log) : undefined;
  worker.on('error', (error: Error) => report?.(`${name} worker: ${error.message}`));
  workerClients.set(worker, redis);
  return worker;
}

const workerClients = new WeakMap<Worker, Redis>();
/** How long a close that could not finish gets once its connections are cut. */
const FORCED_CLOSE_MS = 2000;
/** How long a close waits for a worker still connecting to Redis before taking Redis for gone. */
const CONNECT_WAIT_MS = 2000;

/**
 * Stops a worker taking jobs and waits for the ones it holds, at most `timeoutMs`: worker.close()
 * has no bound of its own. A job still running then is released to the queue by its expiring lock.
 */
export async function closeWorker(worker: Worker, timeoutMs: number): Promise<void> {
  const redis = workerClients.get(worker);
  const reachable = () => !redis || redis.status === 'ready';
  // A worker closed while it is still connecting leaves BullMQ's connection set-up to fail
  // unhandled ("Connection is closed"): one still connecting gets a moment to finish (seen in a
  // test that stopped a worker right after starting it).
  const ready = worker.waitUntilReady().then(
    () => true,
    () => false,
  );
  const connected =
    (await Promise.race([ready, sleep(Math.min(timeoutMs, CONNECT_WAIT_MS)).then(() => false)])) && reachable();
  if (connected) {
    if (await within(worker.close(), timeoutMs)) return;
    // Past the bound with Redis there: the jobs still held end when the caller stops them, and the
    // close then completes.
    if (reachable()) return;
  }
  // Redis is not there: no job can record its end, and a graceful close (ioredis `quit`) would wait
  // for a reconnect that may never come. Every connection is cut so nothing keeps the process up;
  // the jobs held are released by their expiring locks.
  const forced = worker.close(true);
  if (redis) for (const client of clientsOf(redis)) client.disconnect();
  await within(forced, FORCED_CLOSE_MS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
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
