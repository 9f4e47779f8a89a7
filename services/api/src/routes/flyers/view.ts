import { z } from '@hono/zod-openapi';
import { type Database, type FlyerIssue, listFlyerIssues } from '@jobcast/db';
import { isFlyerMonth, KPI_RULES, monthsOf, type ServiceYear } from '@jobcast/kpi';
import { idSchema } from '../../schemas.ts';
import { rangeOf } from '../publications/view.ts';

const day = z.string().openapi({ format: 'date' });

export const flyerIdParams = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });

export const flyerSchema = z
  .object({
    id: z.number().int(),
    month: z.string().openapi({ example: '2026-03' }),
    issueNumber: z
      .number()
      .int()
      .openapi({ description: '第 N 期: follows the month, changeable until the issue is marked printed' }),
    revision: z.number().int().openapi({ description: 'How many times the issue was generated' }),
    renderId: z.number().int().nullable().openapi({ description: "The latest revision's render" }),
    copiesPlanned: z.number().int(),
    copiesPrinted: z.number().int().nullable(),
    printedAt: day.nullable(),
    copiesDistributed: z.number().int().nullable(),
    distributedAt: day.nullable(),
    distributedPlace: z.string().nullable(),
    counts: z
      .boolean()
      .openapi({ description: `Printed in at least ${KPI_RULES.flyers.minCopies} copies: counts toward the year` }),
  })
  .openapi('FlyerIssue');

export type FlyerView = z.infer<typeof flyerSchema>;

/** Whether the year counts the issue: printed in at least the contract's copies. */
export function countsToward(issue: FlyerIssue): boolean {
  return (issue.copiesPrinted ?? 0) >= KPI_RULES.flyers.minCopies;
}

export function toFlyerView(issue: FlyerIssue): FlyerView {
  return {
    id: issue.id,
    month: issue.month.slice(0, 7),
    issueNumber: issue.issueNumber,
    revision: issue.revision,
    renderId: issue.renderId,
    copiesPlanned: issue.copiesPlanned,
    copiesPrinted: issue.copiesPrinted,
    printedAt: issue.printedAt,
    copiesDistributed: issue.copiesDistributed,
    distributedAt: issue.distributedAt,
    distributedPlace: issue.distributedPlace,
    counts: countsToward(issue),
  };
}

/** Every flyer month of the service year (12), in order, with its issue or null where none was made. */
export async function flyerMonths(
  db: Database,
  siteId: number,
  sy: ServiceYear,
): Promise<{ month: string; issue: FlyerIssue | null }[]> {
  const issues = await listFlyerIssues(db, siteId, rangeOf(sy));
  const byMonth = new Map(issues.map((issue) => [issue.month.slice(0, 7), issue]));
  return monthsOf(sy)
    .filter((month) => isFlyerMonth(sy, month))
    .map((month) => ({ month, issue: byMonth.get(month) ?? null }));
}
