/**
 * What time does: every tick, live figures reach the database, silent publishers are dropped, and
 * sessions whose publisher has not come back within the reconnect gap end.
 */
import type { Config } from '@jobcast/config';
import { onceAMinute, rootMessage } from '@jobcast/core';
import type { Database } from '@jobcast/db';
import { endLiveSession, waitingSessions } from '@jobcast/live';
import type { Connections } from './connections.ts';

/** A publisher silent this long is dropped, and the reconnect gap starts. */
export const STALLED_MS = 30_000;

export interface GapDeps {
  db: Database;
  rules: Config['live'];
  connections: Connections;
  finalize: (sessionId: number) => Promise<void>;
  log: (line: string) => void;
}

/** Sessions whose publisher has been gone longer than the gap end here, judged on what was received. */
export async function endExpired(deps: GapDeps, reason: 'gap' | 'restart'): Promise<void> {
  const { db, rules, log } = deps;
  const now = Date.now();
  for (const waiting of await waitingSessions(db)) {
    if (deps.connections.has(waiting.sessionId)) continue;
    if (now - waiting.lastSeenAt.getTime() < rules.reconnectGapSeconds * 1000) continue;
    const view = await endLiveSession(db, rules, waiting.sessionId, { reason });
    log(`live session ${waiting.sessionId} ended: no publisher within the gap (${view.guard.reasons.join('；')})`);
    void deps.finalize(waiting.sessionId);
  }
}

/** Ticks every `everyMs`, one at a time: a tick still running when the next is due skips it. */
export function startTicker(deps: GapDeps, everyMs: number): { stop(): void } {
  let ticking = false;
  // PostgreSQL gone fails every tick, once a second: the log says so once a minute, with the count.
  const report = onceAMinute(deps.log);
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void (async () => {
      await deps.connections.check(STALLED_MS);
      await endExpired(deps, 'gap');
    })()
      .catch((error: Error) => report(`live check failed: ${rootMessage(error)}`))
      .finally(() => {
        ticking = false;
      });
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}
