/**
 * The only Kysely queries for sandbox applications, their documents and the agreement
 * versions. Every function takes the executor (the database or a transaction) first; the
 * callers that change an application lock its row first (`lockApplication`).
 */

import type { DocumentType } from '@desk/shared';
import { type Insertable, sql, type UpdateObject } from 'kysely';
import type {
  SandboxAgreementRow,
  SandboxApplicationRow,
  SandboxApplicationTable,
  SandboxDatabase,
  SandboxDb,
  SandboxDocumentRow,
} from './sandbox.tables.js';

export async function listAgreements(db: SandboxDb): Promise<SandboxAgreementRow[]> {
  return db
    .selectFrom('sandbox.jiko_agreements')
    .selectAll()
    .orderBy('release_date', 'desc')
    .orderBy('version', 'desc')
    .execute();
}

export async function agreementExists(db: SandboxDb, version: string): Promise<boolean> {
  const row = await db
    .selectFrom('sandbox.jiko_agreements')
    .select('version')
    .where('version', '=', version)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertApplication(
  db: SandboxDb,
  values: Insertable<SandboxApplicationTable>,
): Promise<SandboxApplicationRow> {
  return db.insertInto('sandbox.jiko_applications').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findApplication(db: SandboxDb, id: string): Promise<SandboxApplicationRow | undefined> {
  return db.selectFrom('sandbox.jiko_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads and locks the row for the rest of the transaction. */
export async function lockApplication(db: SandboxDb, id: string): Promise<SandboxApplicationRow | undefined> {
  return db.selectFrom('sandbox.jiko_applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Locks SUBMITTED applications whose decision is due, oldest first, skipping rows another
 * transaction (another process, or a request settling one) holds.
 */
export async function lockDueApplications(db: SandboxDb, limit: number): Promise<SandboxApplicationRow[]> {
  return db
    .selectFrom('sandbox.jiko_applications')
    .selectAll()
    .where('status', '=', 'SUBMITTED')
    .where('decision_due_at', '<=', sql<Date>`now()`)
    .orderBy('decision_due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** True when the application is SUBMITTED and its decision is due by the database's clock. */
export async function isDecisionDue(db: SandboxDb, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('sandbox.jiko_applications')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', 'SUBMITTED')
    .where('decision_due_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return row !== undefined;
}

/** Column values or SQL expressions (e.g. `dueIn(ms)`); id, version and timestamps are managed here. */
export type ApplicationPatch = Omit<
  UpdateObject<SandboxDatabase, 'sandbox.jiko_applications'>,
  'id' | 'version' | 'created_at' | 'updated_at'
>;

export async function updateApplication(
  db: SandboxDb,
  id: string,
  patch: ApplicationPatch,
): Promise<SandboxApplicationRow> {
  return db
    .updateTable('sandbox.jiko_applications')
    .set({ ...patch, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves a due decision `delayMs` from now, by the database's clock. */
export function dueIn(delayMs: number) {
  return sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`;
}

export async function listDocuments(db: SandboxDb, applicationId: string): Promise<SandboxDocumentRow[]> {
  return db
    .selectFrom('sandbox.jiko_documents')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertRequestedDocuments(
  db: SandboxDb,
  applicationId: string,
  round: number,
  types: readonly DocumentType[],
): Promise<void> {
  if (types.length === 0) return;
  await db
    .insertInto('sandbox.jiko_documents')
    .values(
      types.map((type) => ({
        application_id: applicationId,
        document_type: type,
        status: 'PENDING_UPLOAD' as const,
        round,
      })),
    )
    .execute();
}

export type UploadedFile = { contentType: string; sizeBytes: number; sha256: string };

/** Fills a PENDING_UPLOAD entry with the file; returns its id. */
export async function markDocumentUploaded(
  db: SandboxDb,
  documentId: string,
  round: number,
  file: UploadedFile,
): Promise<string> {
  const row = await db
    .updateTable('sandbox.jiko_documents')
    .set({
      status: 'UPLOADED',
      round,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      uploaded_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', documentId)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertUploadedDocument(
  db: SandboxDb,
  applicationId: string,
  type: DocumentType,
  round: number,
  file: UploadedFile,
): Promise<string> {
  const row = await db
    .insertInto('sandbox.jiko_documents')
    .values({
      application_id: applicationId,
      document_type: type,
      status: 'UPLOADED',
      round,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
      sha256: file.sha256,
      uploaded_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Drops listed (PENDING_UPLOAD) entries that are no longer requested. */
export async function deleteRequestedDocuments(db: SandboxDb, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('sandbox.jiko_documents').where('id', 'in', ids).where('status', '=', 'PENDING_UPLOAD').execute();
}
