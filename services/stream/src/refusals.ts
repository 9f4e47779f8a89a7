/**
 * Refused publishes (a wrong, unknown or expired key, a second publisher), per address group. They
 * are counted over a window that opens with the first one and reported once at its end: one log line
 * for the address and one attempt row per session and reason, with the count, however many tries an
 * encoder's retry loop or a key guesser makes. A key refused for good (unknown, its session ended or
 * expired) is remembered for the window, by its hash, up to `limit` keys per address: the same key
 * again is closed unheard, with no lookup. Connections are never turned away by address: an anchor
 * whose key was replaced reconnects with the new one from the office where an old encoder retries.
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
  /** Refused keys remembered per address in a window. */
  limit: number;
  log(line: string): void;
  record(attempt: RefusedAttempt): Promise<void>;
}

/** Refusals that hold whatever the time: the key cannot be let in later in the window. */
const FINAL_REASONS = new Set(['unknown-key', 'ended', 'expired']);

interface Window {
  refusals: number;
  kinds: Map<string, { sessionId: number | null; reason: string; count: number }>;
  /** Hashes of the keys refused for good. */
  keys: Set<string>;
  turnedAway: number;
}

export class Refusals {
  private readonly windows: AddressWindows<Window>;

  constructor(private readonly options: RefusalOptions) {
    this.windows = new AddressWindows<Window>(
      options.windowMs,
      () => ({ refusals: 0, kinds: new Map(), keys: new Set(), turnedAway: 0 }),
      (group, window) => this.report(group, window),
    );
  }

  /** `keyHash`: the hash of the key refused, when it was looked up. */
  refused(address: string, sessionId: number | null, reason: string, keyHash?: string): void {
    const window = this.windows.get(addressGroup(address));
    window.refusals += 1;
    if (keyHash && FINAL_REASONS.has(reason) && window.keys.size < this.options.limit) window.keys.add(keyHash);
    const kind = `${sessionId ?? ''}/${reason}`;
    const entry = window.kinds.get(kind) ?? { sessionId, reason, count: 0 };
    entry.count += 1;
    window.kinds.set(kind, entry);
  }

  /** True when this key was refused for good from this address in the window: the caller closes the connection unheard. */
  knownRefused(address: string, keyHash: string): boolean {
    const window = this.windows.peek(addressGroup(address));
    if (!window?.keys.has(keyHash)) return false;
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
