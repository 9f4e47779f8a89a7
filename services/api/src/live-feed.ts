import { type LiveListener, listenLive } from '@jobcast/live';

export interface LiveWatcher {
  /** The session changed, or the feed reconnected and may have missed a change: read it again. */
  changed(): void;
  /** The feed is closing (the server stops): end the response. */
  closed(): void;
}

/**
 * One PostgreSQL LISTEN per API process, shared by every overlay's event stream: an OBS scene
 * per anchor must not cost a database connection each. Opened by the first watcher, closed with
 * the server.
 */
export class LiveFeed {
  private readonly watchers = new Map<number, Set<LiveWatcher>>();
  private listening: Promise<LiveListener> | undefined;
  private isClosed = false;

  constructor(private readonly databaseUrl: string) {}

  /** Resolves once changes are being received; returns the function that stops watching. */
  async watch(sessionId: number, watcher: LiveWatcher): Promise<() => void> {
    if (this.isClosed) throw new Error('live feed is closed');
    const forSession = this.watchers.get(sessionId) ?? new Set();
    forSession.add(watcher);
    this.watchers.set(sessionId, forSession);
    const stop = () => {
      forSession.delete(watcher);
      if (forSession.size === 0 && this.watchers.get(sessionId) === forSession) this.watchers.delete(sessionId);
    };
    this.listening ??= listenLive(
      this.databaseUrl,
      (event) => {
        for (const each of this.watchers.get(event.sessionId) ?? []) each.changed();
      },
      () => this.everyWatcher((each) => each.changed()),
    );
    try {
      await this.listening;
    } catch (error) {
      // The next watcher tries again rather than inheriting a failed connection.
      this.listening = undefined;
      stop();
      throw error;
    }
    return stop;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.everyWatcher((each) => each.closed());
    this.watchers.clear();
    const listener = await this.listening?.catch(() => undefined);
    await listener?.close();
  }

  private everyWatcher(act: (watcher: LiveWatcher) => void): void {
    for (const forSession of this.watchers.values()) for (const each of forSession) act(each);
  }
}
