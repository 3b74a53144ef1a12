/**
 * The one way a request reaches a handler. The route table's matcher picks the route (exact,
 * case-sensitive, see `route-match.ts`); the gate checks that same route; its body is read
 * the way the route says (JSON, multipart or raw bytes) and its params, query and body are
 * parsed with the route's schemas; then the route's own handler runs and its answer is sent.
 * Nothing else registers API paths, so no spelling of a path can reach a handler the gate did
 * not check.
 */

import { type BodySpec, errorStatusesOf, matchRoute, type RouteName, type RouteSpec, routes } from '@desk/shared';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { authorize } from '../auth/access-control.js';
import type { SessionSettings } from '../auth/sessions.js';
import type { Database } from '../db/schema.js';
import { AppError } from './app-error.js';
import { multipartBody } from './multipart.js';
import type { RouteHandler, RouteHandlers, RouteInput, UploadedFile } from './route-handler.js';
import { parseRequest } from './validate.js';

declare global {
  namespace Express {
    interface Locals {
      /** The route table entry this request reached (for metrics and logs). */
      routeName?: RouteName;
    }
  }
}

export type DispatchOptions = {
  db: Kysely<Database>;
  sessions: SessionSettings;
  handlers: RouteHandlers;
  checkResponses?: ResponseCheck;
};

/** An answer the route table does not declare for its route. */
export class ResponseMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseMismatch';
  }
}

/**
 * Holding every answer to its route's entry in the table (tests): a success status the route
 * declares with a body its schema takes, or an error status the route declares. `true` turns a
 * mismatch into a 500; a function is also told of each one, because a 500 alone can pass
 * unnoticed by a test that expects a refusal or does not look at the status.
 */
export type ResponseCheck = boolean | ((mismatch: ResponseMismatch) => void);

type Reply = { status: number; body?: unknown; sent?: true };

/** Why `reply` is not an answer `spec` declares, or null when it is. */
export function replyMismatchOf(spec: RouteSpec, reply: Reply): string | null {
  const response = spec.responses[reply.status as keyof RouteSpec['responses']];
  if (!response) return `${spec.method} ${spec.path} answered ${reply.status}, which its route does not declare`;
  if (response.kind === 'json' && !reply.sent) return bodyMismatchOf(spec, response.schema, reply.body);
  return null;
}

function bodyMismatchOf(spec: RouteSpec, schema: z.ZodType, body: unknown): string | null {
  const result = schema.safeParse(body);
  return result.success
    ? null
    : `${spec.method} ${spec.path} answered a body its schema refuses: ${z.prettifyError(result.error)}`;
}

/** Why an error answer with `status` is not one `spec` declares (see `errorStatusesOf`), or null. */
export function errorMismatchOf(spec: RouteSpec, status: number): string | null {
  // A 500 is never declared: it is a bug, which the error handler logs.
  if (status >= 500 && status !== 503) return null;
  return errorStatusesOf(spec).includes(status)
    ? null
    : `${spec.method} ${spec.path} answered ${status}, an error its route does not declare`;
}

/** The HTTP status an error will be answered with (AppError, body parsers), or null for a bare 500. */
function errorStatusOf(err: unknown): number | null {
  if (err instanceof AppError) return err.status;
  if (typeof err !== 'object' || err === null) return null;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** Reports a mismatch as `check` says; returns the error to answer with. */
function reportMismatch(check: ResponseCheck, message: string): ResponseMismatch {
  const mismatch = new ResponseMismatch(message);
  if (typeof check === 'function') check(mismatch);
  return mismatch;
}

/**
 * A handler that writes a JSON answer itself (a `content` answer with a schema, such as the
 * audit report's `format=json`) has it checked as it is written.
 */
function checkJsonWrittenBy(spec: RouteSpec, res: Response, check: ResponseCheck): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const response = spec.responses[res.statusCode as keyof RouteSpec['responses']];
    if (response?.kind === 'content' && response.schema) {
      const problem = bodyMismatchOf(spec, response.schema, body);
      if (problem) throw reportMismatch(check, problem);
    }
    return json(body);
  };
}

/** The path as sent, without the query: matching never decodes or normalises it. */
export function rawPathOf(req: Request): string {
  const url = req.originalUrl;
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

const jsonBody = express.json({ limit: '1mb', strict: true });
const rawBodies = new Map<number, RequestHandler>();

function run(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const done: NextFunction = (err?: unknown) => (err ? reject(err) : resolve());
    void middleware(req, res, done);
  });
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

const multipartParsers = new WeakMap<BodySpec, RequestHandler>();

/** One parser per multipart route; it takes no more text parts than the route's schema names. */
function multipartParserFor(spec: Extract<BodySpec, { kind: 'multipart' }>): RequestHandler {
  let parser = multipartParsers.get(spec);
  if (!parser) {
    const known = z.toJSONSchema(spec.fields, { io: 'input', unrepresentable: 'any' }).properties ?? {};
    parser = multipartBody({ files: spec.files, maxFields: Object.keys(known).length });
    multipartParsers.set(spec, parser);
  }
  return parser;
}

