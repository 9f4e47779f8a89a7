import { createRoute, z } from '@hono/zod-openapi';
import { createToken } from '@jobcast/auth';
import { JobcastError, userRoles } from '@jobcast/core';
import { LOGIN_TOKEN_NAME_PREFIX } from '@jobcast/db';
import { limitBody } from '../../body-limit.ts';
import { errorResponse } from '../../errors.ts';
import { defineRoute } from '../../routing.ts';
import { signIn } from '../../web/sign-in.ts';

/** Half a day: a login lasts a working shift, and a token left on a shared machine dies overnight. */
const LOGIN_TOKEN_DAYS = 0.5;
const MAX_LOGIN_BODY_BYTES = 16 * 1024;

const credentialsSchema = z
  .object({
    username: z.string().min(1).max(64).openapi({ example: 'media01' }),
    password: z.string().min(1).max(1024),
  })
  .openapi('Credentials');

const sessionSchema = z
  .object({
    token: z.string().openapi({ description: 'Send as "Authorization: Bearer <token>"; shown once' }),
    expiresAt: z.string().nullable().openapi({ format: 'date-time' }),
    user: z.object({ username: z.string(), role: z.enum(userRoles), site: z.string() }),
  })
  .openapi('Session');

const route = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Exchange a username and password for a bearer token valid 12 hours',
  middleware: limitBody(() => MAX_LOGIN_BODY_BYTES, '登录请求'),
  request: { body: { required: true, content: { 'application/json': { schema: credentialsSchema } } } },
  responses: {
    200: { description: 'signed in', content: { 'application/json': { schema: sessionSchema } } },
    401: errorResponse('用户名或密码错误 (wrong username or password)'),
    429: {
      ...errorResponse(
        '登录失败次数过多，稍后再试 (too many failed sign-ins; a device that signed in before is not held up)',
      ),
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
    },
  },
});

export const login = defineRoute('public', route, async (c) => {
  const { db } = c.var.services;
  const { username, password } = c.req.valid('json');
  const principal = await signIn(c, username, password);
  if (!principal) {
    // One message for an unknown user and a wrong password: the answer must not reveal which names exist.
    throw new JobcastError('UNAUTHENTICATED', '用户名或密码错误');
  }
  const issued = await createToken(db, {
    username: principal.username,
    name: `${LOGIN_TOKEN_NAME_PREFIX}${new Date().toISOString()}`,
    expiresInDays: LOGIN_TOKEN_DAYS,
  });
  return c.json(
    {
      token: issued.token,
      expiresAt: issued.expiresAt?.toISOString() ?? null,
      user: { username: principal.username, role: principal.role, site: principal.siteCode },
    },
    200,
  );
});
