import { JobcastError } from '@jobcast/core';

/** Failed sign-ins allowed per username (from any address) and per address (for any name) in a window. */
export interface LoginLimits {
  perUser: number;
  perAddress: number;
  windowMs: number;
}

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

  /** Throws RATE_LIMITED when this username or address has failed too often lately. */
  check(username: string, address: string): void {
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
  }

  failed(username: string, address: string): void {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) {
      this.failures.set(key, [...this.recent(key), this.now()]);
    }
    // A flood of made-up names must not grow the map without end.
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeeded(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }
}