/** Reads the body as `spec` says; returns the value to validate and the file parts. */
async function readBody(
  spec: BodySpec | undefined,
  req: Request,
  res: Response,
): Promise<{ value: unknown; files: UploadedFile[] }> {
  if (!spec) return { value: undefined, files: [] };
  if (spec.kind === 'raw') {
    let reader = rawBodies.get(spec.maxBytes);
    if (!reader) {
      reader = express.raw({ type: () => true, limit: spec.maxBytes });
      rawBodies.set(spec.maxBytes, reader);
    }
    await run(reader, req, res);
    return { value: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), files: [] };
  }
  if (spec.kind === 'json') {
    if (!hasBody(req)) return { value: {}, files: [] };
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'Send the body as application/json');
    await run(jsonBody, req, res);
    return { value: req.body as unknown, files: [] };
  }
  // Not multipart → 415, a file too large → 413, any other malformed body → 400 naming the part.
  await run(multipartParserFor(spec), req, res);
  const parts = req.file ? [req.file] : Array.isArray(req.files) ? req.files : [];
  const files = parts.map((f) => ({
    field: f.fieldname,
    originalName: f.originalname,
    contentType: f.mimetype,
    bytes: f.buffer,
  }));
  return { value: req.body as unknown, files };
}

function sendReply(spec: RouteSpec, reply: Reply, res: Response, check: ResponseCheck): void {
  if (check) {
    const problem = replyMismatchOf(spec, reply);
    if (problem) throw reportMismatch(check, problem);
  }
  if (reply.sent) return;
  const response = spec.responses[reply.status as keyof RouteSpec['responses']];
  if (response?.kind === 'empty' || reply.body === undefined) {
    res.status(reply.status).end();
    return;
  }
  res.status(reply.status).json(reply.body);
}

/** The API: every route of the table, and nothing else. Paths not in the table fall through. */
/** The headers a route declares, as sent (only those: the others are not the route's input). */
function declaredHeaders(schema: z.ZodObject, req: Request): Record<string, string | string[]> {
  const sent: Record<string, string | string[]> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = req.headers[name.toLowerCase()];
    if (value !== undefined) sent[name] = value;
  }
  return sent;
}

export function dispatchRoutes({ db, sessions, handlers, checkResponses = false }: DispatchOptions): RequestHandler {
  const dispatch: RequestHandler = async (req, res, next) => {
    const path = rawPathOf(req);
    const match = matchRoute(req.method, path);
    if (!match) {
      next();
      return;
    }
    if (match.kind === 'method') {
      res.set('Allow', match.allowed.join(', '));
      throw new AppError(
        'method_not_allowed',
        `${req.method} is not allowed here (allowed: ${match.allowed.join(', ')})`,
      );
    }
    const { name, spec } = match;
    res.locals.routeName = name;
    // Answers carry staff and customer data: never kept by a browser or a proxy.
    res.set('Cache-Control', 'no-store');
    await authorize(db, sessions, req, spec);
    const params = spec.params ? parseRequest(spec.params, match.params, 'params') : {};
    const query = spec.query ? parseRequest(spec.query, req.query, 'query') : {};
    const headers = spec.headers ? parseRequest(spec.headers, declaredHeaders(spec.headers, req), 'headers') : {};
    const body = await readBody(spec.body, req, res);
    const parsedBody =
      spec.body?.kind === 'json'
        ? parseRequest(spec.body.schema, body.value, 'body')
        : spec.body?.kind === 'multipart'
          ? parseRequest(spec.body.fields, body.value, 'body')
          : body.value;
    // The handler is the one registered for this route name; its input matches its route's schemas.
    const handler = handlers[name] as RouteHandler<RouteSpec>;
    const input: RouteInput<RouteSpec> = {
      params,
      query,
      headers,
      body: parsedBody,
      files: body.files,
      req,
      res,
    } as RouteInput<RouteSpec>;
    if (checkResponses) checkJsonWrittenBy(spec, res, checkResponses);
    const reply: Reply = await handler(input);
    sendReply(spec, reply, res, checkResponses);
  };
  if (!checkResponses) return dispatch;
  // Refusals too: an error status the route does not declare is a mismatch.
  return async (req, res, next) => {
    try {
      await dispatch(req, res, next);
    } catch (err) {
      const name = res.locals.routeName;
      const status = err instanceof ResponseMismatch ? null : errorStatusOf(err);
      const problem = name !== undefined && status !== null ? errorMismatchOf(routes[name], status) : null;
      throw problem ? reportMismatch(checkResponses, problem) : err;
    }
  };
}

/** The first path segment of every route (and of the sandboxes): paths the SPA never claims. */
export const reservedFirstSegments: ReadonlySet<string> = new Set([
  ...Object.values(routes).map((spec: RouteSpec) => spec.path.split('/')[1] ?? ''),
  'sandbox',
]);
