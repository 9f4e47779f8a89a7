/** What the score, the fair ledgers (AI数智招聘会台账, 线下招聘会台账) and their evidence packs read of the job fairs. */
import type { Database } from './client.ts';
import type { FairKindName } from './schema/index.ts';
import { fairPlayCounts } from './screens.ts';

/** One fair as its ledger row lists it, with what its verdict rests on. */
export interface FairLedgerRow {
  id: number;
  kind: FairKindName;
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** The day it starts on the site's clock (YYYY-MM-DD): the day and month it counts in. */
  day: string;
  /** Its start and end on the site's clock, HH:MM. */
  startTime: string;
  endTime: string;
  venue: string;
  groupId: number | null;
  groupName: string | null;
  /** The employers registered, one each (a fair lists an employer once), by id. */
  employerIds: number[];
  /** Their names, in the order of `employerIds`. */
  employerNames: string[];
  /** Distinct jobs the employers brought. */
  jobs: number;
  jobSeekers: number | null;
  /** 意向 (offers of interest) made. */
  offers: number | null;
  photos: number;
  /** Where the photos are in the media store, oldest first. */
  photoKeys: string[];
  plan: string | null;
  summary: string | null;
  planKey: string | null;
  planName: string | null;
  summaryKey: string | null;
  summaryName: string | null;
  /** Plays of job videos on the fair's screen group during the fair, completed or not. */
  plays: number;
  /** Of those, the ones played to (nearly) the end: what an AI fair's verdict counts. */
  completedPlays: number;
  /** Distinct videos among the completed plays. */
  videosPlayed: number;
}

/**
 * The site's fairs that start on the days from `range.from` up to (not including) `range.to`
 * (YYYY-MM-DD on the site's clock), oldest first, with their employers, jobs, attendance, photos and
 * plays. With `endedBy`, only the fairs over by then: a fair counts once it has been held.
 */
export async function listFairLedger(
  db: Database,
  site: { id: number; timezone: string },
  range: { from: string; to: string },
  options: { endedBy?: Date } = {},
): Promise<FairLedgerRow[]> {
  const { rows } = await db.$client.query<
    Omit<FairLedgerRow, 'plays' | 'completedPlays' | 'videosPlayed'> & { employerNames: (string | null)[] }
  >(
    `select f.id, f.kind::text as kind, f.title, f.starts_at as "startsAt", f.ends_at as "endsAt",
            to_char(f.starts_at at time zone $2, 'YYYY-MM-DD') as day,
            to_char(f.starts_at at time zone $2, 'HH24:MI') as "startTime",
            to_char(f.ends_at at time zone $2, 'HH24:MI') as "endTime",
            f.venue, f.group_id as "groupId", g.name as "groupName",
            coalesce(e.ids, '{}') as "employerIds", coalesce(e.names, '{}') as "employerNames",
            coalesce(e.jobs, 0) as jobs,
            f.job_seekers as "jobSeekers", f.offers,
            (select count(*) from fair_photos p where p.fair_id = f.id)::int as photos,
            coalesce((select array_agg(p.storage_key order by p.id) from fair_photos p where p.fair_id = f.id), '{}')
              as "photoKeys",
            f.plan, f.summary, f.plan_key as "planKey", f.plan_name as "planName",
            f.summary_key as "summaryKey", f.summary_name as "summaryName"
       from fairs f
       left join screen_groups g on g.id = f.group_id
       left join lateral (
         select array_agg(fe.employer_id order by fe.employer_id) as ids,
                array_agg(em.name order by fe.employer_id) as names,
                (select count(distinct job_id)
                   from fair_employers x cross join unnest(x.job_ids) as job_id where x.fair_id = f.id)::int as jobs
           from fair_employers fe
           left join employers em on em.id = fe.employer_id and em.site_id = f.site_id
          where fe.fair_id = f.id
       ) e on true
      where f.site_id = $1
        and (f.starts_at at time zone $2)::date >= $3::date
        and (f.starts_at at time zone $2)::date < $4::date
        and ($5::timestamptz is null or f.ends_at <= $5::timestamptz)
      order by f.starts_at, f.id`,
    [site.id, site.timezone, range.from, range.to, options.endedBy ?? null],
  );
  const counts = await fairPlayCounts(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const played = counts.get(row.id);
    return {
      ...row,
      employerNames: row.employerNames.map((name, i) => name ?? `单位 #${row.employerIds[i]}`),
      plays: played?.plays ?? 0,
      completedPlays: played?.completedPlays ?? 0,
      videosPlayed: played?.videosPlayed ?? 0,
    };
  });
}

