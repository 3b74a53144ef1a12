/**
 * The route table: every HTTP route of the desk, once. The server registers exactly these
 * (a handler for each, nothing else) and gates each with its `access`; the OpenAPI document
 * and the client's typed calls are generated from the same entries. The key of each entry is
 * its OpenAPI `operationId`.
 */
import { z } from 'zod';
import { loginRequestSchema, meSchema } from '../access.js';
import {
  applicationDetailSchema,
  applicationIdParamsSchema,
  applicationListQuerySchema,
  applicationListSchema,
  applicationStatsQuerySchema,
  applicationStatsSchema,
  applicationSummarySchema,
} from '../applications.js';
import {
  applicationAuditEventsQuerySchema,
  auditEventListQuerySchema,
  auditEventListSchema,
  auditReportQuerySchema,
  auditReportSchema,
  auditVerifySchema,
} from '../audit.js';
import {
  customerDetailSchema,
  customerIdParamsSchema,
  customerSearchQuerySchema,
  customerSearchResultSchema,
  revealRequestSchema,
  revealResponseSchema,
} from '../customers.js';
import { dashboardSchema } from '../dashboard.js';
import {
  consentExportQuerySchema,
  exportIdParamsSchema,
  exportManifestSchema,
  exportRunListQuerySchema,
  exportRunListSchema,
  statusHistoryExportQuerySchema,
} from '../exports.js';
import { createdApplicationSchema, newApplicationSchema } from '../intake.js';
import { newOutcomeSchema, outcomeSchema } from '../outcomes.js';
import { listResponseSchema } from '../pagination.js';
import { actionIdParamsSchema, documentUploadFieldsSchema, providerActionSchema } from '../provider-actions.js';
import { providerSchema } from '../providers.js';
import {
  newRfiSchema,
  rfiAnswerFieldsSchema,
  rfiIdParamsSchema,
  rfiListQuerySchema,
  rfiListSchema,
  rfiSchema,
} from '../rfis.js';
import { staffCreateSchema, staffIdParamsSchema, staffMemberSchema, staffUpdateSchema } from '../staff.js';
import {
  assignRequestSchema,
  newNoteSchema,
  newSavedFilterSchema,
  nextCaseRequestSchema,
  noteSchema,
  savedFilterIdParamsSchema,
  savedFilterSchema,
} from '../workflow.js';
import { createRouteMatcher } from './route-match.js';
import { route } from './route-spec.js';

export const healthSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Health' });
export const readinessSchema = z
  .object({ ok: z.boolean(), database: z.enum(['reachable', 'unreachable']), migrated: z.boolean() })
  .meta({ id: 'Readiness' });
export const webhookParamsSchema = z.strictObject({ provider: providerSchema });
export const webhookAckSchema = z
  .object({ received: z.literal(true), duplicate: z.boolean() })
  .meta({ id: 'WebhookAck' });
export const fileTokenParamsSchema = z.strictObject({ token: z.string().min(1).max(300) });

/** Upload limits the server enforces while reading the request (the provider's own rules come after). */
export const uploadLimits = {
  /** Above every provider's document limit, so the service can answer 413 with the provider's own figure. */
  documentBytes: 25 * 1024 * 1024,
  rfiAnswerFileBytes: 10 * 1024 * 1024,
  rfiAnswerFiles: 20,
  webhookBytes: 1024 * 1024,
} as const;

const exportMediaTypes = ['text/csv', 'application/x-ndjson'] as const;
const documentMediaTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;

const json = <S extends z.ZodType>(schema: S, description: string) => ({ kind: 'json', schema, description }) as const;
const empty = (description: string) => ({ kind: 'empty', description }) as const;

