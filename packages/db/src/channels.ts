/** PostgreSQL NOTIFY/LISTEN: changes announced between processes sharing the database. */
import pg from 'pg';

/** Anything with the pool's `query`: the database, or a transaction's client. */
export interface NotifyClient {
  $client: { query(text: string, values: unknown[]): Promise<unknown> };
}

/** Sent after the change is committed: NOTIFY inside a transaction is delivered at commit. */
export async function notifyChannel(db: NotifyClient, channel: string, payload: string): Promise<void> {
  await db.$client.query('select pg_notify($1, $2)', [channel, payload]);
}

export interface ChannelListener {
  close(): Promise<void>;
}

/**
 * Calls `onPayload` for every non-empty notification on `channel` (a plain identifier), on a
 * connection of its own. A dropped connection is opened again after a second, and `onReconnect`
 * runs so the caller can re-read what it may have missed.
 */
export async function listenChannel(
  databaseUrl: string,
  options: { channel: string; applicationName: string },
  onPayload: (payload: string) => void,
  onReconnect: () => void = () => {},
): Promise<ChannelListener> {
  const { channel } = options;
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
    const next = new pg.Client({ connectionString: databaseUrl, application_name: options.applicationName });
    next.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      onPayload(message.payload);
    });
    next.on('error', () => {
      if (closed || client !== next) return;
      client = undefined;
      next.end().catch(() => {});
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
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
