/** The stored file of one document of one case, read for showing it to staff. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The document with its bytes, when it belongs to the case and the desk holds its file. */
export async function findCaseDocumentContent(db: Kysely<Database>, applicationId: string, documentId: string) {
  return db
    .selectFrom('application_documents as d')
    .innerJoin('document_contents as c', 'c.document_id', 'd.id')
    .select(['d.id', 'd.type', 'd.content_type', 'd.file_name', 'c.bytes'])
    .where('d.id', '=', documentId)
    .where('d.application_id', '=', applicationId)
    .executeTakeFirst();
}
