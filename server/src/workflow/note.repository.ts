/** Notes on a case: the only module that writes `application_notes` (append-only). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function findNoteRows(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('application_notes as n')
    .innerJoin('staff as s', 's.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.created_at', 's.id as staff_id', 's.name', 's.email', 's.role'])
    .where('n.application_id', '=', applicationId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .execute();
}
export type NoteRow = Awaited<ReturnType<typeof findNoteRows>>[number];

export async function insertNote(
  trx: Kysely<Database>,
  note: { applicationId: string; authorId: string; body: string },
): Promise<{ id: string }> {
  return trx
    .insertInto('application_notes')
    .values({ application_id: note.applicationId, author_id: note.authorId, body: note.body })
    .returning('id')
    .executeTakeFirstOrThrow();
}
