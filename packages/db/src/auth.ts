import type { UserRole } from '@jobcast/core';
import { and, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { apiTokens, sites, users, webSessions } from './schema/index.ts';

export type User = typeof users.$inferSelect;

export interface NewUser {
  siteId: number;
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  deploymentAdmin: boolean;
}

/** Adds a user; null when the username is taken. */
export async function insertUser(
  db: Database,
  user: NewUser,
): Promise<{ id: number; username: string; role: UserRole; deploymentAdmin: boolean } | null> {
  const [row] = await db
    .insert(users)
    .values(user)
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id, username: users.username, role: users.role, deploymentAdmin: users.deploymentAdmin });
  return row ?? null;
}

export async function findUserByUsername(db: Database, username: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.username, username));
  return user ?? null;
}

/** A user with their site's code, enabled or not: signing in checks the password first. */
export async function findUserWithSite(
  db: Database,
  username: string,
): Promise<{ user: User; siteCode: string } | null> {
  const [row] = await db
    .select({ user: users, siteCode: sites.code })
    .from(users)
    .innerJoin(sites, eq(sites.id, users.siteId))
    .where(eq(users.username, username));
  return row ?? null;
}

export async function userDisplayName(db: Database, userId: number): Promise<string | null> {
  const [user] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, userId));
  return user?.displayName ?? null;
}

export async function insertApiToken(
  db: Database,
  token: { userId: number; name: string; tokenHash: string; tokenPrefix: string; expiresAt: Date | null },
): Promise<number | null> {
  const [row] = await db.insert(apiTokens).values(token).returning({ id: apiTokens.id });
  return row?.id ?? null;
}

/** Who a token works for. */
export interface TokenHolder {
  tokenId: number;
  lastUsedAt: Date | null;
  userId: number;
  username: string;
  role: UserRole;
  siteId: number;
  siteCode: string;
}

/** The holder of a token that still works: not revoked, not expired, its user enabled. */
export async function findLiveApiToken(db: Database, tokenHash: string): Promise<TokenHolder | null> {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: users.id,
      username: users.username,
      role: users.role,
      siteId: users.siteId,
      siteCode: sites.code,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(sites, eq(sites.id, users.siteId))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        isNull(users.disabledAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  return row ?? null;
}

export async function touchApiToken(db: Database, tokenId: number): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, tokenId));
}

/** Starts a browser session; the user's ended and expired ones go, so the table stays small. */
export async function insertWebSession(
  db: Database,
  session: { userId: number; secretHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(webSessions).values(session);
  await db
    .delete(webSessions)
    .where(
      and(
        eq(webSessions.userId, session.userId),
        or(isNotNull(webSessions.endedAt), lt(webSessions.expiresAt, sql`now()`)),
      ),
    );
}

/** Who a browser session is for. */
export interface SessionHolder {
  sessionId: number;
  lastSeenAt: Date;
  userId: number;
  username: string;
  displayName: string;
  role: UserRole;
  siteId: number;
  siteCode: string;
  deploymentAdmin: boolean;
}

/** The session of a secret, if it has not ended or expired and its user is enabled. */
export async function findLiveWebSession(db: Database, secretHash: string): Promise<SessionHolder | null> {
  const [row] = await db
    .select({
      sessionId: webSessions.id,
      lastSeenAt: webSessions.lastSeenAt,
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      siteId: users.siteId,
      siteCode: sites.code,
      deploymentAdmin: users.deploymentAdmin,
    })
    .from(webSessions)
    .innerJoin(users, eq(users.id, webSessions.userId))
    .innerJoin(sites, eq(sites.id, users.siteId))
    .where(
      and(
        eq(webSessions.secretHash, secretHash),
        isNull(webSessions.endedAt),
        isNull(users.disabledAt),
        gt(webSessions.expiresAt, sql`now()`),
      ),
    );
  return row ?? null;
}

export async function touchWebSession(db: Database, sessionId: number): Promise<void> {
  await db.update(webSessions).set({ lastSeenAt: sql`now()` }).where(eq(webSessions.id, sessionId));
}

export async function endWebSessionBySecretHash(db: Database, secretHash: string): Promise<void> {
  await db
    .update(webSessions)
    .set({ endedAt: sql`now()` })
    .where(and(eq(webSessions.secretHash, secretHash), isNull(webSessions.endedAt)));
}
