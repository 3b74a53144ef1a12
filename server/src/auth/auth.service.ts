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
 *
 * A second factor (`second-factor.ts`) makes a sign-in two steps: a member who enrolled one, or
 * whom the policy asks for one, gets no session for the password alone but a challenge
 * (`sign-in-challenges.ts`) for the second step — a code, or enrolling an authenticator first.
 * The password's attempt row stays counted as a failure until the second step succeeds, and
 * every code checked is reserved and settled in the same pools as a password, so the throttle
 * bounds codes as it bounds passwords.
 */

import {
  type LoginRequest,
  type Me,
  type RecoveryCodes,
  rolePermissions,
  type SecondFactorPolicy,
  type SecondFactorRequest,
  type SecondFactorStatus,
  type SignInStep,
  type StaffRole,
  type TotpEnrolment,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { timeZoneOf } from '../staff/preferences.js';
import {
  deviceFailures,
  lockSignInScope,
  reserveAttempt,
  settleAttempt,
  untrustedFailures,
} from './login-attempt.repository.js';
import type { OidcSettings } from './oidc.js';
import { verifyPassword } from './passwords.js';
import {
  acceptCode,
  beginEnrolment,
  factorOf,
  recoveryCodesLeft,
  removeFactor,
  renewRecoveryCodes,
  secondFactorRequired,
  secondFactorStatus,
  spendRecoveryCode,
} from './second-factor.js';
import { createSession, endSession, endSessionsOf, type SessionSettings } from './sessions.js';
import { completeChallenge, createChallenge, openChallenge } from './sign-in-challenges.js';
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

export type AuthSettings = SessionSettings & {
  throttle: ThrottleSettings;
  /** How long a set-password link works (default 72 hours). */
  invitationTtlSeconds: number;
  /** Who must sign in with a second factor (default `optional`: those who enrolled one). */
  secondFactor: SecondFactorPolicy;
  /** Password sign-in (and set-password links); off only with single sign-on configured. */
  passwordSignIn: boolean;
  /** Single sign-on through an OpenID provider; null when not configured. */
  oidc: OidcSettings | null;
};

const defaultPerDevice = 5;

export const defaultAuthSettings: AuthSettings = {
  idleTimeoutSeconds: 30 * 60,
  absoluteTimeoutSeconds: 12 * 60 * 60,
  throttle: { perAccount: 5, perIp: 30, windowSeconds: 15 * 60, perDevice: defaultPerDevice },
  invitationTtlSeconds: 72 * 3600,
  secondFactor: 'optional',
  passwordSignIn: true,
  oidc: null,
};

export type Client = {
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

export function meOf(staff: {
  staffId: string;
  email: string;
  name: string;
  role: Me['role'];
  timeZone: string | null;
}): Me {
  return {
    id: staff.staffId,
    email: staff.email,
    name: staff.name,
    role: staff.role,
    permissions: [...rolePermissions[staff.role]],
    timeZone: staff.timeZone,
  };
}

export type SignedIn = { token: string; me: Me; deviceToken: string };

export function passwordSignInOff(settings: AuthSettings): AppError {
  return new AppError(
    'forbidden',
    `Password sign-in is off: sign in with ${settings.oidc?.name ?? 'your identity provider'}`,
  );
}

export type SignInOutcome =
  | ({ kind: 'signed_in' } & SignedIn)
  /** The password was accepted; the second step is owed (`challengeToken` for its cookie). */
  | { kind: 'step'; challengeToken: string; step: SignInStep };

type Member = { id: string; email: string; name: string; role: StaffRole };

const actorOf = (member: Member, ip: string | null): StaffActor => ({
  kind: 'staff',
  staffId: member.id,
  email: member.email,
  role: member.role,
  ip,
});

/**
 * The session of a completed sign-in, in the caller's transaction: the attempt settled as a
 * success, "last signed in" set, audited. Its device cookie is issued after the commit.
 */
async function startSignedInSession(
  trx: Kysely<Database>,
  settings: AuthSettings,
  member: Member,
  client: Client,
  done: { attemptId: number; trustedDevice: boolean; secondFactor?: 'totp' | 'recovery_code' },
): Promise<string> {
  const created = await createSession(trx, member.id, settings, client);
  await settleAttempt(trx, done.attemptId, true);
  await trx.updateTable('staff').set({ last_sign_in_at: new Date() }).where('id', '=', member.id).execute();
  await recordAudit(trx, actorOf(member, client.ip), {
    action: 'auth.signed_in',
    entityId: member.id,
    data: {
      userAgent: client.userAgent?.slice(0, 200) ?? null,
      trustedDevice: done.trustedDevice,
      ...(done.secondFactor ? { secondFactor: done.secondFactor } : {}),
    },
  });
  return created.token;
}

async function signedIn(db: Kysely<Database>, member: Member, token: string): Promise<SignedIn> {
  // A new device id at every success: the browser is (still) trusted for this account.
  const deviceToken = await issueDeviceToken(db, member.id);
  const timeZone = await timeZoneOf(db, member.id);
  return { token, deviceToken, me: meOf({ staffId: member.id, ...member, timeZone }) };
}

export async function signIn(
  db: Kysely<Database>,
  settings: AuthSettings,
  { email, password }: LoginRequest,
  client: Client,
): Promise<SignInOutcome> {
  if (!settings.passwordSignIn) throw passwordSignInOff(settings);
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
    throw AppError.rateLimited(
      'Too many failed sign-ins; wait a few minutes and try again',
      settings.throttle.windowSeconds,
    );
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

  const factor = await factorOf(db, staff.id);
  const purpose = factor?.confirmed
    ? 'verify'
    : secondFactorRequired(settings.secondFactor, staff.role)
      ? 'enrol'
      : null;
  if (purpose !== null) {
    const next = purpose === 'verify' ? 'second_factor' : 'enrol_second_factor';
    const challenge = await db.transaction().execute(async (trx) => {
      const created = await createChallenge(trx, staff.id, purpose, client);
      // Counted as a failure until the second step succeeds: the password alone opens nothing.
      await settleAttempt(trx, reservation.attemptId, false);
      await recordAudit(trx, actorOf(staff, client.ip), {
        action: 'auth.second_factor_asked',
        entityId: staff.id,
        data: { next, trustedDevice },
      });
      return created;
    });
    return {
      kind: 'step',
      challengeToken: challenge.token,
      step: { next, expiresAt: challenge.expiresAt.toISOString() },
    };
  }

  const token = await db
    .transaction()
    .execute((trx) =>
      startSignedInSession(trx, settings, staff, client, { attemptId: reservation.attemptId, trustedDevice }),
    );
  return { kind: 'signed_in', ...(await signedIn(db, staff, token)) };
}

/** A second-factor check refused (the transaction that ran it rolls back). */
class CheckRefused extends Error {}

type CheckStep = 'sign_in' | 'enrolment' | 'recovery_codes';

/**
 * Runs a second-factor check under the sign-in throttle: reserved in the member's pools (their
 * trusted device's, or the account's and the address's), then `check` runs in a transaction
 * and settles the attempt as a success when it passes; when it refuses (null), that
 * transaction rolls back, the attempt is settled as a failure and audited, and `refusal` is
 * thrown.
 */
async function throttledCheck<T>(
  db: Kysely<Database>,
  settings: AuthSettings,
  member: Member,
  client: Client,
  what: { step: CheckStep; method: 'totp' | 'recovery_code'; refusal: AppError },
  check: (trx: Kysely<Database>, attempt: { attemptId: number; trustedDevice: boolean }) => Promise<T | null>,
): Promise<T> {
  const presentedDevice = client.deviceToken ? await trustedDeviceOf(db, member.id, client.deviceToken) : null;
  const reservation = await reservePasswordCheck(db, settings.throttle, {
    email: member.email.toLowerCase(),
    ip: client.ip,
    trustedDevice: presentedDevice,
  });
  if ('throttled' in reservation) {
    await recordAudit(db, actorOf(member, client.ip), {
      action: 'auth.second_factor_throttled',
      entityId: member.id,
      data: { step: what.step, reason: reservation.throttled, trustedDevice: presentedDevice !== null },
    });
    throw AppError.rateLimited(
      'Too many failed attempts; wait a few minutes and try again',
      settings.throttle.windowSeconds,
    );
  }
  const attempt = { attemptId: reservation.attemptId, trustedDevice: reservation.device !== null };
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await check(trx, attempt);
      if (result === null) throw new CheckRefused();
      return result;
    });
  } catch (err) {
    if (!(err instanceof CheckRefused)) throw err;
  }
  await db.transaction().execute(async (trx) => {
    await settleAttempt(trx, attempt.attemptId, false);
    await recordAudit(trx, actorOf(member, client.ip), {
      action: 'auth.second_factor_failed',
      entityId: member.id,
      data: { method: what.method, step: what.step, trustedDevice: attempt.trustedDevice },
    });
  });
  throw what.refusal;
}

