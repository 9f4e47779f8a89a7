import { JobcastError } from '@jobcast/core';
import { eq, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { sites } from './schema/index.ts';

/** The page a site's QR codes open (sites.qr_url); null when unset or no such site. */
export async function siteQrUrl(db: Database, siteId: number): Promise<string | null> {
  const [site] = await db.select({ qrUrl: sites.qrUrl }).from(sites).where(eq(sites.id, siteId));
  return site?.qrUrl ?? null;
}

/** The month and day (MM-DD) the site's service years start; the caller checks the value. */
export async function setServiceYearStart(db: Database, siteId: number, start: string): Promise<void> {
  await db.update(sites).set({ serviceYearStart: start }).where(eq(sites.id, siteId));
}

/** Sets the office's hotline, address and QR page where the site has none yet. */
export async function fillSiteDetails(
  db: Database,
  siteId: number,
  details: { hotline: string; address: string; qrUrl: string },
): Promise<void> {
  await db
    .update(sites)
    .set({
      hotline: sql`coalesce(${sites.hotline}, ${details.hotline})`,
      address: sql`coalesce(${sites.address}, ${details.address})`,
      qrUrl: sql`coalesce(${sites.qrUrl}, ${details.qrUrl})`,
    })
    .where(eq(sites.id, siteId));
}

/** The narration voice of the site's videos (sites.voice_provider, voice, voice_rate); the caller checks the choice. */
export async function setSiteVoice(
  db: Database,
  siteId: number,
  choice: { provider: string; voice: string | null; rate: number },
): Promise<{ voiceProvider: string; voice: string | null; voiceRate: number }> {
  const [site] = await db
    .update(sites)
    .set({ voiceProvider: choice.provider, voice: choice.voice, voiceRate: choice.rate })
    .where(eq(sites.id, siteId))
    .returning({ voiceProvider: sites.voiceProvider, voice: sites.voice, voiceRate: sites.voiceRate });
  if (!site) throw new JobcastError('NOT_FOUND', `站点 ${siteId} 不存在`);
  return site;
}
