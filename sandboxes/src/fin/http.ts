/**
 * Fin.com's HTTP conventions as the guide shows them. Three error bodies:
 *
 *   400 validation   { "message": "Validation failed", "errors": { "<field.path>": ["..."] } }
 *                    every bad field named; paths are dotted, array items by index
 *                    (`basic_info.tax_info.1.document_id`). A malformed or non-object JSON
 *                    body is the same 400 with the path `body`.
 *   423 entitlement  { "message": "RELIANCE is not available for your client" }
 *   everything else  { "error": { "code": "<code>", "message": "..." } } as the guide's 403
 *                    and 409 examples; the sandbox uses it for 401 unauthorized, 403
 *                    forbidden, 404 not_found, 409 conflict, 413 payload_too_large.
 *
 * Successful answers are `{ "data": ..., "meta": null }` as the attach example. The sandbox
 * never answers 500 for bad input; anything unexpected is logged and becomes a bare
 * `{ "error": { "code": "internal_error", ... } }`.
 */

import type { Logger } from '@desk/server';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';

export const finErrorCodes = [
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'internal_error',
] as const;
export type FinErrorCode = (typeof finErrorCodes)[number];

export type FieldErrors = Record<string, string[]>;

type FinErrorBody =
  | { kind: 'validation'; errors: FieldErrors }
  | { kind: 'message'; message: string }
  | { kind: 'error'; code: FinErrorCode; message: string };

export class FinError extends Error {
  constructor(
    readonly status: number,
    readonly body: FinErrorBody,
  ) {
    super(body.kind === 'validation' ? Object.keys(body.errors).join(', ') : body.message);
    this.name = 'FinError';
  }

  static validation(errors: FieldErrors): FinError {
    return new FinError(400, { kind: 'validation', errors });
  }

  static coded(status: number, code: FinErrorCode, message: string): FinError {
    return new FinError(status, { kind: 'error', code, message });
  }

  static notFound(what = 'Customer'): FinError {
    return FinError.coded(404, 'not_found', `${what} not found`);
  }

  toJson(): object {
    switch (this.body.kind) {
      case 'validation':
        return { message: 'Validation failed', errors: this.body.errors };
      case 'message':
        return { message: this.body.message };
      case 'error':
        return { error: { code: this.body.code, message: this.body.message } };
    }
  }
}

export const notEligible = () => FinError.coded(403, 'forbidden', 'Customer is not eligible for this operation');

export function sendData(res: Response, status: number, data: unknown): void {
  res.status(status).json({ data, meta: null });
}

/** The single value of a request header, or null when absent or empty. */
export function headerValue(req: Request, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/** Reads any body as raw bytes (whatever its Content-Type), parsed by `parseJsonBody`. */
export function rawBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes });
}

/** Parses a JSON object body; empty, malformed or not an object is the 400 on `body`. */
export function parseJsonBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  if (bytes.length === 0) throw FinError.validation({ body: ['A JSON object body is required'] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw FinError.validation({ body: ['Malformed JSON'] });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw FinError.validation({ body: ['The body must be a JSON object'] });
  }
  return parsed as Record<string, unknown>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id: a UUID, lower-cased; anything else names no customer (404). */
export function parseId(value: string | string[] | undefined, what = 'Customer'): string {
  if (typeof value === 'string' && uuidPattern.test(value)) return value.toLowerCase();
  throw FinError.notFound(what);
}

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** Errors raised by body parsers and multer carry an HTTP status or a code of their own. */
function clientStatusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function finNotFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'Not found' } });
  };
}

export function finErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof FinError) {
      res.status(err.status).json(err.toJson());
      return;
    }
    const status = clientStatusOf(err);
    if (status === 413) {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'Request body too large' } });
    } else if (status !== null) {
      res.status(400).json({ message: 'Validation failed', errors: { body: ['Malformed request'] } });
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'fin sandbox: unhandled error');
      res.status(500).json({ error: { code: 'internal_error', message: 'Internal Server Error' } });
    }
  };
}
