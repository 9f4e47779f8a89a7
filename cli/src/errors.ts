import { ConfigError } from '@jobcast/config';
import { type ErrorCode, isJobcastError } from '@jobcast/core';

/** Exit codes: 2 for anything the user can fix in what they typed or gave, 1 for the rest. */
const exitCodes: Record<ErrorCode, number> = {
  BAD_INPUT: 2,
  UNREADABLE_FILE: 2,
  NOT_FOUND: 2,
  CONFLICT: 2,
  UNAUTHENTICATED: 2,
  FORBIDDEN: 2,
  PAYLOAD_TOO_LARGE: 2,
  UNAVAILABLE: 1,
  MIGRATION_FAILED: 1,
  INTERNAL: 1,
};

export function reportError(error: unknown): number {
  if (isJobcastError(error)) {
    process.stderr.write(`错误 [${error.code}]：${error.message}\n`);
    return exitCodes[error.code];
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01') {
    process.stderr.write(
      `无法连接数据库或 Redis (cannot reach PostgreSQL or Redis): ${(error as Error).message}\n` +
        '请检查 DATABASE_URL / REDIS_URL，或运行 `npm run setup` 启动本机服务并迁移数据库。\n',
    );
    return 1;
  }
  process.stderr.write(`意外错误 (unexpected error): ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}
