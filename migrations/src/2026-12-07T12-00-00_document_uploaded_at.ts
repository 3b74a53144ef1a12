/**
 * When a document's file was stored at the desk. `created_at` is when the document was first
 * listed, which for a document the provider asked for is the request, not the upload. Files
 * stored before this step take the time their upload was audited, or else the document's
 * creation. A document with no file has none.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE application_documents ADD COLUMN uploaded_at timestamptz(3);
    UPDATE application_documents d
       SET uploaded_at = COALESCE(
         (SELECT max(a.at) FROM audit_events a
           WHERE a.application_id = d.application_id
             AND a.action = 'application.document_uploaded'
             AND a.data->>'documentId' = d.id::text),
         d.created_at)
     WHERE d.sha256 IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE application_documents DROP COLUMN uploaded_at`.execute(db);
}
