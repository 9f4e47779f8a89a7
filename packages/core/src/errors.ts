/**
 * Domain errors: a stable code plus a message in Chinese that a person can act on.
 * They know nothing of HTTP or exit codes; the edges (api, cli) map codes to those.
 */
export const errorCodes = {
  BAD_INPUT: 'BAD_INPUT',
  UNREADABLE_FILE: 'UNREADABLE_FILE',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** Well-formed, but against a rule of the contract (a job livestream booked with 19 jobs). */
  RULE_VIOLATED: 'RULE_VIOLATED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Too many attempts (failed logins): try again later. */
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class JobcastError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'JobcastError';
    this.code = code;
    this.details = details;
  }
}

export function isJobcastError(error: unknown): error is JobcastError {
  return error instanceof JobcastError;
}
