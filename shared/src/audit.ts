import { z } from 'zod';
import { cursorSchema, limitSchema } from './pagination.js';

/** An instant given as an ISO date-time (with offset) or a plain date (midnight UTC). */
export const instantQuerySchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date or date-time' })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v));

/** One row of the audit trail, as the API shows it. `id` orders the chain. */
export const auditEventSchema = z
  .object({
    id: z.string().regex(/^[0-9]+$/),
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

export const auditEventListQuerySchema = z
  .strictObject({
    /** A staff id, or an actor label such as `system`. */
    actor: z.string().trim().min(1).max(254).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    entityType: z.string().trim().min(1).max(100).optional(),
    entityId: z.string().trim().min(1).max(200).optional(),
    from: instantQuerySchema.optional(),
    to: instantQuerySchema.optional(),
    /** `desc` (default) shows the newest first. */
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: limitSchema,
    cursor: cursorSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type AuditEventListQuery = z.output<typeof auditEventListQuerySchema>;

export const auditVerifySchema = z
  .object({
    ok: z.boolean(),
    checked: z.int(),
    /** The first row whose hash or link does not hold. */
    firstBrokenId: z.string().optional(),
    /** The last row of the chain (what a manifest records as its head). */
    headId: z.string().nullable(),
    headHash: z.string().nullable(),
  })
  .meta({ id: 'AuditVerify' });
export type AuditVerify = z.infer<typeof auditVerifySchema>;
