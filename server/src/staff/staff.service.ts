/**
 * Staff accounts: created and changed by admins (or `pnpm desk staff:create`), every change
 * on the audit trail. No admin chooses a member's password: creating a member issues a
 * one-time set-password link (`auth/invitations.ts`). A privileged role waits for a second
 * admin (`grants.ts`); nobody changes their own role. A role change or a deactivation ends the
 * member's sessions, so it takes effect at once.
 */

import type {
  RoleGrant,
  StaffChangePending,
  StaffCreate,
  StaffCreated,
  StaffInvitation,
  StaffMember,
  StaffRole,
  StaffUpdate,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import { hasSecondFactor, removeSecondFactorOf } from '../auth/auth.service.js';
import { issueInvitation } from '../auth/invitations.js';
import { hashPassword } from '../auth/passwords.js';
import { endSessionsOf } from '../auth/sessions.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import {
  accessNeedsSecondAdmin,
  findGrant,
  needsSecondAdmin,
  requestAccess,
  requestGrant,
  supersedePendingGrant,
} from './grants.js';
import { findStaffRow, listStaff, type StaffListRow } from './staff.repository.js';

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
    invitationExpiresAt: row.invitation_expires_at?.toISOString() ?? null,
    secondFactorEnrolled: Boolean(row.second_factor_enrolled),
  };
}

export async function listStaffMembers(db: Kysely<Database>): Promise<StaffMember[]> {
  return (await listStaff(db)).map(staffRowToMember);
}

export async function findMember(db: Kysely<Database>, id: string): Promise<StaffMember> {
  const row = await findStaffRow(db, id);
  if (!row) throw AppError.notFound('Staff member');
  return staffRowToMember(row);
}

async function refuseTakenEmail(trx: Kysely<Database>, email: string): Promise<void> {
  const taken = await trx
    .selectFrom('staff')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  if (taken)
    throw new AppError('conflict', `A staff member with email ${email} already exists`, { email: ['is taken'] });
}

/** Invitation settings of the HTTP and command-line paths. */
export type InvitationOptions = {
  ttlSeconds: number;
  /** Where the link points: the origin the admin reached the desk at (or DESK_PUBLIC_URL). */
  origin: string;
  /** False when password sign-in is off: members sign in through single sign-on, no link is issued. */
  issue: boolean;
};

/**
 * A member made by the desk itself, not by an admin: the command line's first admin, demo data
 * and test fixtures. A `password` is set as given (demo accounts, scripted set-ups); without one
 * the member gets a set-password link when `invitation` says so.
 */
export async function createStaff(
  db: Kysely<Database>,
  input: StaffCreate & { password?: string },
  actor: { kind: 'system' },
  invitation?: InvitationOptions,
): Promise<StaffMember & { invitation: StaffInvitation | null }> {
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const created = await db.transaction().execute(async (trx) => {
    await refuseTakenEmail(trx, input.email);
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
    const link =
      passwordHash === null && invitation?.issue ? await issueInvitation(trx, row.id, actor, invitation) : null;
    return { id: row.id, invitation: link };
  });
  return { ...(await findMember(db, created.id)), invitation: created.invitation };
}

/**
 * An admin creates a member: no password, a set-password link to pass on, and — for a
 * privileged role — the member stays inactive until a second admin approves the grant.
 */
export async function inviteStaff(
  db: Kysely<Database>,
  input: StaffCreate,
  actor: StaffActor,
  invitation: InvitationOptions,
): Promise<StaffCreated> {
  const privileged = needsSecondAdmin(null, { role: input.role, active: true });
  const created = await db.transaction().execute(async (trx) => {
    await refuseTakenEmail(trx, input.email);
    const row = await trx
      .insertInto('staff')
      .values({ email: input.email, name: input.name, role: input.role, password_hash: null, active: !privileged })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'staff.created',
      entityId: row.id,
      data: { email: input.email, name: input.name, role: input.role },
    });
    const grantId = privileged
      ? await requestGrant(
          trx,
          { id: row.id, role: input.role, active: false },
          { role: input.role, activates: true },
          actor,
        )
      : null;
    const link = invitation.issue ? await issueInvitation(trx, row.id, actor, invitation) : null;
    return { id: row.id, grantId, link };
  });
  return {
    member: await findMember(db, created.id),
    invitation: created.link,
    grant: created.grantId === null ? null : await findGrant(db, created.grantId),
  };
}

