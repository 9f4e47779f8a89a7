import { createRoute, z } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { updateScreen } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { idSchema } from '../../schemas.ts';
import { screenIdParams, screenSchema, screenView } from './view.ts';

const route = createRoute({
  method: 'patch',
  path: '/api/screens/{id}',
  tags: ['screens'],
  summary: 'Rename a screen or move it to another group',
  request: {
    params: screenIdParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              name: z.string().max(200).optional().openapi({ example: '大厅西侧电视' }),
              groupId: idSchema.optional().openapi({ description: 'The group it moves to' }),
            })
            .openapi('ScreenChange'),
        },
      },
    },
  },
  responses: {
    200: { description: 'changed', content: { 'application/json': { schema: screenSchema } } },
    404: errorResponse('屏幕或分组不存在 (no such screen or group on your site)'),
  },
});

export const updateScreenRoute = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const { siteId } = c.var.principal;
  const { id } = c.req.valid('param');
  const change = c.req.valid('json');
  if (change.name === undefined && change.groupId === undefined) {
    throw new JobcastError('BAD_INPUT', '请给出新名称 name 或新分组 groupId');
  }
  await updateScreen(db, siteId, id, change);
  return c.json(await screenView({ db, templatesDir: config.templatesDir }, siteId, id), 200);
});
