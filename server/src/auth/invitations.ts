/**
 * Set-password links: how a member gets their first password (and a new one when they forget
 * it), so that no admin ever chooses or knows it. A link carries a random 256-bit token; the
 * table keeps only its SHA-256. A link works once, until it expires, and issuing a new one
 * revokes the member's open links. The token travels in the link's fragment, which browsers
 * never send to a server, and reaches the desk only in a POST body.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  type InvitationAccept,
  type InvitationAccepted,
  type InvitationDetail,
  type StaffInvitation,
  setPasswordPagePath,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { type Actor, recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { hashPassword } from './passwords.js';
import { endSessionsOf } from './sessions.js';

function tokenHashOf(token: string): string {
  return createHash('sha256').update(`invitation:${token}`).digest('hex');
}

export function invitationLink(origin: string, token: string): string {
  return `${origin}${setPasswordPagePath}#token=${token}`;
}

/**
 * Issues a member a new link, revoking their open ones, and audits it. Runs in the caller's
 * transaction (the audit row is written here: call it last).
 */
export async function issueInvitation(
  trx: Kysely<Database>,
  staffId: string,
  actor: Actor,
  options: { ttlSeconds: number; origin: string },
): Promise<StaffInvitation> {
  const revoked = await trx
    .updateTable('staff_invitations')
    .set({ revoked_at: sql<Date>`now()` })
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const token = randomBytes(32).toString('base64url');
  const row = await trx
    .insertInto('staff_invitations')
    .values({
      staff_id: staffId,
      token_hash: tokenHashOf(token),
      issued_by: actor.kind === 'staff' ? actor.staffId : null,
      expires_at: sql<Date>`now() + make_interval(secs => ${options.ttlSeconds})`,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  const expiresAt = row.expires_at.toISOString();
  await recordAudit(trx, actor, {
    action: 'staff.invitation_issued',
    entityId: staffId,
    data: { invitationId: row.id, expiresAt, revoked: Number(revoked.numUpdatedRows) },
  });
  return { token, link: invitationLink(options.origin, token), expiresAt };
}

type RefusalReason = 'used' | 'revoked' | 'expired';

const refusalMessages: Record<RefusalReason, string> = {
  used: 'was already used; ask an admin for a new link',
  revoked: 'was replaced by a newer link or withdrawn; use the newest link you were given',
  expired: 'has expired; ask an admin for a new link',
};

type OpenInvitation = { id: string; staffId: string; email: string; name: string; expiresAt: Date };

/** The open link a token names, or the 404/409 that says why it cannot be used (audited when refused). */
async function openInvitation(
  db: Kysely<Database>,
  token: string,
  ip: string | null,
  lock: boolean,
): Promise<OpenInvitation> {
  let query = db
    .selectFrom('staff_invitations as i')
    .innerJoin('staff', 'staff.id', 'i.staff_id')
    .select([
      'i.id',
      'i.staff_id',
      'i.used_at',
      'i.revoked_at',
      'i.expires_at',
      'staff.email',
      'staff.name',
      sql<boolean>`i.expires_at <= now()`.as('expired'),
    ])
    .where('i.token_hash', '=', tokenHashOf(token));
  if (lock) query = query.forUpdate('i');
  const row = await query.executeTakeFirst();
  if (!row) {
    throw new AppError('not_found', 'This set-password link is not one this desk issued', {
      token: ['is not a link this desk issued'],
    });
  }
  const reason: RefusalReason | null = row.used_at
    ? 'used'
    : row.revoked_at
      ? 'revoked'
      : row.expired
        ? 'expired'
        : null;
  if (reason) {
    await recordAudit(
      db,
      { kind: 'anonymous', ip },
      { action: 'staff.invitation_refused', entityId: row.staff_id, data: { invitationId: row.id, reason } },
    );
    throw new AppError('conflict', `This set-password link ${refusalMessages[reason]}`, {
      token: [refusalMessages[reason]],
    });
  }
  return { id: row.id, staffId: row.staff_id, email: row.email, name: row.name, expiresAt: row.expires_at };
}

/** Whom an open link is for (the set-password page shows it before the member chooses a password). */
export async function inspectInvitation(
  db: Kysely<Database>,
  token: string,
  ip: string | null,
): Promise<InvitationDetail> {
  const open = await openInvitation(db, token, ip, false);
  return { email: open.email, name: open.name, expiresAt: open.expiresAt.toISOString() };
}

/**
 * Sets the member's password from a link and uses the link up; the member's other open links
 * are revoked and any session they had ends (a link is also how a forgotten password is
 * replaced). A link raced by two requests is used by one; the other sees it used.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  { token, password }: InvitationAccept,
  ip: string | null,
): Promise<InvitationAccepted> {
  // Checked before hashing, so a dead link costs no argon2 work; checked again under the lock.
  await openInvitation(db, token, ip, false);
  const passwordHash = await hashPassword(password);
  const outcome = await db.transaction().execute(async (trx) => {
    let open: OpenInvitation;
    try {
      open = await openInvitation(trx, token, ip, true);
    } catch (err) {
      // The refusal's audit row must survive: commit it, then answer.
      if (err instanceof AppError) return { refused: err };
      throw err;
    }
    await trx.updateTable('staff_invitations').set({ used_at: sql<Date>`now()` }).where('id', '=', open.id).execute();
    await trx
      .updateTable('staff_invitations')
      .set({ revoked_at: sql<Date>`now()` })
      .where('staff_id', '=', open.staffId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    const member = await trx
      .updateTable('staff')
      .set((eb) => ({ password_hash: passwordHash, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', open.staffId)
      .returning(['id', 'email', 'role', 'active'])
      .executeTakeFirstOrThrow();
    await endSessionsOf(trx, open.staffId);
    const pendingGrant = await trx
      .selectFrom('staff_role_grants')
      .select('id')
      .where('staff_id', '=', open.staffId)
      .where('kind', '=', 'role')
      .where('state', '=', 'pending')
      .executeTakeFirst();
    await recordAudit(
      trx,
      { kind: 'staff', staffId: member.id, email: member.email, role: member.role, ip },
      { action: 'staff.password_set', entityId: member.id, data: { invitationId: open.id } },
    );
    return { accepted: { email: member.email, awaitingApproval: !member.active && pendingGrant !== undefined } };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.accepted;
}
