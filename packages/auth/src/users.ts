import { createHash, randomBytes } from 'node:crypto';
import type { UserRole } from '@jobcast/core';
import { JobcastError, userRoles } from '@jobcast/core';
import {
  type Database,
  findLiveApiToken,
  findUserByUsername,
  findUserWithSite,
  insertApiToken,
  insertUser,
  type SessionsEnded,
  setPasswordHash,
  touchApiToken,
} from '@jobcast/db';
import { hashPassword, verifyPassword } from './passwords.ts';

/** Who is calling, as every route sees it. */
export interface Principal {
  userId: number;
  username: string;
  role: UserRole;
  siteId: number;
  siteCode: string;
}

const TOKEN_PREFIX = 'jc_';
export const MIN_PASSWORD_CHARS = 8;
/** The sign-in forms read no more than this: a longer password could never be typed in. */
export const MAX_PASSWORD_CHARS = 1024;
const LAST_USED_WRITE_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Throws BAD_INPUT for a password too short to set (or too long for the sign-in forms). */
export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_CHARS) {
    throw new JobcastError('BAD_INPUT', `密码至少 ${MIN_PASSWORD_CHARS} 位`);
  }
  if (password.length > MAX_PASSWORD_CHARS) {
    throw new JobcastError('BAD_INPUT', `密码最多 ${MAX_PASSWORD_CHARS} 位`);
  }
}

export async function addUser(
  db: Database,
  input: {
    siteId: number;
    username: string;
    password: string;
    role: string;
    displayName?: string | undefined;
    /** A deployment-wide administrator (系统管理员); only an admin can be one. */
    deploymentAdmin?: boolean | undefined;
  },
): Promise<{ id: number; username: string; role: UserRole; deploymentAdmin: boolean }> {
  if (!(userRoles as readonly string[]).includes(input.role)) {
    throw new JobcastError('BAD_INPUT', `角色须为 ${userRoles.join(' / ')} 之一`);
  }
  if (!/^[A-Za-z0-9_.-]{2,64}$/.test(input.username)) {
    throw new JobcastError('BAD_INPUT', '用户名只能用字母、数字和 _ . -，2 到 64 位');
  }
  if (input.deploymentAdmin && input.role !== 'admin') {
    throw new JobcastError('BAD_INPUT', '系统管理员须为 admin 角色');
  }
  checkNewPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const row = await insertUser(db, {
    siteId: input.siteId,
    username: input.username,
    displayName: input.displayName ?? input.username,
    role: input.role as UserRole,
    passwordHash,
    deploymentAdmin: input.deploymentAdmin ?? false,
  });
  if (!row) throw new JobcastError('CONFLICT', `用户 ${input.username} 已存在`);
  return row;
}

/**
 * Sets a new password: the user's browser sessions end, and so do the tokens the API's sign-in
 * issued with the old password.
 */
export async function changePassword(db: Database, username: string, password: string): Promise<SessionsEnded> {
  checkNewPassword(password);
  return setPasswordHash(db, username, await hashPassword(password));
}

/** Creates an API token for a user; the token itself is returned once and only its hash is kept. */
export async function createToken(
  db: Database,
  input: { username: string; name: string; expiresInDays?: number | undefined },
): Promise<{ token: string; id: number; expiresAt: Date | null }> {
  const user = await findUserByUsername(db, input.username);
  if (!user || user.disabledAt) throw new JobcastError('NOT_FOUND', `用户 ${input.username} 不存在`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const id = await insertApiToken(db, {
    userId: user.id,
    name: input.name,
    tokenHash: hashToken(token),
    tokenPrefix: token.slice(0, 10),
    expiresAt,
  });
  if (id === null) throw new JobcastError('INTERNAL', 'token was not created');
  return { token, id, expiresAt };
}

export async function authenticateToken(db: Database, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await findLiveApiToken(db, hashToken(token));
  if (!row) return null;
  // Last use is for people telling live tokens from stale ones: to the minute is enough, and a
  // write on every request would make each call a commit on the token's row.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_WRITE_MS) {
    await touchApiToken(db, row.tokenId);
  }
  return { userId: row.userId, username: row.username, role: row.role, siteId: row.siteId, siteCode: row.siteCode };
}

/** Checks a username and password; the same answer and about the same time for an unknown user. */
export async function authenticatePassword(
  db: Database,
  username: string,
  password: string,
): Promise<Principal | null> {
  const row = await findUserWithSite(db, username);
  const ok = await verifyPassword(password, row?.user.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || row.user.disabledAt) return null;
  return {
    userId: row.user.id,
    username: row.user.username,
    role: row.user.role,
    siteId: row.user.siteId,
    siteCode: row.siteCode,
  };
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
