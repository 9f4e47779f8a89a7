import { JobcastError, type RenderKind } from '@jobcast/core';
import type { CheckedPlay } from '@jobcast/screens';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from './client.ts';
import {
  type PlaylistMode,
  type PlayWindow,
  type Screen,
  type ScreenBeat,
  type ScreenGroup,
  screenGroupItems,
  screenGroups,
  screenPairings,
  type screenPlays,
  screens,
} from './schema/index.ts';

export type { PlaylistMode, PlayWindow, Screen, ScreenBeat, ScreenGroup };

/** A screen is offline once it has missed three one-minute heartbeats. */
export const SCREEN_OFFLINE_AFTER_MS = 3 * 60_000;

const MAX_NAME_CHARS = 40;

function bad(field: string, message: string): never {
  throw new JobcastError('BAD_INPUT', message, { field });
}

function cleanName(raw: string, field: string, what: string): string {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (!name) bad(field, `${what}不能为空`);
  if ([...name].length > MAX_NAME_CHARS) {
    bad(field, `${what}最多 ${MAX_NAME_CHARS} 个字`);
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Groups and their playlists

export async function createScreenGroup(
  db: Database,
  input: { siteId: number; name: string; mode?: PlaylistMode; windows?: PlayWindow[]; autoLimit?: number },
): Promise<ScreenGroup> {
  const name = cleanName(input.name, 'name', '分组名称');
  const [row] = await db
    .insert(screenGroups)
    .values({
      siteId: input.siteId,
      name,
      mode: input.mode ?? 'auto',
      windows: input.windows ?? [],
      autoLimit: input.autoLimit ?? 20,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    throw new JobcastError('CONFLICT', `已有名为“${name}”的屏幕分组`, {
      field: 'name',
    });
  }
  return row;
}

/** The group of this name, made if the site has none. */
export async function ensureScreenGroup(db: Database, siteId: number, name: string): Promise<ScreenGroup> {
  const clean = cleanName(name, 'name', '分组名称');
  await db.insert(screenGroups).values({ siteId, name: clean }).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(screenGroups)
    .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.name, clean)));
  if (!row) throw new Error(`screen group ${clean} vanished`);
  return row;
}

export async function listScreenGroups(db: Database, siteId: number): Promise<ScreenGroup[]> {
  return db.select().from(screenGroups).where(eq(screenGroups.siteId, siteId)).orderBy(asc(screenGroups.id));
}

export async function getScreenGroup(db: Database, siteId: number, groupId: number): Promise<ScreenGroup> {
  const [row] = await db
    .select()
    .from(screenGroups)
    .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.id, groupId)));
  if (!row) throw new JobcastError('NOT_FOUND', `屏幕分组 ${groupId} 不存在`);
  return row;
}

/** A group by id (a number) or by name. */
export async function findScreenGroup(db: Database, siteId: number, idOrName: string): Promise<ScreenGroup> {
  const text = idOrName.trim();
  if (/^\d+$/.test(text)) return getScreenGroup(db, siteId, Number(text));
  const [row] = await db
    .select()
    .from(screenGroups)
    .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.name, text)));
  if (!row) throw new JobcastError('NOT_FOUND', `没有名为“${text}”的屏幕分组`);
  return row;
}

export async function updateScreenGroup(
  db: Database,
  siteId: number,
  groupId: number,
  change: { name?: string; mode?: PlaylistMode; windows?: PlayWindow[]; autoLimit?: number },
): Promise<ScreenGroup> {
  const values: Partial<typeof screenGroups.$inferInsert> = { updatedAt: new Date() };
  if (change.name !== undefined) values.name = cleanName(change.name, 'name', '分组名称');
  if (change.mode !== undefined) values.mode = change.mode;
  if (change.windows !== undefined) values.windows = change.windows;
  if (change.autoLimit !== undefined) values.autoLimit = change.autoLimit;
  const [row] = await db
    .update(screenGroups)
    .set(values)
    .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.id, groupId)))
    .returning();
  if (!row) throw new JobcastError('NOT_FOUND', `屏幕分组 ${groupId} 不存在`);
  return row;
}

/** Puts a livestream on the group's screens while it is on air (null takes it off). */
export async function setScreenGroupLive(
  db: Database,
  siteId: number,
  groupId: number,
  liveSessionId: number | null,
): Promise<ScreenGroup> {
  if (liveSessionId !== null) {
    const { rows } = await db.$client.query('select 1 from live_sessions where id = $1 and site_id = $2', [
      liveSessionId,
      siteId,
    ]);
    if (rows.length === 0) {
      throw new JobcastError('NOT_FOUND', `直播场次 ${liveSessionId} 不存在`);
    }
  }
  const [row] = await db
    .update(screenGroups)
    .set({ liveSessionId, updatedAt: new Date() })
    .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.id, groupId)))
    .returning();
  if (!row) throw new JobcastError('NOT_FOUND', `屏幕分组 ${groupId} 不存在`);
  return row;
}

