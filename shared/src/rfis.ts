/**
 * Requests for information (RFIs): raised by a provider (Fin.com field-level requests, the
 * generic provider's NEEDS_ADDITIONAL_INFORMATION) or by an analyst, answered with text, field
 * values and documents, then closed. A provider may refuse an answer (`refused`, with its
 * reason per field); the analyst corrects it and sends a new version. The moves are
 * lifecycles/rfis.ts.
 */
import { z } from 'zod';
import { fieldFormats } from './field-formats.js';
import { dateTimeSchema, instantQuerySchema } from './instants.js';
import { cursorSchema, limitSchema, listResponseSchema } from './pagination.js';
import { providerSchema, providers } from './providers.js';
import { staffSummarySchema } from './staff.js';
import { isSafeText, printableKey, unsafeTextMessage } from './text.js';

export const rfiStatuses = ['open', 'answered', 'refused', 'closed'] as const;
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
  /** For a `field` item: the format the provider documents for its value (checked before sending). */
  format: z.enum(fieldFormats).nullable(),
});
export type RfiItem = z.infer<typeof rfiItemSchema>;

/**
 * Why a provider refused an answer: its message, and its reasons by item key (`fields` may
 * also hold a key the desk could not tie to an item, as the provider named it).
 */
export const rfiRefusalSchema = z.object({
  message: z.string(),
  fields: z.record(z.string(), z.array(z.string())),
});
export type RfiRefusal = z.infer<typeof rfiRefusalSchema>;

export const rfiAnswerSchema = z.object({
  id: z.uuid(),
  /** 1 for the first answer to the RFI, then 2, 3… for each correction. */
  version: z.int(),
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
      /** Its content can be opened (`getRfiAnswerDocumentContent`): a type the desk shows. */
      viewable: z.boolean(),
    }),
  ),
  answeredBy: staffSummarySchema.nullable(),
  answeredAt: z.iso.datetime(),
  /** When the provider refused this answer (null: not refused). */
  refusedAt: z.iso.datetime().nullable(),
  refusal: rfiRefusalSchema.nullable(),
});
export type RfiAnswer = z.infer<typeof rfiAnswerSchema>;
export type RfiAnswerDocument = RfiAnswer['documents'][number];

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
  assignee: z
    .union([z.literal('me'), z.literal('none'), z.uuid()], { error: 'must be "me", "none" or a staff id' })
    .optional(),
  applicationId: z.uuid('must be a UUID').optional(),
  dueBefore: instantQuerySchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type RfiListQuery = z.output<typeof rfiListQuerySchema>;

/** An analyst raises an internal RFI on a case. */
export const newRfiSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be empty').max(200),
    dueAt: dateTimeSchema,
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

const notFieldValues = 'must be a JSON object of item key to text value';

/**
 * `fields` of an answer: a JSON object of item key to text (at most 1000 characters). Every
 * key is kept as given, `__proto__` and `constructor` included — item keys are the provider's
 * or an analyst's words, and a key that was not asked for must reach the check that names it —
 * so the record has no prototype to confuse them with. The JSON is text inside text: its keys
 * and values are held to the safe-text rule here, where they first exist as strings.
 */
function answerFieldValues(
  raw: string | undefined,
): { values: Record<string, string> } | { problem: string; key?: string } {
  const values = Object.create(null) as Record<string, string>;
  if (raw === undefined || raw === '') return { values };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { problem: notFieldValues };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: notFieldValues };
  for (const [key, value] of Object.entries(parsed)) {
    if (!isSafeText(key)) return { problem: unsafeTextMessage, key: printableKey(key) };
    if (typeof value !== 'string') return { problem: notFieldValues };
    if (value.length > 1000) return { problem: 'must be at most 1000 characters', key };
    if (!isSafeText(value)) return { problem: unsafeTextMessage, key };
    values[key] = value;
  }
  return { values };
}

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
      const read = answerFieldValues(raw);
      if ('values' in read) return read.values;
      ctx.addIssue({ code: 'custom', message: read.problem, path: read.key === undefined ? [] : [read.key] });
      return z.NEVER;
    }),
});

export const rfiIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });

/** One file of one answer to one RFI. */
export const rfiAnswerDocumentParamsSchema = rfiIdParamsSchema.extend({
  answerId: z.uuid('must be a UUID'),
  documentId: z.uuid('must be a UUID'),
});
