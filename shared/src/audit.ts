import { z } from 'zod';
import {
  applicantSchema,
  applicationDetailSchema,
  applicationDocumentSchema,
  consentSchema,
  statusChangeSchema,
} from './applications.js';
import { instantQuerySchema } from './instants.js';
import { outcomeSchema } from './outcomes.js';
import { cursorSchema, limitSchema, listResponseSchema } from './pagination.js';
import { providerActionSchema } from './provider-actions.js';
import { providerSchema, providerStatusSchema, stageSchema } from './providers.js';

/**
 * One row of the audit trail, as the API shows it. `id` orders the trail. The chain runs in
 * lanes (0–15), each a hash chain of its own: a row's `prevHash` is the `hash` of the row before
 * it in its lane (the genesis hash, 64 zeros, for a lane's first row).
 */
export const auditEventSchema = z
  .object({
    id: z.string().regex(/^[0-9]+$/),
    lane: z.int().min(0),
    at: z.iso.datetime(),
    actorId: z.uuid().nullable(),
    /** The staff member's email, or `system`, or `provider:<name>`. */
    actor: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    applicationId: z.uuid().nullable(),
    ip: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditEventListSchema = listResponseSchema(auditEventSchema).meta({ id: 'AuditEventList' });
export type AuditEventList = z.infer<typeof auditEventListSchema>;

/** A filter value: trimmed, 1–`max` characters, no control characters (the database refuses NUL). */
function filterText(max: number) {
  return (
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(max, `must be at most ${max} characters`)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
  );
}

export const auditEventListQuerySchema = z
  .strictObject({
    /** A staff id (matches who acted), or an actor label such as `system` or `provider:jiko` (exact). */
    actor: filterText(254).optional(),
    /**
     * An action (exact, e.g. `auth.signed_in`), or a prefix: ending in `.` (`auth.`) or `*`
     * (`auth.*`, `customer.pii*`) it matches every action that starts with it.
     */
    action: filterText(100)
      .regex(/^[^*]*\*?$/, 'may end in * (a prefix) but contain no other *')
      .optional(),
    entityType: filterText(100).optional(),
    entityId: filterText(200).optional(),
    /** Events at or after this instant. */
    from: instantQuerySchema.optional(),
    /** Events before this instant. */
    to: instantQuerySchema.optional(),
    /** `desc` (default) shows the newest first. */
    order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
    limit: limitSchema,
    cursor: cursorSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type AuditEventListQuery = z.output<typeof auditEventListQuerySchema>;

/** One case's events, oldest first, keyset-paged like the trail. */
export const applicationAuditEventsQuerySchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type ApplicationAuditEventsQuery = z.output<typeof applicationAuditEventsQuerySchema>;

/** A lane's newest row: where that lane of the chain stood. */
export const auditChainHeadSchema = z
  .object({
    lane: z.int().min(0),
    id: z.string().regex(/^[0-9]+$/),
    hash: z.string(),
  })
  .meta({ id: 'AuditChainHead' });
export type AuditChainHead = z.infer<typeof auditChainHeadSchema>;

export const auditVerifySchema = z
  .object({
    ok: z.boolean(),
    checked: z.int(),
    /** The first row whose hash or link does not hold. */
    firstBrokenId: z.string().optional(),
    /** Each lane's newest row, in lane order (what an export manifest records); empty for an empty trail. */
    heads: z.array(auditChainHeadSchema),
  })
  .meta({ id: 'AuditVerify' });
export type AuditVerify = z.infer<typeof auditVerifySchema>;

/** `format=html` (default) is a printable page; `format=json` is the same content as data. */
export const auditReportQuerySchema = z.strictObject({
  format: z.enum(['html', 'json'], { error: 'must be html or json' }).default('html'),
});
export type AuditReportQuery = z.output<typeof auditReportQuerySchema>;

/** Everything the desk knows about one case, with its whole audit trail, as of `generatedAt`. */
export const auditReportSchema = z
  .object({
    generatedAt: z.iso.datetime(),
    /** Who asked for the report (their request is the report's last audit event). */
    generatedBy: z.string(),
    application: z.object({
      id: z.uuid(),
      provider: providerSchema,
      providerApplicationId: z.string(),
      providerCustomerId: z.string().nullable(),
      stage: stageSchema,
      providerStatus: providerStatusSchema,
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    }),
    /** The identification number only ever masked. */
    applicant: applicantSchema,
    consent: consentSchema,
    /** Oldest first, with who or what caused each change. */
    statusHistory: z.array(statusChangeSchema),
    documents: z.array(applicationDocumentSchema),
    rfis: applicationDetailSchema.shape.rfis,
    /** Newest first. */
    outcomes: z.array(outcomeSchema),
    /** Newest first. */
    providerActions: z.array(providerActionSchema),
    /** Every audit event of the case, oldest first. */
    auditEvents: z.array(auditEventSchema),
    /** The whole chain checked at report time. */
    chain: auditVerifySchema,
  })
  .meta({ id: 'AuditReport' });
export type AuditReport = z.infer<typeof auditReportSchema>;
