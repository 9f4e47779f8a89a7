import { JobcastError } from '@jobcast/core';
import { addressBucket } from './client-address.ts';

/**
 * Failed sign-ins tolerated in a window before attempts are spaced out: per username (from devices
 * not known for it), per address (for any name), and per known device. Past the count, each attempt
 * waits `firstDelayMs` after the last failure, doubling with each further failure up to `maxDelayMs`.
 */
export interface LoginLimits {
  perUser: number;
  perAddress: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** An attempt under way, as `begin` counted it. */
export interface Attempt {
  keys: string[];
  at: number;
}

const MAX_KEYS = 100_000;

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perUser: 5,
  perAddress: 20,
  windowMs: 60 * 60_000,
  firstDelayMs: 15_000,
  maxDelayMs: 10 * 60_000,
};

/** A wait as a person reads it: seconds under two minutes, else minutes. */
function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} 秒`;
  return `${Math.ceil(seconds / 60)} 分钟`;
}

/**
 * Slows password guessing without letting a stranger lock the office out. After too many failures
 * for a username or from an address, further attempts are spaced out (a growing, capped delay), not
 * refused outright; and a device that has signed in as the user before (a signed cookie, see
 * sign-in.ts) is counted on its own, so failures from elsewhere never slow it. Kept in memory: one
 * API process serves a site, and a restart forgetting the counts costs an attacker a restart they
 * cannot cause.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** How long this key must still wait: nothing under its count, else the delay since its last failure. */
  private waitFor(key: string, allowed: number): number {
    const recent = this.recent(key);
    const over = recent.length - allowed;
    if (over < 0) return 0;
    const delay = Math.min(this.limits.firstDelayMs * 2 ** over, this.limits.maxDelayMs);
    return Math.max(0, (recent.at(-1) ?? 0) + delay - this.now());
  }

  /**
   * Starts a sign-in attempt: throws RATE_LIMITED (details.retryAfterSeconds) while this username,
   * address or device must wait, else counts the attempt as a failure until `succeeded` says
   * otherwise. Counting before the (slow) password check means a burst of guesses sent at once is
   * held like one sent in turn. `device`: the id of a device known for this username.
   */
  begin(username: string, address: string, device?: string): Attempt {
    const keys: [string, number][] = device
      ? [[`d:${device}:${username.toLowerCase()}`, this.limits.perUser]]
      : [
          [`u:${username.toLowerCase()}`, this.limits.perUser],
          [`a:${addressBucket(address)}`, this.limits.perAddress],
        ];
    const wait = Math.max(...keys.map(([key, allowed]) => this.waitFor(key, allowed)));
    if (wait > 0) {
      throw new JobcastError('RATE_LIMITED', `登录失败次数过多，请 ${waitText(wait)}后再试`, {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
    const attempt = { keys: keys.map(([key]) => key), at: this.now() };
    for (const key of attempt.keys) {
      const kept = this.recent(key);
      // Re-inserted, so the map's order is the order keys were last used: eviction takes the stalest.
      this.failures.delete(key);
      this.failures.set(key, [...kept, attempt.at]);
    }
    this.evictOldest();
    return attempt;
  }

  /**
   * The password was right: this attempt was no failure, and the failures of its username (or of
   * its known device) are forgotten. An address's other failures stay: they may be someone else's.
   */
  succeeded(attempt: Attempt): void {
    for (const key of attempt.keys) {
      if (!key.startsWith('a:')) {
        this.failures.delete(key);
        continue;
      }
      const from = this.failures.get(key) ?? [];
      const index = from.indexOf(attempt.at);
      if (index >= 0) from.splice(index, 1);
    }
  }

  /**
   * The check could not be made (the database is down): the attempt was neither a failure nor a
   * success, so its count is taken back and an office retrying through an outage is not slowed.
   */
  cancel(attempt: Attempt): void {
    for (const key of attempt.keys) {
      const from = this.failures.get(key) ?? [];
      const index = from.indexOf(attempt.at);
      if (index >= 0) from.splice(index, 1);
    }
  }

  /** A flood of made-up names must not grow the map without end: the longest-unseen keys go first. */
  private evictOldest(): void {
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_KEYS) return;
      this.failures.delete(key);
    }
  }
}
