import { createHmac, randomBytes } from 'node:crypto';
import {
  type Database,
  endWebSessionBySecretHash,
  findLiveWebSession,
  insertWebSession,
  touchWebSession,
} from '@jobcast/db';
import { hashToken, type Principal } from './users.ts';

/** A browser sign-in lasts a working shift: one left open on a shared machine dies overnight. */
export const WEB_SESSION_HOURS = 12;
/** Seen-at is written at most this often, not on every page. */
const SEEN_WRITE_MS = 60_000;

export interface WebSession {
  principal: Principal;
  displayName: string;
  sessionId: number;
  /** Sent back with every form and script request that changes something. */
  csrfToken: string;
  /** A deployment-wide administrator (系统管理员): opens what every site shares, such as the queue dashboard. */
  deploymentAdmin: boolean;
}

/** The CSRF token of a session: derived from its secret, so it needs no storage and dies with it. */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('jobcast csrf').digest('base64url');
}

/**
 * Starts a browser session for a signed-in user; the secret goes in the cookie and only its hash is
 * kept. The user's ended and expired sessions are removed.
 */
export async function createWebSession(db: Database, userId: number): Promise<{ secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + WEB_SESSION_HOURS * 3_600_000);
  await insertWebSession(db, { userId, secretHash: hashToken(secret), expiresAt });
  return { secret, expiresAt };
}

/** The session a cookie names, if it is live and its user still enabled. */
export async function authenticateWebSession(db: Database, secret: string): Promise<WebSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const row = await findLiveWebSession(db, hashToken(secret));
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > SEEN_WRITE_MS) {
    await touchWebSession(db, row.sessionId);
  }
  return {
    principal: {
      userId: row.userId,
      username: row.username,
      role: row.role,
      siteId: row.siteId,
      siteCode: row.siteCode,
    },
    displayName: row.displayName,
    sessionId: row.sessionId,
    csrfToken: csrfTokenFor(secret),
    deploymentAdmin: row.deploymentAdmin,
  };
}

/** Signs out: the cookie's secret stops working at once, wherever it was copied. */
export async function endWebSession(db: Database, secret: string): Promise<void> {
  await endWebSessionBySecretHash(db, hashToken(secret));
}
