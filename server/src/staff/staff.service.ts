/**
 * Staff accounts: created and changed by admins (or `pnpm desk staff:create`), every change
 * on the audit trail without the password. A role change, a new password or a deactivation
 * ends the member's sessions, so it takes effect at once.
 */

import type { StaffCreate, StaffMember, StaffUpdate } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { type Actor, recordAudit } from '../audit/audit-log.js';
import { hashPassword } from '../auth/passwords.js';
import { endSessionsOf } from '../auth/sessions.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { listStaff, type StaffListRow } from './staff.repository.js';

export function staffRowToMember(row: StaffListRow): StaffMember {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

export async function listStaffMembers(db: Kysely<Database>): Promise<StaffMember[]> {
  return (await listStaff(db)).map(staffRowToMember);
}

async function findMember(db: Kysely<Database>, id: string): Promise<StaffMember> {
  const row = await db
    .selectFrom('staff')
    .select(['id', 'name', 'email', 'role', 'active', 'last_sign_in_at', 'created_at', 'version'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw AppError.notFound('Staff member');
  return staffRowToMember(row);
}

export async function createStaff(db: Kysely<Database>, input: StaffCreate, actor: Actor): Promise<StaffMember> {
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('staff')
      .select('id')
      .where(sql<string>`lower(email)`, '=', input.email)
      .executeTakeFirst();
    if (taken)
      throw new AppError('conflict', `A staff member with email ${input.email} already exists`, {
        email: ['is taken'],
      });
    const row = await trx
      .insertInto('staff')
      .values({ email: input.email, name: input.name, role: input.role, password_hash: passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'staff.created',
      entityId: row.id,
      data: { email: input.email, name: input.name, role: input.role },
    });
    return row.id;
  });
  return findMember(db, id);
}

export async function updateStaff(
  db: Kysely<Database>,
  id: string,
  input: StaffUpdate,
  actor: Actor,
): Promise<StaffMember> {
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw AppError.notFound('Staff member');
    if (current.version !== input.version) {
      throw new AppError(
        'stale_version',
        `Staff member changed since you loaded it (version ${current.version}, you sent ${input.version})`,
        {
          version: ['is stale'],
        },
      );
    }
    if (
      actor.kind === 'staff' &&
      actor.staffId === id &&
      (input.active === false || (input.role !== undefined && input.role !== 'admin'))
    ) {
      throw new AppError(
        'conflict',
        'You cannot deactivate yourself or give up your own admin role; ask another admin',
      );
    }
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
    if (input.role !== undefined && input.role !== current.role) changes.role = input.role;
    if (input.active !== undefined && input.active !== current.active) changes.active = input.active;
    await trx
      .updateTable('staff')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (changes.role !== undefined || changes.active === false || passwordHash !== undefined)
      await endSessionsOf(trx, id);
    await recordAudit(trx, actor, {
      action: 'staff.updated',
      entityId: id,
      data: { changes, passwordChanged: passwordHash !== undefined },
    });
  });
  return findMember(db, id);
}
