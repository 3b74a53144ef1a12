/**
 * Separation of duties: a privileged role (`privilegedRoles`, read from the permission matrix)
 * is never granted by one admin alone. Creating a member with one, changing a member's role to
 * one, or reactivating a member who holds one records a pending grant; a second admin — neither
 * the one who asked nor the member concerned — approves it (then it takes effect) or refuses
 * it. The database refuses an approval by the requester or the member too. Every step is audited.
 *
 * The same holds for what would let one admin sign in as a privileged member: a new set-password
 * link (`invitation`) or a second-factor reset for a member whose role is privileged is a request
 * of that kind here. An approved reset runs at approval; an approved link is issued when the admin
 * who asked takes it — once, and never shown to the approver.
 */
import {
  isPrivilegedRole,
  type RoleGrant,
  type StaffGrantKind,
  type StaffInvitation,
  type StaffRole,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import { removeSecondFactorOf } from '../auth/auth.service.js';
import { issueInvitation } from '../auth/invitations.js';
import { endSessionsOf } from '../auth/sessions.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';

/** Whether moving a member from `before` to `after` grants a privileged role and so needs a second admin. */
export function needsSecondAdmin(
  before: { role: StaffRole; active: boolean } | null,
  after: { role: StaffRole; active: boolean },
): boolean {
  if (!after.active || !isPrivilegedRole(after.role)) return false;
  return before === null || !before.active || before.role !== after.role;
}

function grantsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('staff_role_grants as g')
    .innerJoin('staff as m', 'm.id', 'g.staff_id')
    .innerJoin('staff as r', 'r.id', 'g.requested_by')
    .leftJoin('staff as d', 'd.id', 'g.decided_by')
    .select([
      'g.id',
      'g.kind',
      'g.link_shown_at',
      'g.role',
      'g.activates',
      'g.state',
      'g.requested_at',
      'g.decided_at',
      'g.reason',
      'm.id as member_id',
      'm.name as member_name',
      'm.email as member_email',
      'm.role as member_role',
      'r.id as requester_id',
      'r.name as requester_name',
      'r.email as requester_email',
      'r.role as requester_role',
      'd.id as decider_id',
      'd.name as decider_name',
      'd.email as decider_email',
      'd.role as decider_role',
    ]);
}

type GrantRow = Awaited<ReturnType<ReturnType<typeof grantsQuery>['execute']>>[number];

function grantOf(row: GrantRow): RoleGrant {
  return {
    id: row.id,
    kind: row.kind,
    staff: { id: row.member_id, name: row.member_name, email: row.member_email, role: row.member_role },
    role: row.role,
    activates: row.activates,
    state: row.state,
    requestedBy: {
      id: row.requester_id,
      name: row.requester_name,
      email: row.requester_email,
      role: row.requester_role,
    },
    requestedAt: row.requested_at.toISOString(),
    decidedBy:
      row.decider_id !== null && row.decider_name !== null && row.decider_email !== null && row.decider_role !== null
        ? { id: row.decider_id, name: row.decider_name, email: row.decider_email, role: row.decider_role }
        : null,
    decidedAt: row.decided_at?.toISOString() ?? null,
    reason: row.reason,
    linkAvailable: row.kind === 'invitation' && row.state === 'approved' && row.link_shown_at === null,
  };
}

export async function findGrant(db: Kysely<Database>, id: string): Promise<RoleGrant> {
  const row = await grantsQuery(db).where('g.id', '=', id).executeTakeFirst();
  if (!row) throw AppError.notFound('Role grant');
  return grantOf(row);
}

export async function listGrants(db: Kysely<Database>, state: RoleGrant['state'] | 'all'): Promise<RoleGrant[]> {
  let query = grantsQuery(db).orderBy('g.requested_at', 'desc').orderBy('g.id').limit(500);
  if (state !== 'all') query = query.where('g.state', '=', state);
  return (await query.execute()).map(grantOf);
}

