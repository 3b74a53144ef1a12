/**
 * A sign-in half done: the password was accepted and a second step is owed — a code
 * (`verify`) or adding an authenticator first (`enrol`). The browser holds a random token in
 * the `desk_sign_in` cookie (path /api/auth), the table its SHA-256. It grants nothing but the
 * second step, for ten minutes, once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';

export const challengeSeconds = 10 * 60;

export type ChallengePurpose = 'verify' | 'enrol';

export type Challenge = {
  id: string;
  purpose: ChallengePurpose;
  staffId: string;
  email: string;
  name: string;
  role: StaffRole;
};

function challengeIdOf(token: string): string {
  return createHash('sha256').update(`sign-in:${token}`).digest('hex');
}

export async function createChallenge(
  trx: Kysely<Database>,
  staffId: string,
  purpose: ChallengePurpose,
  client: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const row = await trx
    .insertInto('sign_in_challenges')
    .values({
      id: challengeIdOf(token),
      staff_id: staffId,
      purpose,
      expires_at: sql<Date>`now() + make_interval(secs => ${challengeSeconds})`,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 500) ?? null,
    })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return { token, expiresAt: row.expires_at };
}

/** The open challenge a cookie names, for the step `purpose`; 401 otherwise. */
export async function openChallenge(
  db: Kysely<Database>,
  token: string | null,
  purpose: ChallengePurpose,
): Promise<Challenge> {
  const row = token
    ? await db
        .selectFrom('sign_in_challenges as c')
        .innerJoin('staff', 'staff.id', 'c.staff_id')
        .select(['c.id', 'c.purpose', 'staff.id as staff_id', 'staff.email', 'staff.name', 'staff.role'])
        .where('c.id', '=', challengeIdOf(token))
        .where('c.completed_at', 'is', null)
        .where('c.expires_at', '>', sql<Date>`now()`)
        .where('staff.active', '=', true)
        .executeTakeFirst()
    : undefined;
  if (!row || row.purpose !== purpose) {
    throw new AppError(
      'unauthenticated',
      purpose === 'verify'
        ? 'Sign in with your password first (or again: the second step expired)'
        : 'Sign in with your password first (or again: enrolment expired)',
    );
  }
  return { id: row.id, purpose: row.purpose, staffId: row.staff_id, email: row.email, name: row.name, role: row.role };
}

/** Marks the challenge done; false when another request completed it first. */
export async function completeChallenge(trx: Kysely<Database>, id: string): Promise<boolean> {
  const done = await trx
    .updateTable('sign_in_challenges')
    .set({ completed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return done.numUpdatedRows === 1n;
}
