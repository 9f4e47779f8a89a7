import { Worker } from 'node:worker_threads';
import { type FlyerTemplate, type LoadedTemplate, type RenderInputCode, RenderInputError } from '@jobcast/renders';
import type { FlyerInput, FlyerPdf } from './build-flyer.ts';

/**
 * Building a flyer is a few hundred milliseconds of JavaScript (text fitting, pdfkit, font
 * subsetting): on the render worker's own thread it would stall BullMQ's lock renewals and the
 * other render under way. It runs on a thread of its own instead, kept for a while after a flyer
 * (starting one, with tsx, pdfkit and the fonts, costs more than a flyer), then let go.
 */
const IDLE_MS = 5 * 60_000;
/** A flyer that takes longer than this is stuck: the thread is ended and the render retried. */
const TIMEOUT_MS = 60_000;
const THREAD_HEAP_MB = 384;

export interface FlyerRequest {
  id: number;
  template: FlyerTemplate;
  input: FlyerInput;
}

export type FlyerReply =
  | { id: number; ok: true; result: FlyerPdf }
  | {
      id: number;
      ok: false;
      error: {
        message: string;
        stack: string | undefined;
        input: { code: RenderInputCode; details: Record<string, unknown> } | null;
      };
    };

interface Pending {
  /** The thread the flyer was sent to: when a thread dies, only its own flyers fail. */
  worker: Worker;
  resolve(result: FlyerPdf): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

let thread: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(worker: Worker, error: Error): void {
  for (const [id, p] of pending) {
    if (p.worker !== worker) continue;
    clearTimeout(p.timer);
    pending.delete(id);
    p.reject(error);
  }
}

function start(): Worker {
  const worker = new Worker(new URL('./flyer-thread-boot.js', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
  });
  worker.on('message', (reply: FlyerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.ok) {
      const { pdf } = reply.result;
      p.resolve({ ...reply.result, pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength) });
    } else p.reject(revive(reply.error));
    if (![...pending.values()].some((other) => other.worker === worker)) idle(worker);
  });
  worker.on('error', (error) => {
    if (thread === worker) thread = null;
    failAll(worker, error);
  });
  worker.on('exit', (code) => {
    if (thread === worker) thread = null;
    failAll(worker, new Error(`小报线程意外退出（退出码 ${code}）`));
  });
  return worker;
}

/** With nothing to do, the thread lets the process exit, and ends after a while. */
function idle(worker: Worker): void {
  worker.unref();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (thread === worker && ![...pending.values()].some((p) => p.worker === worker)) void stopFlyerThread();
  }, IDLE_MS);
  idleTimer.unref();
}

/** Builds the flyer's PDF on the flyer thread. Input errors come back as the RenderInputError they were. */
export function renderFlyer(loaded: LoadedTemplate<'flyer'>, input: FlyerInput): Promise<FlyerPdf & { pdf: Buffer }> {
  thread ??= start();
  const worker = thread;
  worker.ref();
  if (idleTimer) clearTimeout(idleTimer);
  const id = nextId++;
  // The logo is not drawn: no need to copy it to the thread.
  const request: FlyerRequest = {
    id,
    template: loaded.template,
    input: { ...input, site: { ...input.site, logo: null } },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      failAll(worker, new Error(`小报 ${TIMEOUT_MS / 1000} 秒内没有生成，已中止`));
      if (thread === worker) thread = null;
      void worker.terminate();
    }, TIMEOUT_MS);
    pending.set(id, { worker, resolve: resolve as Pending['resolve'], reject, timer });
    worker.postMessage(request);
  });
}

/** Ends the flyer thread now (tests, shutdown); the next flyer starts another. */
export async function stopFlyerThread(): Promise<void> {
  const worker = thread;
  thread = null;
  if (idleTimer) clearTimeout(idleTimer);
  if (worker) await worker.terminate();
}

function revive(error: Extract<FlyerReply, { ok: false }>['error']): Error {
  const revived = error.input
    ? new RenderInputError(error.input.code, error.message, error.input.details)
    : new Error(error.message);
  if (error.stack) revived.stack = error.stack;
  return revived;
}
