import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { JobcastError, type UserRole } from '@jobcast/core';
import type { Context, MiddlewareHandler } from 'hono';
import { authenticate, requireRole } from './auth.ts';
import type { AppEnv } from './context.ts';
import { errorResponse } from './errors.ts';
import { fieldLabel } from './input-messages.ts';

/** Who may call a route: anyone (probes, login), or a signed-in user holding one of these roles. */
export type Access = 'public' | readonly UserRole[];

export const bearerSchemeName = 'bearerAuth';

/**
 * One endpoint: its OpenAPI definition, who may call it, and what it does. `route` already carries
 * the guards and error responses that `access` implies, so the route table is the role table.
 */
export interface ApiRoute {
  access: Access;
  route: RouteConfig;
  /** Type-checked against `route` by `defineRoute`; the table only needs to hand it to hono. */
  handler: unknown;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function defineRoute<R extends RouteConfig>(
  access: Access,
  route: R,
  handler: RouteHandler<R, AppEnv>,
): ApiRoute {
  const responses: RouteConfig['responses'] = { ...route.responses };
  if (route.request) responses[400] ??= errorResponse('请求参数有误 (invalid input; the message names the field)');
  if (access === 'public') {
    return { access, route: { ...route, middleware: [...asArray(route.middleware), refuseNul], responses }, handler };
  }

  const guards: MiddlewareHandler<AppEnv>[] = [authenticate, requireRole(...access)];
  const rolesLine = `角色 (roles): ${access.join(', ')}`;
  return {
    access,
    route: {
      ...route,
      description: route.description ? `${route.description}\n\n${rolesLine}` : rolesLine,
      security: [{ [bearerSchemeName]: [] }],
      // Guards come before the route's own middleware and its validators: a stranger learns nothing
      // about the input, and an upload is refused before its body is read.
      middleware: [...guards, ...asArray(route.middleware), refuseNul],
      responses: {
        ...responses,
        401: errorResponse('需要登录 (no valid bearer token)'),
        403: errorResponse('角色无权 (the role may not call this)'),
      },
    },
    handler,
  };
}

const NUL = '\u0000';

/** Where in a parsed JSON body a NUL is (in a key or a string), as a dotted path; null if nowhere. */
function nulIn(value: unknown, at: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? at : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const here = `${at}.${key.replaceAll(NUL, '')}`;
    const found = key.includes(NUL) ? here : nulIn(item, here);
    if (found) return found;
  }
  return null;
}

/** The path or query parameter holding a NUL (in its name or value), or null. */
function nulParameter(c: Context<AppEnv>): string | null {
  const parameters: [string, string[]][] = [
    ...Object.entries(c.req.param()).map(([name, value]): [string, string[]] => [name, [value ?? '']]),
    ...Object.entries(c.req.queries()),
  ];
  for (const [name, values] of parameters) {
    if (name.includes(NUL) || values.some((value) => value.includes(NUL))) return name.replaceAll(NUL, '');
  }
  return null;
}

/**
 * Refuses a NUL character (%00, \u0000) in the path, the query or a JSON body with 400, naming where:
 * PostgreSQL keeps no NUL in text, and such a value would otherwise fail there as a 500.
 */
const refuseNul: MiddlewareHandler<AppEnv> = async (c, next) => {
  let where = nulParameter(c);
  if (!where && /^application\/([\w.-]+\+)?json\b/i.test(c.req.header('content-type') ?? '')) {
    // Read once and kept: the route's validator parses the same text.
    const text = await c.req.text();
    if (text.includes('\\u0000')) {
      try {
        where = nulIn(JSON.parse(text), 'body');
      } catch {
        // Malformed JSON: the validator says so.
      }
    }
  }
  if (where) {
    const reason = '含有空字符（NUL），请删去后重试';
    const path = where.split('.');
    throw new JobcastError('BAD_INPUT', `${fieldLabel(path[0] === 'body' ? path.slice(1) : path)}${reason}`, {
      fields: [{ field: where, reason }],
    });
  }
  return next();
};
