/**
 * The OpenAPI document, generated from the same zod schemas that validate requests and
 * shape responses. Schemas with a `meta({ id })` become named components.
 */
import { z } from 'zod';
import {
  applicationDetailSchema,
  applicationIdParamsSchema,
  applicationListQuerySchema,
  applicationListSchema,
  applicationStatsSchema,
  applicationStatsQuerySchema,
  errorBodySchema,
  listResponseSchema,
  newRfiSchema,
  rfiIdParamsSchema,
  rfiListQuerySchema,
  rfiListSchema,
  rfiSchema,
  customerIdParamsSchema,
  loginRequestSchema,
  meSchema,
  newOutcomeSchema,
  outcomeSchema,
  revealRequestSchema,
  revealResponseSchema,
  staffCreateSchema,
  staffMemberSchema,
  staffUpdateSchema,
  assignRequestSchema,
  customerDetailSchema,
  customerSearchQuerySchema,
  customerSearchResultSchema,
  dashboardSchema,
  newNoteSchema,
  newSavedFilterSchema,
  nextCaseQuerySchema,
  applicationSummarySchema,
  noteSchema,
  savedFilterSchema,
  applicationAuditEventsQuerySchema,
  auditEventListQuerySchema,
  auditEventListSchema,
  auditReportSchema,
  auditVerifySchema,
  exportIdParamsSchema,
  exportManifestSchema,
  exportRunListQuerySchema,
  exportRunListSchema,
} from '@desk/shared';

const staffIdParamsSchema = z.object({ id: z.uuid() });

type Operation = {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
};

