/**
 * The access log (pino-http): one line per request with its method, URL, status and timing —
 * and nothing that is a secret or personal data. The URL keeps its path and its query keys; a
 * query value is logged only for keys whose values are enum-like switches (search terms, names,
 * emails, numbers typed into a filter go out as `[redacted]`). A `/files/<token>` link is a
 * bearer credential for an identity document, so its token never appears. Headers are an
 * allow-list: cookies, authorization and anything else not named below are not logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import { type Logger, loggableError } from '../logger.js';

/** Query keys whose values are harmless (limits, sort orders, enum filters). */
const loggableQueryKeys = new Set([
  'limit',
  'sort',
  'order',
  'stage',
  'provider',
  'providerStatus',
  'flag',
  'sla',
  'status',
  'format',
  'field',
]);

const loggableRequestHeaders = [
  'content-type',
  'content-length',
  'user-agent',
  'sec-fetch-site',
  'origin',
  'x-forwarded-for',
  'x-forwarded-proto',
];
const loggableResponseHeaders = ['content-type', 'content-length'];

const redacted = '[redacted]';

/** A URL as the access log writes it: file-link tokens and query values (bar harmless ones) replaced. */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = (mark < 0 ? url : url.slice(0, mark)).replace(/(?:\/|%2f)files(?:\/|%2f).*$/i, `/files/${redacted}`);
  if (mark < 0) return path;
  const pairs = url
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const safeKey = /^[A-Za-z][A-Za-z0-9_.-]{0,40}$/.test(key) ? key : redacted;
      if (eq < 0) return safeKey;
      return `${safeKey}=${loggableQueryKeys.has(key) ? pair.slice(eq + 1) : redacted}`;
    });
  return `${path}?${pairs.join('&')}`;
}

function pickHeaders(read: (name: string) => unknown, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = read(name);
    if (typeof value === 'string' || typeof value === 'number') picked[name] = String(value);
  }
  return picked;
}

type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string };

function loggableRequest(req: LoggedRequest) {
  return {
    id: req.id,
    method: req.method,
    url: loggableUrl(req.originalUrl ?? req.url ?? ''),
    headers: pickHeaders((name) => req.headers[name], loggableRequestHeaders),
    remoteAddress: req.socket?.remoteAddress,
  };
}

function loggableResponse(res: ServerResponse) {
  return {
    statusCode: res.statusCode,
    headers: pickHeaders((name) => res.getHeader(name), loggableResponseHeaders),
  };
}

/** The options of `pinoHttp` for the desk: its logger, with the serializers above. */
export function requestLogOptions(logger: Logger): Options {
  return {
    logger,
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    // The serializers receive the raw request and response, so nothing reaches the log that
    // they did not pick.
    wrapSerializers: false,
    serializers: { req: loggableRequest, res: loggableResponse, err: loggableError },
  };
}
