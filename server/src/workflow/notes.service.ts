/** Notes on a case: append-only, each on the audit trail with its text. */

import type { NewNote, Note } from '@desk/shared';
import type { Kysely } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';

export async function findNotes(db: Kysely<Database>, applicationId: string): Promise<Note[]> {
  const rows = await db
    .selectFrom('application_notes as n')
    .innerJoin('staff as s', 's.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.created_at', 's.id as staff_id', 's.name', 's.email', 's.role'])
    .where('n.application_id', '=', applicationId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    author: { id: r.staff_id, name: r.name, email: r.email, role: r.role },
    createdAt: r.created_at.toISOString(),
  }));
}

export async function addNote(
  db: Kysely<Database>,
  applicationId: string,
  input: NewNote,
  actor: StaffActor,
): Promise<Note> {
  const id = await db.transaction().execute(async (trx) => {
    const app = await trx.selectFrom('applications').select('id').where('id', '=', applicationId).executeTakeFirst();
    if (!app) throw AppError.notFound('Application');
    const note = await trx
      .insertInto('application_notes')
      .values({ application_id: applicationId, author_id: actor.staffId, body: input.body })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'application.note_added',
      entityId: applicationId,
      applicationId,
      data: { noteId: note.id, body: input.body },
    });
    return note.id;
  });
  const note = (await findNotes(db, applicationId)).find((n) => n.id === id);
  if (!note) throw new Error('added note not found');
  return note;
}
