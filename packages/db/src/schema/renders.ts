import { renderKinds, renderStatuses } from '@jobcast/core';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sites } from './sites.ts';
import { users } from './users.ts';

/** One AI component that made part of a video: the evidence behind the year's AI-video count. */
export interface AiComponent {
  kind: 'voice' | 'script' | 'presenter';
  /** The provider's id (`espeak`, `tencent`, `openai-compatible` …) and its Chinese name. */
  provider: string;
  providerLabel: string;
  /** The engine or model (`eSpeak NG cmn-latn-pinyin`, `qwen-plus` …). */
  model: string;
  /** The voice used, for a voice. */
  voice?: string;
  /** When it ran (ISO 8601). */
  at: string;
}

export const renderKind = pgEnum('render_kind', renderKinds);
export const renderStatus = pgEnum('render_status', renderStatuses);

/**
 * One requested video, poster or flyer. The row exists before anything is queued (the queue job's
 * id is derived from it), and its output keys are derived from its id: running it again replaces
 * the same files, so a render never ends as two outputs.
 */
export const renders = pgTable(
  'renders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    kind: renderKind('kind').notNull(),
    template: text('template').notNull(),
    status: renderStatus('status').notNull().default('queued'),
    /** 0 to 100. */
    progress: smallint('progress').notNull().default(0),
    /** Runs started, counting the one under way. */
    attempts: integer('attempts').notNull().default(0),
    /** The jobs shown, in order: a filter is resolved when the render is requested, so a retry shows the same jobs. */
    jobIds: integer('job_ids').array().notNull().default([]),
    /** The request as made (filter, month, copies …), for the record and for retries. */
    request: jsonb('request').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * Whether the video counts as an AI video in the year's targets: true exactly when an AI component
     * made part of it (`aiComponents`), set by the render when it finishes, never by a template or a person.
     */
    aiVideo: boolean('ai_video').notNull().default(false),
    /** The AI components that made part of the video (voice, script, presenter), with provider, model and time. */
    aiComponents: jsonb('ai_components').$type<AiComponent[]>().notNull().default([]),
    /** The narration as spoken (the script after edits), for the record and the 制作 page. */
    script: text('script'),
    /**
     * Why the AI script writer's draft was not used (it named a figure the jobs do not have, it was
     * too long, the provider failed), so the 制作 page can say why the rule writer's script was spoken.
     */
    scriptNote: text('script_note'),
    /** The captions beside the video (SubRip), for platforms that take a caption file. */
    captionsKey: text('captions_key'),
    flyerIssueId: integer('flyer_issue_id').references(() => flyerIssues.id),
    outputKey: text('output_key'),
    /** SHA-256 (hex) of the output file, worked out the first time a screen's manifest lists it. */
    outputSha256: text('output_sha256'),
    coverKey: text('cover_key'),
    /** Flyer page previews, in page order. */
    previewKeys: text('preview_keys').array(),
    mimeType: text('mime_type'),
    width: integer('width'),
    height: integer('height'),
    durationS: real('duration_s'),
    pages: integer('pages'),
    bytes: bigint('bytes', { mode: 'number' }),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** Moved on with every progress report: a running render that stops moving has stalled. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('renders_site_idx').on(t.siteId, t.createdAt),
    index('renders_unfinished_idx').on(t.status, t.heartbeatAt),
  ],
);

/**
 * The month's recruitment flyer (招工小报): one issue per site and month. Asking again for the same
 * month makes a new revision of the issue, never a second issue; printing and distribution are
 * entered later.
 */
export const flyerIssues = pgTable(
  'flyer_issues',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** The first day of the month. */
    month: date('month').notNull(),
    /** 第 N 期: follows the month (see flyers.ts), editable until the issue is marked printed. */
    issueNumber: integer('issue_number').notNull(),
    revision: integer('revision').notNull().default(1),
    copiesPlanned: integer('copies_planned').notNull().default(1000),
    copiesPrinted: integer('copies_printed'),
    printedAt: date('printed_at'),
    copiesDistributed: integer('copies_distributed'),
    distributedAt: date('distributed_at'),
    distributedPlace: text('distributed_place'),
    /** The render of the latest revision. */
    renderId: integer('render_id').references((): AnyPgColumn => renders.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('flyer_issues_site_month_idx').on(t.siteId, t.month),
    uniqueIndex('flyer_issues_site_number_idx').on(t.siteId, t.issueNumber),
  ],
);
