/**
 * Live updates read the audit trail on a short poll instead of hearing a notification: a NOTIFY
 * in the writing transaction takes a lock that every notifying commit in the cluster holds until
 * its WAL flush, so every audited change about a case (and every webhook received for one) went
 * one flush after another, whatever the audit chain's lanes allowed (3,300 audited inserts/s
 * from 16 connections fell to 700 when each notified). The trigger that notified goes.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER audit_events_case_change ON audit_events;
    DROP FUNCTION audit_events_notify_case_change();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
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