/** An employer at a fair with the jobs it brought (title null for a job no longer in the pool). */
export interface FairLedgerEmployer {
  id: number;
  name: string;
  jobs: { id: number; title: string | null }[];
}

export interface FairLedgerPhoto {
  id: number;
  storageKey: string;
  displayName: string;
  width: number;
  height: number;
  bytes: number;
  createdAt: Date;
}

/** One play of a job video on the fair's screens during the fair. */
export interface FairLedgerPlay {
  screenId: number;
  screenName: string | null;
  renderId: number;
  jobIds: number[];
  startedAt: Date;
  endedAt: Date;
  playedMs: number;
  completed: boolean;
}

/** What an evidence pack holds of one fair beyond its ledger row. */
export interface FairLedgerDetail {
  employers: FairLedgerEmployer[];
  photos: FairLedgerPhoto[];
  plays: FairLedgerPlay[];
}

/**
 * The employers with their jobs, the photos and the plays (the same ones `fairPlayCounts` counts) of
 * the site's fairs among `fairIds`, by fair id; a fair of another site is left out.
 */
export async function fairLedgerDetails(
  db: Database,
  siteId: number,
  fairIds: number[],
): Promise<Map<number, FairLedgerDetail>> {
  const details = new Map<number, FairLedgerDetail>();
  if (fairIds.length === 0) return details;
  const [fairs, employers, photos, plays] = await Promise.all([
    db.$client.query<{ id: number }>('select id from fairs where site_id = $1 and id = any($2::int[])', [
      siteId,
      fairIds,
    ]),
    db.$client.query<FairLedgerEmployer & { fairId: number }>(
      `select fe.fair_id as "fairId", fe.employer_id as id, coalesce(em.name, '单位 #' || fe.employer_id) as name,
              coalesce((select json_agg(json_build_object('id', job_id, 'title', j.title) order by job_id)
                          from unnest(fe.job_ids) as job_id
                          left join jobs j on j.id = job_id and j.site_id = f.site_id), '[]') as jobs
         from fair_employers fe
         join fairs f on f.id = fe.fair_id
         left join employers em on em.id = fe.employer_id and em.site_id = f.site_id
        where f.site_id = $1 and fe.fair_id = any($2::int[])
        order by fe.fair_id, fe.employer_id`,
      [siteId, fairIds],
    ),
    db.$client.query<FairLedgerPhoto & { fairId: number }>(
      `select p.fair_id as "fairId", p.id, p.storage_key as "storageKey", p.display_name as "displayName",
              p.width, p.height, p.bytes::float8 as bytes, p.created_at as "createdAt"
         from fair_photos p join fairs f on f.id = p.fair_id
        where f.site_id = $1 and p.fair_id = any($2::int[])
        order by p.fair_id, p.id`,
      [siteId, fairIds],
    ),
    db.$client.query<FairLedgerPlay & { fairId: number }>(
      `select f.id as "fairId", p.screen_id as "screenId", s.name as "screenName", p.render_id as "renderId",
              p.job_ids as "jobIds", p.started_at as "startedAt", p.ended_at as "endedAt",
              p.played_ms as "playedMs", p.completed
         from fairs f
         join screen_plays p on p.group_id = f.group_id and p.site_id = f.site_id
                            and p.started_at >= f.starts_at and p.started_at < f.ends_at
                            and cardinality(p.job_ids) > 0
         left join screens s on s.id = p.screen_id
        where f.site_id = $1 and f.id = any($2::int[])
        order by f.id, p.started_at, p.id`,
      [siteId, fairIds],
    ),
  ]);
  for (const { id } of fairs.rows) details.set(id, { employers: [], photos: [], plays: [] });
  for (const { fairId, ...employer } of employers.rows) details.get(fairId)?.employers.push(employer);
  for (const { fairId, ...photo } of photos.rows) details.get(fairId)?.photos.push(photo);
  for (const { fairId, ...play } of plays.rows) details.get(fairId)?.plays.push(play);
  return details;
}