/** What an admin's request about a member's access came to: done now, or waiting for a second admin. */
export type AccessResult<T> = { applied: T } | { pending: RoleGrant };
type Decided<T> = { applied: T } | { grantId: string };

async function lockedMember(trx: Kysely<Database>, id: string) {
  const member = await trx
    .selectFrom('staff')
    .select(['id', 'role', 'active'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!member) throw AppError.notFound('Staff member');
  return member;
}

/**
 * A new set-password link for a member (the old ones stop working). For a privileged member it
 * waits for a second admin, then the asking admin takes it (`takeGrantLink`).
 */
export async function reissueInvitation(
  db: Kysely<Database>,
  id: string,
  actor: StaffActor,
  invitation: InvitationOptions,
): Promise<AccessResult<StaffInvitation>> {
  if (!invitation.issue) {
    throw new AppError('conflict', 'Password sign-in is off: members sign in through single sign-on');
  }
  const result = await db.transaction().execute(async (trx): Promise<Decided<StaffInvitation>> => {
    const member = await lockedMember(trx, id);
    if (accessNeedsSecondAdmin(member)) return { grantId: await requestAccess(trx, member, 'invitation', actor) };
    return { applied: await issueInvitation(trx, id, actor, invitation) };
  });
  return 'applied' in result ? result : { pending: await findGrant(db, result.grantId) };
}

/** An admin resets a member's second factor; for a privileged member it waits for a second admin. */
export async function resetMemberSecondFactor(
  db: Kysely<Database>,
  id: string,
  actor: StaffActor,
): Promise<AccessResult<null>> {
  const result = await db.transaction().execute(async (trx): Promise<Decided<null>> => {
    const member = await lockedMember(trx, id);
    if (!(await hasSecondFactor(trx, id))) throw new AppError('conflict', 'This member has no second factor to reset');
    if (accessNeedsSecondAdmin(member)) {
      return { grantId: await requestAccess(trx, member, 'second_factor_reset', actor) };
    }
    await removeSecondFactorOf(trx, id, actor);
    return { applied: null };
  });
  return 'applied' in result ? result : { pending: await findGrant(db, result.grantId) };
}

export type StaffUpdateResult = { applied: StaffMember } | { pending: StaffChangePending };

export async function updateStaff(
  db: Kysely<Database>,
  id: string,
  input: StaffUpdate,
  actor: StaffActor,
): Promise<StaffUpdateResult> {
  const grantId = await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw AppError.notFound('Staff member');
    if (current.version !== input.version) {
      throw new AppError(
        'stale_version',
        `Staff member changed since you loaded it (version ${current.version}, you sent ${input.version})`,
        { version: ['is stale'] },
      );
    }
    if (actor.staffId === id) {
      if (input.role !== undefined && input.role !== current.role)
        throw new AppError('conflict', 'Nobody changes their own role; ask another admin', {
          role: ['is your own: another admin must change it'],
        });
      if (input.active === false)
        throw new AppError('conflict', 'You cannot deactivate yourself; ask another admin', {
          active: ['is your own: another admin must change it'],
        });
    }
    const target: { role: StaffRole; active: boolean } = {
      role: input.role ?? current.role,
      active: input.active ?? current.active,
    };
    const grant = needsSecondAdmin(current, target);
    const changes: { name?: string; role?: StaffRole; active?: boolean } = {};
    if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
    if (!grant) {
      if (target.role !== current.role) changes.role = target.role;
      if (target.active !== current.active) changes.active = target.active;
    }
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable('staff')
        .set({ ...changes, version: current.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    }
    if (changes.role !== undefined || changes.active !== undefined) {
      // A role or status set directly makes any grant asked for the member as they were moot.
      await endSessionsOf(trx, id);
      await supersedePendingGrant(trx, id, actor);
    }
    if (Object.keys(changes).length > 0) {
      await recordAudit(trx, actor, {
        action: 'staff.updated',
        entityId: id,
        data: { changes, passwordChanged: false },
      });
    }
    if (!grant) return null;
    return requestGrant(trx, current, { role: target.role, activates: !current.active }, actor);
  });
  const member = await findMember(db, id);
  return grantId === null ? { applied: member } : { pending: { member, grant: await findGrant(db, grantId) } };
}
