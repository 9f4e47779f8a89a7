import { randomBytes, randomUUID } from 'node:crypto';
import {
  addScreenWithToken,
  createFairWithEmployers,
  type Database,
  employersWithJobs,
  ensureScreenGroup,
  fairTime,
  insertScreenPlays,
  listFairs,
  listScreens,
  revokeScreen,
  type Screen,
  type Site,
  updateScreenGroup,
} from '@jobcast/db';
import type { ServiceYear } from '@jobcast/kpi';
import { hashScreenToken } from '@jobcast/screens';

const DEMO_SCREEN = '演示屏（本机浏览器）';
const VENUE_SCREEN = '招聘会场1号屏';

/** YYYY-MM-DD, `days` after a YYYY-MM-DD day. */
function dayAfter(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The demo's screens: the hall's group plays the newest job videos all day, the gig station's only
 * in opening hours, and a screen for this browser is paired by link. A new link every start (the
 * token is shown once, kept hashed): the previous demo screen is revoked.
 */
export async function demoScreens(
  db: Database,
  siteId: number,
  venueSince: Date,
): Promise<{ pairingPath: string; venueScreen: Screen; venueGroupId: number }> {
  const hall = await ensureScreenGroup(db, siteId, '大厅');
  const gig = await ensureScreenGroup(db, siteId, '零工驿站');
  if (gig.windows.length === 0) {
    await updateScreenGroup(db, siteId, gig.id, {
      windows: [{ days: [1, 2, 3, 4, 5, 6], from: '07:30', to: '18:00' }],
    });
  }
  const venue = await ensureScreenGroup(db, siteId, '招聘会场');
  const screens = await listScreens(db, siteId);
  for (const old of screens.filter((s) => s.name === DEMO_SCREEN && !s.revokedAt)) {
    await revokeScreen(db, siteId, old.id);
  }
  const token = randomBytes(32).toString('base64url');
  await addScreenWithToken(db, {
    siteId,
    groupId: hall.id,
    name: DEMO_SCREEN,
    tokenHash: hashScreenToken(token),
    userId: null,
  });
  const venueScreen =
    screens.find((s) => s.name === VENUE_SCREEN && !s.revokedAt) ??
    (await addScreenWithToken(db, {
      siteId,
      groupId: venue.id,
      name: VENUE_SCREEN,
      tokenHash: hashScreenToken(randomBytes(32).toString('base64url')),
      userId: null,
      pairedAt: venueSince,
    }));
  return { pairingPath: `/player/#pair=${token}`, venueScreen, venueGroupId: venue.id };
}

/** AI fairs the demo's year holds in all (about 70 % of the contract's 80), and which are short of employers. */
const DEMO_AI_FAIRS = 56;
const shortOfEmployers = (k: number) => k % 11 === 4;

/**
 * The year's job fairs before today, recorded as the hall staff would: AI数智招聘会 every week or so
 * on the 招聘会场 group, its screen playing job videos during the fair (one now and then with only
 * five employers: not counted, and the record says why), and a 线下招聘会 each month but one, one
 * of them with nine employers. Each fair has its fixed day and title, so running the demo again adds
 * only what is missing.
 */
export async function demoFairs(
  db: Database,
  site: Site,
  sy: ServiceYear,
  today: string,
  venue: { screen: Screen; groupId: number; videos: { renderId: number; jobIds: number[]; durationS: number }[] },
): Promise<void> {
  const employers = await employersWithJobs(db, site.id, 40);
  if (employers.length < 12) return;
  const existing = new Set((await listFairs(db, site.id, sy.start, dayAfter(today, 1))).map((f) => f.title));
  const names = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: employers[(from + i) % employers.length] as string }));

  for (let k = 0; k < DEMO_AI_FAIRS; k++) {
    const day = dayAfter(sy.start, Math.floor(((k + 0.5) * sy.days) / DEMO_AI_FAIRS));
    const title = `AI数智招聘会 第${k + 1}场`;
    if (day >= today || existing.has(title)) continue;
    const { fair } = await createFairWithEmployers(
      db,
      {
        siteId: site.id,
        kind: 'ai',
        title,
        startsAt: await fairTime(db, site.id, `${day} 09:00`, 'startsAt'),
        endsAt: await fairTime(db, site.id, `${day} 11:30`, 'endsAt'),
        venue: '人力资源市场一楼招聘会场',
        groupId: venue.groupId,
        jobSeekers: 40 + ((k * 37) % 80),
        offers: 8 + ((k * 13) % 25),
      },
      names(k * 3, shortOfEmployers(k) ? 5 : 6 + (k % 5)),
    );
    // The venue screen played the videos in turn through the fair, recorded as its plays arrive.
    if (venue.videos.length > 0) {
      const plays = Array.from({ length: 12 }, (_, i) => {
        const video = venue.videos[i % venue.videos.length] as (typeof venue.videos)[number];
        const startedAt = new Date(fair.startsAt.getTime() + i * 10 * 60_000);
        const playedMs = Math.round(video.durationS * 1000);
        return {
          playId: randomUUID(),
          renderId: video.renderId,
          jobIds: video.jobIds,
          startedAt,
          endedAt: new Date(startedAt.getTime() + playedMs),
          playedMs,
          completed: true,
          clockOffsetMs: 0,
        };
      });
      await insertScreenPlays(db, { ...venue.screen, groupId: venue.groupId }, plays, fair.endsAt);
    }
  }

  for (let m = 0; m < 12; m++) {
    const day = dayAfter(sy.start, Math.floor(((m + 0.5) * sy.days) / 12));
    const title = `${Number(day.slice(5, 7))}月线下招聘会`;
    // The fifth month had none (the monthly alert shows it).
    if (m === 4 || day >= today || existing.has(title)) continue;
    await createFairWithEmployers(
      db,
      {
        siteId: site.id,
        kind: 'onsite',
        title,
        startsAt: await fairTime(db, site.id, `${day} 09:00`, 'startsAt'),
        endsAt: await fairTime(db, site.id, `${day} 12:00`, 'endsAt'),
        venue: '区人力资源市场广场',
        jobSeekers: 300 + m * 25,
        offers: 60 + m * 5,
      },
      names(m * 5, m === 7 ? 9 : 10 + (m % 6)),
    );
  }
}