const wrongCode = (status: 'unauthenticated' | 'unprocessable', field: 'code' | 'recoveryCode') =>
  new AppError(
    status,
    field === 'code' ? 'That code is not the one your authenticator shows now' : 'That recovery code is not valid',
    {
      [field]: [
        field === 'code'
          ? 'is not the current code of your authenticator (or was used already)'
          : 'is not an unused recovery code of yours',
      ],
    },
  );

/** The second step of a sign-in: a current code or an unused recovery code. */
export async function signInWithSecondFactor(
  db: Kysely<Database>,
  settings: AuthSettings,
  vault: PiiVault,
  challengeToken: string | null,
  input: SecondFactorRequest,
  client: Client,
): Promise<SignedIn> {
  const challenge = await openChallenge(db, challengeToken, 'verify');
  const member: Member = { id: challenge.staffId, email: challenge.email, name: challenge.name, role: challenge.role };
  const method = input.code !== undefined ? 'totp' : 'recovery_code';
  const token = await throttledCheck(
    db,
    settings,
    member,
    client,
    { step: 'sign_in', method, refusal: wrongCode('unauthenticated', method === 'totp' ? 'code' : 'recoveryCode') },
    async (trx, attempt) => {
      const passed =
        input.code !== undefined
          ? await acceptCode(trx, vault, { staffId: member.id, email: member.email }, input.code, false)
          : await spendRecoveryCode(trx, member.id, input.recoveryCode ?? '');
      if (!passed || !(await completeChallenge(trx, challenge.id))) return null;
      const left = await recoveryCodesLeft(trx, member.id);
      await recordAudit(trx, actorOf(member, client.ip), {
        action: 'auth.second_factor_used',
        entityId: member.id,
        data: { method, step: 'sign_in', recoveryCodesLeft: left },
      });
      return startSignedInSession(trx, settings, member, client, { ...attempt, secondFactor: method });
    },
  );
  return signedIn(db, member, token);
}

