/**
 * A case's documents: the only module that writes `application_documents` and their bytes
 * (`document_contents`). Uploads by staff, delivery to the provider, and the provider's own
 * document list (applied from a snapshot diff) all write through here.
 */
import type { DocumentStatus, DocumentType } from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database, DocumentDetailsColumn } from '../db/schema.js';

/** The case's documents as the provider-facing code needs them, oldest first. */
export async function findHeldDocumentRows(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('application_documents')
    .select(['id', 'type', 'status', 'provider_document_id', 'content_type', 'file_name', 'details'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findDocumentBytes(db: Kysely<Database>, documentId: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('document_contents')
    .select('bytes')
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return row?.bytes;
}

export type UploadedDocument = {
  type: DocumentType;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  fileName: string | null;
  uploadedBy: string | null;
  details: DocumentDetailsColumn;
  bytes: Buffer;
};

/**
 * Stores an upload for delivery: it fills the provider's placeholder for this type when there
 * is one (a document the provider asks for, with no file yet), else it adds a document.
 */
export async function storeUploadedDocument(
  trx: Kysely<Database>,
  applicationId: string,
  upload: UploadedDocument,
  now: Date,
): Promise<{ id: string }> {
  const metadata = {
    content_type: upload.contentType,
    size_bytes: upload.sizeBytes,
    sha256: upload.sha256,
    file_name: upload.fileName,
    uploaded_by: upload.uploadedBy,
    details: JSON.stringify(upload.details),
    uploaded_at: now,
    updated_at: now,
  };
  const placeholder = await trx
    .selectFrom('application_documents')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('type', '=', upload.type)
    .where('status', '=', 'PENDING_UPLOAD')
    .where('sha256', 'is', null)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  const document = placeholder
    ? await trx
        .updateTable('application_documents')
        .set((eb) => ({ ...metadata, version: eb('version', '+', 1) }))
        .where('id', '=', placeholder.id)
        .returning(['id'])
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('application_documents')
        .values({
          ...metadata,
          application_id: applicationId,
          type: upload.type,
          status: 'PENDING_UPLOAD',
          created_at: now,
        })
        .returning(['id'])
        .executeTakeFirstOrThrow();
  await trx
    .insertInto('document_contents')
    .values({ document_id: document.id, bytes: upload.bytes })
    .onConflict((oc) => oc.column('document_id').doUpdateSet({ bytes: upload.bytes }))
    .execute();
  return document;
}

/** The provider has the file: its id for it, and the document is uploaded. */
export async function markDocumentDelivered(
  trx: Kysely<Database>,
  documentId: string,
  providerDocumentId: string | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('application_documents')
    .set((eb) => ({
      provider_document_id: providerDocumentId,
      status: 'UPLOADED',
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', documentId)
    .execute();
}

/** What a provider's document list changes on the desk (see snapshot-diff.ts). */
export type DocumentChanges = {
  /** Documents the provider lists and the desk did not hold: added, with no file. */
  add: { type: DocumentType; status: DocumentStatus; providerDocumentId: string }[];
  /** Documents the desk holds whose status the provider reports differently. */
  setStatus: { id: string; status: DocumentStatus }[];
};

export async function applyDocumentChanges(
  trx: Kysely<Database>,
  applicationId: string,
  changes: DocumentChanges,
  now: Date,
): Promise<void> {
  for (const { id, status } of changes.setStatus) {
    await trx
      .updateTable('application_documents')
      .set((eb) => ({ status, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }
  if (changes.add.length === 0) return;
  await trx
    .insertInto('application_documents')
    .values(
      changes.add.map((doc) => ({
        application_id: applicationId,
        type: doc.type,
        status: doc.status,
        provider_document_id: doc.providerDocumentId,
        content_type: null,
        size_bytes: null,
        sha256: null,
        uploaded_by: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
