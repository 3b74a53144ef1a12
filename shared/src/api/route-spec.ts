/**
 * What one HTTP route is: method, exact path, who may call it, the zod schemas of its
 * parameters, query, body and of each answer with its status, and the errors it may give.
 * The route table (`routes.ts`) is a record of these, and everything else is derived from
 * it: the server's dispatch and permission gate, the OpenAPI document and the client's calls.
 */
import type { z } from 'zod';
import type { Permission } from '../access.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * How a route is reached: `public` needs nothing (health, sign-in, provider webhooks and file
 * links, which carry their own signatures), `signedIn` any staff member, otherwise one permission.
 */
export type RouteAccess = 'public' | 'signedIn' | Permission;

/** A file part of a multipart body. `field: null` takes parts of any name (named by the caller's keys). */
export type FileParts = { field: string | null; maxCount: number; maxBytes: number };

export type BodySpec =
  /** A JSON object, checked by `schema`. */
  | { kind: 'json'; schema: z.ZodType }
  /** `multipart/form-data`: text parts checked by `fields`, file parts as described. */
  | { kind: 'multipart'; fields: z.ZodType; files: FileParts }
  /** The exact bytes (webhooks: signatures are over them), whatever the content type. */
  | { kind: 'raw'; maxBytes: number };

export type ResponseSpec =
  | { kind: 'json'; schema: z.ZodType; description: string }
  | { kind: 'empty'; description: string }
  /** A body the handler writes itself (streams, pages, files), of one of these media types. */
  | { kind: 'content'; mediaTypes: readonly string[]; description: string; schema?: z.ZodType };

export type SuccessStatus = 200 | 201 | 202 | 204;

/** Error statuses a route may answer beyond those its shape implies (see `errorStatusesOf`). */
export type DeclaredErrorStatus = 401 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export type RouteSpec = {
  method: HttpMethod;
  /** Exact path; `:name` segments are parameters. Matching is exact and case-sensitive. */
  path: string;
  access: RouteAccess;
  /** One line for the OpenAPI document. */
  summary: string;
  /** The group the OpenAPI document files it under. */
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the route reads, by name as documented (matched without regard to case). */
  headers?: z.ZodObject;
  body?: BodySpec;
  responses: Partial<Record<SuccessStatus, ResponseSpec>>;
  errors?: readonly DeclaredErrorStatus[];
  /** Security scheme other than the session cookie (the metrics bearer token). */
  auth?: 'metricsToken';
};

/** Keeps a route's literal types (statuses, schemas) for the typed handlers and client. */
export function route<const R extends RouteSpec>(spec: R): R {
  return spec;
}

const stateChanging: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'DELETE']);

export function isStateChanging(method: HttpMethod): boolean {
  return stateChanging.has(method);
}

/**
 * Every error status a route can answer: 400 when it reads input, 401/403 when it needs a
 * session or a permission (or is a state change a browser may forge cross-site), 404 for its
 * path parameters, and whatever it declares.
 */
export function errorStatusesOf(spec: RouteSpec): number[] {
  const statuses = new Set<number>(spec.errors ?? []);
  if (spec.params || spec.query || spec.headers || spec.body) statuses.add(400);
  if (spec.params) statuses.add(404);
  if (spec.access !== 'public') statuses.add(401);
  if (spec.access !== 'public' && spec.access !== 'signedIn') statuses.add(403);
  if (isStateChanging(spec.method)) statuses.add(403);
  if (spec.body) statuses.add(413);
  // A JSON or multipart body must say so in its Content-Type; raw bodies take any.
  if (spec.body && spec.body.kind !== 'raw') statuses.add(415);
  return [...statuses].sort((a, b) => a - b);
}

/** The client's side of a route (request and result types): see `client-types.ts`. */
export type * from './client-types.js';
