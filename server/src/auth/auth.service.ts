/**
 * Signing in and out. A sign-in is refused before any password is checked when the account
 * or the address has failed too often lately (429); every attempt, whatever its outcome, is
 * on the audit trail.
 */
import { sql, type Kysely } from 'kysely';
import { rolePermissions, type LoginRequest, type Me } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../audit/audit-log.js';
import { AppError } from '../http/app-error.js';
import { verifyPassword } from './passwords.js';
import { createSession, endSession, type SessionSettings } from './sessions.js';

export type ThrottleSettings = {
  /** Failed sign-ins per account within the window before it is refused (default 5). */
  perAccount: number;
  /** Failed sign-ins per IP address within the window before it is refused (default 30). */
  perIp: number;
  windowSeconds: number;
};

export type AuthSettings = SessionSettings & { throttle: ThrottleSettings };

export const defaultAuthSettings: AuthSettings = {
  idleTimeoutSeconds: 30 * 60,
  absoluteTimeoutSeconds: 12 * 60 * 60,
  throttle: { perAccount: 5, perIp: 30, windowSeconds: 15 * 60 },
};

type Client = { ip: string; userAgent: string | null };

async function recentFailures(db: Kysely<Database>, email: string, ip: string, windowSeconds: number) {
  const since = sql<Date>`now() - make_interval(secs => ${windowSeconds})`;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('login_attempts')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('email', '=', email)
        .where('succeeded', '=', false)
        .where('at', '>', since)
        // A successful sign-in starts the account's count again.
        .where('at', '>', (e) =>
          e.fn.coalesce(
            e.selectFrom('login_attempts').select((x) => x.fn.max('at').as('at')).where('email', '=', email).where('succeeded', '=', true),
            sql<Date>`'-infinity'::timestamptz`,
          ),
        )
        .as('account'),
      eb
        .selectFrom('login_attempts')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('ip', '=', ip)
        .where('succeeded', '=', false)
        .where('at', '>', since)
        .as('address'),
    ])
    .executeTakeFirstOrThrow();
  return { account: Number(row.account ?? 0), address: Number(row.address ?? 0) };
}

export function meOf(staff: { staffId: string; email: string; name: string; role: Me['role'] }): Me {
  return { id: staff.staffId, email: staff.email, name: staff.name, role: staff.role, permissions: [...rolePermissions[staff.role]] };
}

export async function signIn(
  db: Kysely<Database>,
  settings: AuthSettings,
  { email, password }: LoginRequest,
  client: Client,
): Promise<{ token: string; me: Me }> {
  const failures = await recentFailures(db, email, client.ip, settings.throttle.windowSeconds);
  if (failures.account >= settings.throttle.perAccount || failures.address >= settings.throttle.perIp) {
    await recordAudit(db, { kind: 'anonymous', ip: client.ip }, {
      action: 'auth.sign_in_throttled',
      entityType: 'staff',
      data: { email, reason: failures.account >= settings.throttle.perAccount ? 'account' : 'address' },
    });
    throw new AppError('rate_limited', 'Too many failed sign-ins; wait a few minutes and try again');
  }

  const staff = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name', 'role', 'password_hash', 'active'])
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  const valid = await verifyPassword(staff?.active ? staff.password_hash : null, password);

  if (!staff || !valid) {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('login_attempts').values({ email, ip: client.ip, succeeded: false }).execute();
      await recordAudit(trx, { kind: 'anonymous', ip: client.ip }, {
        action: 'auth.sign_in_failed',
        entityType: 'staff',
        entityId: staff?.id ?? null,
        data: { email },
      });
    });
    throw new AppError('unauthenticated', 'Email or password is wrong');
  }

  const session = await db.transaction().execute(async (trx) => {
    const created = await createSession(trx, staff.id, settings, client);
    await trx.insertInto('login_attempts').values({ email, ip: client.ip, succeeded: true }).execute();
    await trx.updateTable('staff').set({ last_sign_in_at: new Date() }).where('id', '=', staff.id).execute();
    await recordAudit(trx, { kind: 'staff', staffId: staff.id, email: staff.email, role: staff.role, ip: client.ip }, {
      action: 'auth.signed_in',
      entityType: 'staff',
      entityId: staff.id,
      data: { userAgent: client.userAgent?.slice(0, 200) ?? null },
    });
    return created;
  });
  return { token: session.token, me: meOf({ staffId: staff.id, email: staff.email, name: staff.name, role: staff.role }) };
}

export async function signOut(
  db: Kysely<Database>,
  staff: { sessionId: string; staffId: string; email: string; role: Me['role'] },
  ip: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await endSession(trx, staff.sessionId);
    await recordAudit(trx, { kind: 'staff', staffId: staff.staffId, email: staff.email, role: staff.role, ip }, {
      action: 'auth.signed_out',
      entityType: 'staff',
      entityId: staff.staffId,
    });
  });
}
