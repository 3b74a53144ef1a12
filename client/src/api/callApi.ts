/**
 * The one place the client talks HTTP to the desk server: a call names its route in the route
 * table (`@desk/shared` `routes`, keyed by operationId), and everything else comes from that
 * entry — the method, the path with its parameters filled in, how the body is sent (JSON or a
 * multipart form), and the schema the answer is checked against, so a view never renders a
 * shape the contract does not promise. An empty answer (204) resolves to `undefined`; a body
 * the route describes as content (an export stream, a printable page) resolves to the
 * `Response` for the caller to read. Every failure is an `HttpError` (see `apiErrors.ts`).
 */
import {
  pathOf,
  type QueryValue,
  type RouteName,
  type RouteRequest,
  type RouteResult,
  type RouteSpec,
  type Routes,
  routes,
} from '@desk/shared';
import { apiError, errorFromResponse } from './apiErrors';

/** What a call to route `N` sends: its params, query and body as typed by the route, and an abort signal. */
export type CallInput<N extends RouteName> = RouteRequest<Routes[N], File> & { signal?: AbortSignal | undefined };

/** What a call to route `N` resolves to. */
export type CallResult<N extends RouteName> = RouteResult<Routes[N], Response>;

/** The query a route takes, e.g. `ApiQuery<'listApplications'>`. */
export type ApiQuery<N extends RouteName> = NonNullable<CallInput<N>['query']>;

/** The body a route takes, e.g. `ApiBody<'recordOutcome'>`. */
export type ApiBody<N extends RouteName> = NonNullable<CallInput<N>['body']>;

/** The input may be left out when nothing in it is required. */
type CallArgs<N extends RouteName> =
  Partial<CallInput<N>> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

/** The request as it goes on the wire, whatever the route (the types above hold each call to its route). */
interface WireRequest {
  params?: Record<string, string>;
  query?: Record<string, QueryValue | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

export function callApi<N extends RouteName>(name: N, ...[input]: CallArgs<N>): Promise<CallResult<N>> {
  // The answer is checked against this route's own schema before it is handed back as its type.
  return send(routes[name], input ?? {}) as Promise<CallResult<N>>;
}

/**
 * The address of a route, for what the browser opens itself (a printable page, a file link),
 * e.g. `routeUrl('getApplicationAuditReport', { params: { id } })`.
 */
export function routeUrl<N extends RouteName>(name: N, ...[input]: UrlArgs<N>): string {
  return urlOf(routes[name], input ?? {});
}

type UrlInput<N extends RouteName> = Pick<CallInput<N>, 'params' | 'query'>;
type UrlArgs<N extends RouteName> =
  Partial<UrlInput<N>> extends UrlInput<N> ? [input?: UrlInput<N>] : [input: UrlInput<N>];

/** The query string of a query object: lists as repeated keys, absent values left out, in the object's order. */
export function searchParamsOf(query: Readonly<Record<string, QueryValue | undefined>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  return params;
}

function urlOf(spec: RouteSpec, { params, query }: Pick<WireRequest, 'params' | 'query'>): string {
  const search = query ? searchParamsOf(query).toString() : '';
  return search === '' ? pathOf(spec, params) : `${pathOf(spec, params)}?${search}`;
}

/** The body as `spec` says it is sent; a JSON body left out sends nothing (the server reads `{}`). */
function encodeBody(spec: RouteSpec, body: unknown): { body: BodyInit | null; contentType?: string } {
  if (body === undefined || !spec.body) return { body: null };
  switch (spec.body.kind) {
    case 'json':
      return { body: JSON.stringify(body), contentType: 'application/json' };
    case 'multipart':
      // The browser sets the Content-Type with its boundary.
      return { body: formDataOf(body as MultipartBody) };
    case 'raw':
      return { body: body as BodyInit };
  }
}

interface MultipartBody {
  fields: Record<string, string | undefined>;
  files: Record<string, File>;
}

/** Text parts first, in order, then the files: a streaming parser has the details when a file arrives. */
function formDataOf({ fields, files }: MultipartBody): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.append(key, value);
  for (const [key, file] of Object.entries(files)) form.append(key, file, file.name);
  return form;
}

/** What the route answers on success, plus JSON for the errors every route may give. */
function acceptOf(spec: RouteSpec): string {
  const types = new Set(['application/json']);
  for (const response of Object.values(spec.responses)) {
    if (response.kind === 'content') for (const type of response.mediaTypes) types.add(type);
  }
  return [...types].join(', ');
}

async function send(spec: RouteSpec, request: WireRequest): Promise<unknown> {
  const url = urlOf(spec, request);
  const { body, contentType } = encodeBody(spec, request.body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: spec.method,
      credentials: 'same-origin',
      headers: contentType ? { Accept: acceptOf(spec), 'Content-Type': contentType } : { Accept: acceptOf(spec) },
      body,
      signal: request.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw apiError(0, { message: 'The desk server cannot be reached.', code: 'network' });
  }

  if (!response.ok) throw errorFromResponse(response, await readJsonBody(response));

  const answer = spec.responses[response.status as keyof RouteSpec['responses']];
  if (answer?.kind === 'content') return response;
  if (answer?.kind === 'empty') return undefined;
  const parsed = answer?.schema.safeParse(await readJsonBody(response));
  if (!parsed?.success) {
    throw apiError(response.status, {
      message: `The server answered ${spec.method} ${spec.path} in an unexpected shape.`,
      code: 'unexpected_response',
    });
  }
  return parsed.data;
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
