/**
 * A signed-in session for the benchmarks: the API needs one for every request. The staff
 * member is created once per database (a reused database already has them).
 */
import type { Kysely } from 'kysely';
import { createStaff, type Database } from '@desk/server';
import type { StaffRole } from '@desk/shared';

export const benchPassword = 'bench password for the desk';

/** Creates `bench.<role>@bench.desk` if missing, signs in, and returns the session cookie. */
export async function signIn(deskUrl: string, db: Kysely<Database>, role: StaffRole): Promise<string> {
  const email = `bench.${role.replace('_', '.')}@bench.desk`;
  const existing = await db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirst();
  if (!existing) await createStaff(db, { email, name: `Bench ${role.replace('_', ' ')}`, role, password: benchPassword }, { kind: 'system' });
  const res = await fetch(`${deskUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: deskUrl },
    body: JSON.stringify({ email, password: benchPassword }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie) throw new Error(`sign-in as ${email} set no cookie`);
  return cookie;
}
