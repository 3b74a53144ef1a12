import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function listStaff(db: Kysely<Database>) {
  return db
    .selectFrom('staff')
    .select(['id', 'name', 'email', 'role', 'active', 'last_sign_in_at', 'created_at', 'version'])
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export type StaffListRow = Awaited<ReturnType<typeof listStaff>>[number];
