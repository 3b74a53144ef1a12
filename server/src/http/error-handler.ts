import type { ErrorBody } from '@desk/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { AppError } from './app-error.js';
import { loggableUrl } from './request-log.js';

/** Errors raised by body parsers and the like carry an HTTP status of their own. */
function httpStatusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function notFoundHandler(): RequestHandler {
  // The path as asked for (at most 200 characters; the query is the caller's own business).
  return (req, _res, next) =>
    next(
      new AppError('not_found', `No route for ${req.method} ${(req.originalUrl.split('?')[0] ?? '').slice(0, 200)}`),
    );
}

/** The one error handler: known errors become their body, anything else a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // A streamed answer failed part-way: no status or body can follow what went out. Express
      // ends the connection, so the client sees a cut transfer, not a body that looks whole.
      logger.error({ err, method: req.method, url: loggableUrl(req.originalUrl) }, 'error after the answer began');
      next(err);
      return;
    }
    let body: ErrorBody;
    let status: number;
    if (err instanceof AppError) {
      status = err.status;
      body = { message: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) };
      if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    } else if (httpStatusOf(err) !== null) {
      status = httpStatusOf(err) ?? 400;
      const code =
        status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'validation_failed';
      const message =
        status === 413
          ? 'Request body too large'
          : status === 415
            ? 'Unsupported content type'
            : 'Malformed request body';
      body = { message, code, ...(code === 'validation_failed' ? { errors: { '(body)': [message] } } : {}) };
    } else {
      logger.error({ err, method: req.method, url: loggableUrl(req.originalUrl) }, 'unhandled error');
      status = 500;
      body = { message: 'Internal server error', code: 'internal' };
    }
    res.status(status).json(body);
  };
}
