/**
 * How a failed call reaches the views: a react-admin `HttpError` carrying the server's message
 * (with its field errors spelled out, so a notification is readable on its own), its `code`,
 * and the field errors themselves in `body.errors` for forms to show inline.
 */
import { type ErrorBody, errorBodySchema } from '@desk/shared';
import { HttpError } from 'react-admin';

/** What a failed request carries in `HttpError.body`. */
export interface ApiErrorBody {
  message: string;
  code: ErrorBody['code'] | 'network' | 'unexpected_response';
  errors?: Record<string, string[]>;
}

export function apiError(status: number, body: ApiErrorBody): HttpError {
  return new HttpError(body.message, status, body);
}

/** The server's error answer (or whatever it sent instead) as an `HttpError`. */
export function errorFromResponse(response: Response, body: unknown): HttpError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { message, code, errors } = parsed.data;
    return apiError(
      response.status,
      errors ? { message: withFieldErrors(message, errors), code, errors } : { message, code },
    );
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return apiError(response.status, { message: `The server answered ${response.status}${reason}.`, code: 'internal' });
}

/** "Validation failed: cursor is not a cursor this server handed out" — readable in a notification. */
function withFieldErrors(message: string, errors: Record<string, string[]>): string {
  const details = Object.entries(errors).flatMap(([field, messages]) => messages.map((m) => `${field} ${m}`));
  return details.length > 0 ? `${message}: ${details.join('; ')}` : message;
}

/** The field errors a refusal named (none for any other error). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  if (!(error instanceof HttpError)) return {};
  const parsed = errorBodySchema.safeParse(error.body);
  return parsed.success ? (parsed.data.errors ?? {}) : {};
}

/** True when the error is a 400 that names the given query field. */
export function isFieldError(error: unknown, field: string): boolean {
  return error instanceof HttpError && error.status === 400 && field in fieldErrorsOf(error);
}

/** True when the server refused because of who is asking (not signed in, or not allowed). */
export function isAccessDenied(error: unknown): boolean {
  return error instanceof HttpError && (error.status === 401 || error.status === 403);
}

/** Retry what may pass next time (network, 5xx); never a refusal or a bad request. */
export function retryTransient(failures: number, error: unknown): boolean {
  if (error instanceof HttpError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}
