import { JobcastError } from '@jobcast/core';
import { findScreenByTokenHash, type Screen } from '@jobcast/db';
import { hashScreenToken, isScreenToken } from '@jobcast/screens';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';

/** The token a player sends as `Authorization: Bearer …`, checked for shape only. */
export function playerToken(c: Context<AppEnv>): string {
  const header = c.req.header('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  if (!isScreenToken(token)) {
    throw new JobcastError('UNAUTHENTICATED', '屏幕没有带上配对凭据，请重新配对');
  }
  return token;
}

/** The paired screen behind the request's token; a revoked or unknown token is told to pair again. */
export async function screenOf(c: Context<AppEnv>): Promise<Screen> {
  const screen = await findScreenByTokenHash(c.var.services.db, hashScreenToken(playerToken(c)));
  if (!screen) {
    throw new JobcastError('UNAUTHENTICATED', '这块屏幕未配对或已被停用，请重新配对', {
      pair: true,
    });
  }
  return screen;
}
