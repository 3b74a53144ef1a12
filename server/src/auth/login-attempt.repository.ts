/**
 * `login_attempts`: one row per password check, written *before* the check runs (a
 * reservation, counted as a failure from that moment) and settled after it. Counts and
 * reservations are made inside one transaction that holds the advisory locks of what they
 * count, so parallel sign-ins for one account (or from one address) see each other's
 * reservations, on one connection or many, in one desk process or several.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Advisory-lock class of sign-in throttling. Locks are taken in the two-int key space under a
 * class of their own, which never meets the audit chain's lane locks (class 7423001).
 */
const signInLockClass = 7_423_101;

/**
 * Holds, until the transaction ends, the lock of an account or an address. Callers take the
 * account's before the address's, so two sign-ins never wait on each other in a cycle.
 */
export async function lockSignInScope(trx: Kysely<Database>, scope: 'account' | 'address', key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(signInLockClass)}, hashtext(${`${scope}:${key}`}))`.execute(trx);
}

const windowStart = (windowSeconds: number) => sql<Date>`now() - make_interval(secs => ${windowSeconds})`;

/** Failures (and checks in flight) from one trusted device within the window, since its last success. */
export async function deviceFailures(trx: Kysely<Database>, device: string, windowSeconds: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM login_attempts
    WHERE device = ${device} AND NOT succeeded AND at > ${windowStart(windowSeconds)}
      AND at > coalesce((SELECT max(at) FROM login_attempts WHERE device = ${device} AND succeeded), '-infinity'::timestamptz)
  `.execute(trx);
  return rows[0]?.n ?? 0;
}

/**
 * Failures (and checks in flight) from untrusted clients within the window: for the account
 * since its last success from an untrusted client, and for the address.
 */
export async function untrustedFailures(
  trx: Kysely<Database>,
  email: string,
  ip: string,
  windowSeconds: number,
): Promise<{ account: number; address: number }> {
  const since = windowStart(windowSeconds);
  const { rows } = await sql<{ account: number; address: number }>`
    SELECT
      (SELECT count(*)::int FROM login_attempts
        WHERE email = ${email} AND device IS NULL AND NOT succeeded AND at > ${since}
          AND at > coalesce(
            (SELECT max(at) FROM login_attempts WHERE email = ${email} AND device IS NULL AND succeeded),
            '-infinity'::timestamptz)) AS account,
      (SELECT count(*)::int FROM login_attempts
        WHERE ip = ${ip} AND device IS NULL AND NOT succeeded AND at > ${since}) AS address
  `.execute(trx);
  return { account: rows[0]?.account ?? 0, address: rows[0]?.address ?? 0 };
}

/** Reserves one password check: a row that counts as a failure until it is settled. */
export async function reserveAttempt(
  trx: Kysely<Database>,
  attempt: { email: string; ip: string; device: string | null },
): Promise<number> {
  const row = await trx
    .insertInto('login_attempts')
    .values({ email: attempt.email, ip: attempt.ip, device: attempt.device, succeeded: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function settleAttempt(db: Kysely<Database>, id: number, succeeded: boolean): Promise<void> {
  await db
    .updateTable('login_attempts')
    .set({ succeeded, settled_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}
