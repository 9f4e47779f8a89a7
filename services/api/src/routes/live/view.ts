import { z } from '@hono/zod-openapi';
import { liveSessionStatuses, liveSessionTypes } from '@jobcast/core';
import type { schema } from '@jobcast/db';
import {
  type Booking,
  type LiveJobCard,
  type LiveStatusView,
  type LiveUrls,
  type LiveYear,
  overlayUrlOf,
  previewUrlOf,
} from '@jobcast/live';
import { idSchema } from '../../schemas.ts';

/** Where OBS's browser source and the preview reach a session: for its operators only (the token lets anyone in). */
export function operatorLinks(urls: LiveUrls, overlayToken: string): { overlayUrl: string; previewUrl: string } {
  return { overlayUrl: overlayUrlOf(urls, overlayToken), previewUrl: previewUrlOf(urls, overlayToken) };
}

export const sessionIdParams = z.object({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
});

export const liveJobCardSchema = z
  .object({
    jobId: z.number().int(),
    title: z.string(),
    employer: z.string(),
    pay: z.string(),
    headcount: z.string(),
    location: z.string().nullable(),
    contact: z.string().nullable(),
  })
  .openapi('LiveJobCard') satisfies z.ZodType<LiveJobCard>;

const thresholdsSchema = z.object({
  minLiveSeconds: z.number().int(),
  minJobs: z.number().int().nullable().openapi({ description: 'Null for sessions other than 直播带岗' }),
  presentMinSeconds: z.number().int(),
});

const verdictSchema = z
  .object({
    qualified: z.boolean(),
    reasons: z.array(z.string()),
    liveSeconds: z.number(),
    presentedJobs: z.number().int(),
    thresholds: thresholdsSchema,
  })
  .openapi('LiveVerdict') satisfies z.ZodType<schema.StoredVerdict>;

const statusSchema = z.object({
  sessionId: z.number().int(),
  siteId: z.number().int(),
  type: z.enum(liveSessionTypes),
  typeLabel: z.string().openapi({ example: '直播带岗' }),
  title: z.string(),
  anchor: z.string(),
  status: z.enum(liveSessionStatuses),
  slot: z.object({
    start: z.string().openapi({ format: 'date-time' }),
    end: z.string().openapi({ format: 'date-time' }),
  }),
  startedAt: z.string().nullable().openapi({ format: 'date-time' }),
  endedAt: z.string().nullable().openapi({ format: 'date-time' }),
  endReason: z.string().nullable().openapi({ description: 'anchor, forced, gap or restart' }),
  forced: z.boolean(),
  liveSeconds: z.number().openapi({ description: 'Media received, summed over the segments' }),
  presentedJobs: z.number().int(),
  current: z
    .object({
      position: z.number().int(),
      jobId: z.number().int(),
      card: liveJobCardSchema,
      since: z.string().openapi({ format: 'date-time' }),
    })
    .nullable()
    .openapi({ description: 'The job on screen now' }),
  rundown: z.array(
    z.object({
      position: z.number().int(),
      jobId: z.number().int(),
      card: liveJobCardSchema,
      onScreenSeconds: z.number().int().openapi({ description: 'On screen while media was received' }),
      presented: z.boolean(),
    }),
  ),
  showings: z.array(
    z.object({
      position: z.number().int(),
      jobId: z.number().int(),
      from: z.string().openapi({ format: 'date-time' }),
      to: z.string().nullable().openapi({ format: 'date-time' }),
    }),
  ),
  segments: z.array(
    z.object({
      seq: z.number().int(),
      startedAt: z.string().openapi({ format: 'date-time' }),
      endedAt: z.string().nullable().openapi({ format: 'date-time' }),
      liveSeconds: z.number(),
      bytes: z.number().int(),
      clientAddress: z.string(),
      hasVideo: z.boolean(),
      hasAudio: z.boolean(),
      endReason: z.string().nullable(),
    }),
  ),
  relays: z
    .array(
      z.object({
        label: z.string().openapi({ description: 'scheme://host only: the push address is a secret' }),
        connectedSeconds: z.number().int(),
        connects: z.number().int(),
        failures: z.number().int(),
        lastError: z.string().nullable(),
      }),
    )
    .openapi({ description: 'Platforms the stream is copied to' }),
  guard: z.object({
    qualified: z.boolean(),
    needSeconds: z.number().int().openapi({ description: 'Live seconds still missing; 0 once enough' }),
    needJobs: z.number().int().openapi({ description: 'Presented jobs still missing (直播带岗 only)' }),
    reasons: z.array(z.string()),
    thresholds: thresholdsSchema,
  }),
  verdict: verdictSchema.nullable().openapi({ description: 'As stated at the end; null before' }),
  recording: z.object({
    recordingKey: z.string().nullable(),
    thumbnailKeys: z.array(z.string()),
    evidenceJsonKey: z.string().nullable(),
    evidenceHtmlKey: z.string().nullable(),
  }),
}) satisfies z.ZodType<LiveStatusView>;

