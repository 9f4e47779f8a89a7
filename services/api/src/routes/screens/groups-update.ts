import { createRoute } from '@hono/zod-openapi';
import { JobcastError } from '@jobcast/core';
import { configureScreenGroup, getSiteByCode } from '@jobcast/db';
import { errorResponse } from '../../errors.ts';
import { SCREEN_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { groupSettingsSchema } from './groups-create.ts';
import { screenGroupSchema, screenGroupView, screenIdParams } from './view.ts';

const route = createRoute({
  method: 'patch',
  path: '/api/screen-groups/{id}',
  tags: ['screens'],
  summary: "Change a group's name, playlist mode, automatic list length or play windows",
  request: {
    params: screenIdParams,
    body: {
      required: true,
      content: { 'application/json': { schema: groupSettingsSchema.partial().openapi('ScreenGroupChange') } },
    },
  },
  responses: {
    200: { description: 'changed', content: { 'application/json': { schema: screenGroupSchema } } },
    400: errorResponse('播放时段或视频数有误，信息里指出是哪个时段 (a bad window or limit: the message names it)'),
    404: errorResponse('屏幕分组不存在 (no such screen group on your site)'),
  },
});

export const updateScreenGroupRoute = defineRoute(SCREEN_MANAGERS, route, async (c) => {
  const { db, config } = c.var.services;
  const site = await getSiteByCode(db, c.var.principal.siteCode);
  const change = c.req.valid('json');
  if (Object.values(change).every((value) => value === undefined)) {
    throw new JobcastError('BAD_INPUT', '没有要修改的内容：请给出 name、mode、autoLimit 或 windows');
  }
  const group = await configureScreenGroup(db, site.id, c.req.valid('param').id, change);
  return c.json(await screenGroupView({ db, templatesDir: config.templatesDir }, site, group), 200);
});
