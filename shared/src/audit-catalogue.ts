/**
 * The audit vocabulary: every action the desk records, with the entity it is about, the shape
 * of its `data` and the label people read. Writers can only record an action listed here with
 * data of its shape (`recordAudit` is typed by it), and the audit explorer, a case's timeline
 * and the per-case report label every action from it. Auditors rely on this trail: an action's
 * name and meaning never change once recorded; a new meaning is a new action.
 *
 * `data` never carries identification numbers, passwords, file bytes or the values of RFI
 * answers: it names what happened, not the personal data involved.
 */
import { z } from 'zod';
import { documentFlags, documentStatuses, documentTypes } from './documents.js';
import { providerActionKinds } from './provider-actions.js';
import { providerStatuses, providers, stages } from './providers.js';
import { staffGrantKinds, staffRoles } from './staff.js';

export const auditEntityTypes = [
  'application',
  'staff',
  'rfi',
  'export',
  'customer',
  'provider_action',
  'webhook',
  'webhook_rejection',
  'intake',
] as const;
export type AuditEntityType = (typeof auditEntityTypes)[number];

type AuditActionSpec = { label: string; entityType: AuditEntityType; data: z.ZodType };

const nothing = z.object({});
const providerStatus = z.enum(providerStatuses);
const stage = z.enum(stages);
const exportKind = z.enum(['status_history', 'consents']);
const exportFormat = z.enum(['csv', 'ndjson']);
const secondFactorMethod = z.enum(['totp', 'recovery_code']);
/** Where a second-factor code was checked: the sign-in's second step, enrolment, renewing recovery codes. */
const secondFactorStep = z.enum(['sign_in', 'enrolment', 'recovery_codes']);

const spec = <const S extends AuditActionSpec>(s: S) => s;

/**
 * What a provider's answer changed on a case besides its status (which is
 * `application.status_changed`): which flags it raised or cleared, the documents it listed anew
 * or moved, its RFIs opened or closed, whether what it asks for or its customer id changed.
 * Names and counts only: no values the provider holds about the person.
 */
export const providerUpdateSchema = z.object({
  flagsRaised: z.array(z.enum(documentFlags)),
  flagsCleared: z.array(z.enum(documentFlags)),
  /** Documents the provider listed that the desk did not hold (a PENDING_UPLOAD one is a request). */
  documentsListed: z.array(z.object({ type: z.enum(documentTypes), status: z.enum(documentStatuses) })),
  documentsChanged: z.array(
    z.object({
      documentId: z.string(),
      type: z.enum(documentTypes),
      from: z.enum(documentStatuses),
      to: z.enum(documentStatuses),
    }),
  ),
  rfiOpened: z.boolean(),
  rfisClosed: z.number(),
  requirementsChanged: z.boolean(),
  providerCustomerIdChanged: z.boolean(),
});
export type ProviderUpdate = z.infer<typeof providerUpdateSchema>;

