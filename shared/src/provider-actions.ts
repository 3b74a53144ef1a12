import { z } from 'zod';
import { documentTypeSchema, documentTypes } from './documents.js';
import { staffSummarySchema } from './staff.js';

/** What the desk can ask a provider to do for an application. */
export const providerActionKinds = ['upload_document', 'reapply', 'refresh'] as const;
export type ProviderActionKind = (typeof providerActionKinds)[number];

export const providerActionKindLabels: Record<ProviderActionKind, string> = {
  upload_document: 'Upload document',
  reapply: 'Re-apply',
  refresh: 'Refresh from provider',
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
    requestedBy: staffSummarySchema.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ProviderAction' });
export type ProviderAction = z.infer<typeof providerActionSchema>;

/** Multipart fields of a document upload (the file itself is the `file` part). */
export const documentUploadFieldsSchema = z.strictObject({
  type: z.enum(documentTypes, { error: `must be one of: ${documentTypes.join(', ')}` }),
});

export const actionIdParamsSchema = z.object({ id: z.uuid('must be a UUID'), actionId: z.uuid('must be a UUID') });

/** What the case page needs to offer actions: whether re-apply is possible, upload limits. */
export const caseActionsSchema = z.object({
  reapply: z.object({ allowed: z.boolean(), reason: z.string().nullable() }),
  upload: z.object({
    contentTypes: z.array(z.string()),
    maxBytes: z.int(),
    types: z.array(documentTypeSchema),
  }),
});
export type CaseActions = z.infer<typeof caseActionsSchema>;
