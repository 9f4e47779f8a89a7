import { authenticateToken } from '@jobcast/auth';
import { JobcastError, type UserRole } from '@jobcast/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

/** Tokens are `jc_` plus 43 base64url characters; anything far longer is not worth hashing. */
const MAX_TOKEN_CHARS = 256;

function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer +(\S+) *$/i);
  const token = match?.[1];
  return token && token.length <= MAX_TOKEN_CHARS ? token : null;
}

/** Missing, unknown, expired and revoked tokens get the same answer: a caller learns nothing from it. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'));
  const principal = token ? await authenticateToken(c.var.services.db, token) : null;
  if (!principal) {
    throw new JobcastError(
      'UNAUTHENTICATED',
      '需要登录：请提供有效的访问令牌 (authentication required: send "Authorization: Bearer <token>" with a valid token)',
    );
  }
  c.set('principal', principal);
  await next();
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