/** The member's pending grant, if any (the caller holds the member's row lock). */
export async function pendingGrantOf(trx: Kysely<Database>, staffId: string): Promise<{ id: string } | undefined> {
  return trx
    .selectFrom('staff_role_grants')
    .select('id')
    .where('staff_id', '=', staffId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
}

async function refuseSecondPending(trx: Kysely<Database>, staffId: string): Promise<void> {
  const pending = await pendingGrantOf(trx, staffId);
  if (pending) {
    throw new AppError(
      'conflict',
      `A request for this member is already waiting for a second admin (${pending.id}); approve or refuse it first`,
      { role: ['a request for this member is already pending'] },
    );
  }
}

/** Records a pending grant (audited; call it last in the transaction). */
export async function requestGrant(
  trx: Kysely<Database>,
  member: { id: string; role: StaffRole; active: boolean },
  wanted: { role: StaffRole; activates: boolean },
  actor: StaffActor,
): Promise<string> {
  await refuseSecondPending(trx, member.id);
  const row = await trx
    .insertInto('staff_role_grants')
    .values({
      staff_id: member.id,
      role: wanted.role,
      activates: wanted.activates,
      from_role: member.role,
      from_active: member.active,
      requested_by: actor.staffId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'staff.grant_requested',
    entityId: member.id,
    data: { grantId: row.id, role: wanted.role, fromRole: member.role, activates: wanted.activates },
  });
  return row.id;
}

/** What an admin may do to a member's access alone: anything, unless the member's role is privileged. */
export function accessNeedsSecondAdmin(member: { role: StaffRole }): boolean {
  return isPrivilegedRole(member.role);
}

/**
 * Records a pending link or second-factor reset for a privileged member (the caller holds the
 * member's row lock; audited).
 */
export async function requestAccess(
  trx: Kysely<Database>,
  member: { id: string; role: StaffRole; active: boolean },
  kind: Exclude<StaffGrantKind, 'role'>,
  actor: StaffActor,
): Promise<string> {
  await refuseSecondPending(trx, member.id);
  const row = await trx
    .insertInto('staff_role_grants')
    .values({
      kind,
      staff_id: member.id,
      role: member.role,
      activates: false,
      from_role: member.role,
      from_active: member.active,
      requested_by: actor.staffId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'staff.access_requested',
    entityId: member.id,
    data: { grantId: row.id, kind, role: member.role },
  });
  return row.id;
}

async function auditRefusal(
  trx: Kysely<Database>,
  actor: StaffActor,
  grant: { id: string; kind: StaffGrantKind; staff_id: string; role: StaffRole; requested_by: string },
  reason: string | null,
): Promise<void> {
  if (grant.kind === 'role') {
    await recordAudit(trx, actor, {
      action: 'staff.grant_refused',
      entityId: grant.staff_id,
      data: { grantId: grant.id, role: grant.role, requestedBy: grant.requested_by, reason },
    });
  } else {
    await recordAudit(trx, actor, {
      action: 'staff.access_refused',
      entityId: grant.staff_id,
      data: { grantId: grant.id, kind: grant.kind, requestedBy: grant.requested_by, reason },
    });
  }
}

/**
 * Withdraws a member's pending grant because an admin changed their role or status directly
 * (the grant was asked for a member who no longer is as they were). Audited.
 */
export async function supersedePendingGrant(trx: Kysely<Database>, staffId: string, actor: StaffActor): Promise<void> {
  const reason = 'superseded: the member was changed directly';
  const grant = await trx
    .updateTable('staff_role_grants')
    .set({ state: 'refused', decided_by: actor.staffId, decided_at: sql<Date>`now()`, reason })
    .where('staff_id', '=', staffId)
    .where('state', '=', 'pending')
    .returning(['id', 'kind', 'staff_id', 'role', 'requested_by'])
    .executeTakeFirst();
  if (!grant) return;
  await auditRefusal(trx, actor, grant, reason);
}

type Decision = { kind: 'approve' } | { kind: 'refuse'; reason: string | null };

/** Approves or refuses a pending grant; an approval applies it at once and ends the member's sessions. */
export async function decideGrant(
  db: Kysely<Database>,
  grantId: string,
  decision: Decision,
  actor: StaffActor,
): Promise<RoleGrant> {
  await db.transaction().execute(async (trx) => {
    // The member's row first, as every change to a member locks it: then the grant.
    const memberId = await trx
      .selectFrom('staff_role_grants')
      .select('staff_id')
      .where('id', '=', grantId)
      .executeTakeFirst();
    if (!memberId) throw AppError.notFound('Role grant');
    const member = await trx
      .selectFrom('staff')
      .select(['role', 'active', 'version'])
      .where('id', '=', memberId.staff_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const grant = await trx
      .selectFrom('staff_role_grants')
      .selectAll()
      .where('id', '=', grantId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (grant.state !== 'pending') {
      throw new AppError('conflict', `This grant was already ${grant.state}; nothing to decide`);
    }
    if (decision.kind === 'refuse') {
      await trx
        .updateTable('staff_role_grants')
        .set({ state: 'refused', decided_by: actor.staffId, decided_at: sql<Date>`now()`, reason: decision.reason })
        .where('id', '=', grantId)
        .execute();
      await auditRefusal(trx, actor, grant, decision.reason);
      return;
    }
    if (grant.requested_by === actor.staffId) {
      throw new AppError('forbidden', 'You asked for this grant: another admin must approve it');
    }
    if (grant.staff_id === actor.staffId) {
      throw new AppError('forbidden', 'Nobody approves a grant of their own role: another admin must approve it');
    }
    if (member.role !== grant.from_role || member.active !== grant.from_active) {
      throw new AppError(
        'conflict',
        'The member was changed since this grant was asked for; refuse it and ask again if it still applies',
      );
    }
    if (grant.kind !== 'role') {
      await trx
        .updateTable('staff_role_grants')
        .set({ state: 'approved', decided_by: actor.staffId, decided_at: sql<Date>`now()` })
        .where('id', '=', grantId)
        .execute();
      await recordAudit(trx, actor, {
        action: 'staff.access_approved',
        entityId: grant.staff_id,
        data: { grantId, kind: grant.kind, requestedBy: grant.requested_by },
      });
      // A link waits for its requester to take it (`takeGrantLink`); a reset runs now.
      if (grant.kind === 'second_factor_reset') await removeSecondFactorOf(trx, grant.staff_id, actor);
      return;
    }
    await trx
      .updateTable('staff')
      .set({
        role: grant.role,
        ...(grant.activates ? { active: true } : {}),
        version: member.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', grant.staff_id)
      .execute();
    await endSessionsOf(trx, grant.staff_id);
    await trx
      .updateTable('staff_role_grants')
      .set({ state: 'approved', decided_by: actor.staffId, decided_at: sql<Date>`now()` })
      .where('id', '=', grantId)
      .execute();
    await recordAudit(trx, actor, {
      action: 'staff.grant_approved',
      entityId: grant.staff_id,
      data: { grantId, role: grant.role, requestedBy: grant.requested_by },
    });
  });
  return findGrant(db, grantId);
}

/**
 * The set-password link of an approved link request, issued now for the admin who asked and shown
 * to them once: the approver never sees it, and a second call is refused.
 */
export async function takeGrantLink(
  db: Kysely<Database>,
  grantId: string,
  actor: StaffActor,
  options: { ttlSeconds: number; origin: string },
): Promise<StaffInvitation> {
  return db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('staff_role_grants')
      .select('staff_id')
      .where('id', '=', grantId)
      .executeTakeFirst();
    if (!found) throw AppError.notFound('Role grant');
    // The member's row first, as every change to a member locks it: then the request.
    await trx.selectFrom('staff').select('id').where('id', '=', found.staff_id).forUpdate().executeTakeFirstOrThrow();
    const grant = await trx
      .selectFrom('staff_role_grants')
      .selectAll()
      .where('id', '=', grantId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (grant.kind !== 'invitation') throw new AppError('conflict', 'This request is not for a set-password link');
    if (grant.requested_by !== actor.staffId) {
      throw new AppError('forbidden', 'Only the admin who asked for this link takes it');
    }
    if (grant.state !== 'approved') {
      throw new AppError('conflict', `This request is ${grant.state}: the link is given once it is approved`);
    }
    if (grant.link_shown_at !== null) throw new AppError('conflict', 'This link was already shown; ask for a new one');
    await trx
      .updateTable('staff_role_grants')
      .set({ link_shown_at: sql<Date>`now()` })
      .where('id', '=', grantId)
      .execute();
    return issueInvitation(trx, grant.staff_id, actor, options);
  });
}
