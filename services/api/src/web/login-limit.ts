import { JobcastError } from '@jobcast/core';

/** Failed sign-ins allowed per username (from any address) and per address (for any name) in a window. */
export interface LoginLimits {
  perUser: number;
  perAddress: number;
  windowMs: number;
}

/** An attempt under way, as `begin` counted it. */
export interface Attempt {
  username: string;
  address: string;
  at: number;
}

const MAX_KEYS = 100_000;

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

/**
 * Slows password guessing: after too many failures for one username, or from one address, sign-in
 * is refused until the window has passed, even with the right password. A success clears the
 * username's count. Kept in memory: one API process serves a site, and a restart forgetting the
 * counts costs an attacker a restart they cannot cause.
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

  /**
   * Starts a sign-in attempt: throws RATE_LIMITED when this username or address has failed too often
   * lately, else counts the attempt as a failure until `succeeded` says otherwise. Counting before the
   * (slow) password check means a burst of guesses sent at once is limited like one sent in turn.
   */
  begin(username: string, address: string): Attempt {
    const user = this.recent(`u:${username.toLowerCase()}`);
    const from = this.recent(`a:${address}`);
    if (user.length >= this.limits.perUser || from.length >= this.limits.perAddress) {
      const oldest = Math.min(...[...user, ...from]);
      const minutes = Math.max(1, Math.ceil((oldest + this.limits.windowMs - this.now()) / 60_000));
      throw new JobcastError(
        'RATE_LIMITED',
        `登录失败次数过多，请 ${minutes} 分钟后再试 (too many failed sign-ins; try again in ${minutes} min)`,
      );
    }
    const attempt = { username: username.toLowerCase(), address, at: this.now() };
    for (const key of [`u:${attempt.username}`, `a:${address}`]) {
      const kept = this.recent(key);
      // Re-inserted, so the map's order is the order keys were last used: eviction takes the stalest.
      this.failures.delete(key);
      this.failures.set(key, [...kept, attempt.at]);
    }
    this.evictOldest();
    return attempt;
  }

  /** The password was right: the username's failures are forgotten, and this attempt was no failure. */
  succeeded(attempt: Attempt): void {
    this.failures.delete(`u:${attempt.username}`);
    const from = this.failures.get(`a:${attempt.address}`) ?? [];
    const index = from.indexOf(attempt.at);
    if (index >= 0) from.splice(index, 1);
  }

  /** A flood of made-up names must not grow the map without end: the longest-unseen keys go first. */
  private evictOldest(): void {
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_KEYS) return;
      this.failures.delete(key);
    }
  }
}
