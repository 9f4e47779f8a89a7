import { z } from '@hono/zod-openapi';
import { type Database, type FairEmployerEntry, type FairInput, fairTime, schema } from '@jobcast/db';
import { idSchema } from '../../schemas.ts';

const time = (example: string) =>
  z.string().max(40).openapi({
    description: "`YYYY-MM-DD HH:MM` on the site's clock, or an ISO time with its offset",
    example,
  });

const count = z.number().int().min(0).max(1_000_000).nullable().optional();

export const fairFieldsSchema = z.object({
  kind: z.enum(schema.fairKinds).openapi({ description: 'ai = AI数智招聘会, onsite = 线下招聘会' }),
  title: z.string().max(400).openapi({ example: '五月 AI 数智招聘会（青山湖专场）' }),
  startsAt: time('2026-05-10 09:00'),
  endsAt: time('2026-05-10 11:30'),
  venue: z.string().max(400).openapi({ example: '区人力资源市场一楼大厅' }),
  groupId: idSchema.nullable().optional().openapi({
    description: "The screen group at the fair: required for an AI fair (its screens' plays are the proof)",
  }),
  jobSeekers: count.openapi({ description: '到场求职者人数' }),
  offers: count.openapi({ description: '达成意向人数 (意向)' }),
  plan: z.string().max(20_000).nullable().optional().openapi({ description: '活动方案 (text)' }),
  summary: z.string().max(20_000).nullable().optional().openapi({ description: '活动总结 (text)' }),
});

export const employerEntrySchema = z
  .object({
    employerId: idSchema.optional().openapi({ description: "The job pool's employer id; or give its name" }),
    name: z.string().max(200).optional().openapi({ example: '南昌洪城物流有限公司' }),
    jobIds: z.array(idSchema).max(500).optional().openapi({
      description: "The jobs it brought; by default its jobs open on the fair's day",
    }),
  })
  .openapi('FairEmployerEntry');

export const employerListSchema = z.array(employerEntrySchema).max(400);

/** The request's times read on the site's clock, as the database takes a fair. */
export async function fairInputOf(
  db: Database,
  siteId: number,
  body: z.infer<typeof fairFieldsSchema>,
): Promise<FairInput> {
  return {
    ...body,
    startsAt: await fairTime(db, siteId, body.startsAt, 'startsAt'),
    endsAt: await fairTime(db, siteId, body.endsAt, 'endsAt'),
  };
}

export function employerEntries(list: z.infer<typeof employerListSchema>): FairEmployerEntry[] {
  return list.map((entry) => ({
    ...(entry.employerId !== undefined ? { employerId: entry.employerId } : {}),
    ...(entry.name !== undefined ? { name: entry.name } : {}),
    ...(entry.jobIds !== undefined ? { jobIds: entry.jobIds } : {}),
  }));
}

/** What the edges say when the same employer was listed more than once. */
export function mergedNotice(merged: readonly string[]): string | null {
  return merged.length > 0 ? `重复的单位已合并：${merged.join('、')}` : null;
}
