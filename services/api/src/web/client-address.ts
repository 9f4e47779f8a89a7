import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The connecting address, for the login limit. Forwarding headers are not trusted: anyone can send
 * them. Requests made in-process (tests) have no socket and share one address.
 */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'in-process';
}
