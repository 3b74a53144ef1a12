/**
 * The one way a request reaches a handler. The route table's matcher picks the route (exact,
 * case-sensitive, see `route-match.ts`); the gate checks that same route; its body is read
 * the way the route says (JSON, multipart or raw bytes) and its params, query and body are
 * parsed with the route's schemas; then the route's own handler runs and its answer is sent.
 * Nothing else registers API paths, so no spelling of a path can reach a handler the gate did
 * not check.
 */

import { type BodySpec, matchRoute, type RouteName, type RouteSpec, routes } from '@desk/shared';
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
  /** Check every JSON answer against its route's schema (tests): a mismatch is a 500. */
  checkResponses?: boolean;
};

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

function sendReply(
  spec: RouteSpec,
  reply: { status: number; body?: unknown; sent?: true },
  res: Response,
  check: boolean,
): void {
  if (reply.sent) return;
  const response = spec.responses[reply.status as keyof RouteSpec['responses']];
  if (check) {
    if (!response)
      throw new Error(`${spec.method} ${spec.path} answered ${reply.status}, which its route does not declare`);
    if (response.kind === 'json') {
      const result = response.schema.safeParse(reply.body);
      if (!result.success)
        throw new Error(`${spec.method} ${spec.path} answered a body its schema refuses: ${result.error.message}`);
    }
  }
  if (response?.kind === 'empty' || reply.body === undefined) {
    res.status(reply.status).end();
    return;
  }
  res.status(reply.status).json(reply.body);
}

/** The API: every route of the table, and nothing else. Paths not in the table fall through. */
export function dispatchRoutes({ db, sessions, handlers, checkResponses = false }: DispatchOptions): RequestHandler {
  return async (req, res, next) => {
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
      body: parsedBody,
      files: body.files,
      req,
      res,
    } as RouteInput<RouteSpec>;
    const reply: { status: number; body?: unknown; sent?: true } = await handler(input);
    sendReply(spec, reply, res, checkResponses);
  };
}

/** The first path segment of every route (and of the sandboxes): paths the SPA never claims. */
export const reservedFirstSegments: ReadonlySet<string> = new Set([
  ...Object.values(routes).map((spec: RouteSpec) => spec.path.split('/')[1] ?? ''),
  'sandbox',
]);
