import { ConfigError } from '@jobcast/config';
import { type ErrorCode, isJobcastError } from '@jobcast/core';

/** Exit codes: 2 for anything the user can fix in what they typed or gave, 1 for the rest. */
const exitCodes: Record<ErrorCode, number> = {
  BAD_INPUT: 2,
  UNREADABLE_FILE: 2,
  NOT_FOUND: 2,
  CONFLICT: 2,
  RULE_VIOLATED: 2,
  UNAUTHENTICATED: 2,
  FORBIDDEN: 2,
  PAYLOAD_TOO_LARGE: 2,
  RATE_LIMITED: 1,
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
  const code = rootCode(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01') {
    process.stderr.write(
      `无法连接数据库或 Redis：${(error as Error).message}\n` +
        '请检查 DATABASE_URL / REDIS_URL，或运行 `npm run setup` 启动本机服务并迁移数据库。\n',
    );
    return 1;
  }
  process.stderr.write(`意外错误：${(error as Error).stack ?? String(error)}\n`);
  return 1;
}

/** drizzle wraps driver errors ("Failed query: …"); the connection error code sits in the cause chain. */
function rootCode(error: unknown): string | undefined {
  let current = error as (Error & { code?: string; errors?: unknown[] }) | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    const inner = current.errors?.[0] as (Error & { code?: string }) | undefined;
    if (typeof inner?.code === 'string') return inner.code;
    current = current.cause as typeof current;
  }
  return undefined;
}
