import path from 'node:path';
import { addUser } from '@jobcast/auth';
import { isJobcastError, userRoles } from '@jobcast/core';
import { getSiteByCode } from '@jobcast/db';
import { importFile } from '@jobcast/ingest';
import { sampleHeader, sampleJobRows, writeCsvFile } from '@jobcast/sample-data';
import type { CommandContext } from '../context.ts';
import { describeImport } from './imports.ts';

export const DEMO_PASSWORD = 'jobcast-demo';

/**
 * Loads the demo through the same paths a user takes: a generated GBK export with some bad rows
 * is imported like any file, and one user per role is created.
 */
export async function runDemo(ctx: CommandContext, apiUrl: string): Promise<void> {
  const file = path.join(ctx.config.dataDir, 'demo', '岗位信息-演示.csv');
  await writeCsvFile(file, sampleHeader, sampleJobRows({ count: 240, messy: true, badRatio: 0.03 }), 'gbk');
  const summary = await importFile(ctx.db, file, { siteCode: ctx.config.siteCode });
  const site = await getSiteByCode(ctx.db, ctx.config.siteCode);
  for (const role of userRoles) {
    try {
      await addUser(ctx.db, {
        siteId: site.id,
        username: role,
        password: DEMO_PASSWORD,
        role,
        displayName: `演示${role}`,
      });
    } catch (error) {
      if (!isJobcastError(error) || error.code !== 'CONFLICT') throw error;
    }
  }
  const relative = path.relative(process.cwd(), file);
  process.stdout.write(
    [
      '',
      `演示数据已导入 (demo data imported) — ${relative}`,
      describeImport(summary),
      '',
      `JobCast API:   ${apiUrl}`,
      `  健康检查:     ${apiUrl}/healthz   ${apiUrl}/readyz`,
      `  接口文档:     ${apiUrl}/openapi.json`,
      `演示账号 (demo logins), 密码 ${DEMO_PASSWORD}: ${userRoles.join(', ')}`,
      '试一试 (try): 先登录取得令牌，再查询岗位 (sign in for a token, then list jobs)',
      `  curl -s -X POST ${apiUrl}/api/auth/login -H 'content-type: application/json' -d '{"username":"manager","password":"${DEMO_PASSWORD}"}'`,
      `  curl -s -H 'Authorization: Bearer <token>' '${apiUrl}/api/jobs?category=gig&limit=3'`,
      `  npx jobcast jobs list --search 普工 --limit 5`,
      '按 Ctrl+C 停止 (Ctrl+C stops)',
      '',
    ].join('\n'),
  );
}
