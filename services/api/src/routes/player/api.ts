import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import {
  type Database,
  insertScreenPlays,
  listScreenGroups,
  PAIRING_MINUTES,
  playableVideosOf,
  recordScreenBeat,
  screenPairingState,
  startScreenPairing,
} from '@jobcast/db';
import {
  checkPlays,
  hashScreenToken,
  isScreenToken,
  type KnownVideo,
  MAX_PLAYS_PER_BATCH,
  newPairingCode,
} from '@jobcast/screens';
import { limitBody } from '../../body-limit.ts';
import { errorResponse } from '../../errors.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { serveStoredFile } from '../../stored-file.ts';
import { clientAddress } from '../../web/client-address.ts';
import { manifestFor, manifestVersionFor } from './manifest-data.ts';
import { playerToken, screenOf } from './screen-auth.ts';

const bearer = z.object({
  authorization: z.string().max(200).openapi({ description: 'Bearer <the token the player made at pairing>' }),
});
const unpaired = errorResponse('屏幕未配对或已停用，请重新配对 (unknown or revoked screen token)');
const noStore = { 'Cache-Control': 'no-store' };

/** Bodies a player sends are small; these routes are public, so the limit is checked before the token. */
const small = (kb: number, what: string) => limitBody(() => kb * 1024, what);

const pairingStart = createRoute({
  method: 'post',
  path: '/player/api/pairing',
  middleware: small(4, '配对请求'),
  tags: ['screens'],
  summary: 'A player asks for a pairing code, proving the token it made (kept hashed only)',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ token: z.string().max(100).openapi({ description: '32 random bytes, base64url' }) }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'the code to show on the screen',
      content: {
        'application/json': {
          schema: z.object({ code: z.string(), expiresAt: z.string(), minutes: z.number() }),
        },
      },
    },
    409: errorResponse('这块屏幕已配对 (this player is already paired)'),
    429: errorResponse('同一地址申请配对码过多 (too many pairing codes from this address)'),
  },
});

export const startPlayerPairing = defineRoute('public', pairingStart, async (c) => {
  const { token } = c.req.valid('json');
  if (!isScreenToken(token)) {
    throw new JobcastError('BAD_INPUT', '配对凭据格式不对', { field: 'token' });
  }
  const pairing = await startScreenPairing(c.var.services.db, {
    tokenHash: hashScreenToken(token),
    clientAddress: clientAddress(c),
    code: newPairingCode,
  });
  return c.json(
    { code: pairing.code, expiresAt: pairing.expiresAt.toISOString(), minutes: PAIRING_MINUTES },
    201,
    noStore,
  );
});

const pairingState = createRoute({
  method: 'get',
  path: '/player/api/pairing',
  tags: ['screens'],
  summary: 'A player waiting to be paired asks whether it is (it polls every few seconds)',
  request: { headers: bearer },
  responses: {
    200: {
      description: 'waiting, expired (ask for a new code), unknown (ask for one), or paired',
      content: {
        'application/json': {
          schema: z.object({
            state: z.enum(['waiting', 'expired', 'unknown', 'paired']),
            code: z.string().optional(),
            screen: z.object({ id: z.number(), name: z.string() }).optional(),
          }),
        },
      },
    },
  },
});

export const playerPairingState = defineRoute('public', pairingState, async (c) => {
  const state = await screenPairingState(c.var.services.db, hashScreenToken(playerToken(c)));
  if (state.state === 'paired') {
    return c.json({ state: state.state, screen: { id: state.screen.id, name: state.screen.name } }, 200, noStore);
  }
  return c.json({ state: state.state, ...(state.code ? { code: state.code } : {}) }, 200, noStore);
});

