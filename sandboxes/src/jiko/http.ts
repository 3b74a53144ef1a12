/**
 * Jiko's HTTP conventions, as a FastAPI service answers: every error body is `{ detail }`,
 * a message, or for request validation (422) a list of `{ loc, msg, type }` naming each bad
 * field. The sandbox never answers 500 for bad input; anything unexpected is logged and
 * becomes a bare `{ detail: "Internal Server Error" }`.
 */

import type { Logger } from '@desk/server';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';

export type ValidationIssue = { loc: (string | number)[]; msg: string; type: string };

/** What a handler answers: a status and a JSON body. */
export type JikoAnswer = { status: number; body: object };

/** An answer already serialised: replays send the exact text first sent. */
export type SerializedAnswer = { status: number; text: string; replayed: boolean };

export class JikoError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
  ) {
    super(typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '));
    this.name = 'JikoError';
  }

  static validation(issues: ValidationIssue[]): JikoError {
    return new JikoError(422, issues);
  }

  toAnswer(): JikoAnswer {
    return { status: this.status, body: { detail: this.detail } };
  }
}

export function serialize(answer: JikoAnswer): SerializedAnswer {
  return { status: answer.status, text: JSON.stringify(answer.body), replayed: false };
}

export function sendAnswer(res: Response, answer: SerializedAnswer): void {
  if (answer.replayed) res.setHeader('x-jiko-idempotent-replay', 'true');
  res.status(answer.status).type('application/json').send(answer.text);
}

/** The single value of a request header, or null when absent or empty. */
export function headerValue(req: Request, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/**
 * Reads the body as raw bytes whatever its content type: JSON bodies must be signed over the
 * exact bytes sent, and uploads are raw files. A request without a body reads as empty.
 */
export function rawBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes });
}

export function bodyBytes(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Parses a JSON body; an empty or malformed one is a 422 as FastAPI gives it. */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) throw JikoError.validation([{ loc: ['body'], msg: 'Field required', type: 'missing' }]);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    throw JikoError.validation([
      { loc: ['body', Number(position ?? 0)], msg: 'JSON decode error', type: 'json_invalid' },
    ]);
  }
}

/** Errors raised by body parsers carry an HTTP status of their own (413, 400, 415). */
function clientStatusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function jikoNotFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ detail: 'Not Found' });
  };
}

export function jikoErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof JikoError) {
      res.status(err.status).json({ detail: err.detail });
      return;
    }
    const status = clientStatusOf(err);
    if (status === 413) {
      res.status(413).json({ detail: 'Request body too large' });
    } else if (status !== null) {
      res.status(status).json({ detail: 'Malformed request' });
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'jiko sandbox: unhandled error');
      res.status(500).json({ detail: 'Internal Server Error' });
    }
  };
}
