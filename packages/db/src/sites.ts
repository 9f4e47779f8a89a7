import { JobcastError } from '@jobcast/core';
import { eq } from 'drizzle-orm';
import type { Database } from './client.ts';
import { sites } from './schema/index.ts';

export type Site = typeof sites.$inferSelect;

export async function ensureSite(db: Database, site: { code: string; name: string; timezone?: string }): Promise<Site> {
  await db
    .insert(sites)
    .values({ code: site.code, name: site.name, timezone: site.timezone ?? 'Asia/Shanghai' })
    .onConflictDoNothing({ target: sites.code });
  return getSiteByCode(db, site.code);
}

export async function getSiteByCode(db: Database, code: string): Promise<Site> {
  const [site] = await db.select().from(sites).where(eq(sites.code, code));
  if (!site) throw new JobcastError('NOT_FOUND', `站点 ${code} 不存在`);
  return site;
}

export async function listSites(db: Database): Promise<Site[]> {
  return db.select().from(sites).orderBy(sites.code);
}

export async function getSiteById(db: Database, id: number): Promise<Site> {
  const [row] = await db.select().from(sites).where(eq(sites.id, id));
  if (!row) throw new JobcastError('NOT_FOUND', `站点 ${id} 不存在`);
  return row;
}
