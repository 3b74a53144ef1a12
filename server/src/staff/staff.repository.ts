import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** Members as the admin page shows them: with the expiry of their open set-password link, and whether they have a second factor. */
function staffMembers(db: Kysely<Database>) {
  return db
    .selectFrom('staff')
    .select([
      'staff.id',
      'staff.name',
      'staff.email',
      'staff.role',
      'staff.active',
      'staff.last_sign_in_at',
      'staff.created_at',
      'staff.version',
    ])
    .select((eb) =>
      eb
        .selectFrom('staff_invitations as i')
        .select((inner) => inner.fn.max('i.expires_at').as('expires_at'))
        .whereRef('i.staff_id', '=', 'staff.id')
        .where('i.used_at', 'is', null)
        .where('i.revoked_at', 'is', null)
        .where('i.expires_at', '>', sql<Date>`now()`)
        .as('invitation_expires_at'),
    )
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('staff_second_factors as f')
            .select('f.staff_id')
            .whereRef('f.staff_id', '=', 'staff.id')
            .where('f.confirmed_at', 'is not', null),
        )
        .as('second_factor_enrolled'),
    );
}

export async function listStaff(db: Kysely<Database>) {
  return staffMembers(db).orderBy('staff.name').orderBy('staff.id').execute();
}

export async function findStaffRow(db: Kysely<Database>, id: string) {
  return staffMembers(db).where('staff.id', '=', id).executeTakeFirst();
}

export type StaffListRow = Awaited<ReturnType<typeof listStaff>>[number];

/** A member's name, or undefined when there is no such member (who holds a case, in a refusal). */
export async function findStaffName(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('staff').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}

/** A member's role and whether the account is active: what decides if a case may be handed to them. */
export async function findStaffStanding(db: Kysely<Database>, id: string) {
  return db.selectFrom('staff').select(['role', 'active']).where('id', '=', id).executeTakeFirst();
}
