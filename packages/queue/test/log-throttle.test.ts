import { onceAMinute, rootMessage } from '@jobcast/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

describe('the log of a dependency that is down', () => {
  it('passes each distinct line once a minute and says how many it held back', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const sink = (line: string) => lines.push(line);
    const log = onceAMinute(sink);
    for (let tick = 0; tick < 30; tick++) {
      log('live check failed: connect ECONNREFUSED');
      vi.advanceTimersByTime(1000);
    }
    log('render worker: read ECONNRESET');
    expect(lines).toEqual(['live check failed: connect ECONNREFUSED', 'render worker: read ECONNRESET']);
    vi.advanceTimersByTime(30_000);
    // Another connection of the process reporting to the same log shares the count.
    onceAMinute(sink)('live check failed: connect ECONNREFUSED');
    expect(lines.at(-1)).toBe('live check failed: connect ECONNREFUSED (and 29 more in the last minute)');
  });

  it('names a wrapped failure by its innermost cause, not the query it interrupted', () => {
    const error = new Error('Failed query: select "live_sessions"."id" …\nparams: interrupted', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    });
    expect(rootMessage(error)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});
