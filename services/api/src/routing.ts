import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { type UserRole, userRoles } from '@jobcast/core';
import type { MiddlewareHandler } from 'hono';
import { authenticate, requireRole } from './auth.ts';
import type { AppEnv } from './context.ts';
import { errorResponse } from './errors.ts';

/** Who may call a route: anyone (probes, login), or a signed-in user holding one of these roles. */
export type Access = 'public' | readonly UserRole[];

/** Any signed-in user: reading is open to every role of the site. */
export const anyRole: readonly UserRole[] = userRoles;

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
  if (access === 'public') return { access, route: { ...route, responses }, handler };

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
      middleware: [...guards, ...asArray(route.middleware)],
      responses: {
        ...responses,
        401: errorResponse('需要登录 (no valid bearer token)'),
        403: errorResponse('角色无权 (the role may not call this)'),
      },
    },
    handler,
  };
}
