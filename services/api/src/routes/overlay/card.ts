import type { LiveRules } from '@jobcast/config';
import { JobcastError } from '@jobcast/core';
import { type Database, siteQrUrl } from '@jobcast/db';
import { findSessionByOverlayToken, type LiveJobCard, type LiveSessionRow, liveStatus } from '@jobcast/live';
import QRCode from 'qrcode';

/** What the overlay draws: the job on screen, or nothing. */
export interface OverlayCard extends LiveJobCard {
  /** The QR code as a data: URL of an SVG made here, so the page sets an image source and parses no markup. */
  qr: string | null;
}

export async function overlaySession(db: Database, token: string): Promise<LiveSessionRow> {
  const session = await findSessionByOverlayToken(db, token);
  if (!session) throw new JobcastError('NOT_FOUND', '没有这个直播叠加层地址，请从预约结果里重新复制');
  return session;
}

/**
 * The site's own QR page (sites.qr_url), as the posters and the flyer print it; none when unset.
 * A code to `${publicUrl}/jobs/{id}` was the alternative, but that is the API, behind a login and
 * answering JSON: nothing a viewer's phone could open.
 */
export async function siteQrImage(db: Database, siteId: number): Promise<string | null> {
  const url = (await siteQrUrl(db, siteId))?.trim();
  if (!url) return null;
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export async function overlayCard(
  db: Database,
  rules: LiveRules,
  sessionId: number,
  qr: string | null,
): Promise<OverlayCard | null> {
  const { current } = await liveStatus(db, rules, sessionId);
  return current ? { ...current.card, qr } : null;
}
