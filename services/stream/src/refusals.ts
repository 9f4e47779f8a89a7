/**
 * Refused publishes (a wrong, unknown or expired key, a second publisher), per address group. They
 * are counted over a window that opens with the first one and reported once at its end: one log line
 * for the address and one attempt row per session and reason, with the count, however many tries an
 * encoder's retry loop or a key guesser makes. Past `limit` refusals in a window, the address's new
 * connections are closed unheard until the window ends.
 */
import { AddressWindows, addressGroup } from './per-address.ts';

export interface RefusedAttempt {
  sessionId: number | null;
  /** The address group (an IPv4 address or an IPv6 /64). */
  clientAddress: string;
  accepted: false;
  /** The reason code, with ` xN` when N tries are counted in the row. */
  reason: string;
}

export interface RefusalOptions {
  windowMs: number;
  /** Refusals from one address in a window after which its connections are turned away. */
  limit: number;
  log(line: string): void;
  record(attempt: RefusedAttempt): Promise<void>;
}

interface Window {
  refusals: number;
  kinds: Map<string, { sessionId: number | null; reason: string; count: number }>;
  turnedAway: number;
}

export class Refusals {
  private readonly windows: AddressWindows<Window>;

  constructor(private readonly options: RefusalOptions) {
    this.windows = new AddressWindows<Window>(
      options.windowMs,
      () => ({ refusals: 0, kinds: new Map(), turnedAway: 0 }),
      (group, window) => this.report(group, window),
    );
  }

  refused(address: string, sessionId: number | null, reason: string): void {
    const window = this.windows.get(addressGroup(address));
    window.refusals += 1;
    const kind = `${sessionId ?? ''}/${reason}`;
    const entry = window.kinds.get(kind) ?? { sessionId, reason, count: 0 };
    entry.count += 1;
    window.kinds.set(kind, entry);
  }

  /** True when the address has used up its refusals for now: the caller closes the connection unheard. */
  turnAway(address: string): boolean {
    const window = this.windows.peek(addressGroup(address));
    if (!window || window.refusals < this.options.limit) return false;
    window.turnedAway += 1;
    return true;
  }

  /** Reports what the open windows hold (at shutdown). */
  flush(): Promise<void> {
    return this.windows.flush();
  }

  private async report(group: string, window: Window): Promise<void> {
    const kinds = [...window.kinds.values()];
    const text = kinds
      .map(
        (kind) =>
          `${kind.reason}${kind.count > 1 ? ` x${kind.count}` : ''}${kind.sessionId ? ` (live session ${kind.sessionId})` : ''}`,
      )
      .join(', ');
    const turnedAway = window.turnedAway > 0 ? `; ${window.turnedAway} more connection(s) closed unheard` : '';
    this.options.log(
      window.refusals === 1
        ? `publish refused from ${group}: ${text}${turnedAway}`
        : `publish refused ${window.refusals} times from ${group} within ${this.options.windowMs / 1000} s: ${text}${turnedAway}`,
    );
    for (const kind of kinds) {
      await this.options
        .record({
          sessionId: kind.sessionId,
          clientAddress: group,
          accepted: false,
          reason: kind.count > 1 ? `${kind.reason} x${kind.count}` : kind.reason,
        })
        .catch((error: Error) => this.options.log(`could not log a publish attempt: ${error.message}`));
    }
  }
}
