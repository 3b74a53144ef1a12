/**
 * Live updates: every audit row about a case (`application_id` set) notifies the channel
 * `desk_case_events` in the transaction that writes it, so each desk process listening there
 * learns at commit that the trail moved and reads the new rows. The payload is empty: Postgres
 * folds identical notifications of one transaction into one, and the rows themselves say what
 * happened. The audit trail stays append-only; this only reads NEW.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION audit_events_notify_case_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('desk_case_events', '');
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER audit_events_case_change AFTER INSERT ON audit_events
      FOR EACH ROW WHEN (NEW.application_id IS NOT NULL)
      EXECUTE FUNCTION audit_events_notify_case_change();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER audit_events_case_change ON audit_events;
    DROP FUNCTION audit_events_notify_case_change();
  `.execute(db);
}