/**
 * Videos that may be put on a playlist by hand: the site's finished videos. Every id must be one;
 * the error names the first that is not.
 */
async function checkPlayableRenders(db: Database, siteId: number, renderIds: number[], field: string): Promise<void> {
  if (renderIds.length === 0) return;
  const { rows } = await db.$client.query<{ id: number }>(
    `select id from renders where site_id = $1 and id = any($2::int[]) and kind = 'video' and status = 'done'`,
    [siteId, renderIds],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = renderIds.find((id) => !found.has(id));
  if (missing !== undefined) {
    bad(field, `制作任务 ${missing} 不是本站已完成的视频`);
  }
}

/** Replaces a group's manual playlist with these videos, in this order. */
export async function setScreenGroupItems(
  db: Database,
  siteId: number,
  groupId: number,
  renderIds: number[],
): Promise<void> {
  await getScreenGroup(db, siteId, groupId);
  await checkPlayableRenders(db, siteId, renderIds, 'renderIds');
  await db.transaction(async (tx) => {
    // The group's row locked first: two saves at once leave one list or the other, never both merged.
    // (No key update: screens and plays of the group may still be written meanwhile.)
    const [locked] = await tx
      .select({ id: screenGroups.id })
      .from(screenGroups)
      .where(and(eq(screenGroups.siteId, siteId), eq(screenGroups.id, groupId)))
      .for('no key update');
    if (!locked) throw new JobcastError('NOT_FOUND', `屏幕分组 ${groupId} 不存在`);
    await tx.delete(screenGroupItems).where(eq(screenGroupItems.groupId, groupId));
    if (renderIds.length > 0) {
      await tx
        .insert(screenGroupItems)
        .values(renderIds.map((renderId, position) => ({ groupId, position, renderId })));
    }
    await tx.update(screenGroups).set({ updatedAt: new Date() }).where(eq(screenGroups.id, groupId));
  });
}

/** One video a screen can play, as a manifest lists it. */
export interface PlayableVideo {
  renderId: number;
  kind: RenderKind;
  template: string;
  /** The request as made (a policy explainer's title is in it). */
  request: Record<string, unknown>;
  jobIds: number[];
  outputKey: string;
  outputSha256: string | null;
  bytes: number | null;
  durationS: number | null;
  captionsKey: string | null;
  createdAt: Date;
}

const PLAYABLE_COLUMNS = `r.id as "renderId", r.kind::text as kind, r.template, r.request, r.job_ids as "jobIds", r.output_key as "outputKey",
  r.output_sha256 as "outputSha256", r.bytes, r.duration_s as "durationS", r.captions_key as "captionsKey",
  r.created_at as "createdAt"`;

/**
 * The automatic playlist: the newest finished job videos whose jobs are all still open on `today`
 * (no end date, or one on or after today): a job's video leaves the list when the job expires.
 * Only the newest video of the same jobs is kept.
 */
export async function autoPlaylist(
  db: Database,
  input: { siteId: number; today: string; limit: number; employerIds?: number[]; jobIds?: number[] },
): Promise<PlayableVideo[]> {
  const { rows } = await db.$client.query<PlayableVideo>(
    `select * from (
       select distinct on (r.job_ids) ${PLAYABLE_COLUMNS}
         from renders r
        where r.site_id = $1 and r.kind = 'video' and r.status = 'done' and r.output_key is not null
          and cardinality(r.job_ids) > 0
          and not exists (
            select 1 from unnest(r.job_ids) as shown(job_id)
             left join jobs j on j.id = shown.job_id and j.site_id = r.site_id
             where j.id is null or (j.valid_until is not null and j.valid_until < $2::date))
          and ($4::int[] is null or exists (
            select 1 from jobs j where j.id = any(r.job_ids) and j.employer_id = any($4::int[])))
          and ($5::int[] is null or r.job_ids && $5::int[])
        order by r.job_ids, r.created_at desc, r.id desc) newest
      order by "createdAt" desc, "renderId" desc
      limit $3`,
    [input.siteId, input.today, input.limit, input.employerIds ?? null, input.jobIds ?? null],
  );
  return rows;
}

/** A manual list's videos, in order; a video no longer finished (its render re-run and failed) is left out. */
export async function manualPlaylist(db: Database, groupId: number): Promise<PlayableVideo[]> {
  const { rows } = await db.$client.query<PlayableVideo>(
    `select ${PLAYABLE_COLUMNS}
       from screen_group_items i join renders r on r.id = i.render_id
      where i.group_id = $1 and r.status = 'done' and r.output_key is not null
      order by i.position`,
    [groupId],
  );
  return rows;
}

/** A fair's own list, in order. */
export async function fairPlaylist(db: Database, fairId: number): Promise<PlayableVideo[]> {
  const { rows } = await db.$client.query<PlayableVideo>(
    `select ${PLAYABLE_COLUMNS}
       from fair_playlist_items i join renders r on r.id = i.render_id
      where i.fair_id = $1 and r.status = 'done' and r.output_key is not null
      order by i.position`,
    [fairId],
  );
  return rows;
}

export async function saveRenderChecksum(db: Database, renderId: number, sha256: string): Promise<void> {
  await db.$client.query('update renders set output_sha256 = $2 where id = $1', [renderId, sha256]);
}

/** A group's fairs that have not ended by `from` and start before `to`, for a manifest's overrides. */
export async function fairsOfGroup(
  db: Database,
  groupId: number,
  from: Date,
  to: Date,
): Promise<{ id: number; title: string; startsAt: Date; endsAt: Date; employerIds: number[]; jobIds: number[] }[]> {
  const { rows } = await db.$client.query(
    `select f.id, f.title, f.starts_at as "startsAt", f.ends_at as "endsAt",
            coalesce(array_agg(e.employer_id) filter (where e.employer_id is not null), '{}') as "employerIds",
            coalesce((select array_agg(distinct j) from fair_employers e2, unnest(e2.job_ids) j
                       where e2.fair_id = f.id), '{}') as "jobIds"
       from fairs f left join fair_employers e on e.fair_id = f.id
      where f.group_id = $1 and f.ends_at > $2 and f.starts_at < $3
      group by f.id order by f.starts_at`,
    [groupId, from, to],
  );
  return rows;
}

/** The livestream a group shows, when it has one set and that session is on air now. */
export async function liveOnGroup(
  db: Database,
  groupId: number,
): Promise<{ sessionId: number; title: string; status: string; overlayToken: string } | null> {
  const { rows } = await db.$client.query<{ sessionId: number; title: string; status: string; overlayToken: string }>(
    `select s.id as "sessionId", s.title, s.status::text as status, s.overlay_token as "overlayToken"
       from screen_groups g join live_sessions s on s.id = g.live_session_id
      where g.id = $1`,
    [groupId],
  );
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Pairing

export const PAIRING_MINUTES = 10;
/** Codes one address may ask for in ten minutes (other players than the one asking again). */
export const PAIRINGS_PER_ADDRESS = 30;

/**
 * Starts (or restarts) a pairing for a player holding a token whose hash is `tokenHash`: a new
 * six-digit code not used by another pairing still open. A player asking again gets a new code.
 */
export async function startScreenPairing(
  db: Database,
  input: { tokenHash: string; clientAddress: string | null; code: () => string; now?: Date },
): Promise<{ code: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + PAIRING_MINUTES * 60_000);
  const { rows: paired } = await db.$client.query('select 1 from screens where token_hash = $1', [input.tokenHash]);
  if (paired.length > 0) {
    throw new JobcastError('CONFLICT', '这块屏幕已配对，无需再次配对');
  }
  // Codes never used are of no interest after a day; and one address asking for codes again and
  // again is not a screen being set up (a hall sets up a few at a time).
  await db.$client.query(
    `delete from screen_pairings where used_at is null and expires_at < $1::timestamptz - interval '1 day'`,
    [now],
  );
  if (input.clientAddress) {
    const { rows } = await db.$client.query<{ n: number }>(
      `select count(*)::int as n from screen_pairings
        where client_address = $1 and created_at > $2::timestamptz - interval '10 minutes' and token_hash <> $3`,
      [input.clientAddress, now, input.tokenHash],
    );
    if ((rows[0]?.n ?? 0) >= PAIRINGS_PER_ADDRESS) {
      throw new JobcastError('RATE_LIMITED', `这个地址 10 分钟内已申请 ${PAIRINGS_PER_ADDRESS} 个配对码，请稍后再试`, {
        retryAfterSeconds: 600,
      });
    }
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = input.code();
    const { rows: open } = await db.$client.query(
      'select 1 from screen_pairings where code = $1 and used_at is null and expires_at > $2 and token_hash <> $3',
      [code, now, input.tokenHash],
    );
    if (open.length > 0) continue;
    await db.$client.query(
      `insert into screen_pairings (code, token_hash, expires_at, client_address, created_at)
       values ($1, $2, $3, $4, $5)
       on conflict (token_hash) do update
         set code = excluded.code, expires_at = excluded.expires_at, client_address = excluded.client_address,
             created_at = excluded.created_at
         where screen_pairings.used_at is null`,
      [code, input.tokenHash, expiresAt, input.clientAddress, now],
    );
    return { code, expiresAt };
  }
  throw new Error('no free pairing code after 20 attempts');
}

/**
 * Pairs the player that shows `code`: makes the screen in the group with this name. A wrong code,
 * one whose ten minutes are over and one already used are each refused with their own reason.
 */
export async function confirmScreenPairing(
  db: Database,
  input: { siteId: number; code: string; groupId: number; name: string; userId: number | null; now?: Date },
): Promise<Screen> {
  const now = input.now ?? new Date();
  const code = input.code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) bad('code', '配对码是屏幕上显示的 6 位数字');
  const name = cleanName(input.name, 'name', '屏幕名称');
  await getScreenGroup(db, input.siteId, input.groupId);
  return db.transaction(async (tx) => {
    // The newest pairing with this code decides: codes are reused once their ten minutes are over.
    const [newest] = await tx
      .select()
      .from(screenPairings)
      .where(eq(screenPairings.code, code))
      .orderBy(desc(screenPairings.createdAt), desc(screenPairings.id))
      .limit(1)
      .for('update');
    if (!newest) bad('code', `配对码 ${code} 不对，请核对屏幕上显示的数字`);
    if (newest.usedAt) {
      throw new JobcastError('CONFLICT', `配对码 ${code} 已经用过，请在屏幕上重新获取配对码`, {
        field: 'code',
      });
    }
    if (newest.expiresAt <= now) {
      throw new JobcastError(
        'RULE_VIOLATED',
        `配对码 ${code} 已过期（有效 ${PAIRING_MINUTES} 分钟），请刷新屏幕获取新码`,
        { field: 'code' },
      );
    }
    const open = newest;
    const [screen] = await tx
      .insert(screens)
      .values({
        siteId: input.siteId,
        groupId: input.groupId,
        name,
        tokenHash: open.tokenHash,
        pairedAt: now,
        pairedBy: input.userId,
        lastAddress: open.clientAddress,
      })
      .returning();
    if (!screen) throw new Error('screen insert returned nothing');
    await tx.update(screenPairings).set({ usedAt: now, screenId: screen.id }).where(eq(screenPairings.id, open.id));
    return screen;
  });
}

