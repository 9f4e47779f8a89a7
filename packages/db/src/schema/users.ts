import { userRoles } from '@jobcast/core';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sites } from './sites.ts';

export const userRole = pgEnum('user_role', userRoles);

export const users = pgTable('users', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  siteId: integer('site_id')
    .notNull()
    .references(() => sites.id),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: userRole('role').notNull(),
  /** scrypt, self-describing: scrypt$N$r$p$salt$hash (base64). */
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /**
   * A deployment-wide administrator (系统管理员): runs what every site shares, such as the queue
   * dashboard. An admin of one site is not one.
   */
  deploymentAdmin: boolean('deployment_admin').notNull().default(false),
});

/** API tokens are random 256-bit secrets: only their SHA-256 is kept, the token is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters, enough for a person to tell tokens apart in a list. */
    tokenPrefix: text('token_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/**
 * A browser sign-in. The cookie holds a random secret; only its SHA-256 is kept. The CSRF token is
 * derived from the secret, so a forged form from another site cannot carry it.
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('web_sessions_user_idx').on(t.userId)],
);

/**
 * A create request sent with an Idempotency-Key: a retry with the same key by the same user on the
 * same route answers the first request's result instead of making a second one.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The route the key was used on, e.g. "POST /api/renders". */
    route: text('route').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the request body: the same key with a different body is refused. */
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still being answered. */
    status: smallint('status'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_user_route_key_idx').on(t.userId, t.route, t.key),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
