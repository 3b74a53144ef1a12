/**
 * The provider's HTTP conventions. Every error body has exactly the guide's three keys,
 * `{ error, message, statusCode }`, plus `customerStatus` on PATCH_NOT_ALLOWED (the guide's
 * client reads `error.customerStatus`). Codes:
 *
 *   400 BAD_REQUEST         validation ("Validation failed: <field> <rule>; <field> <rule>",
 *                           every bad field named) and malformed JSON
 *   400 PATCH_NOT_ALLOWED   PATCH outside CREATED / NEEDS_ADDITIONAL_INFORMATION / REJECTED
 *   401 UNAUTHORIZED        "Invalid or expired API key" (missing, malformed or wrong key)
 *   404 NOT_FOUND           unknown customer or route
 *   413 PAYLOAD_TOO_LARGE   a body over 1 MB
 *   500 INTERNAL_SERVER_ERROR  only for the sandbox's own faults, never for bad input
 *
 * Bodies are read as raw bytes whatever their Content-Type and parsed as JSON here, so a
 * malformed body is the guide's 400 and not Express's HTML page.
 */

import type { Logger } from '@desk/server';
import type { KycStatus } from '@desk/shared';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { secretsEqual } from './signing.js';

export const kycErrorCodes = [
  'BAD_REQUEST',
  'PATCH_NOT_ALLOWED',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type KycErrorCode = (typeof kycErrorCodes)[number];

export type KycErrorBody = { error: KycErrorCode; message: string; statusCode: number; customerStatus?: KycStatus };

export class KycError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: KycErrorCode,
    message: string,
    readonly customerStatus?: KycStatus,
  ) {
    super(message);
    this.name = 'KycError';
  }

  /** One validation failure naming every bad field, in the guide's wording. */
  static validation(problems: string[]): KycError {
    return new KycError(400, 'BAD_REQUEST', `Validation failed: ${problems.join('; ')}`);
  }

  static notFound(what: string): KycError {
    return new KycError(404, 'NOT_FOUND', `${what} not found`);
  }

  toBody(): KycErrorBody {
    const body: KycErrorBody = { error: this.code, message: this.message, statusCode: this.statusCode };
    if (this.customerStatus) body.customerStatus = this.customerStatus;
    return body;
  }
}

export const jsonLimitBytes = 1024 * 1024;

export function rawBody(): RequestHandler {
  return express.raw({ type: () => true, limit: jsonLimitBytes });
}

/** The request's JSON body; empty or malformed is the guide's 400. */
export function jsonBodyOf(req: Request): unknown {
  const body: unknown = req.body;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  if (bytes.length === 0) throw new KycError(400, 'BAD_REQUEST', 'Request body is required and must be a JSON object');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new KycError(400, 'BAD_REQUEST', 'Malformed JSON in request body');
  }
}

/**
 * `Authorization: Bearer <API key>`, as every example of the guide sends it; anything else
 * is 401. The key is compared in constant time.
 */
export function requireApiKey(apiKey: string): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1] || !secretsEqual(apiKey, match[1])) {
      throw new KycError(401, 'UNAUTHORIZED', 'Invalid or expired API key');
    }
    next();
  };
}

/** Errors raised by body parsers carry an HTTP status of their own (413, 400). */
function clientStatusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null || !('status' in err)) return null;
  const status: unknown = err.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function kycNotFound(): RequestHandler {
  return () => {
    throw KycError.notFound('Route');
  };
}

export function kycErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    let error: KycError;
    if (err instanceof KycError) {
      error = err;
    } else if (clientStatusOf(err) === 413) {
      error = new KycError(413, 'PAYLOAD_TOO_LARGE', `Request body must be at most ${jsonLimitBytes} bytes`);
    } else if (clientStatusOf(err) !== null) {
      error = new KycError(400, 'BAD_REQUEST', 'Malformed request');
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'kyc sandbox: unhandled error');
      error = new KycError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    if (error.statusCode === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(error.statusCode).json(error.toBody());
  };
}
