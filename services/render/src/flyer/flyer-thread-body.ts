import { parentPort } from 'node:worker_threads';
import { RenderInputError } from '@jobcast/renders/templates';
import { buildFlyerPdf } from './build-flyer.ts';
import type { FlyerReply, FlyerRequest } from './flyer-thread.ts';

const port = parentPort;
if (!port) throw new Error('flyer-thread-body.ts runs as a worker thread');

port.on('message', async ({ id, template, input }: FlyerRequest) => {
  let reply: FlyerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const built = await buildFlyerPdf(template, input);
    // A copy of its own, so that its memory can move to the other thread instead of being copied.
    const pdf = new Uint8Array(built.pdf);
    transfer = [pdf.buffer];
    reply = { id, ok: true, result: { ...built, pdf } };
  } catch (error) {
    const e = error as Error;
    reply = {
      id,
      ok: false,
      error: {
        message: e.message,
        stack: e.stack,
        input: error instanceof RenderInputError ? { code: error.code, details: error.details } : null,
      },
    };
  }
  port.postMessage(reply, transfer);
});
