import { createRoute, z } from '@hono/zod-openapi';
import { getJob as queryJob } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { anyRole } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema, jobViewSchema } from '../../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/api/jobs/{id}',
  tags: ['jobs'],
  summary: 'One job of your site',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 7 }) }) },
  responses: {
    200: { description: 'the job', content: { 'application/json': { schema: jobViewSchema } } },
    404: errorResponse('没有这个岗位，或它属于另一个站点'),
  },
});

export const getJob = defineRoute(anyRole, route, async (c) => {
  const job = await queryJob(c.var.services.db, c.var.principal.siteId, c.req.valid('param').id);
  return c.json(job, 200);
});
