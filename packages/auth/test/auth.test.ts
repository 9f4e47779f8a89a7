import { randomBytes } from 'node:crypto';
import { closeDatabase, createDatabase, type Database, ensureSite, schema } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addUser,
  authenticatePassword,
  authenticateToken,
  authenticateWebSession,
  createToken,
  createWebSession,
  csrfTokenFor,
  endWebSession,
  hashPassword,
  verifyPassword,
} from '../src/index.ts';

let db: Database;
let siteId: number;
const name = (role: string) => `${role}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = createDatabase(inject('databaseUrl'), 2);
  siteId = (await ensureSite(db, { code: `auth-${randomBytes(3).toString('hex')}`, name: '测试' })).id;
});
afterAll(async () => closeDatabase(db));

describe('passwords', () => {
  it('verifies the right password only, and never stores it', async () => {
    const stored = await hashPassword('赣江 horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain('horse');
    expect(await verifyPassword('赣江 horse battery', stored)).toBe(true);
    expect(await verifyPassword('赣江 horse batterY', stored)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });
});

describe('users and tokens', () => {
  it('signs in with username and password; an unknown user and a wrong password look the same', async () => {
    const username = name('anchor');
    await addUser(db, { siteId, username, password: 'long enough', role: 'anchor' });
    expect(await authenticatePassword(db, username, 'long enough')).toMatchObject({ username, role: 'anchor', siteId });
    expect(await authenticatePassword(db, username, 'wrong password')).toBeNull();
    expect(await authenticatePassword(db, 'nobody-here', 'long enough')).toBeNull();
  });

  it('a token works until it is revoked, and an expired one never does', async () => {
    const username = name('manager');
    await addUser(db, { siteId, username, password: 'long enough', role: 'manager' });
    const { token, id } = await createToken(db, { username, name: 'test' });
    expect(await authenticateToken(db, token)).toMatchObject({ username, role: 'manager' });
    expect(await authenticateToken(db, `${token}x`)).toBeNull();
    await db.update(schema.apiTokens).set({ revokedAt: new Date() }).where(eq(schema.apiTokens.id, id));
    expect(await authenticateToken(db, token)).toBeNull();

    const expiring = await createToken(db, { username, name: 'short', expiresInDays: 1 });
    await db
      .update(schema.apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.apiTokens.id, expiring.id));
    expect(await authenticateToken(db, expiring.token)).toBeNull();
  });

  it('refuses a duplicate username, an unknown role and a weak password', async () => {
    const username = name('media');
    await addUser(db, { siteId, username, password: 'long enough', role: 'media' });
    await expect(addUser(db, { siteId, username, password: 'long enough', role: 'media' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      addUser(db, { siteId, username: name('x'), password: 'long enough', role: 'root' }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(addUser(db, { siteId, username: name('y'), password: 'short', role: 'media' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});

describe('browser sessions', () => {
  it('keeps only the hash of the cookie secret, and ends when expired, ended or the user is disabled', async () => {
    const user = await addUser(db, { siteId, username: name('web'), password: 'long enough', role: 'media' });
    const { secret } = await createWebSession(db, user.id);
    const stored = await db.select().from(schema.webSessions).where(eq(schema.webSessions.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const session = await authenticateWebSession(db, secret);
    expect(session?.principal).toMatchObject({ userId: user.id, role: 'media' });
    expect(session?.csrfToken).toBe(csrfTokenFor(secret));
    expect(csrfTokenFor(secret)).not.toBe(csrfTokenFor((await createWebSession(db, user.id)).secret));
    expect(await authenticateWebSession(db, `${secret.slice(0, -1)}x`)).toBeNull();

    await db
      .update(schema.webSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.webSessions.userId, user.id));
    expect(await authenticateWebSession(db, secret)).toBeNull();

    const second = await createWebSession(db, user.id);
    await endWebSession(db, second.secret);
    expect(await authenticateWebSession(db, second.secret)).toBeNull();

    const third = await createWebSession(db, user.id);
    // Starting it removed the expired and the ended ones: only the live ones are kept.
    const kept = await db.select().from(schema.webSessions).where(eq(schema.webSessions.userId, user.id));
    expect(kept).toHaveLength(1);
    await db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, user.id));
    expect(await authenticateWebSession(db, third.secret)).toBeNull();
  });
});
