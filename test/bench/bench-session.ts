/**
 * Signed-in sessions for the benchmarks: the API needs one for every request. Staff members are
 * created once per database (a reused database already has them).
 */

import { createStaff, type Database } from '@desk/server';
import type { StaffRole } from '@desk/shared';
import type { Kysely } from 'kysely';

export const benchPassword = 'bench password for the desk';

/**
 * Creates the staff member if missing (`bench.<role>@bench.desk` unless an email is given),
 * signs in, and returns the session cookie and the member's id.
 */
export async function benchSession(
  deskUrl: string,
  db: Kysely<Database>,
  role: StaffRole,
  email = `bench.${role.replace('_', '.')}@bench.desk`,
): Promise<{ cookie: string; id: string }> {
  let id = (await db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirst())?.id;
  if (!id)
    id = (
      await createStaff(
        db,
        { email, name: email.split('@')[0] ?? email, role, password: benchPassword },
        { kind: 'system' },
      )
    ).id;
  const res = await fetch(`${deskUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: deskUrl },
    body: JSON.stringify({ email, password: benchPassword }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie) throw new Error(`sign-in as ${email} set no cookie`);
  return { cookie, id };
}

/** The session cookie of `bench.<role>@bench.desk`. */
export async function signIn(deskUrl: string, db: Kysely<Database>, role: StaffRole): Promise<string> {
  return (await benchSession(deskUrl, db, role)).cookie;
}