export const auditCatalogue = {
  // ---- Sign-in ----
  'auth.signed_in': spec({
    label: 'Signed in',
    entityType: 'staff',
    data: z.object({
      userAgent: z.string().nullable(),
      trustedDevice: z.boolean(),
      /** How the second step was passed, when there was one. */
      secondFactor: secondFactorMethod.optional(),
      /** Signed in through the identity provider (single sign-on). */
      singleSignOn: z.boolean().optional(),
    }),
  }),
  'auth.signed_out': spec({ label: 'Signed out', entityType: 'staff', data: nothing }),
  'auth.second_factor_asked': spec({
    label: 'Password accepted; second factor asked',
    entityType: 'staff',
    data: z.object({ next: z.enum(['second_factor', 'enrol_second_factor']), trustedDevice: z.boolean() }),
  }),
  'auth.second_factor_enrolment_started': spec({
    label: 'Second factor enrolment started',
    entityType: 'staff',
    data: z.object({ duringSignIn: z.boolean() }),
  }),
  'auth.second_factor_enrolled': spec({
    label: 'Second factor enrolled',
    entityType: 'staff',
    data: z.object({ duringSignIn: z.boolean(), recoveryCodes: z.number() }),
  }),
  'auth.second_factor_used': spec({
    label: 'Second factor used',
    entityType: 'staff',
    data: z.object({ method: secondFactorMethod, step: secondFactorStep, recoveryCodesLeft: z.number() }),
  }),
  'auth.second_factor_failed': spec({
    label: 'Second factor refused',
    entityType: 'staff',
    data: z.object({ method: secondFactorMethod, step: secondFactorStep, trustedDevice: z.boolean() }),
  }),
  'auth.second_factor_throttled': spec({
    label: 'Second factor refused: too many failures',
    entityType: 'staff',
    data: z.object({ step: secondFactorStep, reason: z.enum(['account', 'address']), trustedDevice: z.boolean() }),
  }),
  'auth.second_factor_reset': spec({
    label: 'Second factor removed by an admin',
    entityType: 'staff',
    data: nothing,
  }),
  'auth.recovery_codes_renewed': spec({
    label: 'Recovery codes renewed',
    entityType: 'staff',
    data: z.object({ recoveryCodes: z.number() }),
  }),
  'auth.sso_refused': spec({
    label: 'Single sign-on refused',
    entityType: 'staff',
    data: z.object({
      reason: z.enum(['unchecked', 'provider_error', 'unmapped', 'inactive', 'no_email', 'email_taken']),
      detail: z.string(),
      subject: z.string().nullable(),
      sessionsEnded: z.number(),
    }),
  }),
  'auth.session_ended': spec({
    label: 'Session ended',
    entityType: 'staff',
    data: z.object({ sessionId: z.string(), by: z.enum(['self', 'admin']) }),
  }),
  'auth.sign_in_failed': spec({
    label: 'Sign-in failed',
    entityType: 'staff',
    data: z.object({ email: z.string(), trustedDevice: z.boolean() }),
  }),
  'auth.sign_in_throttled': spec({
    label: 'Sign-in refused: too many failures',
    entityType: 'staff',
    data: z.object({ email: z.string(), reason: z.enum(['account', 'address']), trustedDevice: z.boolean() }),
  }),

  // ---- Staff ----
  'staff.preferences_changed': spec({
    label: 'Own settings changed',
    entityType: 'staff',
    data: z.object({ timeZone: z.string().nullable() }),
  }),
  'staff.created': spec({
    label: 'Staff member created',
    entityType: 'staff',
    data: z.object({ email: z.string(), name: z.string(), role: z.enum(staffRoles) }),
  }),
  'staff.updated': spec({
    label: 'Staff member changed',
    entityType: 'staff',
    data: z.object({
      changes: z.object({
        name: z.string().optional(),
        role: z.enum(staffRoles).optional(),
        active: z.boolean().optional(),
      }),
      passwordChanged: z.boolean(),
    }),
  }),
  'staff.provisioned': spec({
    label: 'Staff member provisioned by single sign-on',
    entityType: 'staff',
    data: z.object({ email: z.string(), name: z.string(), role: z.enum(staffRoles), issuer: z.string() }),
  }),
  'staff.identity_linked': spec({
    label: 'Staff member linked to single sign-on',
    entityType: 'staff',
    data: z.object({ issuer: z.string(), subject: z.string() }),
  }),
  'staff.role_synced': spec({
    label: "Role follows the identity provider's groups",
    entityType: 'staff',
    data: z.object({ from: z.enum(staffRoles), to: z.enum(staffRoles), groups: z.array(z.string()) }),
  }),
  'staff.invitation_issued': spec({
    label: 'Set-password link issued',
    entityType: 'staff',
    data: z.object({ invitationId: z.string(), expiresAt: z.string(), revoked: z.number() }),
  }),
  'staff.password_set': spec({
    label: 'Password set from a set-password link',
    entityType: 'staff',
    data: z.object({ invitationId: z.string() }),
  }),
  'staff.invitation_refused': spec({
    label: 'Set-password link refused',
    entityType: 'staff',
    data: z.object({ invitationId: z.string(), reason: z.enum(['used', 'revoked', 'expired']) }),
  }),
  'staff.grant_requested': spec({
    label: 'Privileged role requested (awaits a second admin)',
    entityType: 'staff',
    data: z.object({
      grantId: z.string(),
      role: z.enum(staffRoles),
      fromRole: z.enum(staffRoles),
      activates: z.boolean(),
    }),
  }),
  'staff.grant_approved': spec({
    label: 'Privileged role approved',
    entityType: 'staff',
    data: z.object({ grantId: z.string(), role: z.enum(staffRoles), requestedBy: z.string() }),
  }),
  'staff.grant_refused': spec({
    label: 'Privileged role refused',
    entityType: 'staff',
    data: z.object({
      grantId: z.string(),
      role: z.enum(staffRoles),
      requestedBy: z.string(),
      reason: z.string().nullable(),
    }),
  }),
  'staff.access_requested': spec({
    label: "Privileged member's set-password link or second-factor reset requested (awaits a second admin)",
    entityType: 'staff',
    data: z.object({ grantId: z.string(), kind: z.enum(staffGrantKinds), role: z.enum(staffRoles) }),
  }),
  'staff.access_approved': spec({
    label: "Privileged member's set-password link or second-factor reset approved",
    entityType: 'staff',
    data: z.object({ grantId: z.string(), kind: z.enum(staffGrantKinds), requestedBy: z.string() }),
  }),
  'staff.access_refused': spec({
    label: "Privileged member's set-password link or second-factor reset refused",
    entityType: 'staff',
    data: z.object({
      grantId: z.string(),
      kind: z.enum(staffGrantKinds),
      requestedBy: z.string(),
      reason: z.string().nullable(),
    }),
  }),

  // ---- Cases ----
  'application.created': spec({
    label: 'Application created at the provider',
    entityType: 'application',
    data: z.object({
      provider: z.string(),
      providerApplicationId: z.string(),
      status: providerStatus,
      customerId: z.string(),
    }),
  }),
  'application.status_changed': spec({
    label: 'Provider status changed',
    entityType: 'application',
    data: z.object({
      from: providerStatus,
      to: providerStatus,
      fromStage: stage,
      toStage: stage,
      source: z.string(),
      requestedBy: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  }),
  'application.provider_update_applied': spec({
    label: 'Provider update applied',
    entityType: 'application',
    data: providerUpdateSchema.extend({ source: z.string() }),
  }),
  'application.claimed': spec({
    label: 'Case claimed',
    entityType: 'application',
    data: z.object({ via: z.literal('next').optional(), stage: stage.optional(), provider: z.string().optional() }),
  }),
  'application.released': spec({
    label: 'Case released',
    entityType: 'application',
    data: z.object({ heldBy: z.string().nullable() }),
  }),
  'application.assigned': spec({
    label: 'Case assigned',
    entityType: 'application',
    data: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  }),
  'application.note_added': spec({
    label: 'Note added',
    entityType: 'application',
    data: z.object({ noteId: z.string(), body: z.string() }),
  }),
  'application.outcome_recorded': spec({
    label: 'Review outcome recorded',
    entityType: 'application',
    data: z.object({
      outcome: z.string(),
      reasonCode: z.string(),
      note: z.string().nullable().optional(),
      resolvesEscalation: z.boolean(),
      /** Recorded although the case had open items: why, and which items were open then. */
      override: z.object({ reason: z.string(), openItems: z.array(z.string()) }).optional(),
    }),
  }),
  'application.document_uploaded': spec({
    label: 'Document uploaded',
    entityType: 'application',
    data: z.object({
      documentId: z.string(),
      type: z.enum(documentTypes),
      sizeBytes: z.number(),
      sha256: z.string(),
      actionId: z.string(),
    }),
  }),
  'application.document_viewed': spec({
    label: 'Viewed a document',
    entityType: 'application',
    data: z.object({ documentId: z.string(), type: z.enum(documentTypes), contentType: z.string() }),
  }),
  'application.reapply_requested': spec({
    label: 'Re-apply requested',
    entityType: 'application',
    data: z.object({ actionId: z.string(), providerStatus }),
  }),
  'application.refresh_requested': spec({
    label: 'Refresh requested',
    entityType: 'application',
    data: z.object({ actionId: z.string() }),
  }),
  'application.audit_report_viewed': spec({
    label: 'Audit report viewed',
    entityType: 'application',
    data: z.object({ format: z.enum(['html', 'json']) }),
  }),

  // ---- Provider actions ----
  'provider_action.delivered': spec({
    label: 'Delivered to the provider',
    entityType: 'provider_action',
    data: z.object({
      kind: z.enum(providerActionKinds),
      attempts: z.number(),
      providerStatus,
      requestedBy: z.string().nullable(),
    }),
  }),
  'provider_action.gave_up': spec({
    label: 'Delivery given up',
    entityType: 'provider_action',
    data: z.object({ kind: z.enum(providerActionKinds), attempts: z.number(), error: z.string() }),
  }),
  'provider_action.retried': spec({
    label: 'Delivery retried',
    entityType: 'provider_action',
    data: z.object({ kind: z.enum(providerActionKinds), attempts: z.number() }),
  }),

  // ---- Intake ----
  'intake.resent': spec({
    label: 'Intake sent again after it gave up',
    entityType: 'intake',
    data: z.object({
      provider: z.enum(providers),
      /** The attempts made before it gave up. */
      attempts: z.number(),
      /** What the provider had created for it already (carried on with, not created again). */
      providerApplicationId: z.string().nullable(),
    }),
  }),

  // ---- RFIs ----
  'rfi.raised': spec({
    label: 'RFI raised',
    entityType: 'rfi',
    data: z.object({
      title: z.string(),
      dueAt: z.string(),
      items: z.array(z.string()),
      assigneeId: z.string().nullable(),
    }),
  }),
  'rfi.answered': spec({
    label: 'RFI answered',
    entityType: 'rfi',
    data: z.object({
      answerId: z.string(),
      fields: z.array(z.string()),
      files: z.array(z.object({ itemKey: z.string(), sizeBytes: z.number(), sha256: z.string() })),
      deliveryActionId: z.string().nullable(),
      /** Which answer to the RFI this is: 1, then 2, 3… for each correction. */
      version: z.number().optional(),
    }),
  }),
  'rfi.answer_refused': spec({
    label: 'RFI answer refused by the provider',
    entityType: 'rfi',
    data: z.object({
      answerId: z.string(),
      version: z.number(),
      deliveryActionId: z.string(),
      /** The items the provider named (its reasons are on the answer, not here). */
      fields: z.array(z.string()),
    }),
  }),
  'rfi.answer_document_viewed': spec({
    label: 'Viewed a file answering an RFI',
    entityType: 'rfi',
    data: z.object({ answerId: z.string(), documentId: z.string(), itemKey: z.string(), contentType: z.string() }),
  }),
  'rfi.closed': spec({ label: 'RFI closed', entityType: 'rfi', data: z.object({ was: z.string() }) }),

  // ---- Customers ----
  'customer.pii_revealed': spec({
    label: 'Identification number revealed',
    entityType: 'customer',
    data: z.object({ field: z.string(), reason: z.string() }),
  }),

  // ---- Exports ----
  'export.started': spec({
    label: 'Export started',
    entityType: 'export',
    data: z.object({ kind: exportKind, format: exportFormat, filters: z.record(z.string(), z.string()) }),
  }),
  'export.completed': spec({
    label: 'Export completed',
    entityType: 'export',
    data: z.object({
      kind: exportKind,
      format: exportFormat,
      rowCount: z.number(),
      byteCount: z.number(),
      sha256: z.string(),
    }),
  }),
  'export.failed': spec({
    label: 'Export failed',
    entityType: 'export',
    data: z.object({ kind: exportKind, format: exportFormat, reason: z.string() }),
  }),

  // ---- Webhooks ----
  'webhook.received': spec({
    label: 'Provider event received',
    entityType: 'webhook',
    data: z.object({ eventId: z.string(), type: z.string(), providerApplicationId: z.string().nullable() }),
  }),
  'webhook.rejected': spec({
    label: 'Provider event rejected (signed, but invalid)',
    entityType: 'webhook_rejection',
    data: z.object({
      reason: z.string(),
      eventId: z.string().nullable(),
      type: z.string().nullable(),
      bodySha256: z.string(),
      problems: z.array(z.string()),
    }),
  }),
} as const;

export type AuditCatalogue = typeof auditCatalogue;
export type AuditAction = keyof AuditCatalogue;
export const auditActions = Object.keys(auditCatalogue) as AuditAction[];
/** What a writer passes as an action's data. */
export type AuditData<A extends AuditAction> = z.input<AuditCatalogue[A]['data']>;

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(auditCatalogue, action);
}

/** The label people read for an action; an action from before the catalogue is spelled out from its name. */
export function auditActionLabel(action: string): string {
  if (isAuditAction(action)) return auditCatalogue[action].label;
  const words = action.replace(/[._]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : action;
}
