/**
 * Requests a hostile client might send to one route, as fast-check arbitraries driven by the
 * route table: the route's own schemas (as JSON Schema) give the parameter, query and body
 * keys and plausible values, mixed with hostile ones — NUL and lone surrogates, built-in object
 * member names as keys, huge and out-of-range numbers and dates, wrong JSON types, malformed
 * JSON and multipart bodies, wrong content types.
 */

import type { RouteSpec } from '@desk/shared';
import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  required?: string[];
};

export type FuzzRequest = { path: string; query: string; headers: Record<string, string>; body?: Buffer };

/** Ids that exist in the fuzzed desk, so some requests get past "not found". */
export type KnownIds = string[];

const reservedKeys = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  'isPrototypeOf',
  '__defineGetter__',
];

const hostileText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '💥👩‍👩‍👧',
  '\u202e\u0645',
  '../../etc/passwd',
  '%00',
  '%',
  "'; DROP TABLE applications;--",
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  ...reservedKeys,
  '9'.repeat(400),
  'a'.repeat(5000),
  '1e309',
  '-1',
  '0',
  'NaN',
  'Infinity',
  'null',
  'true',
  '{}',
  '[]',
  '2026-13-45',
  '0000-01-01',
  '99999-01-01',
  '+275760-09-13T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '-000001-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF',
);

const anyText = fc.oneof(
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const extremeNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, 1e-9),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const dateTimes = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '1899-12-31T23:59:59Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-02-30T10:00:00Z',
    '2026-11-01T12:00:00+14:00',
  ),
);
const dates = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('1800-01-01', '0001-01-01', '9999-12-31', '2026-02-29', '2024-02-29'),
);

function schemaOf(schema: z.ZodType | undefined): JsonSchema | null {
  if (!schema) return null;
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Text a schema would take but the database must never see: NUL and lone surrogates inside plausible words. */
const poisonedText = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, poison, b]) => `${a}${poison}${b}`);

function plainText(node: JsonSchema): fc.Arbitrary<string> {
  const minLength = Math.max(1, node.minLength ?? 1);
  const maxLength = Math.max(minLength, Math.min(node.maxLength ?? 30, 60));
  const words = fc.string({ unit: 'grapheme', minLength, maxLength }).filter((t) => t.trim().length >= minLength);
  if (!node.pattern) return words;
  try {
    return fc.stringMatching(new RegExp(node.pattern));
  } catch {
    return words;
  }
}

/** A plausible value for a JSON Schema node, with a hostile one now and then. */
function valueFor(node: JsonSchema, ids: KnownIds, depth: number): fc.Arbitrary<unknown> {
  const hostile: fc.Arbitrary<unknown> = fc.oneof(anyText, extremeNumber, fc.constantFrom(null, true, false, [], {}));
  let plausible: fc.Arbitrary<unknown>;
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  if (node.enum && node.enum.length > 0) plausible = fc.constantFrom(...node.enum);
  else if (node.const !== undefined) plausible = fc.constant(node.const);
  else if (node.anyOf ?? node.oneOf)
    plausible = fc.oneof(...(node.anyOf ?? node.oneOf ?? []).map((n) => valueFor(n, ids, depth)));
  else if (type === 'object' && depth < 3) plausible = objectFor(node, ids, depth + 1);
  else if (type === 'array' && depth < 3)
    plausible = fc.array(valueFor(node.items ?? {}, ids, depth + 1), { minLength: 1, maxLength: 3 });
  else if (type === 'integer' || type === 'number') {
    const min = node.minimum ?? -1000;
    const max = node.maximum ?? 1000;
    plausible = fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) }), extremeNumber);
  } else if (type === 'boolean') plausible = fc.boolean();
  else if (node.format === 'uuid') plausible = fc.oneof(fc.constantFrom(...ids), fc.uuid());
  else if (node.format === 'date-time') plausible = dateTimes;
  else if (node.format === 'date') plausible = dates;
  else if (node.format === 'email') plausible = fc.oneof(fc.emailAddress(), fc.constant('Alex.Morgan@desk.example'));
  // Free text is where NUL and lone surrogates would slip through: poison it often.
  else if (type === 'string' || type === undefined)
    plausible = fc.oneof(plainText(node), poisonedText, fc.constantFrom(...ids));
  else plausible = fc.string({ maxLength: 30 });
  return fc.oneof({ weight: 5, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
}

/** An object with the schema's keys (often all of them), now and then a key it does not know (a reserved one included). */
function objectFor(node: JsonSchema, ids: KnownIds, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = node.properties ?? {};
  const known = Object.fromEntries(
    Object.entries(properties).map(([key, child]) => [key, valueFor(child, ids, depth)]),
  );
  const extraKey = fc.oneof(fc.constantFrom(...reservedKeys), fc.string({ maxLength: 12 }));
  return fc
    .tuple(
      fc.oneof(fc.record(known), fc.record(known, { requiredKeys: [] })),
      // One object in five carries a key its schema does not know.
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.tuple(extraKey, fc.oneof(anyText, extremeNumber)) },
      ),
    )
    .map(([value, extra]) => {
      const out: Record<string, unknown> = { ...value };
      if (extra)
        Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return out;
    });
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'));

/**
 * Percent-encodes text; a lone surrogate (which `encodeURIComponent` refuses) goes out as the
 * three bytes it would take in UTF-8, as a hostile client could send them.
 */
