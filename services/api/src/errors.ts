import { z } from '@hono/zod-openapi';
import { type ErrorCode, errorCodes, isJobcastError, JobcastError } from '@jobcast/core';
import type { Context, ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { AppEnv } from './context.ts';
import { describeIssues, fieldLabel } from './input-messages.ts';

/** The one place domain error codes become HTTP statuses. */
export const httpStatusOf: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_INPUT: 400,
  UNREADABLE_FILE: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RULE_VIOLATED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  MIGRATION_FAILED: 500,
  INTERNAL: 500,
};

/** For hono's own HTTPExceptions (malformed JSON, wrong media type): the code a client should see. */
const codeOfStatus = new Map<number, ErrorCode>(
  (Object.entries(httpStatusOf) as [ErrorCode, ContentfulStatusCode][])
    .filter(([, status]) => status !== 500)
    .map(([code, status]) => [status, code]),
);

/**
 * Codes only the API answers, each a case of a domain code (whose status it takes) that a client
 * acts on differently: retry later, or send a new Idempotency-Key.
 */
export const apiErrorCodes = {
  /** Redis is down: nothing was recorded; retry after Retry-After. */
  QUEUE_UNAVAILABLE: 'UNAVAILABLE',
  /** PostgreSQL cannot be reached or is restarting; retry after Retry-After. */
  DATABASE_UNAVAILABLE: 'UNAVAILABLE',
  /** The Idempotency-Key was first sent with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'RULE_VIOLATED',
  /** The first request with this Idempotency-Key is still being answered. */
  IDEMPOTENCY_KEY_IN_FLIGHT: 'CONFLICT',
} as const satisfies Record<string, ErrorCode>;
export type ApiErrorCode = keyof typeof apiErrorCodes;

export class ApiError extends JobcastError {
  readonly apiCode: ApiErrorCode;
  /** Sent as Retry-After. */
  readonly retryAfterSeconds: number | undefined;

  constructor(apiCode: ApiErrorCode, message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(apiErrorCodes[apiCode], message);
    this.apiCode = apiCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

const answerCodes = [...Object.keys(errorCodes), ...Object.keys(apiErrorCodes)] as [
  ErrorCode | ApiErrorCode,
  ...(ErrorCode | ApiErrorCode)[],
];

export const errorEnvelopeSchema = z
  .object({
    code: z.enum(answerCodes).openapi({ example: 'BAD_INPUT' }),
    message: z.string().openapi({ description: 'What went wrong, in Chinese, for a person; clients act on `code`' }),
    requestId: z
      .string()
      .openapi({ description: 'Also sent as the X-Request-Id header; quote it when reporting a problem' }),
  })
  .openapi('Error');

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: errorEnvelopeSchema } } };
}

const INTERNAL_MESSAGE = '服务器内部错误，请稍后再试';

interface Answer {
  status: ContentfulStatusCode;
  code: ErrorCode | ApiErrorCode;
  message: string;
}

/** Connection-level failures: PostgreSQL is down, restarting, or refusing more connections. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
]);

/**
 * Whether a failure is PostgreSQL being unreachable (a case for "try again later", not a bug): a
 * connection failure in the chain of a database call (drizzle's "Failed query", a pg error, the pool).
 */
export function databaseUnavailable(error: Error): Error | undefined {
  let fromDatabase = false;
  let connection: Error | undefined;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (e.message.startsWith('Failed query') || 'severity' in e || /[\\/]pg(-pool)?[\\/]/.test(e.stack ?? '')) {
      fromDatabase = true;
    }
    if ((typeof code === 'string' && CONNECTION_FAILURES.has(code)) || /^Connection terminated/.test(e.message)) {
      connection = e;
    }
  }
  return fromDatabase ? connection : undefined;
}

const DATABASE_UNAVAILABLE_MESSAGE = '数据库暂时不可用，请稍后重试';
/** Seconds a client is told to wait while PostgreSQL is unavailable. */
const DATABASE_RETRY_AFTER_SECONDS = 15;

/** The status, code and message a failure is answered with. */
/**
 * A domain check names the bad field in `details.field` (`publishedOn`); the answer names it as a
 * person reads it (发布日期：日期有误…) unless the message already does.
 */
