/**
 * Internal review outcomes and notes are append-only like the status history and the audit
 * trail, but only UPDATE and DELETE were refused: TRUNCATE (a statement, which row triggers
 * never see) emptied them. A statement trigger now refuses it, as on the other two.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TRIGGER application_outcomes_no_truncate BEFORE TRUNCATE ON application_outcomes
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER application_notes_no_truncate BEFORE TRUNCATE ON application_notes
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER application_notes_no_truncate ON application_notes;
    DROP TRIGGER application_outcomes_no_truncate ON application_outcomes;
  `.execute(db);
}
