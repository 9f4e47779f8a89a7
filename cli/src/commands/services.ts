import { startApiServer } from '@jobcast/api';
import { startIngestWorker } from '@jobcast/ingest/worker';
import { Producer } from '@jobcast/queue';
import { startRenderWorker } from '@jobcast/render-worker';
import { LocalMediaStore } from '@jobcast/storage';
import { startStreamService } from '@jobcast/stream';
import type { CommandContext } from '../context.ts';
import type { Shutdown } from './shutdown.ts';
import { StreamProcess } from './supervisor.ts';

/** The services one process runs. */
export interface Which {
  api: boolean;
  ingest: boolean;
  render: boolean;
  stream: boolean;
}

export interface Running {
  urls: { api?: string; rtmp?: string };
  /** The stream service's ports as listened on (config 0 picks free ones). */
  streamPorts?: { rtmp: number; http: number };
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The stream service in a child process of its own, watched and restarted (`jobcast start`). */
  streamProcess?: boolean;
  /** Each service is handed to it as soon as it has started, so a signal mid-start stops it too. */
  shutdown?: Shutdown;
}

/**
 * Shares of the stop deadline (STOP_DEADLINE_MS, 10 s): a worker waits this long for the job it
 * holds (then it is stopped and runs again later), the API this long for requests in flight.
 */
const WORKER_CLOSE_MS = 4000;
const API_CLOSE_GRACE_MS = 4000;

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

export async function startServices(ctx: CommandContext, which: Which, options: StartOptions = {}): Promise<Running> {
  const stops: (() => Promise<void>)[] = [];
  const running: Running = {
    urls: {},
    async stop() {
      // Side by side: each is bounded, and none waits for another.
      await Promise.all(stops.map((stop) => stop()));
    },
  };
  const started = (name: string, stop: () => Promise<void>) => {
    stops.push(stop);
    options.shutdown?.add(name, stop);
  };
  try {
    await startEach(ctx, which, options, started, running);
  } catch (error) {
    // A service that cannot start stops those already started: nothing is left running half-way.
    if (!options.shutdown) await Promise.all(stops.map((stop) => stop().catch(() => {})));
    throw error;
  }
  return running;
}

async function startEach(
  ctx: CommandContext,
  which: Which,
  options: StartOptions,
  started: (name: string, stop: () => Promise<void>) => void,
  running: Running,
): Promise<void> {
  const connection = { redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix, log };
  if (which.stream && options.streamProcess) {
    // First: a second stream service on this database must stop before anything else starts.
    const stream = new StreamProcess(ctx.config, log);
    started('stream service', () => stream.stop());
    options.shutdown?.onForce(() => stream.kill());
    await stream.ready;
    running.urls.rtmp = stream.rtmpUrl;
  } else if (which.stream) {
    const stream = await startStreamService({
      db: ctx.db,
      config: ctx.config,
      store: new LocalMediaStore(ctx.config.mediaDir),
      log,
    });
    running.urls.rtmp = stream.rtmpUrl;
    running.streamPorts = { rtmp: stream.rtmpPort, http: stream.httpPort };
    started('stream service', () => stream.close());
  }
  if (which.ingest) {
    const worker = await startIngestWorker(ctx.db, connection, log, {
      chunkRows: ctx.config.importBatchRows,
      closeTimeoutMs: WORKER_CLOSE_MS,
      uploads: { dir: ctx.config.uploadDir, retentionDays: ctx.config.uploadRetentionDays },
    });
    started('import worker', () => worker.close());
    log('import worker: ready');
  }
  if (which.render) {
    const store = new LocalMediaStore(ctx.config.mediaDir);
    const worker = await startRenderWorker(
      { db: ctx.db, store, templatesDir: ctx.config.templatesDir },
      connection,
      log,
      { closeTimeoutMs: WORKER_CLOSE_MS },
    );
    started('render worker', () => worker.close());
    log('render worker: ready');
  }
  if (which.api) {
    const producer = new Producer(connection);
    const server = await startApiServer({
      db: ctx.db,
      producer,
      config: ctx.config,
      log,
      port: ctx.config.port,
      closeGraceMs: API_CLOSE_GRACE_MS,
    }).catch(async (error: unknown) => {
      await producer.close();
      throw error;
    });
    running.urls.api = server.url;
    started('API', async () => {
      await server.close();
      await producer.close();
    });
  }
}
