import { parentPort, workerData } from 'node:worker_threads';
import { isJobcastError } from '@jobcast/core';
import { PIECES_AHEAD, pack, type ThreadMessage } from './parse-thread.ts';
import { type ParseInput, parseTable } from './table-parser.ts';
import { Wakeup } from './wakeup.ts';

const port = parentPort;
if (!port) throw new Error('parse-thread-body.ts runs as a worker thread');

let credits = PIECES_AHEAD;
const wakeup = new Wakeup();
port.on('message', () => {
  credits++;
  wakeup.notify();
});

const send = (message: ThreadMessage) => port.postMessage(message);

try {
  const chunks = parseTable(workerData as ParseInput);
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      send({ type: 'done', sheet: next.value });
      break;
    }
    while (credits === 0) {
      await wakeup.wait();
    }
    credits--;
    send({ type: 'chunk', chunk: pack(next.value) });
  }
} catch (error) {
  const e = error as Error;
  send({ type: 'error', code: isJobcastError(error) ? error.code : null, message: e.message, stack: e.stack });
}
port.close();
