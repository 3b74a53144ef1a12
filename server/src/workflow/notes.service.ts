/** Notes on a case: append-only, each on the audit trail with its text. */

import type { NewNote, Note } from '@desk/shared';
import type { Kysely } from 'kysely';
import { findApplicationRow } from '../applications/application.repository.js';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { findNoteRows, insertNote } from './note.repository.js';

export async function findNotes(db: Kysely<Database>, applicationId: string): Promise<Note[]> {
  const rows = await findNoteRows(db, applicationId);
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
    if (!(await findApplicationRow(trx, applicationId))) throw AppError.notFound('Application');
    const note = await insertNote(trx, { applicationId, authorId: actor.staffId, body: input.body });
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
