import { z } from 'zod';
import { documentDetailFieldsShape, documentDetailKeys } from './document-rules.js';
import { documentFileRulesSchema, documentTypeSchema, documentTypes } from './documents.js';
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
    /** For answer_rfi: the provider refused the answer it carried (corrected on the RFI, not sent again). */
    answerRefused: z.boolean(),
    requestedBy: staffSummarySchema.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ProviderAction' });
export type ProviderAction = z.infer<typeof providerActionSchema>;

/**
 * Multipart fields of a document upload (the file itself is the `file` part): the type, and
 * the details in their formats. Which details a type needs at the case's provider, and their
 * dates, are the provider's document rules (`documentDetailProblems`), checked by the server.
 */
export const documentUploadFieldsSchema = z.strictObject({
  type: z.enum(documentTypes, { error: `must be one of: ${documentTypes.join(', ')}` }),
  ...documentDetailFieldsShape,
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