/**
 * A screen made without a code, for a token made here and shown once as a pairing link (the demo,
 * or a TV box nobody can read a code off): the player opened at the link keeps the token.
 */
export async function addScreenWithToken(
  db: Database,
  input: { siteId: number; groupId: number; name: string; tokenHash: string; userId: number | null; pairedAt?: Date },
): Promise<Screen> {
  const name = cleanName(input.name, 'name', '屏幕名称');
  await getScreenGroup(db, input.siteId, input.groupId);
  const [screen] = await db
    .insert(screens)
    .values({
      siteId: input.siteId,
      groupId: input.groupId,
      name,
      tokenHash: input.tokenHash,
      pairedBy: input.userId,
      pairedAt: input.pairedAt ?? new Date(),
    })
    .returning();
  if (!screen) throw new Error('screen insert returned nothing');
  return screen;
}

/** What a player waiting to be paired learns: still waiting, paired (and as what), or its code ran out. */
export async function screenPairingState(
  db: Database,
  tokenHash: string,
  now = new Date(),
): Promise<{ state: 'waiting' | 'expired' | 'unknown'; code?: string } | { state: 'paired'; screen: Screen }> {
  const screen = await findScreenByTokenHash(db, tokenHash);
  if (screen) return { state: 'paired', screen };
  const [pairing] = await db.select().from(screenPairings).where(eq(screenPairings.tokenHash, tokenHash));
  if (!pairing || pairing.usedAt) return { state: 'unknown' };
  if (pairing.expiresAt <= now) return { state: 'expired', code: pairing.code };
  return { state: 'waiting', code: pairing.code };
}

