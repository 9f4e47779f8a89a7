import { authenticateToken, authenticateWebSession } from '@jobcast/auth';
import { JobcastError, type UserRole } from '@jobcast/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';
import { ROLE_LABELS } from './roles.ts';

/** Tokens are `jc_` plus 43 base64url characters; anything far longer is not worth hashing. */
const MAX_TOKEN_CHARS = 256;

/** The browser session's cookie: HTTP-only, SameSite=Lax, its secret kept only as a hash. */
export const SESSION_COOKIE = 'jc_session';
/** Scripts of the console send the session's CSRF token in this header with every change. */
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer +(\S+) *$/i);
  const token = match?.[1];
  return token && token.length <= MAX_TOKEN_CHARS ? token : null;
}

function unauthenticated(): JobcastError {
  return new JobcastError('UNAUTHENTICATED', '需要登录：请在 Authorization 请求头里带上有效的访问令牌');
}

/**
 * The browser session the request's cookie names, if any: sets `principal` and `web`. Used by the
 * pages, and by the API for the console's own scripts.
 */
export async function readWebSession(c: Context<AppEnv>): Promise<boolean> {
  const secret = getCookie(c, SESSION_COOKIE);
  if (!secret) return false;
  const session = await authenticateWebSession(c.var.services.db, secret);
  if (!session) return false;
  c.set('principal', session.principal);
  c.set('web', session);
  return true;
}

/**
 * Missing, unknown, expired and revoked tokens get the same answer: a caller learns nothing from it.
 * A bearer token is used when sent; otherwise the console's session cookie, and then a request that
 * changes something must carry the session's CSRF token, which another site's page cannot read.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('Authorization');
  if (header !== undefined) {
    const token = bearerToken(header);
    const principal = token ? await authenticateToken(c.var.services.db, token) : null;
    if (!principal) throw unauthenticated();
    c.set('principal', principal);
    return next();
  }
  if (!(await readWebSession(c))) throw unauthenticated();
  if (!SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== c.var.web?.csrfToken) {
    throw new JobcastError('FORBIDDEN', '页面已失效（缺少安全令牌），请刷新页面后重试');
  }
  return next();
};

/** Runs after `authenticate`. */
export function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { role } = c.var.principal;
    if (!roles.includes(role)) {
      const allowed = roles.map((r) => ROLE_LABELS[r]).join('、');
      throw new JobcastError('FORBIDDEN', `您的角色（${ROLE_LABELS[role]}）无权执行此操作，可执行的角色：${allowed}`);
    }
    await next();
  };
}
