import type { UserRole } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';
import { and, asc, eq, isNull, like, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { apiTokens, sites, users, webSessions } from './schema/index.ts';

/** A user as an operator sees one: never the password hash. */
export interface UserListing {
  username: string;
  displayName: string;
  role: UserRole;
  site: string;
  deploymentAdmin: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

/** What a change to a user ended: browser sessions and API tokens that stopped working. */
export interface SessionsEnded {
  webSessions: number;
  apiTokens: number;
}

/** The name `POST /api/auth/login` gives the tokens it issues: they come from a password. */
export const LOGIN_TOKEN_NAME_PREFIX = 'login ';

export async function listUsers(db: Database, filter: { siteId?: number } = {}): Promise<UserListing[]> {
  return db
    .select({
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      site: sites.code,
      deploymentAdmin: users.deploymentAdmin,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .innerJoin(sites, eq(sites.id, users.siteId))
    .where(filter.siteId === undefined ? undefined : eq(users.siteId, filter.siteId))
    .orderBy(asc(sites.code), asc(users.username));
}

function noSuchUser(username: string): never {
  throw new JobcastError('NOT_FOUND', `用户 ${username} 不存在`);
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

async function endSessions(tx: Transaction, userId: number, tokens: 'all' | 'login'): Promise<SessionsEnded> {
  const ended = await tx
    .update(webSessions)
    .set({ endedAt: sql`now()` })
    .where(and(eq(webSessions.userId, userId), isNull(webSessions.endedAt)))
    .returning({ id: webSessions.id });
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.userId, userId),
        isNull(apiTokens.revokedAt),
        tokens === 'login' ? like(apiTokens.name, `${LOGIN_TOKEN_NAME_PREFIX}%`) : undefined,
      ),
    )
    .returning({ id: apiTokens.id });
  return { webSessions: ended.length, apiTokens: revoked.length };
}

/**
 * Sets a user's password hash. Whatever the old password opened is closed: the browser sessions
 * and the tokens `POST /api/auth/login` issued. Tokens made with `jobcast tokens create` (for
 * integrations) stay.
 */
export async function setPasswordHash(db: Database, username: string, passwordHash: string): Promise<SessionsEnded> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.username, username))
      .returning({ id: users.id });
    if (!user) noSuchUser(username);
    return endSessions(tx, user.id, 'login');
  });
}

/**
 * Disables a user: their browser sessions end and every API token of theirs is revoked, so enabling
 * them again later brings none of those back. Enabling only lets them sign in again.
 */
export async function setUserDisabled(db: Database, username: string, disabled: boolean): Promise<SessionsEnded> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      // A user disabled twice keeps the first date.
      .set({ disabledAt: disabled ? sql`coalesce(${users.disabledAt}, now())` : null })
      .where(eq(users.username, username))
      .returning({ id: users.id });
    if (!user) noSuchUser(username);
    return disabled ? endSessions(tx, user.id, 'all') : { webSessions: 0, apiTokens: 0 };
  });
}

/** Gives a user a new display name if theirs is still `was`: a name someone chose since stays. */
export async function renameUserIfStill(
  db: Database,
  username: string,
  was: string,
  displayName: string,
): Promise<boolean> {
  const renamed = await db
    .update(users)
    .set({ displayName })
    .where(and(eq(users.username, username), eq(users.displayName, was)))
    .returning({ id: users.id });
  return renamed.length > 0;
}

/** Makes an admin a deployment-wide administrator (系统管理员), or no longer one. */
export async function setDeploymentAdmin(db: Database, username: string, deploymentAdmin: boolean): Promise<void> {
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.username, username));
  if (!user) noSuchUser(username);
  if (deploymentAdmin && user.role !== 'admin') {
    throw new JobcastError('BAD_INPUT', `系统管理员须为 admin 角色，${username} 是 ${user.role}`);
  }
  await db.update(users).set({ deploymentAdmin }).where(eq(users.username, username));
}
