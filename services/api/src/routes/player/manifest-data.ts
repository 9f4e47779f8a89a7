import { createHash } from 'node:crypto';
import { printablePay } from '@jobcast/core';
import {
  autoPlaylist,
  fairPlaylist,
  fairsOfGroup,
  getJobsByIds,
  getScreenGroup,
  getSiteById,
  liveOnGroup,
  manualPlaylist,
  type PlayableVideo,
  type Screen,
  saveRenderChecksum,
} from '@jobcast/db';
import { siteToday } from '@jobcast/ledger';
import { previewUrlOf } from '@jobcast/live';
import { renderContentText } from '@jobcast/renders';
import {
  buildManifest,
  MANIFEST_DAYS,
  type Manifest,
  type ManifestItem,
  type ManifestJob,
  siteDayStart,
} from '@jobcast/screens';
import type { ApiServices } from '../../context.ts';
import { siteQrImage } from '../overlay/card.ts';

/** A fair with no videos of its own plays its employers' newest job videos, up to this many. */
const FAIR_AUTO_LIMIT = 20;

/** SHA-256 of a stored file, worked out once per render and kept (the player checks downloads against it). */
async function checksumOf(services: ApiServices, video: PlayableVideo): Promise<string | null> {
  if (video.outputSha256) return video.outputSha256;
  const stored = await services.store.stat(video.outputKey);
  if (!stored) return null;
  const hash = createHash('sha256');
  for await (const chunk of services.store.read(video.outputKey)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  await saveRenderChecksum(services.db, video.renderId, sha256);
  return sha256;
}

/**
 * What a screen should play: its group's playlist (newest videos of open jobs, or the hand-made
 * list), its group's fairs ahead with their own lists, the livestream on the group's screens when
 * one is on air, and the days' timeline. A video whose file is gone is left out and named.
 */
export async function manifestFor(services: ApiServices, screen: Screen, now = new Date()): Promise<Manifest> {
  const { db } = services;
  const [site, group] = await Promise.all([
    getSiteById(db, screen.siteId),
    getScreenGroup(db, screen.siteId, screen.groupId),
  ]);
  const today = siteToday(site.timezone, now);
  const dayStart = siteDayStart(site.timezone, now);
  const [groupVideos, fairs, live] = await Promise.all([
    group.mode === 'auto'
      ? autoPlaylist(db, { siteId: site.id, today, limit: group.autoLimit })
      : manualPlaylist(db, group.id),
    fairsOfGroup(db, group.id, dayStart, new Date(dayStart.getTime() + MANIFEST_DAYS * 86_400_000)),
    liveOnGroup(db, group.id),
  ]);
  const fairVideos = await Promise.all(
    fairs.map(async (fair) => {
      const own = await fairPlaylist(db, fair.id);
      if (own.length > 0 || fair.employerIds.length === 0) return own;
      return autoPlaylist(db, { siteId: site.id, today, limit: FAIR_AUTO_LIMIT, employerIds: fair.employerIds });
    }),
  );

  const videos = new Map<number, PlayableVideo>();
  for (const video of [...groupVideos, ...fairVideos.flat()]) videos.set(video.renderId, video);
  const { jobs } = await getJobsByIds(db, site.id, [...new Set([...videos.values()].flatMap((v) => v.jobIds))]);
  const jobById = new Map(jobs.map((job) => [job.id, job]));
  const jobTitles = new Map(jobs.map((job) => [job.id, job.title]));
  const missing: Manifest['missing'] = [];
  const items = new Map<number, ManifestItem>();
  for (const video of videos.values()) {
    const sha256 = await checksumOf(services, video);
    if (!sha256) {
      missing.push({ renderId: video.renderId, reason: '视频文件已不在媒体文件夹中' });
      continue;
    }
    const shown: ManifestJob[] = video.jobIds.flatMap((id) => {
      const job = jobById.get(id);
      // Pay the importer could not read is not shown as typed (the videos follow the same rule).
      return job ? [{ title: job.title, employer: job.employer, pay: printablePay(job.pay) ?? '' }] : [];
    });
    items.set(video.renderId, {
      renderId: video.renderId,
      url: `/player/api/media/${video.renderId}`,
      sha256,
      bytes: video.bytes ?? 0,
      durationS: video.durationS ?? 0,
      title: renderContentText(video, jobTitles),
      jobIds: video.jobIds,
      jobs: shown,
    });
  }
  const listed = (list: PlayableVideo[]) => list.flatMap((v) => items.get(v.renderId) ?? []);
  return buildManifest({
    screen: { id: screen.id, name: screen.name, group: group.name, groupId: group.id },
    site: { name: site.name, hotline: site.hotline, qr: await siteQrImage(db, site.id) },
    windows: group.windows,
    groupItems: listed(groupVideos),
    fairs: fairs.map((fair, i) => ({
      id: fair.id,
      title: fair.title,
      startsAt: fair.startsAt,
      endsAt: fair.endsAt,
      items: listed(fairVideos[i] ?? []),
    })),
    live:
      live && live.status === 'live'
        ? { sessionId: live.sessionId, title: live.title, url: previewUrlOf(services.config, live.overlayToken) }
        : null,
    missing,
    now,
    timeZone: site.timezone,
  });
}

/** A group's manifest version is worked out at most this often: 200 screens beat once a minute each. */
const VERSION_TTL_MS = 20_000;
const versions = new Map<string, { version: Promise<string>; until: number }>();

/**
 * The version of the manifest the screen should have, as the heartbeat answers it: kept per group
 * for a few seconds, so a change reaches the screens within a beat and 200 beats do not each
 * assemble a manifest. Beats that come while it is being worked out wait for that one answer
 * rather than each assembling their own; a failed attempt is not kept.
 */
export function manifestVersionFor(services: ApiServices, screen: Screen, now = new Date()): Promise<string> {
  const key = `${screen.siteId}:${screen.groupId}`;
  const kept = versions.get(key);
  if (kept && kept.until > now.getTime()) return kept.version;
  if (versions.size >= 10_000) versions.clear();
  const version = manifestFor(services, screen, now).then((manifest) => manifest.version);
  versions.set(key, { version, until: now.getTime() + VERSION_TTL_MS });
  version.catch(() => {
    if (versions.get(key)?.version === version) versions.delete(key);
  });
  return version;
}
