import { describe, expect, it } from 'vitest';
import { attemptsFor, retryDelayMs } from '../src/index.ts';

const MINUTE = 60_000;

/** The delays between the tries a job gets, until the policy says there is no next one. */
function delays(name: 'render' | 'import', slow: boolean): number[] {
  const out: number[] = [];
  for (let failed = 1; ; failed++) {
    const delay = retryDelayMs(name, failed, slow);
    if (delay < 0) return out;
    out.push(delay);
  }
}

describe('how failed jobs are tried again', () => {
  it('a render whose storage failed (a full or missing media folder) backs off for minutes, not seconds', () => {
    expect(delays('render', true)).toEqual([1, 2, 4, 8, 16].map((minutes) => minutes * MINUTE));
    expect(attemptsFor('render', true)).toBe(6);
  });

  it('any other failure is tried three times, seconds apart, for renders and imports alike', () => {
    expect(delays('render', false)).toEqual([5000, 10_000]);
    expect(delays('import', false)).toEqual([5000, 10_000]);
    // The import queue has no slow retry: a storage fault there is an ordinary one.
    expect(delays('import', true)).toEqual([5000, 10_000]);
    expect(attemptsFor('render', false)).toBe(3);
  });
});
