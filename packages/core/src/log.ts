/**
 * Logging helpers shared by the services.
 */

const ERROR_REPEAT_MS = 60_000;
const throttles = new WeakMap<(line: string) => void, (line: string) => void>();

/**
 * A log that passes each distinct line at most once a minute, saying how many it held back: a
 * dependency that is down fails every reconnect or tick, several times a second. One per log function, so every
 * connection of a process shares it.
 */
export function onceAMinute(log: (line: string) => void): (line: string) => void {
  let throttled = throttles.get(log);
  if (!throttled) {
    const seen = new Map<string, { at: number; held: number }>();
    throttled = (line: string) => {
      const now = Date.now();
      const last = seen.get(line);
      if (last && now - last.at < ERROR_REPEAT_MS) {
        last.held++;
        return;
      }
      if (seen.size > 100) {
        for (const [key, value] of seen) if (now - value.at >= ERROR_REPEAT_MS) seen.delete(key);
      }
      seen.set(line, { at: now, held: 0 });
      log(last?.held ? `${line} (and ${last.held} more in the last minute)` : line);
    };
    throttles.set(log, throttled);
  }
  return throttled;
}

/** The innermost cause's message: what a wrapped failure (drizzle's "Failed query: …") was about. */
export function rootMessage(error: Error): string {
  let inner: Error = error;
  while (inner.cause instanceof Error) inner = inner.cause;
  return inner.message;
}
