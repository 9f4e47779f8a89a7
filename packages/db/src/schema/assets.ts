import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { sites } from './sites.ts';
import { users } from './users.ts';

export const mediaAssetKinds = ['music', 'clip', 'photo'] as const;
export type MediaAssetKind = (typeof mediaAssetKinds)[number];
export const mediaAssetKind = pgEnum('media_asset_kind', mediaAssetKinds);

/**
 * A file the media team uploaded for its videos: a licensed music track for the site's library, or a
 * clip or photo it filmed. What ffprobe read of it is kept, so a request can be checked (in and out
 * points, sound) without opening the file again.
 */
export const mediaAssets = pgTable(
  'media_assets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    kind: mediaAssetKind('kind').notNull(),
    /** The name the user knows the file by (cleaned for display; never a path). */
    displayName: text('display_name').notNull(),
    /** Where the file is in the media store. */
    storageKey: text('storage_key').notNull(),
    mimeType: text('mime_type').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    /** Seconds, for music and clips. */
    durationS: real('duration_s'),
    /** As shown, rotation applied (a portrait phone clip stored landscape with rotation 90 is 1080×1920 here). */
    width: integer('width'),
    height: integer('height'),
    /** The rotation the file's metadata asks for (0, 90, 180, 270). */
    rotation: smallint('rotation').notNull().default(0),
    fps: real('fps'),
    hasAudio: boolean('has_audio').notNull().default(false),
    /** The video or audio codec (h264, hevc, aac, mp3 …). */
    codec: text('codec'),
    /** Anything else measured at upload (a track's loudness). */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull().default({}),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('media_assets_site_kind_idx').on(t.siteId, t.kind, t.createdAt)],
);
export type MediaAsset = typeof mediaAssets.$inferSelect;
