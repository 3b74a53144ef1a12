/**
 * Demo sign-ins: every demo staff member (one or more per role, see `demoStaff`) gets the one
 * documented demo password, so anyone trying the desk can sign in as any role. Only members
 * without a password are touched, and only on a database the demo seeded.
 */

import { type Database, hashPassword } from '@desk/server';
import type { Kysely } from 'kysely';

export const demoPassword = 'compliance-desk-demo';

export async function seedDemoStaffPasswords(db: Kysely<Database>): Promise<void> {
  const hash = await hashPassword(demoPassword);
  await db
    .updateTable('staff')
    .set({ password_hash: hash })
    .where('password_hash', 'is', null)
    .where('email', 'like', '%@desk.example')
    .execute();
}