/** During a sign-in the policy holds until a factor is enrolled: a secret to add to an authenticator. */
export async function beginSignInEnrolment(
  db: Kysely<Database>,
  vault: PiiVault,
  challengeToken: string | null,
  ip: string | null,
): Promise<TotpEnrolment> {
  const challenge = await openChallenge(db, challengeToken, 'enrol');
  const member: Member = { id: challenge.staffId, email: challenge.email, name: challenge.name, role: challenge.role };
  return beginMemberEnrolment(db, vault, member, ip, true);
}

async function beginMemberEnrolment(
  db: Kysely<Database>,
  vault: PiiVault,
  member: Member,
  ip: string | null,
  duringSignIn: boolean,
): Promise<TotpEnrolment> {
  return db.transaction().execute(async (trx) => {
    const enrolment = await beginEnrolment(trx, vault, { staffId: member.id, email: member.email });
    if (!enrolment) {
      throw new AppError('conflict', 'You already have a second factor; an admin can remove it if you lost it');
    }
    await recordAudit(trx, actorOf(member, ip), {
      action: 'auth.second_factor_enrolment_started',
      entityId: member.id,
      data: { duringSignIn },
    });
    return enrolment;
  });
}

/** The first code from the new authenticator: the factor holds, the sign-in completes, recovery codes are shown once. */
export async function confirmSignInEnrolment(
  db: Kysely<Database>,
  settings: AuthSettings,
  vault: PiiVault,
  challengeToken: string | null,
  code: string,
  client: Client,
): Promise<SignedIn & { recoveryCodes: string[] }> {
  const challenge = await openChallenge(db, challengeToken, 'enrol');
  const member: Member = { id: challenge.staffId, email: challenge.email, name: challenge.name, role: challenge.role };
  const done = await throttledCheck(
    db,
    settings,
    member,
    client,
    { step: 'enrolment', method: 'totp', refusal: wrongCode('unauthenticated', 'code') },
    async (trx, attempt) => {
      if (!(await acceptCode(trx, vault, { staffId: member.id, email: member.email }, code, true))) return null;
      if (!(await completeChallenge(trx, challenge.id))) return null;
      const { recoveryCodes } = await renewRecoveryCodes(trx, member.id);
      await recordAudit(trx, actorOf(member, client.ip), {
        action: 'auth.second_factor_enrolled',
        entityId: member.id,
        data: { duringSignIn: true, recoveryCodes: recoveryCodes.length },
      });
      const token = await startSignedInSession(trx, settings, member, client, { ...attempt, secondFactor: 'totp' });
      return { token, recoveryCodes };
    },
  );
  return { ...(await signedIn(db, member, done.token)), recoveryCodes: done.recoveryCodes };
}

