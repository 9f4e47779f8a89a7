import { and, desc, eq } from 'drizzle-orm';
import type { Database } from './client.ts';
import { type MediaAsset, type MediaAssetKind, mediaAssets } from './schema/assets.ts';

export type NewMediaAsset = Omit<typeof mediaAssets.$inferInsert, 'id' | 'createdAt'>;

/** Records an uploaded file once it is stored and probed. */
export async function createMediaAsset(db: Database, asset: NewMediaAsset): Promise<MediaAsset> {
  const [row] = await db.insert(mediaAssets).values(asset).returning();
  if (!row) throw new Error('media asset insert returned no row');
  return row;
}

/** A site's files of one kind (of every kind when `kind` is null), newest first. */
export async function listMediaAssets(
  db: Database,
  siteId: number,
  kind: MediaAssetKind | null,
  limit = 200,
): Promise<MediaAsset[]> {
  return db
    .select()
    .from(mediaAssets)
    .where(and(eq(mediaAssets.siteId, siteId), kind ? eq(mediaAssets.kind, kind) : undefined))
    .orderBy(desc(mediaAssets.createdAt), desc(mediaAssets.id))
    .limit(limit);
}

/** One of a site's files; null when it is not there or belongs to another site. */
export async function getMediaAsset(db: Database, siteId: number, id: number): Promise<MediaAsset | null> {
  const [row] = await db
    .select()
    .from(mediaAssets)
    .where(and(eq(mediaAssets.siteId, siteId), eq(mediaAssets.id, id)));
  return row ?? null;
}

export { type MediaAsset, type MediaAssetKind, mediaAssetKinds } from './schema/assets.ts';
