import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function listStaff(db: Kysely<Database>) {
  return db.selectFrom('staff').select(['id', 'name', 'email', 'role']).orderBy('name').orderBy('id').execute();
}
