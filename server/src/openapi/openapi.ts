/**
 * The OpenAPI 3.1 document, generated from the route table: every route with its
 * `operationId` (the table's key), parameters, body (JSON, multipart or raw), each answer with
 * its real status and the error answers its shape implies. Schemas with a `meta({ id })`
 * become named components. The provider webhook route also names each provider's signing
 * headers and event, from the adapters. `test/api/openapi-lint.test.ts` holds it to a linter.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  errorBodySchema,
  errorStatusesOf,
  type ResponseSpec,
  type RouteName,
  type RouteSpec,
  type Routes,
  routeNames,
  routes,
} from '@desk/shared';
import { z } from 'zod';
import { webhookContracts } from '../providers/connect.js';
import { defaultWebhookToleranceSeconds } from '../providers/webhook-verification.js';

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;
type Io = 'input' | 'output';

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input: `errors` names each bad field',
  401: 'Not signed in (or a bad signature or token)',
  403: 'Not allowed for this role, or a cross-site request',
  404: 'Not found',
  409: 'Conflicts with the current state (the message says why)',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Well-formed but refused (the message says why)',
  429: 'Too many attempts',
  503: 'Unavailable (the desk is starting, or a provider cannot be reached)',
};

/** What each group of routes is for (a group without a line here does not compile). */
const tagDescriptions: Record<Routes[RouteName]['tag'], string> = {
  Operations: 'Health, readiness, metrics and this document',
  'Sign-in': 'Signing in (password, second factor, single sign-on) and out, set-password links, own sessions',
  Webhooks: "Providers' events, verified by their signatures",
  Staff: 'Staff accounts, role grants, second factors and sessions, managed by admins',
  Queue: 'The review queue, its counts and intake of new applications',
  Workflow: 'Claiming, releasing and assigning cases; saved queue filters',
  Case: 'One case: its detail, notes and internal review outcomes',
  'Provider actions': "What the desk sends to a case's provider: documents, resubmission, refresh, retries",
  Audit: 'The audit trail, its chain verification and per-case reports',
  RFIs: 'Requests for information: raised, answered, closed',
  Customers: 'Support lookup of customers and audited reveals',
  Exports: 'Auditor exports, streamed, with manifests to check them by',
  Files: 'Document files behind signed, expiring links',
  'Live updates': 'Case changes pushed as they happen (Server-Sent Events), resumable',
};

/** Collects named schemas into `components.schemas`, keeping request and answer shapes apart where they differ. */
class Components {
  readonly schemas: Record<string, unknown> = {};

  /** JSON Schema of `schema`, its named parts moved into the components and referenced. */
  convert(schema: z.ZodType, io: Io): JsonSchema {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, unknown>;
    delete json.$defs;
    delete json.$schema;
    // A named schema whose request shape differs from its answer shape gets a name of its own.
    const renamed = new Map<string, string>();
    const rewrite = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value).replace(
          /"#\/\$defs\/([^"]+)"/g,
          (_m, name: string) => `"#/components/schemas/${renamed.get(name) ?? name}"`,
        ),
      );
    for (const [name, def] of Object.entries(defs)) {
      const existing = this.schemas[name];
      if (existing !== undefined && !isDeepStrictEqual(existing, rewrite(def))) renamed.set(name, `${name}Input`);
    }
    for (const [name, def] of Object.entries(defs)) {
      const target = renamed.get(name) ?? name;
      this.schemas[target] ??= rewrite(def);
    }
    return rewrite(json) as JsonSchema;
  }
}

function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path' | 'header', components: Components) {
  if (!schema) return [];
  const json = components.convert(schema, 'input');
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(where === 'query' ? { style: 'form', explode: true } : {}),
  }));
}

function requestBodyOf(spec: RouteSpec, components: Components) {
  const body = spec.body;
  if (!body) return {};
  if (body.kind === 'json') {
    // No body reads as `{}`: the body is needed only when that is not a valid one.
    return {
      requestBody: {
        required: !body.schema.safeParse({}).success,
        content: { 'application/json': { schema: components.convert(body.schema, 'input') } },
      },
    };
  }
  if (body.kind === 'raw') {
    return {
      requestBody: {
        required: true,
        description: `The provider's event exactly as sent (its signature covers these bytes; at most ${body.maxBytes} bytes)`,
        content: { 'application/json': { schema: webhookEventSchema(components) } },
      },
    };
  }
  const fields = components.convert(body.fields, 'input');
  const file = {
    type: 'string',
    contentMediaType: 'application/octet-stream',
    description: `At most ${body.files.maxBytes} bytes`,
  };
  const schema =
    body.files.field === null
      ? {
          ...fields,
          additionalProperties: file,
          description: `Files as parts named by the item they answer (at most ${body.files.maxCount})`,
        }
      : {
          ...fields,
          properties: { ...(fields.properties ?? {}), [body.files.field]: file },
          required: [...(fields.required ?? []), body.files.field],
        };
  return { requestBody: { required: true, content: { 'multipart/form-data': { schema } } } };
}

