import { type DestinationStream, type Logger, pino, type SerializedError, stdSerializers } from 'pino';

export type { Logger };

/**
 * JSON logs that hold no secret and no personal data. Three layers, each catching what the one
 * before cannot know about:
 * 1. what is logged is chosen: the request log (`http/request-log.ts`) writes a URL whose query
 *    values and file-link token are replaced, and only harmless headers;
 * 2. fields that carry secrets or personal data are removed by name wherever a log call puts
 *    them (`redact`), and database errors lose the values Postgres quotes in their messages;
 * 3. every finished line is scrubbed of what looks like one whatever its field or message
 *    (`scrubLogLine`): identification numbers, email addresses, file-link tokens, session and
 *    device cookies, bearer tokens — an error message or a provider's answer may carry any of them.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'compliance-desk' },
      redact: { paths: redactedPaths, remove: true },
      serializers: { err: loggableError },
      hooks: { streamWrite: scrubLogLine },
    },
    destination,
  );
}

/**
 * Field names whose values never reach a log line, at the top of a log object or one level down:
 * credentials, identification numbers, search terms, and request bodies, queries and route
 * parameters as a whole (they carry reveal reasons, answers, file-link tokens).
 */
const redactedFields = [
  'password',
  'identificationNumber',
  'identification_number',
  'token',
  'deviceToken',
  'cookie',
  'authorization',
  '"set-cookie"',
  'q',
  'term',
  'body',
  'query',
  'params',
];
const redactedPaths = [
  ...redactedFields,
  ...redactedFields.map((f) => (f.startsWith('"') ? `*[${f}]` : `*.${f}`)),
  // A reveal's reason, wherever a body is nested; a top-level `reason` is the desk's own words
  // (why a webhook was refused) and stays.
  '*.reason',
];

const redacted = '[redacted]';

/**
 * Text with whatever looks like a secret or personal data replaced. Identification numbers are
 * nine digits, plain or as 3-2-4 groups; a file link's token is whatever follows `/files/`.
 */
export function scrubText(text: string): string {
  return (
    text
      .replace(/(?:\/|%2f)files(?:\/|%2f)(?!\[redacted\])[^\s"'<>\\]+/gi, `/files/${redacted}`)
      .replace(/\b(?:document|rfi-answer)\.[0-9a-f-]{36}\.\d+\.[A-Za-z0-9_-]+/g, redacted)
      .replace(/\b(desk_session|desk_device)=[^;\s"\\]+/g, `$1=${redacted}`)
      .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${redacted}`)
      // Not inside a longer run of letters and digits: hex ids and tokens hold digit runs too.
      .replace(/(?<![0-9A-Za-z])[0-9]{3}([- ]?)[0-9]{2}\1[0-9]{4}(?![0-9A-Za-z])/g, redacted)
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[redacted email]')
  );
}

/**
 * A finished JSON log line, scrubbed: every string literal through `scrubText`, and a bare
 * nine-digit number (an identification number logged as a number) turned into a string.
 */
export function scrubLogLine(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"|(?<=[:,[])[0-9]{9}(?=[,\]}])/g, (match) =>
    match.startsWith('"') ? scrubText(match) : `"${redacted}"`,
  );
}

/** A Postgres error: its message quotes the offending value (`invalid input syntax for type uuid: "…"`). */
function isDatabaseError(err: Error): err is Error & { severity: string; code: string } {
  const fields = err as Error & { severity?: unknown; code?: unknown };
  return typeof fields.severity === 'string' && typeof fields.code === 'string';
}

const quotedValue = /: "(?:[^"\\]|\\.)*"/g;

/**
 * Errors as pino serializes them, minus what may hold data: a database error's quoted values,
 * its `detail` (`Key (email)=(…) already exists`), `where` and internal query. Anything that is
 * not an Error (a message logged under `err`) is left to the line scrub.
 */
export function loggableError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const serialized: SerializedError = stdSerializers.err(err);
  if (!isDatabaseError(err)) return serialized;
  serialized.message = serialized.message.replace(quotedValue, `: "${redacted}"`);
  serialized.stack = serialized.stack.replace(quotedValue, `: "${redacted}"`);
  for (const field of ['detail', 'where', 'internalQuery', 'hint']) delete serialized[field];
  return serialized;
}
