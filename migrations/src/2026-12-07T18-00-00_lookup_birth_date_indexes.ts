/**
 * Customer lookup narrowed by a date of birth or a birth year ("james smith 1987"): the name
 * and email indexes the lookup scans gain the date of birth as a second column, so the date is
 * checked inside the index (a range on it under an exact name, a check per entry under a
 * prefix) instead of on every row of a common name. Each replaces the one-column index it
 * extends; a btree on (key, date_of_birth) serves every query the one on the key alone did.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX customers_full_name_birth_idx ON customers ((lower(first_name || ' ' || last_name)) text_pattern_ops, date_of_birth);
    CREATE INDEX customers_first_name_birth_idx ON customers (lower(first_name) text_pattern_ops, date_of_birth);
    CREATE INDEX customers_last_name_birth_idx ON customers (lower(last_name) text_pattern_ops, date_of_birth);
    CREATE INDEX customers_email_birth_idx ON customers (lower(email) text_pattern_ops, date_of_birth);
    DROP INDEX customers_full_name_prefix_idx;
    DROP INDEX customers_first_name_idx;
    DROP INDEX customers_last_name_idx;
    DROP INDEX customers_email_idx;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX customers_email_idx ON customers (lower(email) text_pattern_ops);
    CREATE INDEX customers_last_name_idx ON customers (lower(last_name) text_pattern_ops);
    CREATE INDEX customers_first_name_idx ON customers (lower(first_name) text_pattern_ops);
    CREATE INDEX customers_full_name_prefix_idx ON customers ((lower(first_name || ' ' || last_name)) text_pattern_ops);
    DROP INDEX customers_email_birth_idx;
    DROP INDEX customers_last_name_birth_idx;
    DROP INDEX customers_first_name_birth_idx;
    DROP INDEX customers_full_name_birth_idx;
  `.execute(db);
}
