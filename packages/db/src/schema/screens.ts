import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { liveSessions } from './live.ts';
import { renders } from './renders.ts';
import { sites } from './sites.ts';
import { users } from './users.ts';

/** When a group's screens play: on these weekdays (1 = Monday … 7 = Sunday), from `from` until `to` (HH:MM, site time). */
export interface PlayWindow {
  days: number[];
  from: string;
  to: string;
}

export const playlistModes = ['auto', 'manual'] as const;
export type PlaylistMode = (typeof playlistModes)[number];
export const playlistMode = pgEnum('playlist_mode', playlistModes);

/**
 * Screens that stand together (大厅, 零工驿站, 招聘会场 …) and play one playlist: the newest videos of
 * open jobs (auto) or the media team's own order (manual), inside its play windows (none: always).
 * While `liveSessionId` is set and that session is on air, its preview plays instead.
 */
export const screenGroups = pgTable(
  'screen_groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    name: text('name').notNull(),
    mode: playlistMode('mode').notNull().default('auto'),
    /** How many videos an automatic playlist holds. */
    autoLimit: integer('auto_limit').notNull().default(20),
    windows: jsonb('windows').$type<PlayWindow[]>().notNull().default([]),
    liveSessionId: integer('live_session_id').references(() => liveSessions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('screen_groups_site_name_idx').on(t.siteId, t.name)],
);

/** A manual playlist's videos, in order. */
export const screenGroupItems = pgTable(
  'screen_group_items',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => screenGroups.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    renderId: integer('render_id')
      .notNull()
      .references(() => renders.id),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.position] })],
);

/** What a screen last said in its heartbeat. */
export interface ScreenBeat {
  manifestVersion: string | null;
  /** The render playing, or null (idle, outside the play windows, or showing the livestream). */
  playingRenderId: number | null;
  /** video, live, idle, closed (outside the windows), error. */
  state: string;
  cachedItems: number;
  totalItems: number;
  cachedBytes: number;
  /** Items that could not be used, with why (gone, checksum, fetch failed). */
  problems: { renderId: number; reason: string }[];
  /** Plays waiting on the screen to be uploaded. */
  pendingPlays: number;
  userAgent: string | null;
}

/**
 * A paired player. Its token is made by the player itself and shown to nobody: the server keeps
 * its SHA-256 only. Revoking stops the token at once; the screen must be paired again.
 */
export const screens = pgTable(
  'screens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    groupId: integer('group_id')
      .notNull()
      .references(() => screenGroups.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    pairedAt: timestamp('paired_at', { withTimezone: true }).notNull().defaultNow(),
    pairedBy: integer('paired_by').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    lastBeat: jsonb('last_beat').$type<ScreenBeat>(),
    lastAddress: text('last_address'),
  },
  (t) => [uniqueIndex('screens_token_idx').on(t.tokenHash), index('screens_site_idx').on(t.siteId, t.groupId)],
);

/**
 * A pairing under way: the player shows `code`; whoever enters it in the console names the screen
 * and its group. The player proved it holds its token by sending the token's hash with the code's
 * request; it polls until the pairing is confirmed. A code works once and for ten minutes.
 */
export const screenPairings = pgTable(
  'screen_pairings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    code: text('code').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    screenId: integer('screen_id').references(() => screens.id, { onDelete: 'cascade' }),
    usedAt: timestamp('used_at', { withTimezone: true }),
    clientAddress: text('client_address'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('screen_pairings_code_idx').on(t.code, t.createdAt),
    uniqueIndex('screen_pairings_token_idx').on(t.tokenHash),
  ],
);

/**
 * One play of a video on a screen, recorded on the screen first and uploaded later: stored once per
 * (screen, play id). Times are the screen's, moved by the clock offset measured at upload (the
 * server's receipt time less the screen's own time then), so a screen whose clock is off still
 * records when the play happened.
 */
export const screenPlays = pgTable(
  'screen_plays',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    screenId: integer('screen_id')
      .notNull()
      .references(() => screens.id),
    /** The screen's group when the play was received (a screen moved later keeps its history). */
    groupId: integer('group_id').notNull(),
    playId: text('play_id').notNull(),
    renderId: integer('render_id').notNull(),
    jobIds: integer('job_ids').array().notNull().default([]),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    playedMs: integer('played_ms').notNull(),
    /** At least 90 % of the video played. */
    completed: boolean('completed').notNull(),
    /** The server's time less the screen's when the batch arrived (ms); added to the screen's times. */
    clockOffsetMs: bigint('clock_offset_ms', { mode: 'number' }).notNull().default(0),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('screen_plays_play_idx').on(t.screenId, t.playId),
    index('screen_plays_group_time_idx').on(t.groupId, t.startedAt),
    index('screen_plays_site_time_idx').on(t.siteId, t.startedAt),
  ],
);

export const fairKinds = ['ai', 'onsite'] as const;
export type FairKindName = (typeof fairKinds)[number];
export const fairKind = pgEnum('fair_kind', fairKinds);

/**
 * A job fair: an AI数智招聘会 (its screens play job videos) or a 线下招聘会. Its verdict is worked out
 * when read, from its employers and (for an AI fair) the plays of its screen group during it, since
 * plays made offline arrive later.
 */
export const fairs = pgTable(
  'fairs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    kind: fairKind('kind').notNull(),
    title: text('title').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    venue: text('venue').notNull(),
    groupId: integer('group_id').references(() => screenGroups.id),
    jobSeekers: integer('job_seekers'),
    /** 意向 (offers of interest) made at the fair. */
    offers: integer('offers'),
    plan: text('plan'),
    summary: text('summary'),
    /** A plan or summary given as a file (PDF, Word): where it is in the media store, and its name. */
    planKey: text('plan_key'),
    planName: text('plan_name'),
    summaryKey: text('summary_key'),
    summaryName: text('summary_name'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fairs_site_time_idx').on(t.siteId, t.startsAt)],
);

/** An employer at a fair (from the job pool) and the jobs it brought; one row per employer. */
export const fairEmployers = pgTable(
  'fair_employers',
  {
    fairId: integer('fair_id')
      .notNull()
      .references(() => fairs.id, { onDelete: 'cascade' }),
    employerId: integer('employer_id').notNull(),
    jobIds: integer('job_ids').array().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.fairId, t.employerId] })],
);

/** The fair's own playlist, played on its group's screens during the fair instead of the group's. */
export const fairPlaylistItems = pgTable(
  'fair_playlist_items',
  {
    fairId: integer('fair_id')
      .notNull()
      .references(() => fairs.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    renderId: integer('render_id')
      .notNull()
      .references(() => renders.id),
  },
  (t) => [primaryKey({ columns: [t.fairId, t.position] })],
);

/** A photo of the fair: checked to be an image, re-encoded with its location and other metadata removed. */
export const fairPhotos = pgTable(
  'fair_photos',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    fairId: integer('fair_id')
      .notNull()
      .references(() => fairs.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(),
    displayName: text('display_name').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fair_photos_fair_idx').on(t.fairId)],
);

export type ScreenGroup = typeof screenGroups.$inferSelect;
export type Screen = typeof screens.$inferSelect;
export type ScreenPlay = typeof screenPlays.$inferSelect;
export type Fair = typeof fairs.$inferSelect;
export type FairPhoto = typeof fairPhotos.$inferSelect;
