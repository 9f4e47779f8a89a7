import { authenticateToken, authenticateWebSession } from '@jobcast/auth';
import { JobcastError, type UserRole } from '@jobcast/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';

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
  return new JobcastError(
    'UNAUTHENTICATED',
    '需要登录：请提供有效的访问令牌 (authentication required: send "Authorization: Bearer <token>" with a valid token)',
  );
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
    throw new JobcastError('FORBIDDEN', `请求缺少有效的 CSRF 令牌 (missing or wrong ${CSRF_HEADER} header)`);
  }
  return next();
};

/** Runs after `authenticate`. */
export function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { role } = c.var.principal;
    if (!roles.includes(role)) {
      throw new JobcastError(
        'FORBIDDEN',
        `您的角色无权执行此操作 (your role "${role}" may not do this; allowed: ${roles.join(', ')})`,
      );
    }
    await next();
  };
}
