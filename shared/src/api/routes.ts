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
  documentIdParamsSchema,
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
  enrolledSignInSchema,
  recoveryCodesSchema,
  secondFactorRequestSchema,
  secondFactorStatusSchema,
  sessionIdParamsSchema,
  signInOptionsSchema,
  signInStepSchema,
  singleSignOnCallbackSchema,
  singleSignOnStartSchema,
  staffSessionListSchema,
  staffSessionParamsSchema,
  totpCodeRequestSchema,
  totpEnrolmentSchema,
} from '../auth.js';
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
import { createdApplicationSchema, intakeHeadersSchema, newApplicationSchema, pendingIntakeSchema } from '../intake.js';
import { liveEventsQuerySchema } from '../live.js';
import { newOutcomeSchema, outcomeSchema } from '../outcomes.js';
import { listResponseSchema } from '../pagination.js';
import { actionIdParamsSchema, documentUploadFieldsSchema, providerActionSchema } from '../provider-actions.js';
import { providerSchema } from '../providers.js';
import {
  newRfiSchema,
  rfiAnswerDocumentParamsSchema,
  rfiAnswerFieldsSchema,
  rfiIdParamsSchema,
  rfiListQuerySchema,
  rfiListSchema,
  rfiSchema,
} from '../rfis.js';
import {
  invitationAcceptedSchema,
  invitationAcceptSchema,
  invitationDetailSchema,
  invitationTokenRequestSchema,
  roleGrantIdParamsSchema,
  roleGrantListQuerySchema,
  roleGrantRefusalSchema,
  roleGrantSchema,
  staffAccessPendingSchema,
  staffChangePendingSchema,
  staffCreatedSchema,
  staffCreateSchema,
  staffIdParamsSchema,
  staffInvitationSchema,
  staffMemberSchema,
  staffUpdateSchema,
} from '../staff.js';
import { staffPreferencesSchema, staffPreferencesUpdateSchema } from '../time-zones.js';
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
const exportAnswer = {
  kind: 'content',
  mediaTypes: exportMediaTypes,
  description:
    'The rows, streamed as an attachment; `X-Export-Id` names the run and `Link` (rel="describedby") its manifest',
} as const;
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
    summary:
      'Sign in: sets the HttpOnly session cookie (200), or, when a second factor is asked, the sign-in step cookie (202: send a code, or enrol first); 401 bad credentials, 429 throttled',
    body: { kind: 'json', schema: loginRequestSchema },
    responses: {
      200: json(meSchema, 'Signed in'),
      202: json(signInStepSchema, 'Password accepted: the second step is owed'),
    },
    errors: [401, 429],
  }),
  signInSecondFactor: route({
    method: 'POST',
    path: '/api/auth/login/second-factor',
    access: 'public',
    tag: 'Sign-in',
    summary:
      'The second step of a sign-in (its cookie): a current authenticator code or an unused recovery code; sets the session cookie (401 wrong or no step owed, 429 throttled)',
    body: { kind: 'json', schema: secondFactorRequestSchema },
    responses: { 200: json(meSchema, 'Signed in') },
    errors: [401, 429],
  }),
  beginSignInEnrolment: route({
    method: 'POST',
    path: '/api/auth/login/enrolment',
    access: 'public',
    tag: 'Sign-in',
    summary:
      'During a sign-in that must enrol a second factor (its cookie): a new authenticator secret with its QR code, shown once (401 no enrolment owed)',
    responses: { 201: json(totpEnrolmentSchema, 'The secret to add to an authenticator app') },
    errors: [401, 409],
  }),
  confirmSignInEnrolment: route({
    method: 'POST',
    path: '/api/auth/login/enrolment/confirm',
    access: 'public',
    tag: 'Sign-in',
    summary:
      "The new authenticator's first code: the factor holds, the session cookie is set and recovery codes are shown once (401 wrong code or no enrolment owed, 429 throttled)",
    body: { kind: 'json', schema: totpCodeRequestSchema },
    responses: { 200: json(enrolledSignInSchema, 'Enrolled and signed in') },
    errors: [401, 429],
  }),
  getSignInOptions: route({
    method: 'GET',
    path: '/api/auth/options',
    access: 'public',
    tag: 'Sign-in',
    summary:
      'What the sign-in page offers: password sign-in, and "Sign in with <name>" when single sign-on is configured',
    responses: { 200: json(signInOptionsSchema, 'The sign-in options') },
  }),
  startSingleSignOn: route({
    method: 'POST',
    path: '/api/auth/sso/start',
    access: 'public',
    tag: 'Sign-in',
    summary:
      "Single sign-on: the identity provider's authorization URL to send the browser to (code flow with PKCE, state and nonce; a cookie keeps them); 404 when not configured, 503 provider unreachable",
    responses: { 200: json(singleSignOnStartSchema, 'Where to send the browser') },
    errors: [404, 503],
  }),
  completeSingleSignOn: route({
    method: 'POST',
    path: '/api/auth/sso/callback',
    access: 'public',
    tag: 'Sign-in',
    summary:
      'Single sign-on, back from the provider: the callback page posts the query string it got; the ID token is checked, the member provisioned or their role synced from their groups, the session cookie set (401 did not check out, 403 no role or deactivated)',
    body: { kind: 'json', schema: singleSignOnCallbackSchema },
    responses: { 200: json(meSchema, 'Signed in') },
    errors: [401, 404, 503],
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
  inspectInvitation: route({
    method: 'POST',
    path: '/api/auth/invitations/inspect',
    access: 'public',
    tag: 'Sign-in',
    summary: 'Whom a set-password link is for (404 not a link of this desk; 409 used, replaced or expired)',
    body: { kind: 'json', schema: invitationTokenRequestSchema },
    responses: { 200: json(invitationDetailSchema, 'The open link') },
    errors: [404, 409],
  }),
  acceptInvitation: route({
    method: 'POST',
    path: '/api/auth/invitations/accept',
    access: 'public',
    tag: 'Sign-in',
    summary:
      "Set one's password from a set-password link, which is then used up (404 not a link of this desk; 409 used, replaced or expired)",
    body: { kind: 'json', schema: invitationAcceptSchema },
    responses: { 200: json(invitationAcceptedSchema, 'Password set: sign in with it') },
    errors: [404, 409],
  }),
  getOwnSecondFactor: route({
    method: 'GET',
    path: '/api/auth/second-factor',
    access: 'signedIn',
    tag: 'Sign-in',
    summary:
      'Whether you have a second factor, how many recovery codes are left, and whether the policy asks you for one',
    responses: { 200: json(secondFactorStatusSchema, 'Your second factor') },
  }),
  beginOwnEnrolment: route({
    method: 'POST',
    path: '/api/auth/second-factor/enrolment',
    access: 'signedIn',
    tag: 'Sign-in',
    summary: 'Add an authenticator: a new secret with its QR code, shown once (409 you already have one)',
    responses: { 201: json(totpEnrolmentSchema, 'The secret to add to an authenticator app') },
    errors: [409],
  }),
  confirmOwnEnrolment: route({
    method: 'POST',
    path: '/api/auth/second-factor/enrolment/confirm',
    access: 'signedIn',
    tag: 'Sign-in',
    summary:
      "The new authenticator's first code: the factor holds and recovery codes are shown once (422 wrong code, 429 throttled)",
    body: { kind: 'json', schema: totpCodeRequestSchema },
    responses: { 200: json(recoveryCodesSchema, 'Enrolled') },
    errors: [409, 422, 429],
  }),
  renewOwnRecoveryCodes: route({
    method: 'POST',
    path: '/api/auth/second-factor/recovery-codes',
    access: 'signedIn',
    tag: 'Sign-in',
    summary:
      'New recovery codes for a current code (the unused old ones stop working); shown once (409 no factor, 422 wrong code, 429 throttled)',
    body: { kind: 'json', schema: totpCodeRequestSchema },
    responses: { 200: json(recoveryCodesSchema, 'Renewed') },
    errors: [409, 422, 429],
  }),
  updateOwnPreferences: route({
    method: 'PATCH',
    path: '/api/me/preferences',
    access: 'signedIn',
    tag: 'Sign-in',
    summary: "Change one's own settings: the time zone times are shown in (an IANA name, or null for the browser's)",
    body: { kind: 'json', schema: staffPreferencesUpdateSchema },
    responses: { 200: json(staffPreferencesSchema, 'Your settings') },
  }),
  listOwnSessions: route({
    method: 'GET',
    path: '/api/auth/sessions',
    access: 'signedIn',
    tag: 'Sign-in',
    summary: "The signed-in member's live sessions, newest first (the current one marked)",
    responses: {
      200: json(staffSessionListSchema, 'Live sessions'),
    },
  }),
  endOwnSession: route({
    method: 'DELETE',
    path: '/api/auth/sessions/:id',
    access: 'signedIn',
    tag: 'Sign-in',
    summary: 'End one of your own live sessions (ending the current one signs you out)',
    params: sessionIdParamsSchema,
    responses: { 204: empty('Ended') },
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
    summary:
      'Create a staff member: answers a one-time set-password link to pass on; a privileged role waits (member inactive) for a second admin',
    body: { kind: 'json', schema: staffCreateSchema },
    responses: { 201: json(staffCreatedSchema, 'Created') },
    errors: [409],
  }),
  updateStaff: route({
    method: 'PATCH',
    path: '/api/staff/:id',
    access: 'staff.manage',
    tag: 'Staff',
    summary:
      'Change a staff member (a role or active change ends their sessions); granting a privileged role answers 202 and waits for a second admin; nobody changes their own role; 409 on a stale version',
    params: staffIdParamsSchema,
    body: { kind: 'json', schema: staffUpdateSchema },
    responses: {
      200: json(staffMemberSchema, 'Changed'),
      202: json(staffChangePendingSchema, 'Other changes made; the role waits for a second admin'),
    },
    errors: [409],
  }),
  reissueInvitation: route({
    method: 'POST',
    path: '/api/staff/:id/invitation',
    access: 'staff.manage',
    tag: 'Staff',
    summary:
      'A new set-password link for a member (their open links stop working; their password stays until it is used); for a privileged member it answers 202 and waits for a second admin, then the asking admin takes the link once',
    params: staffIdParamsSchema,
    responses: {
      201: json(staffInvitationSchema, 'Issued: shown once'),
      202: json(staffAccessPendingSchema, 'The member is privileged: waits for a second admin'),
    },
    errors: [409],
  }),
  listRoleGrants: route({
    method: 'GET',
    path: '/api/staff/grants',
    access: 'staff.manage',
    tag: 'Staff',
    summary: 'Privileged role grants, newest first (pending by default)',
    query: roleGrantListQuerySchema,
    responses: { 200: json(listResponseSchema(roleGrantSchema).meta({ id: 'RoleGrantList' }), 'Grants') },
  }),
  approveRoleGrant: route({
    method: 'POST',
    path: '/api/staff/grants/:id/approve',
    access: 'staff.manage',
    tag: 'Staff',
    summary:
      'Approve a pending grant: it takes effect and the member signs in again (403 for the admin who asked or the member concerned; 409 decided already or member changed since)',
    params: roleGrantIdParamsSchema,
    responses: { 200: json(roleGrantSchema, 'Approved and applied') },
    errors: [409],
  }),
  refuseRoleGrant: route({
    method: 'POST',
    path: '/api/staff/grants/:id/refuse',
    access: 'staff.manage',
    tag: 'Staff',
    summary: 'Refuse a pending grant (the admin who asked may withdraw it); 409 when decided already',
    params: roleGrantIdParamsSchema,
    body: { kind: 'json', schema: roleGrantRefusalSchema },
    responses: { 200: json(roleGrantSchema, 'Refused') },
    errors: [409],
  }),
  takeGrantLink: route({
    method: 'POST',
    path: '/api/staff/grants/:id/link',
    access: 'staff.manage',
    tag: 'Staff',
    summary:
      'The set-password link of an approved link request, issued now and shown once to the admin who asked (403 anyone else; 409 not approved or taken already)',
    params: roleGrantIdParamsSchema,
    responses: { 201: json(staffInvitationSchema, 'Issued: shown once') },
    errors: [409],
  }),
  resetStaffSecondFactor: route({
    method: 'DELETE',
    path: '/api/staff/:id/second-factor',
    access: 'staff.manage',
    tag: 'Staff',
    summary:
      "Remove a member's second factor and recovery codes (a lost phone): their sessions end, they enrol again; never shows the factor (409 none); for a privileged member it answers 202 and waits for a second admin",
    params: staffIdParamsSchema,
    responses: {
      202: json(staffAccessPendingSchema, 'The member is privileged: waits for a second admin'),
      204: empty('Removed'),
    },
    errors: [409],
  }),
  listStaffSessions: route({
    method: 'GET',
    path: '/api/staff/:id/sessions',
    access: 'staff.manage',
    tag: 'Staff',
    summary: "A member's live sessions, newest first",
    params: staffIdParamsSchema,
    responses: {
      200: json(staffSessionListSchema, 'Live sessions'),
    },
  }),
  endStaffSessions: route({
    method: 'DELETE',
    path: '/api/staff/:id/sessions',
    access: 'staff.manage',
    tag: 'Staff',
    summary: 'End every live session of a member',
    params: staffIdParamsSchema,
    responses: { 204: empty('Ended') },
  }),
  endStaffSession: route({
    method: 'DELETE',
    path: '/api/staff/:id/sessions/:sessionId',
    access: 'staff.manage',
    tag: 'Staff',
    summary: 'End one live session of a member',
    params: staffSessionParamsSchema,
    responses: { 204: empty('Ended') },
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
    summary:
      'Create an application at a provider (intake) and register it; an Idempotency-Key header makes a retry answer the same application (409: the key was used for another one); 202 while the provider has not answered (retried by the desk)',
    headers: intakeHeadersSchema,
    body: { kind: 'json', schema: newApplicationSchema },
    responses: {
      201: json(createdApplicationSchema, 'Created at the provider and registered'),
      202: json(pendingIntakeSchema, 'Recorded; the provider has not answered yet and the desk retries'),
    },
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
  getDocumentContent: route({
    method: 'GET',
    path: '/api/applications/:id/documents/:documentId/content',
    access: 'documents.view',
    tag: 'Case',
    summary:
      "A stored document's file, shown inline in the type sniffed at upload (`no-store`; every opening is audited); 404 for a document of another case or with no stored file",
    params: documentIdParamsSchema,
    responses: {
      200: {
        kind: 'content',
        mediaTypes: documentMediaTypes,
        description: 'The file, inline under a plain name (`Content-Disposition`)',
      },
    },
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
    summary: 'Save a queue filter (409 when you already have one of that name)',
    body: { kind: 'json', schema: newSavedFilterSchema },
    responses: { 201: json(savedFilterSchema, 'Saved') },
    errors: [409],
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
    summary: 'Raise an internal RFI on a case (409 once the case is decided)',
    params: applicationIdParamsSchema,
    body: { kind: 'json', schema: newRfiSchema },
    responses: { 201: json(rfiSchema, 'Raised') },
    errors: [409],
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
  getRfiAnswerDocumentContent: route({
    method: 'GET',
    path: '/api/rfis/:id/answers/:answerId/documents/:documentId/content',
    access: 'documents.view',
    tag: 'RFIs',
    summary:
      'A file answering an RFI, shown inline like a case document (`no-store`; every opening is audited); 404 unless the file belongs to that answer of that RFI',
    params: rfiAnswerDocumentParamsSchema,
    responses: {
      200: {
        kind: 'content',
        mediaTypes: documentMediaTypes,
        description: 'The file, inline under a plain name (`Content-Disposition`)',
      },
    },
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
    summary:
      'The clear identification number, with a reason; always audited (409 when its PII key is no longer configured)',
    params: customerIdParamsSchema,
    body: { kind: 'json', schema: revealRequestSchema },
    responses: { 200: json(revealResponseSchema, 'The clear value') },
    errors: [409],
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
    responses: { 200: exportAnswer },
  }),
  exportConsents: route({
    method: 'GET',
    path: '/api/exports/consents',
    access: 'exports.read',
    tag: 'Exports',
    summary: 'Consent versions, streamed as CSV or NDJSON; the manifest is linked from the answer',
    query: consentExportQuerySchema,
    responses: { 200: exportAnswer },
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

  // ---- Live updates ----
  streamEvents: route({
    method: 'GET',
    path: '/api/events',
    access: 'applications.read',
    tag: 'Live updates',
    summary:
      'Case changes as they happen (Server-Sent Events, `Accept: text/event-stream`); `Last-Event-ID` replays what was missed',
    query: liveEventsQuerySchema,
    responses: {
      200: {
        kind: 'content',
        mediaTypes: ['text/event-stream'],
        description:
          'An endless event stream: `case` events (data: CaseEvent, id: position in the audit trail), `reset` when the gap is too long to replay, and a comment every 15 s',
      },
    },
    errors: [503],
  }),

  // ---- Files ----
  getFile: route({
    method: 'GET',
    path: '/files/:token',
    access: 'public',
    tag: 'Files',
    summary: 'A document file, for whoever holds a link the desk signed (providers fetch these)',
    params: fileTokenParamsSchema,
    responses: {
      200: {
        kind: 'content',
        mediaTypes: documentMediaTypes,
        description: 'The file, as an attachment under a plain name (`Content-Disposition`)',
      },
    },
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export const routeNames = Object.keys(routes) as RouteName[];

/** The route a request reaches (see `route-match.ts`): the one answer dispatch and the gate share. */
export const matchRoute = createRouteMatcher<RouteName>(routes);
