import { createRoute, z } from '@hono/zod-openapi';
import { isJobcastError, JobcastError } from '@jobcast/core';
import {
  type FlyerIssue,
  getFlyerIssue,
  getRender,
  getSiteFlyerIssue,
  MAX_FLYER_ISSUE_NUMBER,
  setFlyerIssueNumber,
} from '@jobcast/db';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { errorResponse } from '../../errors.ts';
import { PUBLISHERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { queueRender } from '../renders/create.ts';
import { flyerIdParams, flyerSchema, toFlyerView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/flyers/{id}/number',
  tags: ['flyers'],
  summary: "Change an issue's number (第 N 期) until it is marked printed; the flyer is made again with the same jobs",
  request: {
    params: flyerIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ issueNumber: z.number().int().min(1).max(MAX_FLYER_ISSUE_NUMBER).openapi({ example: 37 }) })
            .openapi('FlyerNumber'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'renumbered; renderId is the new revision that prints it',
      content: { 'application/json': { schema: flyerSchema } },
    },
    404: errorResponse('没有这期招工小报，或原来的岗位已不在，期号未改'),
    400: errorResponse('小报不能按原来的岗位重新排版，期号未改（BAD_INPUT）'),
    409: errorResponse('期号不在前后两期之间（CONFLICT）'),
    422: errorResponse('这一期已登记印刷，期号不能再改（RULE_VIOLATED）'),
  },
});

/**
 * The issue's new number, and its flyer asked for again with the same jobs: the PDF already made
 * prints the old number, and it is the PDF that goes to the printer. The two go together: when the
 * flyer cannot be asked for again (a job deleted since, a template withdrawn), the old number is put
 * back, since the PDF still prints it, and the refusal says so.
 */
export async function renumberFlyerIssue(
  c: Context<AppEnv>,
  issueId: number,
  issueNumber: number,
): Promise<FlyerIssue> {
  const { db } = c.var.services;
  const siteId = c.var.principal.siteId;
  const current = (await getSiteFlyerIssue(db, siteId, issueId)).issueNumber;
  const issue = await setFlyerIssueNumber(db, { siteId, issueId, issueNumber, current });
  if (issue.renderId === null) return issue;
  const made = await getRender(db, issue.renderId, siteId);
  if (made.jobIds.length === 0) return issue;
  try {
    await queueRender(c, {
      kind: 'flyer',
      template: made.template,
      month: issue.month.slice(0, 7),
      copies: issue.copiesPlanned,
      jobIds: made.jobIds,
    });
  } catch (error) {
    const restored = await setFlyerIssueNumber(db, {
      siteId,
      issueId,
      issueNumber: current,
      current: issueNumber,
    }).then(
      () => true,
      () => false,
    );
    if (!isJobcastError(error)) throw error;
    const failed = `按原来的岗位重新排版没有成功（${error.message}）`;
    throw new JobcastError(
      error.code,
      restored
        ? `期号没有改，仍是第 ${current} 期：${failed}。可先重新生成这一期，再改期号。`
        : `期号已是第 ${issueNumber} 期，但${failed}，现有的小报印的还是第 ${current} 期：请重新生成这一期。`,
      error.details,
    );
  }
  // The new revision is now the issue's render.
  return getFlyerIssue(db, issue.id);
}

export const flyerNumber = defineRoute(PUBLISHERS, route, async (c) => {
  const issue = await renumberFlyerIssue(c, c.req.valid('param').id, c.req.valid('json').issueNumber);
  return c.json(toFlyerView(issue), 200);
});
