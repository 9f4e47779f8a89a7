import { createHash } from 'node:crypto';
import { wallClock } from '@jobcast/core';
import { type FairSpan, type PlayWindowRule, playTimeline, zonedInstant } from './timeline.ts';

/** How far ahead a manifest's timeline reaches: a screen cut off for a week still keeps its hours. */
export const MANIFEST_DAYS = 8;
export const HEARTBEAT_SECONDS = 60;
export const UPLOAD_SECONDS = 30;

/** A job as the player's side panel shows it beside a portrait video on a landscape screen. */
export interface ManifestJob {
  title: string;
  employer: string;
  pay: string;
}

export interface ManifestItem {
  renderId: number;
  /** Where the player fetches the file (with its token). */
  url: string;
  /** SHA-256 (hex) of the file: the player checks what it downloaded against it. */
  sha256: string;
  bytes: number;
  durationS: number;
  title: string;
  jobIds: number[];
  jobs: ManifestJob[];
}

export interface ManifestSegment {
  from: string;
  to: string;
  /** `group`, or `fair:<id>`: a key of `lists`. */
  list: string;
  title: string | null;
}

export interface Manifest {
  /** Changes exactly when what the screen should play changes. */
  version: string;
  serverTime: string;
  /** The screen, and the group whose lists these are (each play names it: a screen moved later keeps its plays' group). */
  screen: { id: number; name: string; group: string; groupId: number };
  /** The office, for the side panel: its name, hotline and the QR code of its jobs page (an image data URL). */
  site: { name: string; hotline: string | null; qr: string | null };
  items: ManifestItem[];
  /** Ordered render ids per list. */
  lists: Record<string, number[]>;
  timeline: ManifestSegment[];
  /** After this the screen plays the group's list until it hears from the server again. */
  horizon: string;
  live: { sessionId: number; title: string; url: string } | null;
  /** Items the server could not offer, with why (the file is gone). */
  missing: { renderId: number; reason: string }[];
  beatSeconds: number;
  uploadSeconds: number;
}

export interface ManifestInput {
  screen: Manifest['screen'];
  site: Manifest['site'];
  windows: readonly PlayWindowRule[];
  groupItems: readonly ManifestItem[];
  fairs: readonly (FairSpan & { title: string; items: readonly ManifestItem[] })[];
  live: Manifest['live'];
  missing: Manifest['missing'];
  now: Date;
  timeZone: string;
}

/** The start of the site's day at `now`: the timeline starts there, so the version changes daily, not by the minute. */
export function siteDayStart(timeZone: string, now: Date): Date {
  const wall = wallClock(timeZone, now);
  return zonedInstant(timeZone, wall.year, wall.month, wall.day, 0);
}

export function buildManifest(input: ManifestInput): Manifest {
  const from = siteDayStart(input.timeZone, input.now);
  const items = new Map<number, ManifestItem>();
  for (const item of input.groupItems) items.set(item.renderId, item);
  const lists: Record<string, number[]> = { group: input.groupItems.map((i) => i.renderId) };
  const titles = new Map<number, string>();
  for (const fair of input.fairs) {
    for (const item of fair.items) items.set(item.renderId, item);
    // A fair with no videos of its own plays the group's.
    lists[`fair:${fair.id}`] = fair.items.length > 0 ? fair.items.map((i) => i.renderId) : (lists.group ?? []);
    titles.set(fair.id, fair.title);
  }
  const timeline = playTimeline({
    windows: input.windows,
    fairs: input.fairs,
    from,
    days: MANIFEST_DAYS,
    timeZone: input.timeZone,
  }).map(
    (s): ManifestSegment => ({
      from: s.from.toISOString(),
      to: s.to.toISOString(),
      list: s.source === 'fair' ? `fair:${s.fairId}` : 'group',
      title: s.source === 'fair' ? (titles.get(s.fairId ?? 0) ?? null) : null,
    }),
  );
  const horizon = new Date(from.getTime() + MANIFEST_DAYS * 86_400_000).toISOString();
  // The screen's own name is not part of the version: renaming a screen changes nothing it plays.
  const content = {
    site: input.site,
    items: [...items.values()].sort((a, b) => a.renderId - b.renderId),
    lists,
    timeline,
    horizon,
    live: input.live,
    missing: input.missing,
  };
  const version = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  return {
    version,
    serverTime: input.now.toISOString(),
    screen: input.screen,
    ...content,
    beatSeconds: HEARTBEAT_SECONDS,
    uploadSeconds: UPLOAD_SECONDS,
  };
}
