import { createHash, randomInt } from 'node:crypto';

/**
 * A player makes its own token (32 random bytes, base64url) and keeps it; the server only ever
 * stores its SHA-256, so no copy of a screen's credential exists on the server.
 */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function isScreenToken(token: string): boolean {
  return TOKEN.test(token);
}

export function hashScreenToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Six digits, as a person types them off a screen across a hall. */
export function newPairingCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