const memberOfActor = (staff: { staffId: string; email: string; name: string; role: StaffRole }): Member => ({
  id: staff.staffId,
  email: staff.email,
  name: staff.name,
  role: staff.role,
});

export function ownSecondFactor(
  db: Kysely<Database>,
  settings: AuthSettings,
  staff: { staffId: string; role: StaffRole },
): Promise<SecondFactorStatus> {
  return secondFactorStatus(db, staff, settings.secondFactor);
}

/** A signed-in member adds an authenticator (when they have none confirmed). */
export function beginOwnEnrolment(
  db: Kysely<Database>,
  vault: PiiVault,
  staff: { staffId: string; email: string; name: string; role: StaffRole },
  ip: string | null,
): Promise<TotpEnrolment> {
  return beginMemberEnrolment(db, vault, memberOfActor(staff), ip, false);
}

/** A signed-in member confirms their new authenticator with its first code; recovery codes are shown once. */
export async function confirmOwnEnrolment(
  db: Kysely<Database>,
  settings: AuthSettings,
  vault: PiiVault,
  staff: { staffId: string; email: string; name: string; role: StaffRole },
  code: string,
  client: Client,
): Promise<RecoveryCodes> {
  const member = memberOfActor(staff);
  return throttledCheck(
    db,
    settings,
    member,
    client,
    { step: 'enrolment', method: 'totp', refusal: wrongCode('unprocessable', 'code') },
    async (trx, attempt) => {
      if (!(await acceptCode(trx, vault, { staffId: member.id, email: member.email }, code, true))) return null;
      const codes = await renewRecoveryCodes(trx, member.id);
      await settleAttempt(trx, attempt.attemptId, true);
      await recordAudit(trx, actorOf(member, client.ip), {
        action: 'auth.second_factor_enrolled',
        entityId: member.id,
        data: { duringSignIn: false, recoveryCodes: codes.recoveryCodes.length },
      });
      return codes;
    },
  );
}

/** New recovery codes (the unused old ones stop working), for a current code. */
export async function renewOwnRecoveryCodes(
  db: Kysely<Database>,
  settings: AuthSettings,
  vault: PiiVault,
  staff: { staffId: string; email: string; name: string; role: StaffRole },
  code: string,
  client: Client,
): Promise<RecoveryCodes> {
  const member = memberOfActor(staff);
  if (!(await factorOf(db, member.id))?.confirmed) {
    throw new AppError('conflict', 'You have no second factor yet: enrol one first');
  }
  return throttledCheck(
    db,
    settings,
    member,
    client,
    { step: 'recovery_codes', method: 'totp', refusal: wrongCode('unprocessable', 'code') },
    async (trx, attempt) => {
      if (!(await acceptCode(trx, vault, { staffId: member.id, email: member.email }, code, false))) return null;
      const codes = await renewRecoveryCodes(trx, member.id);
      await settleAttempt(trx, attempt.attemptId, true);
      await recordAudit(trx, actorOf(member, client.ip), {
        action: 'auth.recovery_codes_renewed',
        entityId: member.id,
        data: { recoveryCodes: codes.recoveryCodes.length },
      });
      return codes;
    },
  );
}

/**
 * An admin removes a member's factor (a lost phone): audited, the member's sessions end, and
 * they enrol again at their next sign-in where the policy asks. Nobody ever reads a factor.
 */
export async function resetSecondFactor(db: Kysely<Database>, staffId: string, actor: StaffActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom('staff').select('id').where('id', '=', staffId).forUpdate().executeTakeFirst();
    if (!member) throw AppError.notFound('Staff member');
    await removeSecondFactorOf(trx, staffId, actor);
  });
}

/**
 * Removes a member's second factor in the caller's transaction (the caller holds the member's row
 * lock): their sessions end, and it is audited. 409 when they have none.
 */
export async function removeSecondFactorOf(trx: Kysely<Database>, staffId: string, actor: StaffActor): Promise<void> {
  if (!(await removeFactor(trx, staffId))) {
    throw new AppError('conflict', 'This member has no second factor to reset');
  }
  await endSessionsOf(trx, staffId);
  await recordAudit(trx, actor, { action: 'auth.second_factor_reset', entityId: staffId });
}

/** Whether a member has a second factor, enrolled or enrolling (a reset of none is refused before it is asked for). */
export async function hasSecondFactor(trx: Kysely<Database>, staffId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('staff_second_factors')
    .select('staff_id')
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row !== undefined;
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
