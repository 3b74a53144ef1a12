/** Jiko's wire format, validated: the desk never trusts a provider's answer blindly. */

import { documentStatuses, documentTypes, jikoStatuses } from '@desk/shared';
import { z } from 'zod';
import type { ProviderSnapshot } from '../provider-adapter.js';

export const jikoApplicationSchema = z.object({
  id: z.string().min(1),
  status: z.enum(jikoStatuses),
  customer_id: z.string().nullable().optional(),
  id_verification_documents_needed: z.boolean(),
  identification_number_verification_document_needed: z.boolean(),
  address_verification_document_needed: z.boolean(),
  documents: z
    .array(z.object({ id: z.string(), document_type: z.enum(documentTypes), status: z.enum(documentStatuses) }))
    .default([]),
});
export type JikoApplication = z.infer<typeof jikoApplicationSchema>;

export const jikoAgreementsSchema = z.array(
  z.object({
    version: z.string().min(1),
    release_date: z.iso.date(),
    documents: z.array(z.object({ title: z.string(), url: z.string() })).default([]),
  }),
);

export const jikoLoginSchema = z.object({ token: z.string().min(1), expires_in: z.number().optional() });
export const jikoUploadSchema = z.object({ success: z.boolean(), document_id: z.string().min(1) });

/** Ids and types are bounded: the event id keys the inbox (a btree index holds ~2.7 kB at most). */
export const jikoWebhookSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  created_at: z.string().optional(),
  data: z.object({ application_id: z.string().min(1).max(200) }).loose(),
});

export function jikoApplicationToSnapshot(app: JikoApplication): ProviderSnapshot {
  return {
    providerApplicationId: app.id,
    status: app.status,
    providerCustomerId: app.customer_id ?? null,
    flags: {
      idVerification: app.id_verification_documents_needed,
      identificationNumberVerification: app.identification_number_verification_document_needed,
      addressVerification: app.address_verification_document_needed,
    },
    documents: app.documents.map((d) => ({ providerDocumentId: d.id, type: d.document_type, status: d.status })),
    // Jiko states its needs as the three flags; it raises no RFIs.
    requirements: [],
    rfi: null,
  };
}