function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

function queryString(entries: [string, unknown][]): string {
  const parts: string[] = [];
  for (const [key, value] of entries) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) parts.push(`${percentEncode(key)}=${percentEncode(asText(v))}`);
  }
  return parts.join('&');
}

const encodeParam = (value: unknown): string => percentEncode(asText(value));

function multipartBody(
  fields: [string, unknown][],
  file: { name: string; type: string; bytes: Buffer } | null,
  boundary: string,
): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${asText(value)}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="x.png"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const malformedMultipart = fc.constantFrom(
  { type: 'multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nid_front\r\n--x--' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nid_fr' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition\r\n\r\nvalue\r\n--x--\r\n' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Type: text/plain\r\n\r\nno name\r\n--x--\r\n' },
  { type: 'multipart/form-data; boundary=x', body: '' },
  { type: 'multipart/form-data; boundary=', body: '----\r\n' },
  { type: 'text/plain', body: 'type=id_front' },
  { type: 'application/json', body: '{"type":"id_front"}' },
);

const malformedJson = fc.constantFrom(
  '{',
  '{"a":',
  '[1,2',
  '\u0000',
  'nul',
  '{"a":1}garbage',
  '"text"',
  '42',
  'null',
  'true',
  '[]',
  '[{}]',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{}}}',
);

/** Path segments sent as they are: broken escapes and dot segments. */
const rawSegments = ['%E0%A4%A', '%zz', '%', '..', '.'];

/** An arbitrary request to `spec`. */
export function requestsFor(spec: RouteSpec, ids: KnownIds): fc.Arbitrary<FuzzRequest> {
  const paramsSchema = schemaOf(spec.params);
  const querySchema = schemaOf(spec.query);
  const paramNames = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
  const params = fc.tuple(
    ...paramNames.map((name) => {
      const node = paramsSchema?.properties?.[name] ?? {};
      return fc.oneof(
        { weight: 3, arbitrary: valueFor(node, ids, 0) },
        { weight: 1, arbitrary: fc.constantFrom(...rawSegments) },
      );
    }),
  );
  const query = querySchema
    ? objectFor(querySchema, ids, 0).chain((q) =>
        fc.oneof(
          { weight: 6, arbitrary: fc.constant(queryString(Object.entries(q))) },
          // The same key twice, a key with no value, a garbage escape.
          { weight: 1, arbitrary: fc.constant(`${queryString(Object.entries(q))}&limit=1&limit=2&flag&x=%zz`) },
        ),
      )
    : fc.oneof(fc.constant(''), fc.constant('unexpected=1&__proto__=x'));
  const path = params.map((values) => {
    let i = 0;
    return spec.path.replace(/:([A-Za-z]+)/g, () => {
      const value = values[i++];
      return typeof value === 'string' && rawSegments.includes(value) ? value : encodeParam(value);
    });
  });

  const body: fc.Arbitrary<{ headers: Record<string, string>; body?: Buffer }> = (() => {
    const spec_ = spec.body;
    if (!spec_) return fc.constant({ headers: {} });
    if (spec_.kind === 'raw') {
      return fc.oneof(
        malformedJson.map((b) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(b) })),
        fc.jsonValue().map((v) => ({
          headers: { 'content-type': 'application/json', 'x-signature': 'v1=00' },
          body: Buffer.from(JSON.stringify(v)),
        })),
      );
    }
    if (spec_.kind === 'json') {
      const schema = schemaOf(spec_.schema) ?? {};
      return fc.oneof(
        {
          weight: 5,
          arbitrary: objectFor(schema, ids, 0).map((v) => ({
            headers: { 'content-type': 'application/json' },
            body: Buffer.from(JSON.stringify(v)),
          })),
        },
        {
          weight: 2,
          arbitrary: malformedJson.map((b) => ({
            headers: { 'content-type': 'application/json' },
            body: Buffer.from(b),
          })),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'application/json; charset=utf-16',
              'multipart/form-data',
            )
            .map((t) => ({
              headers: { 'content-type': t },
              body: Buffer.from('{"a":1}'),
            })),
        },
      );
    }
    const fields = schemaOf(spec_.fields) ?? {};
    const fileField = spec_.files.field ?? 'proof_of_address';
    const wellFormed = fc
      .tuple(
        objectFor(fields, ids, 1),
        fc.option(fc.constantFrom('image/png', 'application/pdf', 'text/html', 'image/svg+xml', '')),
        fc.uint8Array({ maxLength: 64 }),
      )
      .map(([values, fileType, bytes]) => {
        const boundary = 'fuzzboundary';
        const file = fileType === null ? null : { name: fileField, type: fileType, bytes: Buffer.from(bytes) };
        return {
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: multipartBody(Object.entries(values), file, boundary),
        };
      });
    return fc.oneof(
      { weight: 3, arbitrary: wellFormed },
      {
        weight: 2,
        arbitrary: malformedMultipart.map((m) => ({ headers: { 'content-type': m.type }, body: Buffer.from(m.body) })),
      },
    );
  })();

  return fc
    .tuple(path, query, body)
    .map(([p, q, b]) => ({ path: p, query: q, headers: b.headers, ...(b.body ? { body: b.body } : {}) }));
}