/** The paired, unrevoked screen holding this token. */
export async function findScreenByTokenHash(db: Database, tokenHash: string): Promise<Screen | null> {
  const [row] = await db
    .select()
    .from(screens)
    .where(and(eq(screens.tokenHash, tokenHash), isNull(screens.revokedAt)));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Screens

export interface ScreenListing extends Screen {
  groupName: string;
  online: boolean;
}

export async function listScreens(db: Database, siteId: number, now = new Date()): Promise<ScreenListing[]> {
  const rows = await db
    .select({ screen: screens, groupName: screenGroups.name })
    .from(screens)
    .innerJoin(screenGroups, eq(screenGroups.id, screens.groupId))
    .where(eq(screens.siteId, siteId))
    .orderBy(asc(screenGroups.name), asc(screens.name), asc(screens.id));
  return rows.map(({ screen, groupName }) => ({ ...screen, groupName, online: isOnline(screen, now) }));
}

export function isOnline(screen: Pick<Screen, 'lastSeenAt' | 'revokedAt'>, now = new Date()): boolean {
  return (
    !screen.revokedAt &&
    screen.lastSeenAt !== null &&
    now.getTime() - screen.lastSeenAt.getTime() < SCREEN_OFFLINE_AFTER_MS
  );
}

export async function getScreen(db: Database, siteId: number, screenId: number): Promise<ScreenListing> {
  const found = (await listScreens(db, siteId)).find((s) => s.id === screenId);
  if (!found) throw new JobcastError('NOT_FOUND', `屏幕 ${screenId} 不存在`);
  return found;
}

export async function updateScreen(
  db: Database,
  siteId: number,
  screenId: number,
  change: { name?: string; groupId?: number },
): Promise<Screen> {
  const values: Partial<typeof screens.$inferInsert> = {};
  if (change.name !== undefined) values.name = cleanName(change.name, 'name', '屏幕名称');
  if (change.groupId !== undefined) {
    await getScreenGroup(db, siteId, change.groupId);
    values.groupId = change.groupId;
  }
  const [row] = await db
    .update(screens)
    .set(values)
    .where(and(eq(screens.siteId, siteId), eq(screens.id, screenId)))
    .returning();
  if (!row) throw new JobcastError('NOT_FOUND', `屏幕 ${screenId} 不存在`);
  return row;
}

/** Stops the screen's token at once; its plays stay. */
export async function revokeScreen(db: Database, siteId: number, screenId: number, now = new Date()): Promise<Screen> {
  const [row] = await db
    .update(screens)
    .set({ revokedAt: now })
    .where(and(eq(screens.siteId, siteId), eq(screens.id, screenId), isNull(screens.revokedAt)))
    .returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(screens)
    .where(and(eq(screens.siteId, siteId), eq(screens.id, screenId)));
  if (!existing) throw new JobcastError('NOT_FOUND', `屏幕 ${screenId} 不存在`);
  return existing;
}

/** One statement per beat: the bench's 200 screens each send one a minute. */
export async function recordScreenBeat(
  db: Database,
  screenId: number,
  beat: ScreenBeat,
  address: string | null,
  now = new Date(),
): Promise<void> {
  await db.$client.query('update screens set last_seen_at = $2, last_beat = $3, last_address = $4 where id = $1', [
    screenId,
    now,
    JSON.stringify(beat),
    address,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Plays

/**
 * A play as it is stored: as checkPlays (@jobcast/screens) accepted it, times already moved by the
 * screen's clock offset; the group the screen is in when `groupId` is absent.
 */
export type NewScreenPlay = Omit<CheckedPlay, 'groupId'> & { groupId?: number };

/**
 * Stores a batch of a screen's plays in one statement; a play id the screen sent before is not
 * stored again. Returns the play ids stored now.
 */
export async function insertScreenPlays(
  db: Database,
  screen: Pick<Screen, 'id' | 'siteId' | 'groupId'>,
  plays: NewScreenPlay[],
  receivedAt = new Date(),
): Promise<string[]> {
  if (plays.length === 0) return [];
  const { rows } = await db.$client.query<{ play_id: string }>(
    `insert into screen_plays (site_id, screen_id, group_id, play_id, render_id, job_ids, started_at, ended_at,
                               played_ms, completed, clock_offset_ms, received_at)
     select $1, $2, p.group_id, p.play_id, p.render_id, coalesce(p.job_ids, '{}'), p.started_at, p.ended_at, p.played_ms,
            p.completed, p.clock_offset_ms, $4
       from jsonb_to_recordset($3::jsonb) as p(group_id int, play_id text, render_id int, job_ids int[],
            started_at timestamptz, ended_at timestamptz, played_ms int, completed boolean, clock_offset_ms bigint)
     on conflict (screen_id, play_id) do nothing
     returning play_id`,
    [
      screen.siteId,
      screen.id,
      JSON.stringify(
        plays.map((p) => ({
          group_id: p.groupId ?? screen.groupId,
          play_id: p.playId,
          render_id: p.renderId,
          job_ids: p.jobIds,
          started_at: p.startedAt.toISOString(),
          ended_at: p.endedAt.toISOString(),
          played_ms: p.playedMs,
          completed: p.completed,
          clock_offset_ms: p.clockOffsetMs,
        })),
      ),
      receivedAt,
    ],
  );
  return rows.map((r) => r.play_id);
}

export type PlayTally = { key: string; plays: number; completed: number };

/**
 * Plays of the site between two instants, counted by screen, by video, by job and by day (site
 * time): what the console's 播放记录 shows.
 */
export async function tallyScreenPlays(
  db: Database,
  input: { siteId: number; from: Date; to: Date; timeZone: string; screenId?: number },
): Promise<{ byScreen: PlayTally[]; byVideo: PlayTally[]; byJob: PlayTally[]; byDay: PlayTally[]; total: PlayTally }> {
  // Every statement names $4 (the time zone) so PostgreSQL knows its type, though only by-day uses it.
  const where = `site_id = $1 and started_at >= $2 and started_at < $3 and ($5::int is null or screen_id = $5)
    and $4::text is not null`;
  const count = `count(*)::int as plays, count(*) filter (where completed)::int as completed`;
  const args = [input.siteId, input.from, input.to, input.timeZone, input.screenId ?? null];
  const query = async (key: string, from = 'screen_plays') =>
    (
      await db.$client.query<PlayTally>(
        `select ${key} as key, ${count} from ${from} where ${where} group by 1 order by 1`,
        args,
      )
    ).rows;
  const [byScreen, byVideo, byJob, byDay, total] = await Promise.all([
    query('screen_id::text'),
    query('render_id::text'),
    query('job_id::text', 'screen_plays cross join unnest(job_ids) as job_id'),
    query(`to_char(started_at at time zone $4, 'YYYY-MM-DD')`),
    db.$client.query<PlayTally>(`select 'all' as key, ${count} from screen_plays where ${where}`, args),
  ]);
  return { byScreen, byVideo, byJob, byDay, total: total.rows[0] ?? { key: 'all', plays: 0, completed: 0 } };
}

/** A screen's latest plays, newest first. */
export async function recentScreenPlays(
  db: Database,
  siteId: number,
  input: { screenId?: number; limit: number },
): Promise<(typeof screenPlays.$inferSelect)[]> {
  const { rows } = await db.$client.query(
    `select id, site_id as "siteId", screen_id as "screenId", group_id as "groupId", play_id as "playId",
            render_id as "renderId", job_ids as "jobIds", started_at as "startedAt", ended_at as "endedAt",
            played_ms as "playedMs", completed, clock_offset_ms as "clockOffsetMs", received_at as "receivedAt"
       from screen_plays where site_id = $1 and ($2::int is null or screen_id = $2)
      order by started_at desc, id desc limit $3`,
    [siteId, input.screenId ?? null, input.limit],
  );
  return rows;
}

/**
 * What an AI fair's verdict needs from the screens: completed plays of job videos on the fair's
 * screen group between its start and end, and how many distinct videos those were. One row per fair.
 */
export async function fairPlayCounts(
  db: Database,
  fairIds: number[],
): Promise<Map<number, { completedPlays: number; videosPlayed: number; plays: number }>> {
  const counts = new Map<number, { completedPlays: number; videosPlayed: number; plays: number }>();
  if (fairIds.length === 0) return counts;
  const { rows } = await db.$client.query<{ id: number; completedPlays: number; videosPlayed: number; plays: number }>(
    `select f.id,
            count(p.id) filter (where p.completed)::int as "completedPlays",
            count(distinct p.render_id) filter (where p.completed)::int as "videosPlayed",
            count(p.id)::int as plays
       from fairs f
       left join screen_plays p on p.group_id = f.group_id and p.site_id = f.site_id
                               and p.started_at >= f.starts_at and p.started_at < f.ends_at
                               and cardinality(p.job_ids) > 0
      where f.id = any($1::int[])
      group by f.id`,
    [fairIds],
  );
  for (const row of rows) counts.set(row.id, row);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Console and API queries

const WEEKDAY_NAMES = ['一', '二', '三', '四', '五', '六', '日'];
const MAX_PLAY_WINDOWS = 20;
const AUTO_LIMIT_MAX = 100;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Weekdays as a person says them: 每天, 周一至周五, 周六、周日. */
export function weekdaysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return '每天';
  const runs: number[][] = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) =>
      run.length >= 3
        ? `周${WEEKDAY_NAMES[(run[0] ?? 1) - 1]}至周${WEEKDAY_NAMES[(run.at(-1) ?? 1) - 1]}`
        : run.map((day) => `周${WEEKDAY_NAMES[day - 1] ?? day}`).join('、'),
    )
    .join('、');
}

/** A play window as a person reads it: 周一至周五 08:30–17:30. */
export function playWindowText(window: PlayWindow): string {
  return `${weekdaysText(window.days)} ${window.from}–${window.to}`;
}

/**
 * A group's play windows checked and tidied (each window's days sorted, once each): weekdays 1–7
 * (Monday … Sunday), times HH:MM on the site's clock, the start before the end on the same day.
 * A refusal names the window (第 2 个播放时段) and what is wrong with it.
 */
export function checkPlayWindows(windows: readonly PlayWindow[], field = 'windows'): PlayWindow[] {
  if (windows.length > MAX_PLAY_WINDOWS) {
    bad(field, `播放时段最多 ${MAX_PLAY_WINDOWS} 个`);
  }
  return windows.map((window, i) => {
    const where = `第 ${i + 1} 个播放时段`;
    const at = `${field}[${i}]`;
    const days = Array.isArray(window.days) ? window.days : [];
    if (days.length === 0) bad(at, `${where}没有选星期几`);
    const wrong = days.find((day) => !Number.isInteger(day) || day < 1 || day > 7);
    if (wrong !== undefined) {
      bad(at, `${where}的星期须为 1–7（1 是周一，7 是周日），不能是 ${String(wrong).slice(0, 10)}`);
    }
    const named = `${where}（${weekdaysText(days)}）`;
    for (const [value, label] of [
      [window.from, '开始时间'],
      [window.to, '结束时间'],
    ] as const) {
      if (typeof value !== 'string' || !HH_MM.test(value)) {
        bad(at, `${named}的${label}须为 时:分，如 08:30，不能是“${String(value ?? '').slice(0, 10)}”`);
      }
    }
    if (window.from >= window.to) {
      bad(at, `${named}的开始时间 ${window.from} 须早于结束时间 ${window.to}；跨过午夜请分成两个时段`);
    }
    return { days: [...new Set(days)].sort((a, b) => a - b), from: window.from, to: window.to };
  });
}

export interface ScreenGroupSettings {
  name?: string;
  mode?: PlaylistMode;
  autoLimit?: number;
  windows?: PlayWindow[];
}

/** A group's settings checked: windows as `checkPlayWindows` says, an automatic list of 1–100 videos. */
export function checkScreenGroupSettings<T extends ScreenGroupSettings>(settings: T): T {
  const checked = { ...settings };
  if (settings.mode !== undefined && settings.mode !== 'auto' && settings.mode !== 'manual') {
    bad('mode', '节目单方式须为自动或手动');
  }
  if (
    settings.autoLimit !== undefined &&
    (!Number.isInteger(settings.autoLimit) || settings.autoLimit < 1 || settings.autoLimit > AUTO_LIMIT_MAX)
  ) {
    bad('autoLimit', `自动节目单的视频数须为 1–${AUTO_LIMIT_MAX} 之间的整数`);
  }
  if (settings.windows !== undefined) checked.windows = checkPlayWindows(settings.windows);
  return checked;
}

/** `updateScreenGroup` with the settings checked first. */
export async function configureScreenGroup(
  db: Database,
  siteId: number,
  groupId: number,
  change: ScreenGroupSettings,
): Promise<ScreenGroup> {
  const checked = checkScreenGroupSettings(change);
  if (checked.name !== undefined) {
    const name = cleanName(checked.name, 'name', '分组名称');
    const { rows } = await db.$client.query(
      'select 1 from screen_groups where site_id = $1 and name = $2 and id <> $3',
      [siteId, name, groupId],
    );
    if (rows.length > 0) {
      throw new JobcastError('CONFLICT', `已有名为“${name}”的屏幕分组`, {
        field: 'name',
      });
    }
  }
  return updateScreenGroup(db, siteId, groupId, checked);
}

/** A livestream a group's screens may show: booked and not yet missed, live, or interrupted. */
export interface ScreenLiveChoice {
  id: number;
  title: string;
  status: 'booked' | 'live' | 'interrupted' | 'ended';
  slotStart: Date;
  slotEnd: Date;
}

/** The site's livestreams that may still go (or are) on air, soonest first: what a group may show. */
export async function screenLiveChoices(db: Database, siteId: number, now = new Date()): Promise<ScreenLiveChoice[]> {
  const { rows } = await db.$client.query<ScreenLiveChoice>(
    `select id, title, status::text as status, slot_start as "slotStart", slot_end as "slotEnd"
       from live_sessions
      where site_id = $1 and (status in ('live', 'interrupted') or (status = 'booked' and slot_end > $2))
      order by slot_start, id limit 50`,
    [siteId, now],
  );
  return rows;
}

/** The livestreams these groups are set to show, whatever their status now, by session id. */
export async function screenGroupLiveSessions(
  db: Database,
  siteId: number,
  sessionIds: number[],
): Promise<Map<number, ScreenLiveChoice>> {
  if (sessionIds.length === 0) return new Map();
  const { rows } = await db.$client.query<ScreenLiveChoice>(
    `select id, title, status::text as status, slot_start as "slotStart", slot_end as "slotEnd"
       from live_sessions where site_id = $1 and id = any($2::int[])`,
    [siteId, sessionIds],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * `setScreenGroupLive` for a session that can still be shown: one that has ended (or whose booked
 * slot went by unused) is refused with why; null takes the livestream off.
 */
export async function putLiveOnScreenGroup(
  db: Database,
  siteId: number,
  groupId: number,
  liveSessionId: number | null,
  now = new Date(),
): Promise<ScreenGroup> {
  if (liveSessionId !== null) {
    const session = (await screenGroupLiveSessions(db, siteId, [liveSessionId])).get(liveSessionId);
    if (!session) {
      throw new JobcastError('NOT_FOUND', `直播场次 ${liveSessionId} 不存在`, {
        field: 'sessionId',
      });
    }
    const missed = session.status === 'booked' && session.slotEnd <= now;
    if (session.status === 'ended' || missed) {
      throw new JobcastError(
        'RULE_VIOLATED',
        `直播 #${session.id}「${session.title}」${missed ? '的预约时段已过，没有开播' : '已经结束'}，不能放到屏幕上`,
        { field: 'sessionId' },
      );
    }
  }
  return setScreenGroupLive(db, siteId, groupId, liveSessionId);
}

/** A render as the screens' pages name it (its template and jobs make its title). */
export interface ScreenVideo {
  id: number;
  kind: 'video' | 'poster' | 'flyer';
  status: string;
  template: string;
  jobIds: number[];
  request: Record<string, unknown>;
  durationS: number | null;
  createdAt: Date;
}

const SCREEN_VIDEO_COLUMNS = `id, kind::text as kind, status::text as status, template, job_ids as "jobIds", request,
  duration_s as "durationS", created_at as "createdAt"`;

/** The site's finished videos, newest first: what a manual playlist is chosen from. */
export async function listFinishedVideos(db: Database, siteId: number, limit = 100): Promise<ScreenVideo[]> {
  const { rows } = await db.$client.query<ScreenVideo>(
    `select ${SCREEN_VIDEO_COLUMNS} from renders
      where site_id = $1 and kind = 'video' and status = 'done' and output_key is not null
      order by created_at desc, id desc limit $2`,
    [siteId, limit],
  );
  return rows;
}

/** Renders of the site by id (any the site does not have are left out). */
export async function rendersOfSite(db: Database, siteId: number, ids: readonly number[]): Promise<ScreenVideo[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.$client.query<ScreenVideo>(
    `select ${SCREEN_VIDEO_COLUMNS} from renders where site_id = $1 and id = any($2::int[])`,
    [siteId, [...new Set(ids)]],
  );
  return rows;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TALLY_DAYS = 366;

/**
 * `tallyScreenPlays` over site days: from `from` to `to`, both included (YYYY-MM-DD on the site's
 * clock); by default this week, Monday to Sunday. The answer says which days it covers.
 */
export async function screenPlayTallies(
  db: Database,
  input: { siteId: number; timeZone: string; from?: string; to?: string; screenId?: number; now?: Date },
): Promise<{ from: string; to: string } & Awaited<ReturnType<typeof tallyScreenPlays>>> {
  for (const [field, value] of [
    ['from', input.from],
    ['to', input.to],
  ] as const) {
    if (value !== undefined && (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
      bad(field, `${field === 'from' ? '开始日期' : '结束日期'}须为 年-月-日，如 2026-03-02`);
    }
    if (value !== undefined && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      bad(field, `没有这一天：${value}`);
    }
  }
  const { rows } = await db.$client.query<{ from: string; to: string; start: Date; end: Date; days: number }>(
    `with today as (select ($1::timestamptz at time zone $2)::date as d),
          range as (select coalesce($3::date, date_trunc('week', d)::date) as f,
                           coalesce($4::date, coalesce($3::date, date_trunc('week', d)::date) + 6) as t from today)
     select to_char(f, 'YYYY-MM-DD') as "from", to_char(t, 'YYYY-MM-DD') as "to",
            f::timestamp at time zone $2 as start, (t + 1)::timestamp at time zone $2 as "end", t - f + 1 as days
       from range`,
    [input.now ?? new Date(), input.timeZone, input.from ?? null, input.to ?? null],
  );
  const range = rows[0];
  if (!range) throw new Error('no date range');
  if (range.days < 1) bad('to', `结束日期 ${range.to} 早于开始日期 ${range.from}`);
  if (range.days > MAX_TALLY_DAYS) {
    bad('to', `一次最多查 ${MAX_TALLY_DAYS} 天的播放记录`);
  }
  const tallies = await tallyScreenPlays(db, {
    siteId: input.siteId,
    from: range.start,
    to: range.end,
    timeZone: input.timeZone,
    ...(input.screenId === undefined ? {} : { screenId: input.screenId }),
  });
  return { from: range.from, to: range.to, ...tallies };
}

/** The site's finished videos among `renderIds` (what a screen may fetch and report plays of). */
export async function playableVideosOf(db: Database, siteId: number, renderIds: number[]): Promise<PlayableVideo[]> {
  if (renderIds.length === 0) return [];
  const { rows } = await db.$client.query<PlayableVideo>(
    `select ${PLAYABLE_COLUMNS} from renders r
      where r.site_id = $1 and r.id = any($2::int[]) and r.kind = 'video' and r.status = 'done'
        and r.output_key is not null`,
    [siteId, renderIds],
  );
  return rows;
}