const manifestRoute = createRoute({
  method: 'get',
  path: '/player/api/manifest',
  tags: ['screens'],
  summary: "The screen's manifest: items with URL, SHA-256 and duration, lists, the days' timeline, the livestream",
  request: { headers: bearer },
  responses: {
    200: {
      description: 'the manifest',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
    401: unpaired,
  },
});

export const playerManifest = defineRoute('public', manifestRoute, async (c) => {
  const screen = await screenOf(c);
  return c.json(await manifestFor(c.var.services, screen), 200, noStore);
});

const mediaRoute = createRoute({
  method: 'get',
  path: '/player/api/media/{renderId}',
  tags: ['screens'],
  summary: 'A video of the screen’s site, whole or by byte range',
  request: {
    headers: bearer,
    params: z.object({ renderId: idSchema.openapi({ param: { name: 'renderId', in: 'path' } }) }),
  },
  responses: {
    200: { description: 'the MP4', content: { 'video/mp4': { schema: z.string() } } },
    206: { description: 'a byte range of it', content: { 'video/mp4': { schema: z.string() } } },
    401: unpaired,
    404: errorResponse('视频不存在或文件已不在 (no such video, or its file is gone)'),
  },
});

export const playerMedia = defineRoute('public', mediaRoute, async (c) => {
  const screen = await screenOf(c);
  const renderId = c.req.valid('param').renderId;
  const [video] = await playableVideosOf(c.var.services.db, screen.siteId, [renderId]);
  if (!video) throw new JobcastError('NOT_FOUND', `视频 ${renderId} 不存在`);
  return serveStoredFile(c, {
    key: video.outputKey,
    type: 'video/mp4',
    missing: `视频 ${renderId} 的文件已不在媒体文件夹中`,
    headers: { 'Cache-Control': 'private, no-cache' },
  });
});

const problemSchema = z.object({ renderId: z.number().int(), reason: z.string().max(200) });
const beatSchema = z.object({
  manifestVersion: z.string().max(64).nullable(),
  playingRenderId: z.number().int().nullable(),
  state: z.enum(['video', 'live', 'idle', 'closed', 'error']),
  cachedItems: z.number().int().min(0).max(100_000),
  totalItems: z.number().int().min(0).max(100_000),
  cachedBytes: z.number().min(0),
  problems: z.array(problemSchema).max(200),
  pendingPlays: z.number().int().min(0),
});

const heartbeatRoute = createRoute({
  method: 'post',
  path: '/player/api/heartbeat',
  middleware: small(64, '心跳'),
  tags: ['screens'],
  summary: 'Once a minute: what the screen plays, its cache, its problems; answers the current manifest version',
  request: {
    headers: bearer,
    body: { required: true, content: { 'application/json': { schema: beatSchema } } },
  },
  responses: {
    200: {
      description: 'noted',
      content: {
        'application/json': {
          schema: z.object({ serverTime: z.string(), manifestVersion: z.string() }),
        },
      },
    },
    401: unpaired,
  },
});

export const playerHeartbeat = defineRoute('public', heartbeatRoute, async (c) => {
  const screen = await screenOf(c);
  const beat = c.req.valid('json');
  const now = new Date();
  // The beat is kept first: working out the version may read files, and must not cost the beat.
  await recordScreenBeat(
    c.var.services.db,
    screen.id,
    { ...beat, userAgent: c.req.header('user-agent')?.slice(0, 200) ?? null },
    clientAddress(c),
    now,
  );
  const manifestVersion = await manifestVersionFor(c.var.services, screen, now);
  return c.json({ serverTime: now.toISOString(), manifestVersion }, 200, noStore);
});

/**
 * What a play is checked against (a finished video of the site, its jobs, its length) does not
 * change once the video is done: kept a minute per site, so the batches of a hall's screens, which
 * play the same videos all day, cost no lookup. Unknown ids are looked up every time.
 */
const KNOWN_VIDEO_TTL_MS = 60_000;
const knownVideos = new Map<string, { video: KnownVideo; until: number }>();

async function videosOfPlays(db: Database, siteId: number, renderIds: number[], now: number) {
  const found = new Map<number, KnownVideo>();
  const unknown: number[] = [];
  for (const renderId of new Set(renderIds)) {
    const kept = knownVideos.get(`${siteId}:${renderId}`);
    if (kept && kept.until > now) found.set(renderId, kept.video);
    else unknown.push(renderId);
  }
  if (unknown.length === 0) return found;
  if (knownVideos.size >= 10_000) knownVideos.clear();
  for (const video of await playableVideosOf(db, siteId, unknown)) {
    const known = { jobIds: video.jobIds, durationS: video.durationS };
    knownVideos.set(`${siteId}:${video.renderId}`, { video: known, until: now + KNOWN_VIDEO_TTL_MS });
    found.set(video.renderId, known);
  }
  return found;
}

const playSchema = z.object({
  playId: z.string().max(64),
  renderId: z.number().int(),
  startedAt: z.string().max(40),
  endedAt: z.string().max(40),
  playedMs: z.number(),
  groupId: z
    .number()
    .int()
    .nullable()
    .optional()
    .openapi({ description: 'The group of the manifest it was played from' }),
});

const playsRoute = createRoute({
  method: 'post',
  path: '/player/api/plays',
  middleware: small(256, '播放记录'),
  tags: ['screens'],
  summary:
    'A batch of plays recorded on the screen; each play id is stored once, times moved by the screen’s clock offset',
  request: {
    headers: bearer,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            sentAt: z.string().max(40).openapi({ description: "The screen's clock when it sent the batch" }),
            plays: z.array(playSchema).max(MAX_PLAYS_PER_BATCH),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'stored now, stored before, refused with reasons; the screen may forget all three',
      content: {
        'application/json': {
          schema: z.object({
            stored: z.array(z.string()),
            duplicates: z.array(z.string()),
            refused: z.array(z.object({ playId: z.string(), reason: z.string() })),
            clockOffsetMs: z.number(),
          }),
        },
      },
    },
    401: unpaired,
  },
});

export const playerPlays = defineRoute('public', playsRoute, async (c) => {
  const receivedAt = new Date();
  const screen = await screenOf(c);
  const { sentAt, plays } = c.req.valid('json');
  const sent = new Date(sentAt);
  if (Number.isNaN(sent.getTime())) {
    throw new JobcastError('BAD_INPUT', '发送时间格式不对', { field: 'sentAt' });
  }
  const { db } = c.var.services;
  // A play names the group it was played in; another group than the screen's now is looked up
  // (the screen was moved since), so the usual batch costs no query for it.
  const groupIds = new Set([screen.groupId]);
  if (plays.some((p) => typeof p.groupId === 'number' && p.groupId !== screen.groupId)) {
    for (const group of await listScreenGroups(db, screen.siteId)) groupIds.add(group.id);
  }
  const checked = checkPlays(plays, {
    receivedAt,
    sentAt: sent,
    pairedAt: screen.pairedAt,
    groupId: screen.groupId,
    groupIds,
    videos: await videosOfPlays(
      db,
      screen.siteId,
      plays.map((p) => p.renderId),
      receivedAt.getTime(),
    ),
  });
  const stored = new Set(await insertScreenPlays(db, screen, checked.accepted, receivedAt));
  return c.json(
    {
      stored: [...stored],
      duplicates: checked.accepted.filter((p) => !stored.has(p.playId)).map((p) => p.playId),
      refused: checked.refused,
      clockOffsetMs: checked.clockOffsetMs,
    },
    200,
    noStore,
  );
});
