/** What the assessment ledgers read that no other listing gives them. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from './client.ts';
import { type AiComponent, renders } from './schema/index.ts';

export interface RenderFiles {
  id: number;
  coverKey: string | null;
  outputKey: string | null;
  aiComponents: AiComponent[];
}

/** The files and AI components of a site's renders among `ids`, by render id. */
export async function renderFilesById(db: Database, siteId: number, ids: number[]): Promise<Map<number, RenderFiles>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: renders.id,
      coverKey: renders.coverKey,
      outputKey: renders.outputKey,
      aiComponents: renders.aiComponents,
    })
    .from(renders)
    .where(and(eq(renders.siteId, siteId), inArray(renders.id, ids)));
  return new Map(rows.map((row) => [row.id, row]));
}
