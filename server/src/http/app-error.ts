import type { ErrorCode } from '@desk/shared';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  stale_version: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  provider_unavailable: 503,
  unavailable: 503,
  internal: 500,
};

/** The one error type the API throws on purpose; the error handler turns it into a body. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusByCode[code];
  }

  /** Seconds the client should wait before trying again (sent as `Retry-After`). */
  retryAfterSeconds?: number;

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }

  /** A 429 saying when to come back: at most `seconds`, when the counted attempts have left the window. */
  static rateLimited(message: string, seconds: number): AppError {
    const error = new AppError('rate_limited', message);
    error.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return error;
  }
}
