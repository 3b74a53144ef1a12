/**
 * An outcome that says a case is settled (cleared) may be recorded while items are still open
 * only with an override: `application_outcomes.override_reason` keeps why (null when nothing
 * was overridden). The table stays append-only; a new column changes no row's meaning.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE application_outcomes
      ADD COLUMN override_reason text CHECK (override_reason IS NULL OR length(btrim(override_reason)) BETWEEN 1 AND 1000);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE application_outcomes DROP COLUMN override_reason;`.execute(db);
}