/** The event of the provider the path names, as its adapter reads it (events may look alike: any of). */
function webhookEventSchema(components: Components) {
  return {
    anyOf: Object.values(webhookContracts).map((contract) => ({
      title: `${contract.label} event`,
      ...components.convert(contract.event, 'input'),
    })),
  };
}

/**
 * The headers each provider signs its webhooks with, named per provider (`required: false`:
 * each is required from its own provider only, as its description says).
 */
function webhookHeaderParameters() {
  return Object.values(webhookContracts).flatMap(({ label, signing }) => {
    const headers: [string | null, string][] = [
      [
        signing.signatureHeader,
        `base64 HMAC-SHA256 of \`{${signing.timestampHeader}}.{body}\` under the webhook secret`,
      ],
      [
        signing.timestampHeader,
        `unix seconds of the delivery, within ${defaultWebhookToleranceSeconds} s of the desk's clock`,
      ],
      [signing.eventIdHeader, "the event's id, equal to the body's"],
    ];
    return headers.flatMap(([name, meaning]) =>
      name === null
        ? []
        : [
            {
              name,
              in: 'header',
              required: false,
              description: `${signing.requiredHeaders.includes(name) ? 'Required' : 'Optional'} from ${label}: ${meaning}`,
              schema: { type: 'string' },
            },
          ],
    );
  });
}

/** A body written as it streams: text, or bytes of the media type. */
function streamedSchema(mediaType: string) {
  const text = mediaType.startsWith('text/') || mediaType === 'application/x-ndjson';
  return text ? { schema: { type: 'string' } } : {};
}

function answerOf(response: ResponseSpec, components: Components) {
  if (response.kind === 'empty') return { description: response.description };
  if (response.kind === 'json') {
    return {
      description: response.description,
      content: { 'application/json': { schema: components.convert(response.schema, 'output') } },
    };
  }
  const content = Object.fromEntries(
    response.mediaTypes.map((mediaType) => [
      mediaType,
      mediaType === 'application/json' && response.schema
        ? { schema: components.convert(response.schema, 'output') }
        : streamedSchema(mediaType),
    ]),
  );
  return { description: response.description, content };
}

function securityOf(spec: RouteSpec) {
  if (spec.auth === 'metricsToken') return { security: [{}, { metricsToken: [] }] };
  return spec.access === 'public' ? { security: [] } : {};
}

export function buildOpenApiDocument(): { openapi: string } & Record<string, unknown> {
  const components = new Components();
  components.convert(errorBodySchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<Routes[RouteName]['tag']>();
  for (const operationId of routeNames) {
    const spec: RouteSpec = routes[operationId];
    tags.add(routes[operationId].tag);
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const answers: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) answers[status] = answerOf(response, components);
    for (const status of errorStatusesOf(spec)) {
      answers[String(status)] = {
        description: errorDescriptions[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const parameters = [
      ...parametersOf(spec.params, 'path', components),
      ...parametersOf(spec.query, 'query', components),
      ...parametersOf(spec.headers, 'header', components),
      ...(spec.body?.kind === 'raw' ? webhookHeaderParameters() : []),
    ];
    const pathItem = paths[path] ?? {};
    paths[path] = pathItem;
    pathItem[spec.method.toLowerCase()] = {
      operationId,
      summary: spec.summary,
      tags: [spec.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...requestBodyOf(spec, components),
      responses: answers,
      ...securityOf(spec),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Compliance Desk API',
      version: '1',
      description:
        'The KYC review back office. Times are ISO 8601 UTC; lists are keyset-paged with `limit` and `cursor`.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This desk' }],
    tags: [...tags].map((name) => ({ name, description: tagDescriptions[name] })),
    paths,
    security: [{ session: [] }],
    components: {
      schemas: components.schemas,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'desk_session', description: 'Set by POST /api/auth/login' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'DESK_METRICS_TOKEN, when set' },
      },
    },
  };
}
