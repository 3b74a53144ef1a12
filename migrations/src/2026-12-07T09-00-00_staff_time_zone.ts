/**
 * `staff.time_zone`: the IANA zone a member reads times in; NULL means their browser's.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE staff ADD COLUMN time_zone text CHECK (char_length(time_zone) BETWEEN 1 AND 64)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE staff DROP COLUMN time_zone`.execute(db);
}
