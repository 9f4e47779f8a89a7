/**
 * Test support: a job fair written straight into its tables (fairs, fair_employers, fair_photos)
 * with the job-pool employers and jobs it names and, for an AI fair, a paired screen of its group
 * that played job videos during it: what the score, the ledgers and the evidence packs read.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from './client.ts';
import { employers, fairEmployers, fairPhotos, fairs, jobs, screenPlays, screens } from './schema/index.ts';
import { ensureScreenGroup } from './screens.ts';

export interface TestFairInput {
  kind: 'ai' | 'onsite';
  title?: string;
  /** An instant with its offset, e.g. `2026-05-20T09:00:00+08:00`. */
  startsAt: string;
  /** 3 unless given. */
  hours?: number;
  venue?: string;
  /** The employers by name (made in the job pool when new), or how many (named for the fair). */
  employers: number | string[];
  /** Jobs each employer brings (1 unless given). */
  jobsEach?: number;
  jobSeekers?: number | null;
  offers?: number | null;
  plan?: string | null;
  summary?: string | null;
  planKey?: string | null;
  summaryKey?: string | null;
  /** The screen group, made when new (招聘会场 unless given); null for none. */
  group?: string | null;
  /**
   * Plays on the group's screen: so many completed during the fair, over so many videos (render ids
   * need not exist), so many cut short; one just after the fair and one without jobs are added,
   * which no count may take.
   */
  plays?: { completed: number; videos?: number; partial?: number };
  photos?: { key: string; name: string }[];
}

export interface TestFair {
  id: number;
  groupId: number | null;
  employerIds: number[];
  jobIds: number[];
}

const MINUTE = 60_000;

async function employerNamed(db: Database, siteId: number, name: string): Promise<number> {
  const [row] = await db
    .insert(employers)
    .values({ siteId, name, nameKey: name })
    .onConflictDoUpdate({ target: [employers.siteId, employers.nameKey], set: { name } })
    .returning({ id: employers.id });
  if (!row) throw new Error(`employer ${name} not written`);
  return row.id;
}

export async function insertTestFair(db: Database, siteId: number, input: TestFairInput): Promise<TestFair> {
  const tag = randomBytes(3).toString('hex');
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(startsAt.getTime() + (input.hours ?? 3) * 60 * MINUTE);
  const names =
    typeof input.employers === 'number'
      ? Array.from({ length: input.employers }, (_, i) => `测试单位${i + 1}-${tag}`)
      : input.employers;
  const employerIds: number[] = [];
  const jobIds: number[] = [];
  const brought: number[][] = [];
  for (const name of names) {
    const employerId = await employerNamed(db, siteId, name);
    const made = await db
      .insert(jobs)
      .values(
        Array.from({ length: input.jobsEach ?? 1 }, (_, n) => ({
          siteId,
          employerId,
          title: `${name}招聘岗位${n + 1}`,
          category: 'full-time' as const,
          fingerprint: randomBytes(8).toString('hex'),
          contentHash: randomBytes(8).toString('hex'),
        })),
      )
      .returning({ id: jobs.id });
    employerIds.push(employerId);
    brought.push(made.map((job) => job.id));
    jobIds.push(...made.map((job) => job.id));
  }
  const group =
    input.group === null ? null : await ensureScreenGroup(db, siteId, input.group ?? `招聘会场-${input.kind}`);
  const [fair] = await db
    .insert(fairs)
    .values({
      siteId,
      kind: input.kind,
      title: input.title ?? `${input.kind === 'ai' ? 'AI数智招聘会' : '线下招聘会'} ${tag}`,
      startsAt,
      endsAt,
      venue: input.venue ?? '人力资源市场一楼大厅',
      groupId: group?.id ?? null,
      jobSeekers: input.jobSeekers === undefined ? 120 : input.jobSeekers,
      offers: input.offers === undefined ? 30 : input.offers,
      plan: input.plan ?? null,
      summary: input.summary ?? null,
      planKey: input.planKey ?? null,
      planName: input.planKey ? '方案' : null,
      summaryKey: input.summaryKey ?? null,
      summaryName: input.summaryKey ? '总结' : null,
    })
    .returning({ id: fairs.id });
  if (!fair) throw new Error('fair not written');
  if (employerIds.length > 0) {
    await db
      .insert(fairEmployers)
      .values(employerIds.map((employerId, i) => ({ fairId: fair.id, employerId, jobIds: brought[i] ?? [] })))
      .onConflictDoNothing();
  }
  if (input.photos && input.photos.length > 0) {
    await db.insert(fairPhotos).values(
      input.photos.map((photo) => ({
        fairId: fair.id,
        storageKey: photo.key,
        displayName: photo.name,
        width: 1280,
        height: 960,
        bytes: 1000,
      })),
    );
  }
  if (input.plays && group) {
    const [screen] = await db
      .insert(screens)
      .values({ siteId, groupId: group.id, name: `职播机-${tag}`, tokenHash: randomBytes(32).toString('hex') })
      .returning({ id: screens.id });
    if (!screen) throw new Error('screen not written');
    const videos = input.plays.videos ?? 1;
    const play = (at: number, completed: boolean, withJobs = true, n = 0) => ({
      siteId,
      screenId: screen.id,
      groupId: group.id,
      playId: randomBytes(8).toString('hex'),
      renderId: 900_000 + (n % videos),
      jobIds: withJobs ? jobIds.slice(0, 1) : [],
      startedAt: new Date(at),
      endedAt: new Date(at + (completed ? 30_000 : 5_000)),
      playedMs: completed ? 30_000 : 5_000,
      completed,
    });
    const start = startsAt.getTime();
    const rows = [
      ...Array.from({ length: input.plays.completed }, (_, n) => play(start + n * MINUTE, true, true, n)),
      ...Array.from({ length: input.plays.partial ?? 0 }, (_, n) => play(start + (n * MINUTE + 40_000), false)),
      play(endsAt.getTime() + MINUTE, true),
      play(start + 30_000, true, false),
    ];
    await db.insert(screenPlays).values(rows);
  }
  return { id: fair.id, groupId: group?.id ?? null, employerIds, jobIds };
}
