import { z } from 'zod';
import { documentFileRulesSchema, documentTypeSchema, documentTypes } from './documents.js';
import { calendarDateSchema } from './instants.js';
import { staffSummarySchema } from './staff.js';

/** What the desk can ask a provider to do for an application. */
export const providerActionKinds = ['upload_document', 'reapply', 'refresh', 'answer_rfi'] as const;
export type ProviderActionKind = (typeof providerActionKinds)[number];

export const providerActionKindLabels: Record<ProviderActionKind, string> = {
  upload_document: 'Upload document',
  reapply: 'Re-apply',
  refresh: 'Refresh from provider',
  answer_rfi: 'Answer RFI',
};

/**
 * Delivery state of an action: queued (written, job enqueued) → sending (a worker is calling
 * the provider) → done, or failed (the provider refused, or was unreachable; `gaveUp` once
 * retries are exhausted or the refusal is final — a person may retry).
 */
export const providerActionStates = ['queued', 'sending', 'failed', 'done'] as const;
export type ProviderActionState = (typeof providerActionStates)[number];

export const providerActionSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(providerActionKinds),
    state: z.enum(providerActionStates),
    attempts: z.int(),
    lastError: z.string().nullable(),
    gaveUp: z.boolean(),
    document: z.object({ id: z.uuid(), type: documentTypeSchema }).nullable(),
    /** For answer_rfi: the RFI answered. */
    rfiId: z.uuid().nullable(),
    requestedBy: staffSummarySchema.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ProviderAction' });
export type ProviderAction = z.infer<typeof providerActionSchema>;

/** Details some providers require with an identity document. */
export const documentDetailKeys = ['number', 'issuingCountry', 'expiresOn'] as const;
export type DocumentDetailKey = (typeof documentDetailKeys)[number];
export const documentDetailLabels: Record<DocumentDetailKey, string> = {
  number: 'Document number',
  issuingCountry: 'Issuing country (ISO alpha-3)',
  expiresOn: 'Expiry date',
};

/**
 * Multipart fields of a document upload (the file itself is the `file` part). The details
 * are checked against the provider's rules (which it requires, for which type) by the server.
 */
export const documentUploadFieldsSchema = z.strictObject({
  type: z.enum(documentTypes, { error: `must be one of: ${documentTypes.join(', ')}` }),
  number: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]{2,29}$/, 'must be 3 to 30 letters, digits, spaces, ".", "/" or "-"')
    .optional(),
  issuingCountry: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code such as USA')
    .optional(),
  expiresOn: calendarDateSchema.optional(),
});
export type DocumentUploadFields = z.infer<typeof documentUploadFieldsSchema>;

export const actionIdParamsSchema = z.object({ id: z.uuid('must be a UUID'), actionId: z.uuid('must be a UUID') });

/** What the case page needs to offer actions: whether re-apply is possible, upload limits. */
export const caseActionsSchema = z.object({
  /** `label`: what the provider calls its resubmission (Jiko "Apply", Fin.com "Attach documents"). */
  reapply: z.object({ allowed: z.boolean(), reason: z.string().nullable(), label: z.string() }),
  upload: z.object({
    contentTypes: z.array(z.string()),
    minBytes: z.int(),
    maxBytes: z.int(),
    types: z.array(documentTypeSchema),
    /** The details each accepted type must come with (absent: none). */
    requiredDetails: z.partialRecord(documentTypeSchema, z.array(z.enum(documentDetailKeys))),
    /**
     * Each accepted type's own rules, exactly as an upload of that type is checked (the fields
     * above merge them over every type: check a file against its type's rules here).
     */
    byType: z.partialRecord(
      documentTypeSchema,
      documentFileRulesSchema.extend({ requiredDetails: z.array(z.enum(documentDetailKeys)) }),
    ),
  }),
});
export type CaseActions = z.infer<typeof caseActionsSchema>;
