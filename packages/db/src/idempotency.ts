import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { idempotencyKeys } from './schema/index.ts';

/** How long a key answers with its first result; older rows are removed as new keys come in. */
export const IDEMPOTENCY_KEY_HOURS = 24;
/** A first request still unanswered after this long is taken to have died with its process. */
export const IDEMPOTENCY_ABANDONED_SECONDS = 300;

export interface IdempotencyKeyInput {
  userId: number;
  /** The route, e.g. "POST /api/renders". */
  route: string;
  key: string;
  /** SHA-256 of the request as the route read it. */
  requestHash: string;
}

/** What a request sent with a key may do. */
export type IdempotencyClaim =
  /**
   * The first use of the key (or one whose first request died): answer, then record the answer. The
   * id is the claim's own: a takeover gets a new one, and completing or releasing needs it.
   */
  | { state: 'claimed'; id: number }
  /** Answered before: replay it. */
  | { state: 'answered'; status: number; response: unknown }
  /** The first request is still being answered. */
  | { state: 'in-flight' }
  /** The key was first used with a different request. */
  | { state: 'reused' };

/**
 * Claims a key for a request, or says why not. The unique (user, route, key) row decides between
 * two requests sent at once: one inserts it, the other finds it.
 */
export async function claimIdempotencyKey(db: Database, input: IdempotencyKeyInput): Promise<IdempotencyClaim> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_HOURS})`));
  // A row released between the insert and the read (its first request failed) is claimed on the next turn.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [inserted] = await db
      .insert(idempotencyKeys)
      .values(input)
      .onConflictDoNothing({ target: [idempotencyKeys.userId, idempotencyKeys.route, idempotencyKeys.key] })
      .returning({ id: idempotencyKeys.id });
    if (inserted) return { state: 'claimed', id: inserted.id };

    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.userId, input.userId),
          eq(idempotencyKeys.route, input.route),
          eq(idempotencyKeys.key, input.key),
        ),
      );
    if (!row) continue;
    if (row.requestHash !== input.requestHash) return { state: 'reused' };
    if (row.status !== null) return { state: 'answered', status: row.status, response: row.response };
    // The takeover makes a new row (a new id): the first request, should it still finish, matches
    // its own id only, so it neither answers nor frees the retry's claim.
    const taken = await db.transaction(async (tx) => {
      const [stale] = await tx
        .delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.id, row.id),
            isNull(idempotencyKeys.status),
            lt(idempotencyKeys.createdAt, sql`now() - make_interval(secs => ${IDEMPOTENCY_ABANDONED_SECONDS})`),
          ),
        )
        .returning({ id: idempotencyKeys.id });
      if (!stale) return undefined;
      const [fresh] = await tx.insert(idempotencyKeys).values(input).returning({ id: idempotencyKeys.id });
      return fresh;
    });
    return taken ? { state: 'claimed', id: taken.id } : { state: 'in-flight' };
  }
  return { state: 'in-flight' };
}

/** Records the answer of a claimed key's request, for its retries (nothing if its claim was taken over). */
export async function completeIdempotencyKey(
  db: Database,
  id: number,
  answer: { status: number; response: unknown },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: answer.status, response: answer.response })
    .where(and(eq(idempotencyKeys.id, id), isNull(idempotencyKeys.status)));
}

/**
 * Frees a claimed key whose request made nothing (refused, or a service was unavailable): a retry
 * runs anew. Nothing if its claim was taken over.
 */
export async function releaseIdempotencyKey(db: Database, id: number): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, id), isNull(idempotencyKeys.status)));
}