export const routes = {
  // ---- Operations ----
  getHealth: route({
    method: 'GET',
    path: '/healthz',
    access: 'public',
    tag: 'Operations',
    summary: 'The process is up',
    responses: { 200: json(healthSchema, 'Up') },
  }),
  getReadiness: route({
    method: 'GET',
    path: '/readyz',
    access: 'public',
    tag: 'Operations',
    summary: 'The database is reachable and migrated (503 otherwise)',
    responses: { 200: json(readinessSchema, 'Ready') },
    errors: [503],
  }),
  getMetrics: route({
    method: 'GET',
    path: '/metrics',
    access: 'public',
    auth: 'metricsToken',
    tag: 'Operations',
    summary: 'Prometheus metrics (a bearer token when DESK_METRICS_TOKEN is set)',
    responses: { 200: { kind: 'content', mediaTypes: ['text/plain'], description: 'Prometheus text format' } },
    errors: [401],
  }),
  getOpenApi: route({
    method: 'GET',
    path: '/api/openapi.json',
    access: 'public',
    tag: 'Operations',
    summary: 'This API described as OpenAPI 3.1',
    responses: { 200: json(z.looseObject({ openapi: z.string() }), 'The OpenAPI document') },
  }),

  // ---- Sign-in ----
  signIn: route({
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    tag: 'Sign-in',
    summary: 'Sign in: sets the HttpOnly session cookie (401 bad credentials, 429 throttled)',
    body: { kind: 'json', schema: loginRequestSchema },
    responses: { 200: json(meSchema, 'Signed in') },
    errors: [401, 429],
  }),
  signOut: route({
    method: 'POST',
    path: '/api/auth/logout',
    access: 'signedIn',
    tag: 'Sign-in',
    summary: 'Sign out: ends the session',
    responses: { 204: empty('Signed out') },
  }),
  getMe: route({
    method: 'GET',
    path: '/api/auth/me',
    access: 'signedIn',
    tag: 'Sign-in',
    summary: 'Who is signed in, with their permissions',
    responses: { 200: json(meSchema, 'The signed-in staff member') },
  }),

  // ---- Provider webhooks ----
  receiveWebhook: route({
    method: 'POST',
    path: '/api/webhooks/:provider',
    access: 'public',
    tag: 'Webhooks',
    summary: "A provider's event: verified by its signature, stored once per event id, applied by a job",
    params: webhookParamsSchema,
    body: { kind: 'raw', maxBytes: uploadLimits.webhookBytes },
    responses: { 200: json(webhookAckSchema, 'Stored (or a replay of a stored event)') },
    errors: [401, 422],
  }),

  // ---- Staff ----
  listStaff: route({
    method: 'GET',
    path: '/api/staff',
    access: 'staff.read',
    tag: 'Staff',
    summary: 'Staff members (one page holds them all)',
    responses: { 200: json(listResponseSchema(staffMemberSchema).meta({ id: 'StaffList' }), 'Staff members') },
  }),
  createStaff: route({
    method: 'POST',
    path: '/api/staff',
    access: 'staff.manage',
    tag: 'Staff',
    summary: 'Create a staff member',
    body: { kind: 'json', schema: staffCreateSchema },
    responses: { 201: json(staffMemberSchema, 'Created') },
    errors: [409],
  }),
  updateStaff: route({
    method: 'PATCH',
    path: '/api/staff/:id',
    access: 'staff.manage',
    tag: 'Staff',
    summary: 'Change a staff member (a role, password or active change ends their sessions); 409 on a stale version',
    params: staffIdParamsSchema,
    body: { kind: 'json', schema: staffUpdateSchema },
    responses: { 200: json(staffMemberSchema, 'Changed') },
    errors: [409],
  }),

  // ---- The review queue ----
  listApplications: route({
    method: 'GET',
    path: '/api/applications',
    access: 'applications.read',
    tag: 'Queue',
    summary: 'The review queue, filtered and keyset-paged',
    query: applicationListQuerySchema,
    responses: { 200: json(applicationListSchema, 'A page of the queue') },
  }),
  createApplication: route({
    method: 'POST',
    path: '/api/applications',
    access: 'applications.create',
    tag: 'Queue',
    summary: 'Create an application at a provider (intake) and register it',
    body: { kind: 'json', schema: newApplicationSchema },
    responses: { 201: json(createdApplicationSchema, 'Created at the provider and registered') },
    errors: [409, 422, 503],
  }),
  getApplicationStats: route({
    method: 'GET',
    path: '/api/applications/stats',
    access: 'applications.read',
    tag: 'Queue',
    summary: 'Counts per stage, per raised flag and by age, under the queue filters',
    query: applicationStatsQuerySchema,
    responses: { 200: json(applicationStatsSchema, 'Counts') },
  }),
  claimNextCase: route({
    method: 'POST',
    path: '/api/applications/next',
    access: 'applications.work',
    tag: 'Workflow',
    summary: 'Claims the oldest unassigned workable case for the caller and answers its queue row (404: none waiting)',
    body: { kind: 'json', schema: nextCaseRequestSchema },
    responses: { 200: json(applicationSummarySchema, 'The claimed case') },
    errors: [404],
  }),
  getDashboard: route({
    method: 'GET',
    path: '/api/dashboard',
    access: 'dashboard.read',
    tag: 'Queue',
    summary: 'Queue health: stages, aging, service levels, RFIs, throughput',
    responses: { 200: json(dashboardSchema, 'Figures') },
  }),

  // ---- A case ----
  getApplication: route({
    method: 'GET',
    path: '/api/applications/:id',
    access: 'applications.read',
    tag: 'Case',
    summary: 'The whole case',
    params: applicationIdParamsSchema,
    responses: { 200: json(applicationDetailSchema, 'The case') },
  }),
  uploadDocument: route({
    method: 'POST',
    path: '/api/applications/:id/documents',
    access: 'applications.work',
    tag: 'Provider actions',
    summary:
      "Upload a document on the customer's behalf (413 too large, 415 wrong type, 422 not accepted by this provider)",
    params: applicationIdParamsSchema,
    body: {
      kind: 'multipart',
      fields: documentUploadFieldsSchema,
      files: { field: 'file', maxCount: 1, maxBytes: uploadLimits.documentBytes },
    },
    responses: { 202: json(providerActionSchema, 'Recorded and queued for delivery') },
    errors: [409, 422],
  }),
  reapplyApplication: route({
    method: 'POST',
    path: '/api/applications/:id/reapply',
    access: 'applications.work',
    tag: 'Provider actions',
    summary: 'Resubmit to the provider (409 when its status does not allow it)',
    params: applicationIdParamsSchema,
    responses: { 202: json(providerActionSchema, 'Recorded and queued for delivery') },
    errors: [409],
  }),
  refreshApplication: route({
    method: 'POST',
    path: '/api/applications/:id/refresh',
    access: 'applications.work',
    tag: 'Provider actions',
    summary: "Pull the provider's current state",
    params: applicationIdParamsSchema,
    responses: { 202: json(providerActionSchema, 'Recorded and queued for delivery') },
    errors: [409],
  }),
  retryProviderAction: route({
    method: 'POST',
    path: '/api/applications/:id/actions/:actionId/retry',
    access: 'applications.work',
    tag: 'Provider actions',
    summary: 'Deliver a failed provider action again, with the same idempotency key',
    params: actionIdParamsSchema,
    responses: { 202: json(providerActionSchema, 'Queued again') },
    errors: [409],
  }),
  recordOutcome: route({
    method: 'POST',
    path: '/api/applications/:id/outcomes',
    access: 'outcomes.record',
    tag: 'Case',
    summary: 'Record an internal review outcome (four-eyes on escalated cases; 409 on a stale version)',
    params: applicationIdParamsSchema,
    body: { kind: 'json', schema: newOutcomeSchema },
    responses: { 201: json(outcomeSchema, 'Recorded') },
    errors: [409],
  }),
  claimApplication: route({
    method: 'POST',
    path: '/api/applications/:id/claim',
    access: 'applications.work',
    tag: 'Workflow',
    summary: 'Claim a case (409 when someone else holds it)',
    params: applicationIdParamsSchema,
    responses: { 200: json(applicationDetailSchema, 'The case, now yours') },
    errors: [409],
  }),
  releaseApplication: route({
    method: 'POST',
    path: '/api/applications/:id/release',
    access: 'applications.work',
    tag: 'Workflow',
    summary: 'Release a case (409 when someone else holds it)',
    params: applicationIdParamsSchema,
    responses: { 200: json(applicationDetailSchema, 'The case, unassigned') },
    errors: [409],
  }),
  assignApplication: route({
    method: 'POST',
    path: '/api/applications/:id/assign',
    access: 'applications.assign',
    tag: 'Workflow',
    summary: 'Assign a case (409 when someone holds it, unless reassign)',
    params: applicationIdParamsSchema,
    body: { kind: 'json', schema: assignRequestSchema },
    responses: { 200: json(applicationDetailSchema, 'The case, assigned') },
    errors: [409],
  }),
  addNote: route({
    method: 'POST',
    path: '/api/applications/:id/notes',
    access: 'notes.write',
    tag: 'Case',
    summary: 'Add a note to a case (notes are append-only)',
    params: applicationIdParamsSchema,
    body: { kind: 'json', schema: newNoteSchema },
    responses: { 201: json(noteSchema, 'Added') },
  }),
  listApplicationAuditEvents: route({
    method: 'GET',
    path: '/api/applications/:id/audit-events',
    access: 'audit.read',
    tag: 'Audit',
    summary: 'Every audit event of one case, oldest first',
    params: applicationIdParamsSchema,
    query: applicationAuditEventsQuerySchema,
    responses: { 200: json(auditEventListSchema, 'Events') },
  }),
  getApplicationAuditReport: route({
    method: 'GET',
    path: '/api/applications/:id/audit-report',
    access: 'audit.read',
    tag: 'Audit',
    summary: 'The per-case audit report: a printable page, or `format=json` for the data (viewing it is audited)',
    params: applicationIdParamsSchema,
    query: auditReportQuerySchema,
    responses: {
      200: {
        kind: 'content',
        mediaTypes: ['text/html', 'application/json'],
        schema: auditReportSchema,
        description: 'The report',
      },
    },
  }),

  // ---- Saved filters ----
  listSavedFilters: route({
    method: 'GET',
    path: '/api/saved-filters',
    access: 'signedIn',
    tag: 'Workflow',
    summary: 'Your saved queue filters',
    responses: { 200: json(listResponseSchema(savedFilterSchema).meta({ id: 'SavedFilterList' }), 'Saved filters') },
  }),
  saveFilter: route({
    method: 'POST',
    path: '/api/saved-filters',
    access: 'signedIn',
    tag: 'Workflow',
    summary: 'Save a queue filter',
    body: { kind: 'json', schema: newSavedFilterSchema },
    responses: { 201: json(savedFilterSchema, 'Saved') },
  }),
  deleteSavedFilter: route({
    method: 'DELETE',
    path: '/api/saved-filters/:id',
    access: 'signedIn',
    tag: 'Workflow',
    summary: 'Delete one of your saved filters',
    params: savedFilterIdParamsSchema,
    responses: { 204: empty('Deleted') },
  }),

  // ---- RFIs ----
  listRfis: route({
    method: 'GET',
    path: '/api/rfis',
    access: 'rfis.read',
    tag: 'RFIs',
    summary: 'The RFI queue, soonest due first, keyset-paged',
    query: rfiListQuerySchema,
    responses: { 200: json(rfiListSchema, 'A page of RFIs') },
  }),
  getRfi: route({
    method: 'GET',
    path: '/api/rfis/:id',
    access: 'rfis.read',
    tag: 'RFIs',
    summary: 'One RFI with its items and answers',
    params: rfiIdParamsSchema,
    responses: { 200: json(rfiSchema, 'The RFI') },
  }),
  raiseRfi: route({
    method: 'POST',
    path: '/api/applications/:id/rfis',
    access: 'rfis.raise',
    tag: 'RFIs',
    summary: 'Raise an internal RFI on a case',
    params: applicationIdParamsSchema,
    body: { kind: 'json', schema: newRfiSchema },
    responses: { 201: json(rfiSchema, 'Raised') },
  }),
  answerRfi: route({
    method: 'POST',
    path: '/api/rfis/:id/answers',
    access: 'rfis.answer',
    tag: 'RFIs',
    summary:
      "Answer an RFI: text, field values and files (parts named by the items' keys); delivered to the provider in its own shape",
    params: rfiIdParamsSchema,
    body: {
      kind: 'multipart',
      fields: rfiAnswerFieldsSchema,
      files: { field: null, maxCount: uploadLimits.rfiAnswerFiles, maxBytes: uploadLimits.rfiAnswerFileBytes },
    },
    responses: { 201: json(rfiSchema, 'Answered') },
    errors: [409, 422],
  }),
  closeRfi: route({
    method: 'POST',
    path: '/api/rfis/:id/close',
    access: 'rfis.close',
    tag: 'RFIs',
    summary: "Close an RFI (409 while the provider's RFI is still open)",
    params: rfiIdParamsSchema,
    responses: { 200: json(rfiSchema, 'Closed') },
    errors: [409],
  }),

  // ---- Customers ----
  searchCustomers: route({
    method: 'GET',
    path: '/api/customers',
    access: 'customers.read',
    tag: 'Customers',
    summary: 'Support lookup by name, email, phone, last four, application or provider id',
    query: customerSearchQuerySchema,
    responses: { 200: json(customerSearchResultSchema, 'Matching customers, best first') },
  }),
  getCustomer: route({
    method: 'GET',
    path: '/api/customers/:id',
    access: 'customers.read',
    tag: 'Customers',
    summary: 'A customer with every application, open RFIs and recent changes',
    params: customerIdParamsSchema,
    responses: { 200: json(customerDetailSchema, 'The customer') },
  }),
  revealCustomerField: route({
    method: 'POST',
    path: '/api/customers/:id/reveal',
    access: 'customers.reveal',
    tag: 'Customers',
    summary: 'The clear identification number, with a reason; always audited',
    params: customerIdParamsSchema,
    body: { kind: 'json', schema: revealRequestSchema },
    responses: { 200: json(revealResponseSchema, 'The clear value') },
  }),

  // ---- Audit trail and exports ----
  listAuditEvents: route({
    method: 'GET',
    path: '/api/audit-events',
    access: 'audit.read',
    tag: 'Audit',
    summary: 'The audit trail, filtered and keyset-paged',
    query: auditEventListQuerySchema,
    responses: { 200: json(auditEventListSchema, 'A page of events') },
  }),
  verifyAuditChain: route({
    method: 'GET',
    path: '/api/audit-events/verify',
    access: 'audit.read',
    tag: 'Audit',
    summary: 'Checks the hash chain and names the first row that does not hold',
    responses: { 200: json(auditVerifySchema, 'The verdict') },
  }),
  listExports: route({
    method: 'GET',
    path: '/api/exports',
    access: 'exports.read',
    tag: 'Exports',
    summary: 'Past export runs, newest first',
    query: exportRunListQuerySchema,
    responses: { 200: json(exportRunListSchema, 'A page of runs') },
  }),
  exportStatusHistory: route({
    method: 'GET',
    path: '/api/exports/status-history',
    access: 'exports.read',
    tag: 'Exports',
    summary: 'The status history, streamed as CSV or NDJSON; the manifest is linked from the answer',
    query: statusHistoryExportQuerySchema,
    responses: { 200: { kind: 'content', mediaTypes: exportMediaTypes, description: 'The rows' } },
  }),
  exportConsents: route({
    method: 'GET',
    path: '/api/exports/consents',
    access: 'exports.read',
    tag: 'Exports',
    summary: 'Consent versions, streamed as CSV or NDJSON; the manifest is linked from the answer',
    query: consentExportQuerySchema,
    responses: { 200: { kind: 'content', mediaTypes: exportMediaTypes, description: 'The rows' } },
  }),
  getExportManifest: route({
    method: 'GET',
    path: '/api/exports/:id/manifest',
    access: 'exports.read',
    tag: 'Exports',
    summary: 'What a downloaded export is checked against: rows, bytes, SHA-256, chain head',
    params: exportIdParamsSchema,
    responses: { 200: json(exportManifestSchema, 'The manifest') },
  }),

  // ---- Files ----
  getFile: route({
    method: 'GET',
    path: '/files/:token',
    access: 'public',
    tag: 'Files',
    summary: 'A document file, for whoever holds a link the desk signed (providers fetch these)',
    params: fileTokenParamsSchema,
    responses: { 200: { kind: 'content', mediaTypes: documentMediaTypes, description: 'The file' } },
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export const routeNames = Object.keys(routes) as RouteName[];

/** The route a request reaches (see `route-match.ts`): the one answer dispatch and the gate share. */
export const matchRoute = createRouteMatcher<RouteName>(routes);
