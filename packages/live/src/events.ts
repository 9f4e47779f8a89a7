import { listenChannel, type NotifyClient, notifyChannel } from '@jobcast/db';

/** One PostgreSQL channel carries every live-session change between processes (API, CLI, stream service). */
export const LIVE_CHANNEL = 'jobcast_live';

export type LiveEventKind = 'booked' | 'present' | 'live' | 'interrupted' | 'ended' | 'finalized';

export interface LiveEvent {
  sessionId: number;
  event: LiveEventKind;
}

/** Sent after the change is committed: NOTIFY inside a transaction is delivered at commit. */
export async function notifyLive(db: NotifyClient, event: LiveEvent): Promise<void> {
  await notifyChannel(db, LIVE_CHANNEL, JSON.stringify(event));
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
  return listenChannel(
    databaseUrl,
    { channel: LIVE_CHANNEL, applicationName: 'jobcast-live-listen' },
    (payload) => {
      try {
        onEvent(JSON.parse(payload) as LiveEvent);
      } catch {
        // A payload not written by notifyLive: nothing to act on.
      }
    },
    onReconnect,
  );
}
