import { liveSessionStatuses, liveSessionTypes } from '@jobcast/core';
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
import { sites } from './sites.ts';
import { users } from './users.ts';

export const liveSessionType = pgEnum('live_session_type', liveSessionTypes);
export const liveSessionStatus = pgEnum('live_session_status', liveSessionStatuses);

/** What the overlay shows of a job, copied at booking: the evidence keeps what was presented. */
export interface LiveJobCard {
  jobId: number;
  title: string;
  employer: string;
  pay: string;
  headcount: string;
  location: string | null;
  contact: string | null;
}

/** A verdict as stated when the session ended: the thresholds it was judged by travel with it. */
export interface StoredVerdict {
  qualified: boolean;
  reasons: string[];
  liveSeconds: number;
  presentedJobs: number;
  thresholds: { minLiveSeconds: number; minJobs: number | null; presentMinSeconds: number };
}

/**
 * One booked livestream. Its stream key is shown once at booking: only its SHA-256 is kept. The
 * overlay token is an unguessable address for OBS's browser source; it shows job cards, nothing else.
 */
export const liveSessions = pgTable(
  'live_sessions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    type: liveSessionType('type').notNull(),
    title: text('title').notNull(),
    anchorName: text('anchor_name').notNull(),
    anchorUserId: integer('anchor_user_id').references(() => users.id),
    slotStart: timestamp('slot_start', { withTimezone: true }).notNull(),
    slotEnd: timestamp('slot_end', { withTimezone: true }).notNull(),
    status: liveSessionStatus('status').notNull().default('booked'),
    streamKeyHash: text('stream_key_hash').notNull(),
    overlayToken: text('overlay_token').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** anchor, forced, gap (no reconnect within the gap), restart (found past the gap at service start). */
    endReason: text('end_reason'),
    forced: boolean('forced').notNull().default(false),
    endedBy: integer('ended_by').references(() => users.id),
    /** Null until the end; counted for the year from this column. */
    qualified: boolean('qualified'),
    verdict: jsonb('verdict').$type<StoredVerdict>(),
    recordingKey: text('recording_key'),
    thumbnailKeys: text('thumbnail_keys').array(),
    evidenceJsonKey: text('evidence_json_key'),
    evidenceHtmlKey: text('evidence_html_key'),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
    finalizeError: text('finalize_error'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('live_sessions_key_idx').on(t.streamKeyHash),
    uniqueIndex('live_sessions_overlay_idx').on(t.overlayToken),
    index('live_sessions_site_idx').on(t.siteId, t.slotStart),
    index('live_sessions_status_idx').on(t.status),
  ],
);

/** The ordered jobs the anchor will present. */
export const liveRundown = pgTable(
  'live_rundown',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    jobId: integer('job_id').notNull(),
    card: jsonb('card').$type<LiveJobCard>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.position] })],
);

/** A job put on screen: from when until when (null while it is still the one shown). */
export const livePresentations = pgTable(
  'live_presentations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    jobId: integer('job_id').notNull(),
    onScreenFrom: timestamp('on_screen_from', { withTimezone: true }).notNull(),
    onScreenTo: timestamp('on_screen_to', { withTimezone: true }),
  },
  (t) => [index('live_presentations_session_idx').on(t.sessionId, t.onScreenFrom)],
);

/**
 * One publisher connection that was let in. Its media time is what the guard counts; the stream
 * service moves `mediaMs` and `lastSeenAt` on every second, so a crash loses at most that.
 */
export const liveSegments = pgTable(
  'live_segments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    mediaMs: bigint('media_ms', { mode: 'number' }).notNull().default(0),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    clientAddress: text('client_address').notNull(),
    hasVideo: boolean('has_video').notNull().default(false),
    hasAudio: boolean('has_audio').notNull().default(false),
    recordingKey: text('recording_key').notNull(),
    endReason: text('end_reason'),
  },
  (t) => [uniqueIndex('live_segments_seq_idx').on(t.sessionId, t.seq)],
);

/** A platform push address the stream is copied to. The address is a secret: kept encrypted only. */
export const liveRelays = pgTable(
  'live_relays',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    /** scheme://host, enough for a person to tell targets apart. */
    label: text('label').notNull(),
    urlEncrypted: text('url_encrypted').notNull(),
    connectedMs: bigint('connected_ms', { mode: 'number' }).notNull().default(0),
    connects: integer('connects').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
    lastConnectedAt: timestamp('last_connected_at', { withTimezone: true }),
  },
  (t) => [index('live_relays_session_idx').on(t.sessionId)],
);

/** Every publish attempt, let in or refused, with where it came from. The key itself is never kept. */
export const livePublishAttempts = pgTable(
  'live_publish_attempts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    sessionId: integer('session_id').references(() => liveSessions.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    clientAddress: text('client_address').notNull(),
    accepted: boolean('accepted').notNull(),
    /** accepted, unknown-key, no-key, wrong-app, not-yet-valid, expired, ended, already-live. */
    reason: text('reason').notNull(),
  },
  (t) => [index('live_publish_attempts_session_idx').on(t.sessionId, t.at)],
);
