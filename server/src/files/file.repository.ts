/** The stored bytes a signed `/files/...` link names: a case document or an RFI answer's file. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { FileKind } from './file-urls.js';

export type StoredFile = { contentType: string | null; fileName: string | null; bytes: Buffer };

export async function findStoredFile(
  db: Kysely<Database>,
  kind: FileKind,
  id: string,
): Promise<StoredFile | undefined> {
  if (kind === 'document') {
    const row = await db
      .selectFrom('application_documents as d')
      .innerJoin('document_contents as c', 'c.document_id', 'd.id')
      .select(['d.content_type', 'd.file_name', 'c.bytes'])
      .where('d.id', '=', id)
      .executeTakeFirst();
    return row && { contentType: row.content_type, fileName: row.file_name, bytes: row.bytes };
  }
  const row = await db
    .selectFrom('rfi_answer_documents')
    .select(['content_type', 'file_name', 'bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { contentType: row.content_type, fileName: row.file_name, bytes: row.bytes };
}