const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/applications',
    summary: 'The review queue, keyset-paged',
    query: applicationListQuerySchema,
    response: applicationListSchema,
  },
  {
    method: 'get',
    path: '/api/applications/stats',
    summary: 'Counts per stage, per flag and by age, under the queue filters',
    query: applicationStatsQuerySchema,
    response: applicationStatsSchema,
  },
  {
    method: 'get',
    path: '/api/applications/{id}',
    summary: 'The whole case',
    params: applicationIdParamsSchema,
    response: applicationDetailSchema,
  },
  { method: 'post', path: '/api/auth/login', summary: 'Sign in: sets the HttpOnly session cookie (401 bad credentials, 429 throttled)', body: loginRequestSchema, response: meSchema },
  { method: 'get', path: '/api/auth/me', summary: 'Who is signed in, with their permissions', response: meSchema },
  { method: 'get', path: '/api/staff', summary: 'Staff members', response: listResponseSchema(staffMemberSchema) },
  { method: 'post', path: '/api/staff', summary: 'Create a staff member (admin)', body: staffCreateSchema, response: staffMemberSchema },
  {
    method: 'patch',
    path: '/api/staff/{id}',
    summary: 'Change a staff member (admin; ends their sessions on a role, password or active change)',
    params: staffIdParamsSchema,
    body: staffUpdateSchema,
    response: staffMemberSchema,
  },
  {
    method: 'post',
    path: '/api/applications/{id}/outcomes',
    summary: 'Record an internal review outcome (four-eyes on escalated cases)',
    params: applicationIdParamsSchema,
    body: newOutcomeSchema,
    response: outcomeSchema,
  },
  { method: 'get', path: '/api/customers', summary: 'Support lookup by name, email, phone, last four, application or provider id', query: customerSearchQuerySchema, response: customerSearchResultSchema },
  { method: 'get', path: '/api/customers/{id}', summary: 'A customer with every application, open RFIs and recent changes', params: z.object({ id: z.uuid() }), response: customerDetailSchema },
  { method: 'get', path: '/api/applications/next', summary: 'Claims the oldest unassigned workable case for the caller and returns its queue row (404: none)', query: nextCaseQuerySchema, response: applicationSummarySchema },
  { method: 'post', path: '/api/applications/{id}/claim', summary: 'Claim a case (409 when someone else holds it)', params: applicationIdParamsSchema, response: applicationDetailSchema },
  { method: 'post', path: '/api/applications/{id}/release', summary: 'Release a case (409 when someone else holds it, unless senior)', params: applicationIdParamsSchema, response: applicationDetailSchema },
  { method: 'post', path: '/api/applications/{id}/assign', summary: 'Assign a case (senior analysts; 409 when held unless reassign)', params: applicationIdParamsSchema, body: assignRequestSchema, response: applicationDetailSchema },
  { method: 'post', path: '/api/applications/{id}/notes', summary: 'Add a note to a case', params: applicationIdParamsSchema, body: newNoteSchema, response: noteSchema },
  { method: 'get', path: '/api/saved-filters', summary: 'Your saved queue filters', response: listResponseSchema(savedFilterSchema) },
  { method: 'post', path: '/api/saved-filters', summary: 'Save a queue filter', body: newSavedFilterSchema, response: savedFilterSchema },
  { method: 'get', path: '/api/audit-events', summary: 'The audit trail, keyset-paged', query: auditEventListQuerySchema, response: auditEventListSchema },
  { method: 'get', path: '/api/audit-events/verify', summary: 'Checks the hash chain and names the first row that does not hold', response: auditVerifySchema },
  {
    method: 'get',
    path: '/api/applications/{id}/audit-events',
    summary: 'Every audit event of one case, oldest first',
    params: applicationIdParamsSchema,
    query: applicationAuditEventsQuerySchema,
    response: auditEventListSchema,
  },
  {
    method: 'get',
    path: '/api/applications/{id}/audit-report',
    summary: 'The per-case audit report (printable HTML; ?format=json for this shape)',
    params: applicationIdParamsSchema,
    response: auditReportSchema,
  },
  { method: 'get', path: '/api/exports', summary: 'Past export runs, newest first', query: exportRunListQuerySchema, response: exportRunListSchema },
  { method: 'get', path: '/api/exports/{id}/manifest', summary: 'What a downloaded export is checked against', params: exportIdParamsSchema, response: exportManifestSchema },
  { method: 'get', path: '/api/dashboard', summary: 'Queue health: stages, aging, SLA, RFIs, throughput', response: dashboardSchema },
  {
    method: 'post',
    path: '/api/customers/{id}/reveal',
    summary: 'The clear identification number, with a reason; always audited',
    params: customerIdParamsSchema,
    body: revealRequestSchema,
    response: revealResponseSchema,
  },
  { method: 'get', path: '/api/rfis', summary: 'The RFI queue, soonest due first, keyset-paged', query: rfiListQuerySchema, response: rfiListSchema },
  { method: 'get', path: '/api/rfis/{id}', summary: 'One RFI with its items and answers', params: rfiIdParamsSchema, response: rfiSchema },
  {
    method: 'post',
    path: '/api/applications/{id}/rfis',
    summary: 'Raise an internal RFI on a case',
    params: applicationIdParamsSchema,
    body: newRfiSchema,
    response: rfiSchema,
  },
  { method: 'post', path: '/api/rfis/{id}/close', summary: 'Close an RFI', params: rfiIdParamsSchema, response: rfiSchema },
];

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

/**
 * JSON Schema of one zod schema; named sub-schemas are moved into `components` and the
 * references rewritten to point there.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, unknown>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  const rewritten = JSON.parse(JSON.stringify(json).replaceAll('#/definitions/', '#/components/schemas/')) as JsonSchema;
  const definitions = rewritten.definitions as Record<string, unknown> | undefined;
  delete rewritten.definitions;
  Object.assign(components, definitions ?? {});
  return rewritten;
}

function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path', components: Record<string, unknown>) {
  if (!schema) return [];
  const json = toSchema(schema, 'input', components);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(where === 'query' ? { explode: true } : {}),
  }));
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  // Registers the named `Error` component every operation refers to.
  toSchema(errorBodySchema, 'output', components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      parameters: [...parametersOf(op.params, 'path', components), ...parametersOf(op.query, 'query', components)],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input', components) } } } }
        : {}),
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: toSchema(op.response, 'output', components) } } },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Compliance Desk API', version: '1' },
    paths,
    security: [{ session: [] }],
    components: {
      schemas: components,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'desk_session' } },
    },
  };
}