const evidenceUrl = (sessionId: number, file: string) => `/api/live/${sessionId}/evidence?file=${file}`;

export const liveSessionSchema = statusSchema
  .extend({
    evidence: z
      .object({
        json: z.string().nullable(),
        html: z.string().nullable(),
        recording: z.string().nullable(),
        thumbnails: z.array(z.string()),
      })
      .openapi({ description: 'Where the stored evidence is served, once the session is finalized' }),
    overlayUrl: z.string().optional().openapi({ description: 'OBS browser source (anchor and admin only)' }),
    previewUrl: z.string().optional().openapi({ description: 'HTTP-FLV preview (anchor and admin only)' }),
  })
  .openapi('LiveSession');

export type LiveSessionView = z.infer<typeof liveSessionSchema>;

export function toLiveSessionView(
  status: LiveStatusView,
  links?: { overlayUrl: string; previewUrl: string },
): LiveSessionView {
  const { recording, sessionId } = status;
  return {
    ...status,
    evidence: {
      json: recording.evidenceJsonKey ? evidenceUrl(sessionId, 'json') : null,
      html: recording.evidenceHtmlKey ? evidenceUrl(sessionId, 'html') : null,
      recording: recording.recordingKey ? evidenceUrl(sessionId, 'recording') : null,
      thumbnails: recording.thumbnailKeys.map((_, i) => evidenceUrl(sessionId, `thumb-${i + 1}`)),
    },
    ...links,
  };
}

export const bookingSchema = z
  .object({
    sessionId: z.number().int(),
    rtmpUrl: z.string().openapi({ description: "OBS 的服务器 (OBS's Server field)" }),
    streamKey: z
      .string()
      .openapi({ description: "OBS 的串流密钥 (OBS's Stream Key): shown only here, only its hash is kept" }),
    overlayUrl: z.string().openapi({ description: 'OBS 浏览器来源 (browser source), 1920×1080' }),
    consoleUrl: z.string(),
    previewUrl: z.string(),
  })
  .openapi('LiveBooking') satisfies z.ZodType<Booking>;

export const liveYearSchema = z
  .object({
    year: z.number().int(),
    sessions: z.array(
      z.object({
        sessionId: z.number().int(),
        type: z.enum(liveSessionTypes),
        typeLabel: z.string(),
        title: z.string(),
        anchor: z.string(),
        slotStart: z.string().openapi({ format: 'date-time' }),
        slotEnd: z.string().openapi({ format: 'date-time' }),
        status: z.enum(liveSessionStatuses),
        qualified: z.boolean().nullable().openapi({ description: 'Null until the session ends' }),
        forced: z.boolean(),
        liveSeconds: z.number().nullable(),
        presentedJobs: z.number().int().nullable(),
        reasons: z.array(z.string()),
      }),
    ),
    counts: z.object({
      job: z.object({ qualified: z.number().int(), target: z.number().int().openapi({ example: 48 }) }),
      other: z.object({ qualified: z.number().int(), target: z.number().int().openapi({ example: 12 }) }),
    }),
  })
  .openapi('LiveYear') satisfies z.ZodType<LiveYear>;

export const presentedSchema = z
  .object({ position: z.number().int(), jobId: z.number().int(), card: liveJobCardSchema })
  .openapi('LivePresented');
