/**
 * Requests for information (RFIs): raised by a provider (Fin.com field-level requests, the
 * generic provider's NEEDS_ADDITIONAL_INFORMATION) or by an analyst, answered with text, field
 * values and documents, then closed.
 *
 *   open ──answer──▶ answered ──close──▶ closed
 *     └───────────────close─────────────────┘
 */
import { z } from 'zod';
import { cursorSchema, limitSchema, listResponseSchema } from './pagination.js';
import { providerSchema, providers } from './providers.js';
import { staffSummarySchema } from './staff.js';

export const rfiStatuses = ['open', 'answered', 'closed'] as const;
export type RfiStatus = (typeof rfiStatuses)[number];
export const rfiOrigins = ['provider', 'internal'] as const;
export type RfiOrigin = (typeof rfiOrigins)[number];

/** What is asked for: a field's value, a document, or an explanation in words. */
export const rfiItemKinds = ['field', 'document', 'text'] as const;
export type RfiItemKind = (typeof rfiItemKinds)[number];
/** Why a provider asks (Fin.com marks each requested field). */
export const rfiItemReasons = ['MISSING', 'INVALID', 'EXPIRED'] as const;
export type RfiItemReason = (typeof rfiItemReasons)[number];

export const rfiItemSchema = z.object({
  id: z.uuid(),
  kind: z.enum(rfiItemKinds),
  /** A field path (`address.line1`), a document type, or a short key for a question. */
  key: z.string(),
  label: z.string(),
  section: z.string().nullable(),
  reason: z.enum(rfiItemReasons).nullable(),
  note: z.string().nullable(),
});
export type RfiItem = z.infer<typeof rfiItemSchema>;

export const rfiAnswerSchema = z.object({
  id: z.uuid(),
  text: z.string().nullable(),
  /** Values given for `field` items, by item key. */
  fieldValues: z.record(z.string(), z.string()),
  documents: z.array(
    z.object({
      id: z.uuid(),
      itemKey: z.string(),
      fileName: z.string().nullable(),
      contentType: z.string(),
      sizeBytes: z.int(),
      sha256: z.string(),
    }),
  ),
  answeredBy: staffSummarySchema.nullable(),
  answeredAt: z.iso.datetime(),
});
export type RfiAnswer = z.infer<typeof rfiAnswerSchema>;

export const rfiSchema = z
  .object({
    id: z.uuid(),
    applicationId: z.uuid(),
    provider: providerSchema,
    applicantName: z.string(),
    origin: z.enum(rfiOrigins),
    providerRfiId: z.string().nullable(),
    status: z.enum(rfiStatuses),
    title: z.string(),
    dueAt: z.iso.datetime(),
    /** Open and past its due time. */
    overdue: z.boolean(),
    assignee: staffSummarySchema.nullable(),
    raisedBy: staffSummarySchema.nullable(),
    items: z.array(rfiItemSchema),
    answers: z.array(rfiAnswerSchema),
    version: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Rfi' });
export type Rfi = z.infer<typeof rfiSchema>;

export const rfiListSchema = listResponseSchema(rfiSchema).meta({ id: 'RfiList' });
export type RfiList = z.infer<typeof rfiListSchema>;

function oneOrMany<T extends z.ZodEnum>(item: T) {
  const error = `must be one of: ${item.options.join(', ')}`;
  return z.union([item, z.array(item)], { error }).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));
}

/** The RFI queue: soonest due first (keyset on due time and id). */
export const rfiListQuerySchema = z.strictObject({
  status: oneOrMany(z.enum(rfiStatuses)).optional(),
  provider: oneOrMany(z.enum(providers)).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()], { error: 'must be "me", "none" or a staff id' }).optional(),
  applicationId: z.uuid('must be a UUID').optional(),
  dueBefore: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO 8601 date or date-time' })
    .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
    .optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type RfiListQuery = z.output<typeof rfiListQuerySchema>;

/** An analyst raises an internal RFI on a case. */
export const newRfiSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be empty').max(200),
    dueAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
    assigneeId: z.uuid('must be a UUID').nullable().optional(),
    items: z
      .array(
        z.strictObject({
          kind: z.enum(rfiItemKinds),
          key: z.string().trim().min(1).max(100),
          label: z.string().trim().min(1).max(200),
          note: z.string().trim().max(1000).optional(),
        }),
      )
      .min(1, 'must ask for at least one thing')
      .max(50)
      .refine((items) => new Set(items.map((i) => i.key)).size === items.length, 'keys must be unique'),
  })
  .meta({ id: 'NewRfi' });
export type NewRfi = z.infer<typeof newRfiSchema>;

/**
 * The non-file parts of an answer (multipart): `text`, and `fields` as a JSON object of
 * item key → value. Files are parts named after the `document` item's key.
 */
export const rfiAnswerFieldsSchema = z.strictObject({
  text: z.string().trim().max(5000).optional(),
  fields: z
    .string()
    .optional()
    .transform((raw, ctx): Record<string, string> => {
      if (raw === undefined || raw === '') return {};
      try {
        const parsed: unknown = JSON.parse(raw);
        const result = z.record(z.string(), z.string().max(1000)).safeParse(parsed);
        if (result.success) return result.data;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of item key to text value' });
      return z.NEVER;
    }),
});

export const rfiIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });
