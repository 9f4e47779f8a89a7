import pg from 'pg';

/** One PostgreSQL channel carries every live-session change between processes (API, CLI, stream service). */
export const LIVE_CHANNEL = 'jobcast_live';

export type LiveEventKind = 'booked' | 'present' | 'live' | 'interrupted' | 'ended' | 'finalized';

export interface LiveEvent {
  sessionId: number;
  event: LiveEventKind;
}

interface Queryable {
  $client: { query(text: string, values: unknown[]): Promise<unknown> };
}

/** Sent after the change is committed: NOTIFY inside a transaction is delivered at commit. */
export async function notifyLive(db: Queryable, event: LiveEvent): Promise<void> {
  await db.$client.query('select pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify(event)]);
}

export interface LiveListener {
  close(): Promise<void>;
}

/**
 * Calls `onEvent` for every live-session change. A dropped connection is opened again after a
 * second, and `onReconnect` runs so the caller can re-read what it may have missed.
 */
export async function listenLive(
  databaseUrl: string,
  onEvent: (event: LiveEvent) => void,
  onReconnect: () => void = () => {},
): Promise<LiveListener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const scheduleReconnect = (): void => {
    if (closed) return;
    retry = setTimeout(() => {
      connect().then(onReconnect, scheduleReconnect);
    }, 1000);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'jobcast-live-listen' });
    next.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      try {
        onEvent(JSON.parse(message.payload) as LiveEvent);
      } catch {
        // A payload not written by notifyLive: nothing to act on.
      }
    });
    next.on('error', () => {
      if (closed || client !== next) return;
      client = undefined;
      next.end().catch(() => {});
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`listen ${LIVE_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    client = next;
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
