import { startApiServer } from '@jobcast/api';
import { startIngestWorker } from '@jobcast/ingest/worker';
import { Producer } from '@jobcast/queue';
import { startRenderWorker } from '@jobcast/render';
import { LocalMediaStore } from '@jobcast/storage';
import { startStreamService } from '@jobcast/stream';
import type { CommandContext } from '../context.ts';

/** The services one process runs. */
export interface Which {
  api: boolean;
  ingest: boolean;
  render: boolean;
  stream: boolean;
}

export interface Running {
  urls: { api?: string; rtmp?: string };
  stop(): Promise<void>;
}

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

export async function startServices(ctx: CommandContext, which: Which): Promise<Running> {
  const stops: (() => Promise<void>)[] = [];
  const urls: Running['urls'] = {};
  try {
    await startEach(ctx, which, stops, urls);
  } catch (error) {
    // A service that cannot start stops those already started: nothing is left running half-way.
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
  return {
    urls,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

async function startEach(
  ctx: CommandContext,
  which: Which,
  stops: (() => Promise<void>)[],
  urls: Running['urls'],
): Promise<void> {
  const connection = { redisUrl: ctx.config.redisUrl, prefix: ctx.config.queuePrefix };
  if (which.stream) {
    // First: a second stream service on this database must stop before anything else starts.
    const stream = await startStreamService({
      db: ctx.db,
      config: ctx.config,
      store: new LocalMediaStore(ctx.config.mediaDir),
      log,
    });
    urls.rtmp = stream.rtmpUrl;
    stops.push(() => stream.close());
  }
  if (which.ingest) {
    const worker = await startIngestWorker(ctx.db, connection, log, { chunkRows: ctx.config.importBatchRows });
    stops.push(() => worker.close());
  }
  if (which.render) {
    const store = new LocalMediaStore(ctx.config.mediaDir);
    const worker = await startRenderWorker(
      { db: ctx.db, store, templatesDir: ctx.config.templatesDir },
      connection,
      log,
    );
    stops.push(() => worker.close());
  }
  if (which.api) {
    const producer = new Producer(connection);
    const server = await startApiServer({ db: ctx.db, producer, config: ctx.config, log, port: ctx.config.port });
    urls.api = server.url;
    stops.push(async () => {
      await server.close();
      await producer.close();
    });
  }
}

/** Keeps the process up until SIGINT/SIGTERM, then stops the services within their bounds. */
export function waitForSignal(running: Running, ctx: CommandContext): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: 正在停止 (stopping)…`);
      running
        .stop()
        .then(() => ctx.close())
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
