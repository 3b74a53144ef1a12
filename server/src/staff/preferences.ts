/**
 * A member's own settings: the time zone they read times in (null: their browser's). Changing
 * them touches nothing an admin edits (no version bump) and is audited.
 */
import type { StaffPreferences, StaffPreferencesUpdate } from '@desk/shared';
import type { Kysely } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';

/** The member's zone (null: their browser's); null too for a member not found. */
export async function timeZoneOf(db: Kysely<Database>, staffId: string): Promise<string | null> {
  const row = await db.selectFrom('staff').select('time_zone').where('id', '=', staffId).executeTakeFirst();
  return row?.time_zone ?? null;
}

export async function updateOwnPreferences(
  db: Kysely<Database>,
  actor: StaffActor,
  update: StaffPreferencesUpdate,
): Promise<StaffPreferences> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('staff')
      .set({ time_zone: update.timeZone })
      .where('id', '=', actor.staffId)
      .returning('time_zone')
      .executeTakeFirst();
    if (!row) throw AppError.notFound('Staff member');
    await recordAudit(trx, actor, {
      action: 'staff.preferences_changed',
      entityId: actor.staffId,
      data: { timeZone: row.time_zone },
    });
    return { timeZone: row.time_zone };
  });
}
