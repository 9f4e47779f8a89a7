import { createRoute, z } from '@hono/zod-openapi';
import { recordCoverage } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { PUBLISHERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { coverageLevelSchema, coverageSchema, toCoverageView } from './view.ts';

const coverageRequestSchema = z
  .object({
    outlet: z.string().max(100).openapi({ example: '人民网' }),
    level: coverageLevelSchema,
    url: z.string().max(2000).openapi({ example: 'https://www.people.com.cn/n1/2026/0501/c1-1.html' }),
    publishedOn: z.string().openapi({ format: 'date', example: '2026-05-01' }),
    title: z.string().max(200).openapi({ example: '零工驿站助力灵活就业' }),
  })
  .openapi('CoverageRequest');

const route = createRoute({
  method: 'post',
  path: '/api/coverage',
  tags: ['publications'],
  summary: 'Record a media report about the office; an address counts once',
  request: { body: { required: true, content: { 'application/json': { schema: coverageRequestSchema } } } },
  responses: {
    201: { description: 'recorded', content: { 'application/json': { schema: coverageSchema } } },
    409: errorResponse(
      '这个链接已登记过，信息里说明是哪一篇 (the address is already recorded; the message names the report)',
    ),
  },
});

export const createCoverage = defineRoute(PUBLISHERS, route, async (c) => {
  const row = await recordCoverage(c.var.services.db, {
    ...c.req.valid('json'),
    siteId: c.var.principal.siteId,
    createdBy: c.var.principal.userId,
  });
  return c.json(toCoverageView(row), 201);
});
