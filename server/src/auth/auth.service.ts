/**
 * Signing in and out, and sign-in throttling.
 *
 * Every password check is reserved before it runs (`login-attempt.repository.ts`): under the
 * account's advisory lock (and the address's), recent failures and checks still in flight are
 * counted, and when the limit is not reached an attempt row is written — counting as a failure
 * — and committed; only then is the password verified and the row settled. However many
 * requests arrive at once, an account or an address gets at most its limit of checks per
 * window; a refused attempt is a 429 before any password is looked at. A check cut off by a
 * crash leaves its row counted as a failure.
 *
 * Failures are counted in pools, so that an attack from elsewhere does not lock the owner out:
 * - a browser that presents a valid trusted-device cookie for the account
 *   (`trusted-devices.ts`, issued at every successful sign-in) has its own allowance
 *   (`perDevice`), counted since that device's last success; its failures count nowhere else;
 * - every other client shares the account's untrusted pool (`perAccount`, counted since the
 *   last success from an untrusted client) and its address's (`perIp`). A device that used up
 *   its own allowance falls back to these.
 * Every attempt, whatever its outcome, is on the audit trail.
 */

import { type LoginRequest, type Me, rolePermissions } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import {
  deviceFailures,
  lockSignInScope,
  reserveAttempt,
  settleAttempt,
  untrustedFailures,
} from './login-attempt.repository.js';
import { verifyPassword } from './passwords.js';
import { createSession, endSession, type SessionSettings } from './sessions.js';
import { issueDeviceToken, trustedDeviceOf } from './trusted-devices.js';

export type ThrottleSettings = {
  /** Failed sign-ins per account from untrusted clients within the window before they are refused (default 5). */
  perAccount: number;
  /** Failed sign-ins per IP address from untrusted clients within the window before it is refused (default 30). */
  perIp: number;
  windowSeconds: number;
  /** Failed sign-ins per trusted device within the window before it counts as untrusted (default 5). */
  perDevice?: number;
};

export type AuthSettings = SessionSettings & { throttle: ThrottleSettings };

const defaultPerDevice = 5;

export const defaultAuthSettings: AuthSettings = {
  idleTimeoutSeconds: 30 * 60,
  absoluteTimeoutSeconds: 12 * 60 * 60,
  throttle: { perAccount: 5, perIp: 30, windowSeconds: 15 * 60, perDevice: defaultPerDevice },
};

type Client = {
  ip: string;
  userAgent: string | null;
  /** The trusted-device cookie the browser presented, if any. */
  deviceToken?: string | null;
};

type Reservation = { attemptId: number; device: string | null } | { throttled: 'account' | 'address' };

/** Reserves one password check for this attempt, or says which limit refuses it. */
async function reservePasswordCheck(
  db: Kysely<Database>,
  throttle: ThrottleSettings,
  attempt: { email: string; ip: string; trustedDevice: string | null },
): Promise<Reservation> {
  const perDevice = throttle.perDevice ?? defaultPerDevice;
  return db.transaction().execute(async (trx): Promise<Reservation> => {
    await lockSignInScope(trx, 'account', attempt.email);
    const device = attempt.trustedDevice;
    if (device !== null && (await deviceFailures(trx, device, throttle.windowSeconds)) < perDevice) {
      return { attemptId: await reserveAttempt(trx, { email: attempt.email, ip: attempt.ip, device }), device };
    }
    await lockSignInScope(trx, 'address', attempt.ip);
    const failures = await untrustedFailures(trx, attempt.email, attempt.ip, throttle.windowSeconds);
    if (failures.account >= throttle.perAccount) return { throttled: 'account' };
    if (failures.address >= throttle.perIp) return { throttled: 'address' };
    return {
      attemptId: await reserveAttempt(trx, { email: attempt.email, ip: attempt.ip, device: null }),
      device: null,
    };
  });
}

export function meOf(staff: { staffId: string; email: string; name: string; role: Me['role'] }): Me {
  return {
    id: staff.staffId,
    email: staff.email,
    name: staff.name,
    role: staff.role,
    permissions: [...rolePermissions[staff.role]],
  };
}

export async function signIn(
  db: Kysely<Database>,
  settings: AuthSettings,
  { email, password }: LoginRequest,
  client: Client,
): Promise<{ token: string; me: Me; deviceToken: string }> {
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name', 'role', 'password_hash', 'active'])
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  const presentedDevice = staff && client.deviceToken ? await trustedDeviceOf(db, staff.id, client.deviceToken) : null;

  const reservation = await reservePasswordCheck(db, settings.throttle, {
    email,
    ip: client.ip,
    trustedDevice: presentedDevice,
  });
  if ('throttled' in reservation) {
    await recordAudit(
      db,
      { kind: 'anonymous', ip: client.ip },
      {
        action: 'auth.sign_in_throttled',
        data: { email, reason: reservation.throttled, trustedDevice: presentedDevice !== null },
      },
    );
    throw new AppError('rate_limited', 'Too many failed sign-ins; wait a few minutes and try again');
  }
  const trustedDevice = reservation.device !== null;

  const valid = await verifyPassword(staff?.active ? staff.password_hash : null, password);

  if (!staff || !valid) {
    await db.transaction().execute(async (trx) => {
      await settleAttempt(trx, reservation.attemptId, false);
      await recordAudit(
        trx,
        { kind: 'anonymous', ip: client.ip },
        {
          action: 'auth.sign_in_failed',
          entityId: staff?.id ?? null,
          data: { email, trustedDevice },
        },
      );
    });
    throw new AppError('unauthenticated', 'Email or password is wrong');
  }

  const session = await db.transaction().execute(async (trx) => {
    const created = await createSession(trx, staff.id, settings, client);
    await settleAttempt(trx, reservation.attemptId, true);
    await trx.updateTable('staff').set({ last_sign_in_at: new Date() }).where('id', '=', staff.id).execute();
    await recordAudit(
      trx,
      { kind: 'staff', staffId: staff.id, email: staff.email, role: staff.role, ip: client.ip },
      {
        action: 'auth.signed_in',
        entityId: staff.id,
        data: { userAgent: client.userAgent?.slice(0, 200) ?? null, trustedDevice },
      },
    );
    return created;
  });
  // A new device id at every success: the browser is (still) trusted for this account.
  const deviceToken = await issueDeviceToken(db, staff.id);
  return {
    token: session.token,
    deviceToken,
    me: meOf({ staffId: staff.id, email: staff.email, name: staff.name, role: staff.role }),
  };
}

export async function signOut(
  db: Kysely<Database>,
  staff: { sessionId: string; staffId: string; email: string; role: Me['role'] },
  ip: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await endSession(trx, staff.sessionId);
    await recordAudit(
      trx,
      { kind: 'staff', staffId: staff.staffId, email: staff.email, role: staff.role, ip },
      {
        action: 'auth.signed_out',
        entityId: staff.staffId,
      },
    );
  });
}
