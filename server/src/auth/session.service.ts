/**
 * Sessions a member can see and end (their own), and an admin can see and end (anyone's).
 * Ending a session is audited with who ended it.
 */
import type { StaffSession } from '@desk/shared';
import type { Kysely } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { endSessionByHandle, listSessionsOf, type SessionSettings } from './sessions.js';

async function requireMember(db: Kysely<Database>, staffId: string): Promise<void> {
  const member = await db.selectFrom('staff').select('id').where('id', '=', staffId).executeTakeFirst();
  if (!member) throw AppError.notFound('Staff member');
}

export async function listMemberSessions(
  db: Kysely<Database>,
  staffId: string,
  settings: SessionSettings,
  currentHandle: string | null,
): Promise<StaffSession[]> {
  await requireMember(db, staffId);
  return listSessionsOf(db, staffId, settings, currentHandle);
}

/** Ends one of `staffId`'s live sessions: their own (`by: 'self'`) or as an admin. */
export async function endMemberSession(
  db: Kysely<Database>,
  staffId: string,
  handle: string,
  settings: SessionSettings,
  actor: StaffActor,
): Promise<void> {
  await requireMember(db, staffId);
  await db.transaction().execute(async (trx) => {
    if (!(await endSessionByHandle(trx, staffId, handle, settings))) throw AppError.notFound('Live session');
    await recordAudit(trx, actor, {
      action: 'auth.session_ended',
      entityId: staffId,
      data: { sessionId: handle, by: actor.staffId === staffId ? 'self' : 'admin' },
    });
  });
}

/** Ends every live session of a member (an admin's "sign out everywhere"). */
export async function endAllMemberSessions(
  db: Kysely<Database>,
  staffId: string,
  settings: SessionSettings,
  actor: StaffActor,
): Promise<number> {
  await requireMember(db, staffId);
  const live = await listSessionsOf(db, staffId, settings, null);
  return db.transaction().execute(async (trx) => {
    const ended: string[] = [];
    for (const session of live) {
      if (await endSessionByHandle(trx, staffId, session.id, settings)) ended.push(session.id);
    }
    // Audit rows last: the audit lane's lock is then held only for the commit.
    for (const handle of ended) {
      await recordAudit(trx, actor, {
        action: 'auth.session_ended',
        entityId: staffId,
        data: { sessionId: handle, by: actor.staffId === staffId ? 'self' : 'admin' },
      });
    }
    return ended.length;
  });
}