function namingTheField(error: JobcastError): string {
  const field = error.details?.field;
  if (error.code !== 'BAD_INPUT' || typeof field !== 'string') return error.message;
  const label = fieldLabel(field.split('.'), '');
  return label === '' || label === field || error.message.startsWith(label)
    ? error.message
    : `${label}：${error.message}`;
}

export function answerFor(error: Error): Answer {
  if (databaseUnavailable(error))
    return { status: 503, code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE };
  if (isJobcastError(error)) {
    const status = httpStatusOf[error.code];
    const code = error instanceof ApiError ? error.apiCode : error.code;
    // A 500's own message is for the log: it may name tables, paths or hosts.
    return { status, code, message: status === 500 ? INTERNAL_MESSAGE : namingTheField(error) };
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status >= 500) return { status, code: status === 503 ? 'UNAVAILABLE' : 'INTERNAL', message: INTERNAL_MESSAGE };
    // hono's own text ("Malformed JSON in request body") is English: the answer says it in Chinese.
    const message =
      status === 415
        ? '不支持这种内容类型，请按接口文档（/openapi.json）发送'
        : /JSON/i.test(error.message)
          ? '请求内容不是有效的 JSON'
          : '请求格式有误，请检查发送的内容';
    return { status, code: codeOfStatus.get(status) ?? 'BAD_INPUT', message };
  }
  return { status: 500, code: 'INTERNAL', message: INTERNAL_MESSAGE };
}

/**
 * What the log keeps of a failure: the message or stack and every cause (the database's own error
 * is a drizzle error's cause), without a failed query's parameters, which can hold tokens and keys.
 */
export function logDetail(error: Error): string {
  const lines = [isJobcastError(error) ? error.message : (error.stack ?? error.message)];
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) lines.push(`caused by: ${cause.message}`);
  return lines.join('\n').replace(/^params: .*$/gm, 'params: (not logged)');
}

/** The one error handler: every failure leaves as {code, message, requestId}, never as a stack trace. */
export function answerError(error: Error, c: Context<AppEnv>): Response {
  const { status, code, message } = answerFor(error);
  const requestId = c.var.requestId;
  const lostDatabase = databaseUnavailable(error);
  if (lostDatabase) {
    // One line: the query and its stack say nothing more while the database is away.
    c.var.services.log(`[${requestId}] ${c.req.method} ${c.req.path} → ${status} ${code}: ${lostDatabase.message}`);
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  } else if (status >= 500) {
    c.var.services.log(`[${requestId}] ${c.req.method} ${c.req.path} → ${status} ${code}: ${logDetail(error)}`);
  }
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="jobcast"');
  if (error instanceof ApiError && error.retryAfterSeconds) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json({ code, message, requestId } satisfies ErrorEnvelope, status);
}

export function answerNotFound(c: Context<AppEnv>): Response {
  const message = `没有这个接口：${c.req.method} ${c.req.path}`;
  return c.json({ code: 'NOT_FOUND', message, requestId: c.var.requestId } satisfies ErrorEnvelope, 404);
}

type ValidationResult = { target: keyof ValidationTargets } & (
  | { success: true; data: unknown }
  | { success: false; error: ZodError }
);

/** Each part of a request: its name in `fields` (for programs) and for a person. */
const targets: Record<keyof ValidationTargets, { field: string; label: string }> = {
  json: { field: 'body', label: '请求内容' },
  form: { field: 'form', label: '表单' },
  query: { field: 'query', label: '查询参数' },
  param: { field: 'path', label: '路径参数' },
  header: { field: 'header', label: '请求头' },
  cookie: { field: 'cookie', label: '请求头' },
};

/**
 * OpenAPIHono's defaultHook: a failed zod check becomes BAD_INPUT naming each bad field in Chinese;
 * `details.fields` keeps each field's path for programs.
 */
export function rejectInvalidInput(result: ValidationResult): void {
  if (result.success) return;
  const target = targets[result.target];
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || target.field,
    reason: issue.message,
  }));
  throw new JobcastError('BAD_INPUT', `请求参数有误：${describeIssues(result.error.issues, target.label)}`, { fields });
}
