/**
 * The one place the client talks HTTP to the desk server.
 *
 * Every response body is checked against its schema from `@desk/shared`, so a view never
 * renders a shape the contract does not promise; every error body becomes a react-admin
 * `HttpError` carrying the server's message, and its field errors in `body.errors`.
 */
import { type ErrorBody, errorBodySchema } from '@desk/shared';
import { HttpError } from 'react-admin';

/** The part of a zod schema this module needs (zod itself is a dependency of `@desk/shared`). */
export interface ResponseSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/** What a failed request carries in `HttpError.body`. */
export interface ApiErrorBody {
  message: string;
  code: ErrorBody['code'] | 'network' | 'unexpected_response';
  errors?: Record<string, string[]>;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** A multipart body (a file upload); the browser sets its Content-Type with the boundary. */
  body?: FormData | undefined;
  /** A JSON body (sent with `Content-Type: application/json`); ignored when `body` is given. */
  json?: unknown;
}

/** Kept for the read paths, which never send a body. */
export type GetJsonOptions = Omit<RequestOptions, 'body' | 'json'>;

export function getJson<T>(path: string, schema: ResponseSchema<T>, options: GetJsonOptions = {}): Promise<T> {
  return requestJson('GET', path, schema, options);
}

/** A POST whose answer is checked against `schema` (actions answer 202 with what they queued). */
export function postJson<T>(path: string, schema: ResponseSchema<T>, options: RequestOptions = {}): Promise<T> {
  return requestJson('POST', path, schema, options);
}

/** A PATCH with a JSON body, its answer checked against `schema`. */
export function patchJson<T>(path: string, schema: ResponseSchema<T>, options: RequestOptions = {}): Promise<T> {
  return requestJson('PATCH', path, schema, options);
}

/** A request whose answer has no body (204), such as signing out or deleting a saved filter. */
export async function sendEmpty(method: 'POST' | 'DELETE', path: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    throw apiError(0, { message: 'The desk server cannot be reached.', code: 'network' });
  }
  if (!response.ok) throw errorFromResponse(response, await readJsonBody(response));
}

async function requestJson<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  schema: ResponseSchema<T>,
  options: RequestOptions,
): Promise<T> {
  let response: Response;
  const sendsJson = options.body === undefined && options.json !== undefined;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: sendsJson
        ? { Accept: 'application/json', 'Content-Type': 'application/json' }
        : { Accept: 'application/json' },
      body: options.body ?? (sendsJson ? JSON.stringify(options.json) : null),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw apiError(0, { message: 'The desk server cannot be reached.', code: 'network' });
  }

  const body = await readJsonBody(response);
  if (!response.ok) throw errorFromResponse(response, body);

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw apiError(response.status, {
      message: `The server answered ${path} in an unexpected shape.`,
      code: 'unexpected_response',
    });
  }
  return parsed.data;
}

/** True when the error is a 400 that names the given query field. */
export function isFieldError(error: unknown, field: string): boolean {
  if (!(error instanceof HttpError) || error.status !== 400) return false;
  const parsed = errorBodySchema.safeParse(error.body);
  return parsed.success && parsed.data.errors !== undefined && field in parsed.data.errors;
}

async function readJsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorFromResponse(response: Response, body: unknown): HttpError {
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

function apiError(status: number, body: ApiErrorBody): HttpError {
  return new HttpError(body.message, status, body);
}
