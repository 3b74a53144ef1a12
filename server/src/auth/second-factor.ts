/**
 * The second factor: TOTP (RFC 6238 — SHA-1, 6 digits, 30-second steps, what authenticator
 * apps expect) and one-time recovery codes.
 *
 * The secret is sealed at rest with the PII vault (AES-256-GCM under the active PII key), so a
 * copy of the database holds no usable secret; it is shown once, at enrolment, and never again
 * to anyone (an admin can only remove a factor). A code is accepted for the current step or one
 * step either side (clock drift), and never twice: the accepted step is recorded and a code of
 * that step or an earlier one is refused. Recovery codes carry 80 random bits each and are kept
 * as SHA-256; each signs in once.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  isPrivilegedRole,
  type RecoveryCodes,
  type SecondFactorPolicy,
  type SecondFactorStatus,
  type StaffRole,
  type TotpEnrolment,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Database } from '../db/schema.js';
import type { PiiVault } from '../pii/pii-vault.js';

const issuer = 'Compliance Desk';
const period = 30;
const recoveryCodeCount = 10;
/** Crockford-like alphabet without look-alikes (no i, l, o, u): 32 symbols, 5 bits each. */
const recoveryAlphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** Whether the policy asks this role for a second factor (members who enrolled one are always asked). */
export function secondFactorRequired(policy: SecondFactorPolicy, role: StaffRole): boolean {
  if (policy === 'all') return true;
  return policy === 'required-roles' && isPrivilegedRole(role);
}

function totpOf(secret: string, label: string): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period });
}

function recoveryCodeHash(code: string): string {
  const normal = code.toLowerCase().replace(/[^0-9a-z]/g, '');
  return createHash('sha256').update(`recovery:${normal}`).digest('hex');
}

function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (let i = 0; i < 16; i++) code += recoveryAlphabet[(bytes[i] ?? 0) % 32];
  return code.match(/.{4}/g)?.join('-') ?? code;
}

export type FactorRow = { confirmed: boolean; confirmedAt: Date | null };

export async function factorOf(db: Kysely<Database>, staffId: string): Promise<FactorRow | null> {
  const row = await db
    .selectFrom('staff_second_factors')
    .select('confirmed_at')
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row ? { confirmed: row.confirmed_at !== null, confirmedAt: row.confirmed_at } : null;
}

export async function secondFactorStatus(
  db: Kysely<Database>,
  staff: { staffId: string; role: StaffRole },
  policy: SecondFactorPolicy,
): Promise<SecondFactorStatus> {
  const factor = await factorOf(db, staff.staffId);
  const left = await db
    .selectFrom('staff_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('staff_id', '=', staff.staffId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  const enrolled = factor?.confirmed ?? false;
  return {
    enrolled,
    confirmedAt: factor?.confirmedAt?.toISOString() ?? null,
    recoveryCodesLeft: enrolled ? Number(left.n) : 0,
    required: secondFactorRequired(policy, staff.role),
  };
}

/**
 * A fresh secret for a member without a confirmed factor, replacing any enrolment not yet
 * confirmed. False when the member already has a confirmed factor.
 */
export async function beginEnrolment(
  trx: Kysely<Database>,
  vault: PiiVault,
  staff: { staffId: string; email: string },
): Promise<TotpEnrolment | null> {
  if ((await factorOf(trx, staff.staffId))?.confirmed) return null;
  const secret = new Secret({ size: 20 }).base32;
  const { sealed, keyId } = vault.seal(secret);
  await trx
    .insertInto('staff_second_factors')
    .values({ staff_id: staff.staffId, secret_sealed: sealed, key_id: keyId })
    .onConflict((oc) =>
      oc.column('staff_id').doUpdateSet({
        secret_sealed: sealed,
        key_id: keyId,
        confirmed_at: null,
        last_used_step: null,
      }),
    )
    .execute();
  const otpauthUri = totpOf(secret, staff.email).toString();
  return { secret, otpauthUri, qrCode: await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M' }) };
}

/**
 * Checks a code against the member's secret (confirmed, or being enrolled when `enrolling`)
 * and records its step, so it is never accepted again. Runs inside the caller's transaction.
 */
export async function acceptCode(
  trx: Kysely<Database>,
  vault: PiiVault,
  staff: { staffId: string; email: string },
  code: string,
  enrolling: boolean,
): Promise<boolean> {
  const row = await trx
    .selectFrom('staff_second_factors')
    .select(['secret_sealed', 'key_id', 'confirmed_at'])
    .where('staff_id', '=', staff.staffId)
    .forUpdate()
    .executeTakeFirst();
  if (!row || (row.confirmed_at === null) !== enrolling) return false;
  const secret = vault.open({ sealed: row.secret_sealed, keyId: row.key_id });
  const delta = totpOf(secret, staff.email).validate({ token: code, window: 1 });
  if (delta === null) return false;
  const step = TOTP.counter({ period }) + delta;
  const used = await trx
    .updateTable('staff_second_factors')
    .set({ last_used_step: step, ...(enrolling ? { confirmed_at: sql<Date>`now()` } : {}) })
    .where('staff_id', '=', staff.staffId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return used.numUpdatedRows === 1n;
}

/** Spends one unused recovery code of the member; false when it is not one (or already spent). */
export async function spendRecoveryCode(trx: Kysely<Database>, staffId: string, code: string): Promise<boolean> {
  const spent = await trx
    .updateTable('staff_recovery_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('staff_id', '=', staffId)
    .where('code_hash', '=', recoveryCodeHash(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return spent.numUpdatedRows > 0n;
}

export async function recoveryCodesLeft(db: Kysely<Database>, staffId: string): Promise<number> {
  const row = await db
    .selectFrom('staff_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** New recovery codes for the member (the unused old ones stop working); shown once. */
export async function renewRecoveryCodes(trx: Kysely<Database>, staffId: string): Promise<RecoveryCodes> {
  await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).where('used_at', 'is', null).execute();
  const recoveryCodes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
  await trx
    .insertInto('staff_recovery_codes')
    .values(recoveryCodes.map((code) => ({ staff_id: staffId, code_hash: recoveryCodeHash(code) })))
    .execute();
  return { recoveryCodes };
}

/** Removes a member's factor and recovery codes (an admin's reset); false when there was none. */
export async function removeFactor(trx: Kysely<Database>, staffId: string): Promise<boolean> {
  await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute();
  const removed = await trx.deleteFrom('staff_second_factors').where('staff_id', '=', staffId).executeTakeFirst();
  return removed.numDeletedRows > 0n;
}
